-- nn.SoftMax: exp(x_i - max) / sum_j exp(x_j - max) over the feature dim
-- (1-D: all; 2-D: each row; 3-D: dim 1; 4-D: dim 2).
local SoftMax, _ = torch.class('nn.SoftMax', 'nn.Module')

function SoftMax:updateOutput(input)
   torch._nn.SoftMax_updateOutput(input, self.output)
   return self.output
end

-- gx_i = y_i * (g_i - sum_j g_j y_j)
function SoftMax:updateGradInput(input, gradOutput)
   torch._nn.SoftMax_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end

return SoftMax
