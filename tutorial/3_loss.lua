----------------------------------------------------------------------
-- The loss: negative log-likelihood on log-probabilities (nll), the
-- squared error to +-1 targets (mse), or the multi-class margin (margin).
----------------------------------------------------------------------
require 'torch'
require 'nn'

noutputs = 10

print '==> define loss'

if opt.loss == 'margin' then
   criterion = nn.MultiMarginCriterion()
elseif opt.loss == 'nll' then
   model:add(nn.LogSoftMax())
   criterion = nn.ClassNLLCriterion()
elseif opt.loss == 'mse' then
   model:add(nn.Tanh())
   criterion = nn.MSECriterion()
   criterion.sizeAverage = false
   -- regression targets: -1 everywhere, +1 at the class
   for _, set in ipairs({trainData, validData, testData}) do
      local n = set.labels:size(1)
      local t = torch.Tensor(n, noutputs):fill(-1)
      for i = 1, n do t[{ i, set.labels[i] }] = 1 end
      set.classes = set.labels
      set.labels = t
   end
else
   error('unknown -loss ' .. opt.loss .. ' (expected nll, mse or margin)', 0)
end

print '==> here is the loss function:'
print(criterion)
