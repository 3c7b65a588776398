-- nn.BCECriterion([weights], [sizeAverage=true]): binary cross-entropy
-- loss = -sum w (t log(x + eps) + (1 - t) log(1 - x + eps)) [/ nElement],
-- eps = 1e-12; input holds probabilities, target 0/1 values.  With a batch
-- (2-D target), the weight vector applies to every row.
local BCECriterion, parent = torch.class('nn.BCECriterion', 'nn.Criterion')

function BCECriterion:__init(weights, sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
   if weights ~= nil then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
end

local function check(input, target)
   if input:nElement() ~= target:nElement() then
      error(string.format('nn.BCECriterion: input and target size mismatch (%s vs %s)',
         nn.utils.sizeString(input), nn.utils.sizeString(target)), 3)
   end
end

-- the weights as the kernel wants them: one per element
local function elementWeights(self, target)
   local weights = self.weights
   if weights ~= nil and target:dim() ~= 1 then
      weights = weights:view(1, target:size(2)):expandAs(target)
   end
   return weights
end

function BCECriterion:updateOutput(input, target)
   check(input, target)
   self.output_tensor = self.output_tensor or input.new(1)
   torch._nn.BCECriterion_updateOutput(input, target, self.output_tensor, self.sizeAverage,
      elementWeights(self, target))
   self.output = self.output_tensor[1]
   return self.output
end

-- gx = -w (t - x) / ((1 - x + eps)(x + eps)) [/ nElement]
function BCECriterion:updateGradInput(input, target)
   check(input, target)
   torch._nn.BCECriterion_updateGradInput(input, target, self.gradInput, self.sizeAverage,
      elementWeights(self, target))
   return self.gradInput
end

return BCECriterion
