-- nn.SpatialAveragePooling(kW, kH, [dW=1], [dH=1], [padW=0], [padH=0]):
-- mean over each window (note the default stride 1).  Flags: ceil_mode
-- (:ceil()/:floor()), count_include_pad (:setCountIncludePad() /
-- :setCountExcludePad(): whether padding counts in the divisor), and the
-- legacy `divide` (false: plain window sums).
local SpatialAveragePooling, parent = torch.class('nn.SpatialAveragePooling', 'nn.Module')

function SpatialAveragePooling:__init(kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   local checkInt = nn.utils.checkInt
   self.kW = checkInt(kW, 'nn.SpatialAveragePooling: kW', 2)
   self.kH = checkInt(kH, 'nn.SpatialAveragePooling: kH', 2)
   self.dW = checkInt(dW or 1, 'nn.SpatialAveragePooling: dW', 2)
   self.dH = checkInt(dH or 1, 'nn.SpatialAveragePooling: dH', 2)
   self.padW = checkInt(padW or 0, 'nn.SpatialAveragePooling: padW', 2)
   self.padH = checkInt(padH or 0, 'nn.SpatialAveragePooling: padH', 2)
   self.ceil_mode = false
   self.count_include_pad = true
   self.divide = true
end

function SpatialAveragePooling:ceil()
   self.ceil_mode = true
   return self
end

function SpatialAveragePooling:floor()
   self.ceil_mode = false
   return self
end

function SpatialAveragePooling:setCountIncludePad()
   self.count_include_pad = true
   return self
end

function SpatialAveragePooling:setCountExcludePad()
   self.count_include_pad = false
   return self
end

function SpatialAveragePooling:updateOutput(input)
   torch._nn.SpatialAveragePooling_updateOutput(input, self.output,
      self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, self.ceil_mode, self.count_include_pad)
   if not self.divide then
      self.output:mul(self.kW * self.kH)
   end
   return self.output
end

function SpatialAveragePooling:updateGradInput(input, gradOutput)
   if self.gradInput then
      torch._nn.SpatialAveragePooling_updateGradInput(input, gradOutput, self.gradInput,
         self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, self.ceil_mode, self.count_include_pad)
      if not self.divide then
         self.gradInput:mul(self.kW * self.kH)
      end
      return self.gradInput
   end
end

-- the stride is always shown: nn.SpatialAveragePooling(2x2, 1,1)
function SpatialAveragePooling:__tostring__()
   local s = string.format('%s(%dx%d, %d,%d', torch.type(self), self.kW, self.kH, self.dW, self.dH)
   if (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0) then
      s = s .. string.format(', %d,%d', self.padW, self.padH)
   end
   return s .. ')'
end

return SpatialAveragePooling
