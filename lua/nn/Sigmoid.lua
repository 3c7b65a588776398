-- nn.Sigmoid: y = 1 / (1 + exp(-x)); gx = g * (1 - y) * y.
local Sigmoid, _ = torch.class('nn.Sigmoid', 'nn.Module')

function Sigmoid:updateOutput(input)
   torch._nn.Sigmoid_updateOutput(input, self.output)
   return self.output
end

function Sigmoid:updateGradInput(input, gradOutput)
   torch._nn.Sigmoid_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end

return Sigmoid
