-- A trained model saved with torch.save and loaded back (both formats)
-- carries on training exactly as the original: same outputs, and after
-- more SGD steps on the same data, bit-identical parameters.  A model
-- written by real Torch7 loads and trains.
local T = require 'testlib'
require 'nn'
require 'optim'
local tests = T.suite()

torch.setdefaulttensortype('torch.DoubleTensor')

-- a small ConvNet of the tutorial's kind (LP pooling, subtractive norm.)
local function smallNet()
   local m = nn.Sequential()
   m:add(nn.SpatialConvolutionMM(1, 4, 3, 3))
   m:add(nn.Tanh())
   m:add(nn.SpatialLPPooling(4, 2, 2, 2, 2, 2))
   m:add(nn.SpatialSubtractiveNormalization(4, torch.Tensor{0.25, 0.5, 0.25}))
   m:add(nn.Reshape(4 * 3 * 3))
   m:add(nn.Linear(36, 3))
   m:add(nn.LogSoftMax())
   return m
end

local function sgdSteps(model, data, targets, state, n)
   local params, grads = model:getParameters()
   local criterion = nn.ClassNLLCriterion()
   local losses = {}
   for s = 1, n do
      local i = (s - 1) % data:size(1) + 1
      optim.sgd(function()
         grads:zero()
         local out = model:forward(data[i])
         local f = criterion:forward(out, targets[i])
         model:backward(data[i], criterion:backward(out, targets[i]))
         losses[#losses + 1] = f
         return f, grads
      end, params, state)
   end
   return params, losses
end

function tests.loaded_model_trains_on_identically()
   torch.manualSeed(3)
   local data = torch.rand(5, 1, 8, 8)
   local targets = torch.LongTensor{1, 2, 3, 1, 2}
   for _, mode in ipairs({'binary', 'ascii'}) do
      local model = smallNet()
      local state = {learningRate = 0.1, momentum = 0.5}
      sgdSteps(model, data, targets, state, 4)
      local file = os.tmpname()
      torch.save(file, {model = model, state = state}, mode)
      local loaded = torch.load(file, mode)
      os.remove(file)
      T.eq(torch.typename(loaded.model), 'nn.Sequential')
      T.eq(torch.typename(loaded.model:get(4)), 'nn.SpatialSubtractiveNormalization')
      T.tensor_near(loaded.model:forward(data[2]), model:forward(data[2]), 0, mode .. ' output')
      local p1, l1 = sgdSteps(model, data, targets, state, 6)
      local p2, l2 = sgdSteps(loaded.model, data, targets, loaded.state, 6)
      T.tensor_near(p2, p1, 0, mode .. ' parameters after more steps')
      for k = 1, 6 do T.eq(l2[k], l1[k], mode .. ' loss ' .. k) end
      T.ok(l1[6] < l1[1] or l1[5] < l1[2], 'training lowers the loss')
   end
end

function tests.clone_is_deep_and_trains_independently()
   torch.manualSeed(4)
   local model = smallNet()
   local copy = model:clone()
   local x = torch.rand(1, 8, 8)
   T.tensor_near(copy:forward(x), model:forward(x), 0)
   local pc = copy:getParameters()
   pc:add(1)
   T.ok((copy:forward(x) - model:forward(x)):abs():max() > 0, 'the clone shares nothing')
end

function tests.torch7_written_model_trains()
   -- nn.Sequential{Linear(3,2), Tanh} saved by real Torch7
   for _, f in ipairs({'nn_sequential.bin.t7', 'nn_sequential.ascii.t7'}) do
      local mode = f:find('ascii') and 'ascii' or 'binary'
      local model = torch.load('tests/golden/t7/' .. f, mode)
      local params, grads = model:getParameters()
      local x, target = torch.Tensor{0.5, -1, 2}, torch.Tensor{0.3, -0.2}
      local criterion = nn.MSECriterion()
      local before = criterion:forward(model:forward(x), target)
      for _ = 1, 20 do
         grads:zero()
         local out = model:forward(x)
         criterion:forward(out, target)
         model:backward(x, criterion:backward(out, target))
         params:add(-0.1, grads)
      end
      local after = criterion:forward(model:forward(x), target)
      T.ok(after < before * 0.5, f .. ': loss ' .. before .. ' -> ' .. after)
   end
end

return tests
