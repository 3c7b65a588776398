-- nn.ClassNLLCriterion([weights], [sizeAverage=true], [ignoreIndex=-100]):
-- negative log-likelihood of class targets given log-probabilities.
-- input: nClasses (target a number) or B x nClasses (target a 1-D tensor of
-- 1-based class indices).  loss = -sum_i w[t_i] x[i][t_i], divided by
-- sum_i w[t_i] when sizeAverage; targets equal to ignoreIndex are skipped.
local ClassNLLCriterion, parent = torch.class('nn.ClassNLLCriterion', 'nn.Criterion')

function ClassNLLCriterion:__init(weights, sizeAverage, ignoreIndex)
   parent.__init(self)
   self.sizeAverage = (sizeAverage == nil) and true or sizeAverage
   self.ignoreIndex = ignoreIndex or -100
   if weights then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
   self.output_tensor = torch.zeros(1)
   self.total_weight_tensor = torch.ones(1)
   self.target = torch.zeros(1):long()
end

-- The kernel takes a LongTensor of targets; a number is stored into a
-- 1-element one (reused).
local function setTarget(self, target)
   if type(target) == 'number' then
      self.target = self.target:long()
      self.target:resize(1)
      self.target[1] = target
   elseif torch.isTensor(target) then
      self.target = torch.typename(target) == 'torch.LongTensor' and target or target:long()
   else
      error(string.format('%s: target must be a number or a tensor, got %s',
         torch.type(self), torch.type(target)), 3)
   end
end

function ClassNLLCriterion:updateOutput(input, target)
   setTarget(self, target)
   torch._nn.ClassNLLCriterion_updateOutput(input, self.target, self.output_tensor,
      self.sizeAverage, self.weights, self.total_weight_tensor, self.ignoreIndex)
   self.output = self.output_tensor[1]
   return self.output, self.total_weight_tensor[1]
end

function ClassNLLCriterion:updateGradInput(input, target)
   setTarget(self, target)
   self.gradInput:resizeAs(input):zero()
   torch._nn.ClassNLLCriterion_updateGradInput(input, self.target, self.gradInput,
      self.sizeAverage, self.weights, self.total_weight_tensor, self.ignoreIndex)
   return self.gradInput
end

return ClassNLLCriterion
