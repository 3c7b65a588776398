-- nn.LogSoftMax: y = x - (max + log sum exp(x - max)) over the feature dim
-- (same dim rule as nn.SoftMax).
local LogSoftMax, _ = torch.class('nn.LogSoftMax', 'nn.Module')

function LogSoftMax:updateOutput(input)
   torch._nn.LogSoftMax_updateOutput(input, self.output)
   return self.output
end

-- gx = g - exp(y) * sum(g)
function LogSoftMax:updateGradInput(input, gradOutput)
   torch._nn.LogSoftMax_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end

return LogSoftMax
