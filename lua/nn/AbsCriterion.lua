-- nn.AbsCriterion([sizeAverage=true]): loss = sum |x - t| [/ nElement];
-- gx = sign(x - t) [/ nElement].
local AbsCriterion, parent = torch.class('nn.AbsCriterion', 'nn.Criterion')

function AbsCriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
end

local function check(input, target)
   if input:nElement() ~= target:nElement() then
      error(string.format('nn.AbsCriterion: input and target size mismatch (%s vs %s)',
         nn.utils.sizeString(input), nn.utils.sizeString(target)), 3)
   end
end

function AbsCriterion:updateOutput(input, target)
   check(input, target)
   self.buffer = self.buffer or input.new()
   self.buffer:resizeAs(input):copy(input):add(-1, target):abs()
   local output = self.buffer:sum()
   if self.sizeAverage then
      output = output / input:nElement()
   end
   self.output = output
   return self.output
end

function AbsCriterion:updateGradInput(input, target)
   check(input, target)
   self.gradInput:resizeAs(input):copy(input):add(-1, target):sign()
   if self.sizeAverage then
      self.gradInput:div(input:nElement())
   end
   return self.gradInput
end

return AbsCriterion
