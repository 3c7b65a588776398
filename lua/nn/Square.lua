-- nn.Square: y = x^2; gx = 2 x g.
local Square, _ = torch.class('nn.Square', 'nn.Module')

function Square:updateOutput(input)
   torch._nn.Square_updateOutput(input, self.output)
   return self.output
end

function Square:updateGradInput(input, gradOutput)
   torch._nn.Square_updateGradInput(input, gradOutput, self.gradInput)
   return self.gradInput
end

return Square
