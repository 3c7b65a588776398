-- nn.SpatialMaxPooling(kW, kH, [dW=kW], [dH=kH], [padW=0], [padH=0]): max
-- over each window (padding never wins; the first maximum in row-major
-- window order does).  self.indices keeps the winners (1-based r*W + c + 1)
-- for the backward pass.  :ceil()/:floor() pick the output-size rounding.
local SpatialMaxPooling, parent = torch.class('nn.SpatialMaxPooling', 'nn.Module')

function SpatialMaxPooling:__init(kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   local checkInt = nn.utils.checkInt
   self.kW = checkInt(kW, 'nn.SpatialMaxPooling: kW', 2)
   self.kH = checkInt(kH, 'nn.SpatialMaxPooling: kH', 2)
   self.dW = checkInt(dW or kW, 'nn.SpatialMaxPooling: dW', 2)
   self.dH = checkInt(dH or kH, 'nn.SpatialMaxPooling: dH', 2)
   self.padW = checkInt(padW or 0, 'nn.SpatialMaxPooling: padW', 2)
   self.padH = checkInt(padH or 0, 'nn.SpatialMaxPooling: padH', 2)
   self.ceil_mode = false
   self.indices = torch.LongTensor()
end

function SpatialMaxPooling:ceil()
   self.ceil_mode = true
   return self
end

function SpatialMaxPooling:floor()
   self.ceil_mode = false
   return self
end

function SpatialMaxPooling:updateOutput(input)
   -- type() converts every tensor field; the indices must stay Long
   self.indices = self.indices and self.indices:long() or torch.LongTensor()
   local dims = input:dim()
   if dims >= 2 then
      self.iheight = input:size(dims - 1)
      self.iwidth = input:size(dims)
   end
   torch._nn.SpatialMaxPooling_updateOutput(input, self.output, self.indices,
      self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, self.ceil_mode)
   return self.output
end

function SpatialMaxPooling:updateGradInput(input, gradOutput)
   torch._nn.SpatialMaxPooling_updateGradInput(input, gradOutput, self.gradInput, self.indices,
      self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, self.ceil_mode)
   return self.gradInput
end

function SpatialMaxPooling:__tostring__()
   local s = string.format('%s(%dx%d, %d,%d', torch.type(self), self.kW, self.kH, self.dW, self.dH)
   if (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0) then
      s = s .. string.format(', %d,%d', self.padW, self.padH)
   end
   return s .. ')'
end

function SpatialMaxPooling:clearState()
   if self.indices then
      self.indices:set()
   end
   return parent.clearState(self)
end

return SpatialMaxPooling
