-- nn.MultiMarginCriterion([p=1], [weights], [margin=1]): multi-class hinge
-- loss, per sample (1/dim) sum_{i ~= y} max(0, margin - x[y] + x[i])^p
-- (times w[y] with weights), averaged over the batch when sizeAverage.
local MultiMarginCriterion, parent = torch.class('nn.MultiMarginCriterion', 'nn.Criterion')

function MultiMarginCriterion:__init(p, weights, margin)
   assert(p == nil or p == 1 or p == 2, 'only p=1 and p=2 supported')
   self.p = p or 1
   self.margin = margin or 1.0
   parent.__init(self)
   self.sizeAverage = true
   if weights then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
end

-- targets as a LongTensor (a number goes into a reused 1-element one)
local function targetTensor(self, target)
   if not torch.isTensor(target) then
      self.target_tensor = self.target_tensor or torch.LongTensor(1)
      self.target_tensor[1] = target
      return self.target_tensor
   end
   return torch.typename(target) == 'torch.LongTensor' and target or target:long()
end

function MultiMarginCriterion:updateOutput(input, target)
   target = targetTensor(self, target)
   self.output_tensor = self.output_tensor or input.new(1)
   torch._nn.MultiMarginCriterion_updateOutput(input, target, self.output_tensor,
      self.sizeAverage, self.p, self.weights, self.margin)
   self.output = self.output_tensor[1]
   return self.output
end

function MultiMarginCriterion:updateGradInput(input, target)
   target = targetTensor(self, target)
   torch._nn.MultiMarginCriterion_updateGradInput(input, target, self.gradInput,
      self.sizeAverage, self.p, self.weights, self.margin)
   return self.gradInput
end

return MultiMarginCriterion
