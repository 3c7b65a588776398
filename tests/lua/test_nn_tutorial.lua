-- The MNIST tutorial ConvNet against tests/golden/tutorial_convnet.out
-- (real Torch7): after torch.manualSeed(1) the construction must consume
-- exactly Torch7's random draws (next torch.random() = 3096692175), give
-- its initial weights, print byte-exactly, flatten to 310,346 parameters
-- and reproduce the forward/backward values and one SGD step.
local T = require 'testlib'
require 'nn'
require 'optim'
local tests = T.suite()

torch.setdefaulttensortype('torch.DoubleTensor')

local goldenLines = {}
for line in io.lines('tests/golden/tutorial_convnet.out') do goldenLines[#goldenLines + 1] = line end

-- the golden line starting with `prefix`
local function goldenLine(prefix)
   for _, l in ipairs(goldenLines) do
      if l:sub(1, #prefix) == prefix then return l end
   end
   error('no golden line starting with ' .. prefix)
end

local function numbers(s)
   local v = {}
   for tok in s:gmatch('[^%s=:]+') do
      local n = tonumber(tok)
      if n then v[#v + 1] = n end
   end
   return v
end

-- image.gaussian1D(7) as printed by Torch7
local function gaussian1D7()
   local take = false
   for line in io.lines('tests/golden/image_gaussian.out') do
      if take then
         local vals = {}
         for v in line:gmatch('%S+') do vals[#vals + 1] = tonumber(v) end
         return torch.Tensor(vals)
      end
      take = line:find('== image.gaussian1D(7) ', 1, true) == 1
   end
end

local function buildModel()
   torch.manualSeed(1)
   local nstates, filtsize, poolsize = {64, 64, 128}, 5, 2
   local normkernel = gaussian1D7()
   local model = nn.Sequential()
   model:add(nn.SpatialConvolutionMM(1, nstates[1], filtsize, filtsize))
   model:add(nn.Tanh())
   model:add(nn.SpatialLPPooling(nstates[1], 2, poolsize, poolsize, poolsize, poolsize))
   model:add(nn.SpatialSubtractiveNormalization(nstates[1], normkernel))
   model:add(nn.SpatialConvolutionMM(nstates[1], nstates[2], filtsize, filtsize))
   model:add(nn.Tanh())
   model:add(nn.SpatialLPPooling(nstates[2], 2, poolsize, poolsize, poolsize, poolsize))
   model:add(nn.SpatialSubtractiveNormalization(nstates[2], normkernel))
   model:add(nn.Reshape(nstates[2] * filtsize * filtsize))
   model:add(nn.Linear(nstates[2] * filtsize * filtsize, nstates[3]))
   model:add(nn.Tanh())
   model:add(nn.Linear(nstates[3], 10))
   return model
end

local model = buildModel()
local nextDraw = torch.random()

function tests.draws_consumed()
   T.eq(nextDraw, 3096692175)
end

function tests.print_model()
   local want = {}
   for i = 2, 28 do want[#want + 1] = goldenLines[i] end
   T.eq(tostring(model), table.concat(want, '\n'))
end

function tests.initial_parameters()
   local params = model:parameters()
   T.eq(#params, 8)
   for i, p in ipairs(params) do
      local want = numbers(goldenLine(string.format('param %d [', i)):match('sum=.*'))
      T.near(p:sum(), want[1], 1e-13, 'param ' .. i .. ' sum')
      local flat = p:contiguous():view(-1)
      for k = 1, 4 do T.near(flat[k], want[k + 1], 0, 'param ' .. i .. ' value ' .. k) end
   end
   T.eq(model:get(1).weight:dim(), 2, 'SpatialConvolutionMM keeps a 2-D weight')
end

-- forward/backward of the deterministic sample, then one SGD step
local function sample()
   local v = {}
   for i = 1, 1024 do v[i] = math.sin(i * 0.1) end
   return torch.Tensor(v):view(1, 32, 32)
end

function tests.forward_backward_sgd()
   local model2 = buildModel()
   model2:add(nn.LogSoftMax())
   local criterion = nn.ClassNLLCriterion()
   local parameters, gradParameters = model2:getParameters()
   local want = numbers(goldenLine('getParameters:'))
   T.eq(parameters:nElement(), 310346)
   T.eq(gradParameters:nElement(), 310346)
   T.near(parameters:sum(), want[2], 1e-12, 'flat parameter sum')

   local x = sample()
   T.near(x:sum(), numbers(goldenLine('input sum='))[1], 1e-13)
   model2:training()
   gradParameters:zero()
   local out = model2:forward(x)
   local shapes = {}
   for i, m in ipairs(model2.modules) do shapes[i] = table.concat(m.output:size():totable(), 'x') end
   T.eq('output shapes: ' .. table.concat(shapes, ' -> '), goldenLine('output shapes:'))
   local lp = numbers(goldenLine('log-probabilities:'))
   for k = 1, 10 do T.near(out[k], lp[k], 1e-10, 'log-probability ' .. k) end
   local target = 3
   local loss = criterion:forward(out, target)
   T.near(loss, numbers(goldenLine('loss:'))[1], 1e-10, 'loss')
   local dl = criterion:backward(out, target)
   model2:backward(x, dl)
   local gs = numbers(goldenLine('gradParameters sum='))
   T.near(gradParameters:sum(), gs[1], 1e-9, 'gradient sum')
   T.near(gradParameters:norm(), gs[2], 1e-9, 'gradient norm')
   local _, grads = model2:parameters()
   for i, g in ipairs(grads) do
      local w = numbers(goldenLine(string.format('grad %d sum=', i)))
      T.near(g:sum(), w[2], 1e-9, 'grad ' .. i .. ' sum')
      local flat = g:contiguous():view(-1)
      for k = 1, 4 do T.near(flat[k], w[k + 2], 1e-9, 'grad ' .. i .. ' value ' .. k) end
   end
   for _, k in ipairs({4, 8}) do
      local w = numbers(goldenLine(string.format('module %d (', k)))
      local o = model2.modules[k].output
      T.near(o:sum(), w[2], 1e-10, 'module ' .. k .. ' output sum')
      local flat = o:contiguous():view(-1)
      for j = 1, 4 do T.near(flat[j], w[j + 2], 1e-10, 'module ' .. k .. ' output ' .. j) end
   end

   -- one optim.sgd step with the tutorial's config, feval as in 4_train.lua
   local optimState = {learningRate = 1e-3, weightDecay = 0, momentum = 0, learningRateDecay = 1e-7}
   local feval = function(p)
      if p ~= parameters then parameters:copy(p) end
      gradParameters:zero()
      local o = model2:forward(x)
      local fx = criterion:forward(o, target)
      model2:backward(x, criterion:backward(o, target))
      return fx, gradParameters
   end
   local _, fs = optim.sgd(feval, parameters, optimState)
   local f = fs[1]
   T.eq(optimState.evalCounter, 1)
   local s = numbers(goldenLine('sgd step:'))
   T.near(f, s[1], 1e-10, 'f before')
   T.near(parameters:sum(), s[2], 1e-12, 'parameter sum after the step')
   T.near(criterion:forward(model2:forward(x), target), numbers(goldenLine('loss after one step:'))[1],
      1e-9, 'loss after one step')
end

return tests
