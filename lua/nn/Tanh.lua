-- nn.Tanh: y = tanh(x); gx = g * (1 - y^2).
local Tanh, parent = torch.class('nn.Tanh', 'nn.Module')

function Tanh:updateOutput(input)
   self.output:resizeAs(input):tanh(input)
   return self.output
end

-- computed as (1 - y*y) * g, bit-identical to THNN's g * (1 - y*y)
function Tanh:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(self.output):cmul(self.output, self.output)
   self.gradInput:mul(-1):add(1):cmul(gradOutput)
   return self.gradInput
end

return Tanh
