-- nn.Tanh: y = tanh(x); gx = g * (1 - y^2).
local Tanh, parent = torch.class('nn.Tanh', 'nn.Module')

-- libm's tanh through the math library: bit-identical to Torch7 (glibc)
function Tanh:updateOutput(input)
   self.output:resizeAs(input):tanh(input)
   return self.output
end

function Tanh:updateGradInput(input, gradOutput)
   torch._nn.Tanh_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end

return Tanh
