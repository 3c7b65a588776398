-- nn.Sigmoid: y = 1 / (1 + exp(-x)); gx = g * (1 - y) * y.
local Sigmoid, parent = torch.class('nn.Sigmoid', 'nn.Module')

function Sigmoid:updateOutput(input)
   self.output:resizeAs(input):sigmoid(input)
   return self.output
end

-- ((1 - y) * g) * y: the same two roundings as THNN's (g * (1 - y)) * y
function Sigmoid:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(self.output):copy(self.output)
   self.gradInput:mul(-1):add(1):cmul(gradOutput):cmul(self.output)
   return self.gradInput
end

return Sigmoid
