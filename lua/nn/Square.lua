-- nn.Square: y = x^2; gx = 2 x g.
local Square, _ = torch.class('nn.Square', 'nn.Module')

function Square:updateOutput(input)
   self.output:resizeAs(input):cmul(input, input)
   return self.output
end

-- (2x) g: scaling by 2 is exact, so this equals THNN's (2 g) x bit for bit
function Square:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):copy(input):mul(2):cmul(gradOutput)
   return self.gradInput
end

return Square
