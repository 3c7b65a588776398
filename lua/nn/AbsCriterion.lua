-- nn.AbsCriterion([sizeAverage=true]): loss = sum |x - t| [/ nElement];
-- gx = +-1 [/ nElement].
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
   self.output_tensor = self.output_tensor or input.new(1)
   torch._nn.AbsCriterion_updateOutput(input, target, self.output_tensor, self.sizeAverage)
   self.output = self.output_tensor[1]
   return self.output
end

-- +1 where x >= t (a tie counts as positive, as in THNN), else -1
function AbsCriterion:updateGradInput(input, target)
   check(input, target)
   torch._nn.AbsCriterion_updateGradInput(input, target, self.gradInput, self.sizeAverage)
   return self.gradInput
end

return AbsCriterion
