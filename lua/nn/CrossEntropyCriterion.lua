-- nn.CrossEntropyCriterion([weights], [sizeAverage]): LogSoftMax followed
-- by ClassNLLCriterion, on the squeezed input (and target); gradInput has
-- the input's original shape.
local CrossEntropyCriterion, Criterion = torch.class('nn.CrossEntropyCriterion', 'nn.Criterion')

function CrossEntropyCriterion:__init(weights, sizeAverage)
   Criterion.__init(self)
   self.lsm = nn.LogSoftMax()
   self.nll = nn.ClassNLLCriterion(weights, sizeAverage)
   self.sizeAverage = self.nll.sizeAverage
   self.oldSizeAverage = self.sizeAverage
end

-- sizeAverage is a plain field; hand changes on to the inner criterion
local function syncSizeAverage(self)
   if self.sizeAverage ~= self.oldSizeAverage then
      self.nll.sizeAverage = self.sizeAverage
      self.oldSizeAverage = self.sizeAverage
   end
end

local function squeezeTarget(target)
   return type(target) == 'number' and target or target:squeeze()
end

function CrossEntropyCriterion:updateOutput(input, target)
   input = input:squeeze()
   target = squeezeTarget(target)
   syncSizeAverage(self)
   self.lsm:updateOutput(input)
   self.nll:updateOutput(self.lsm.output, target)
   self.output = self.nll.output
   return self.output
end

function CrossEntropyCriterion:updateGradInput(input, target)
   local size = input:size()
   input = input:squeeze()
   target = squeezeTarget(target)
   syncSizeAverage(self)
   self.nll:updateGradInput(self.lsm.output, target)
   self.lsm:updateGradInput(input, self.nll.gradInput)
   self.gradInput:view(self.lsm.gradInput, size)
   return self.gradInput
end

return CrossEntropyCriterion
