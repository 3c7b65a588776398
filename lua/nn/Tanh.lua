-- nn.Tanh: y = tanh(x); gx = g * (1 - y^2).
local Tanh, parent = torch.class('nn.Tanh', 'nn.Module')

-- Torch7's values: libm's tanhf (Float) / tanh (Double), bit for bit, from a
-- vectorised kernel (src/nn_act.c) that replays glibc's algorithm
function Tanh:updateOutput(input)
   torch._nn.Tanh_updateOutput(input, self.output)
   return self.output
end

function Tanh:updateGradInput(input, gradOutput)
   torch._nn.Tanh_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end

return Tanh
