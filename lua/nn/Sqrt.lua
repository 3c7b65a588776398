-- nn.Sqrt([eps]): y = sqrt(x); gx = 0.5 g / y, and 0 where y == 0 (eps is
-- stored for compatibility and unused, as in Torch7).
local Sqrt, parent = torch.class('nn.Sqrt', 'nn.Module')

function Sqrt:__init(b)
   parent.__init(self)
   self.eps = b or 0
end

function Sqrt:updateOutput(input)
   self.eps = self.eps or 0
   torch._nn.Sqrt_updateOutput(input, self.output, self.eps)
   return self.output
end

function Sqrt:updateGradInput(input, gradOutput)
   torch._nn.Sqrt_updateGradInput(input, gradOutput, self.gradInput, self.output)
   return self.gradInput
end

return Sqrt
