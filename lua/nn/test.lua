-- nn.test([names], [seed]): nn's own test suite on torch.Tester.  Names are
-- Lua patterns (nn.test{'Linear'}); sizes are drawn with math.random, so a
-- run is reproducible from its printed seed.  Gradient checks need the
-- default tensor type to be Double (perturbations of 1e-6).
local mytester
local jac = nn.Jacobian
-- test functions by name; copied into a torch.TestSuite when nn.test runs
local nntest = {}

local precision = 1e-5
local expprecision = 1.1e-4

-- ---------------------------------------------------------------------------
-- helpers

-- Jacobians of a module with weight/bias: input, each parameter, the direct
-- update form, the update/shared-update consistency, and serialization.
local function checkParametrised(module, input, label)
   label = label or ''
   local err = jac.testJacobian(module, input)
   mytester:assertlt(err, precision, 'error on state ' .. label)
   if module.weight then
      err = jac.testJacobianParameters(module, input, module.weight, module.gradWeight)
      mytester:assertlt(err, precision, 'error on weight ' .. label)
      err = jac.testJacobianUpdateParameters(module, input, module.weight)
      mytester:assertlt(err, precision, 'error on weight [direct update] ' .. label)
   end
   if module.bias then
      err = jac.testJacobianParameters(module, input, module.bias, module.gradBias)
      mytester:assertlt(err, precision, 'error on bias ' .. label)
      err = jac.testJacobianUpdateParameters(module, input, module.bias)
      mytester:assertlt(err, precision, 'error on bias [direct update] ' .. label)
   end
   for _, pair in ipairs({{'weight', 'gradWeight'}, {'bias', 'gradBias'}}) do
      if module[pair[1]] then
         for t, e in pairs(jac.testAllUpdate(module, input, pair[1], pair[2])) do
            mytester:assertlt(e, precision, string.format('error on %s [%s] %s', pair[1], t, label))
         end
      end
   end
   local ferr, berr = jac.testIO(module, input)
   mytester:asserteq(ferr, 0, torch.typename(module) .. ' - i/o forward err ' .. label)
   mytester:asserteq(berr, 0, torch.typename(module) .. ' - i/o backward err ' .. label)
end

-- A module without parameters: input Jacobian and serialization.
local function checkPlain(module, input, prec, label, minval, maxval)
   label = label or ''
   local err = jac.testJacobian(module, input, minval, maxval)
   mytester:assertlt(err, prec or precision, 'error on state ' .. label)
   local ferr, berr = jac.testIO(module, input, minval, maxval)
   mytester:asserteq(ferr, 0, torch.typename(module) .. ' - i/o forward err ' .. label)
   mytester:asserteq(berr, 0, torch.typename(module) .. ' - i/o backward err ' .. label)
end

-- Central differences of a criterion's loss against its backward.
local function criterionJacobianTest(cri, input, target)
   local eps = 1e-6
   cri:forward(input, target)
   local dfdx = cri:backward(input, target):clone()
   local centraldiff = input.new():resizeAs(input)
   local flat = input.new(input):resize(input:nElement())
   local cflat = centraldiff:view(centraldiff:nElement())
   for i = 1, flat:nElement() do
      local orig = flat[i]
      flat[i] = orig - eps
      local fx1 = cri:forward(input, target)
      flat[i] = orig + eps
      local fx2 = cri:forward(input, target)
      flat[i] = orig
      cflat[i] = (fx2 - fx1) / (2 * eps)
   end
   local err = (centraldiff - dfdx):abs():max()
   mytester:assertlt(err, precision, 'error in difference between central difference and :backward')
end

-- ---------------------------------------------------------------------------
-- Module API

function nntest.Module_getParameters_1()
   local n = nn.Sequential()
   n:add(nn.Linear(10, 10))
   local p = n:getParameters()
   mytester:asserteq((p[{{1, 100}}] - n.modules[1].weight):norm(), 0, 'getParameters(): weights wrong')
   mytester:asserteq((p[{{101, 110}}] - n.modules[1].bias):norm(), 0, 'getParameters(): bias wrong')
end

function nntest.Module_getParameters_2()
   local n = nn.Sequential()
   n:add(nn.Linear(10, 10))
   n:getParameters()
   n:add(nn.Linear(10, 10))
   local p = n:getParameters()
   mytester:asserteq((p[{{111, 210}}] - n.modules[2].weight):norm(), 0, 'error when appending new module')
   mytester:asserteq((p[{{211, 220}}] - n.modules[2].bias):norm(), 0, 'error when appending new module')
end

function nntest.Module_getParameters_3()
   local n = nn.Sequential()
   n:add(nn.Linear(10, 10))
   n:add(n.modules[1]:clone())
   local p = n:getParameters()
   mytester:asserteq((p[{{1, 100}}] - n.modules[1].weight):norm(), 0, 'error when using cloning')
   mytester:asserteq((p[{{101, 110}}] - n.modules[1].bias):norm(), 0, 'error when using cloning')
   mytester:asserteq((p[{{111, 210}}] - n.modules[2].weight):norm(), 0, 'error when using cloning')
   mytester:asserteq((p[{{211, 220}}] - n.modules[2].bias):norm(), 0, 'error when using cloning')
   mytester:asserteq((p[{{111, 210}}] - n.modules[1].weight):norm(), 0, 'error when using cloning')
   mytester:asserteq((p[{{211, 220}}] - n.modules[1].bias):norm(), 0, 'error when using cloning')
   n:reset()
   mytester:assertgt((p[{{111, 210}}] - n.modules[1].weight):norm(), 0, 'error when using cloning')
   mytester:assertgt((p[{{211, 220}}] - n.modules[1].bias):norm(), 0, 'error when using cloning')
end

function nntest.Module_getParameters_4()
   local n = nn.Sequential()
   n:add(nn.Linear(10, 10))
   n:add(n.modules[1]:clone())
   n:getParameters()
   n:add(nn.Linear(10, 10))
   local p = n:getParameters()
   mytester:asserteq((p[{{1, 100}}] - n.modules[1].weight):norm(), 0, 'error when using cloning')
   mytester:asserteq((p[{{101, 110}}] - n.modules[1].bias):norm(), 0, 'error when using cloning')
   mytester:asserteq((p[{{111, 210}}] - n.modules[2].weight):norm(), 0, 'error when using cloning')
   mytester:asserteq((p[{{211, 220}}] - n.modules[2].bias):norm(), 0, 'error when using cloning')
   mytester:asserteq((p[{{221, 320}}] - n.modules[3].weight):norm(), 0, 'error when using cloning')
   mytester:asserteq((p[{{321, 330}}] - n.modules[3].bias):norm(), 0, 'error when using cloning')
   mytester:asserteq(p:nElement(), 3 * (10 * 10 + 10), 'error: incorrect number of elements in flat vector')
end

function nntest.Module_getParameters_5()
   local n = nn.Sequential()
   n:add(nn.Linear(10, 10))
   n:add(n.modules[1]:clone('weight', 'bias', 'gradWeight', 'gradBias'))
   local p = n:getParameters()
   mytester:asserteq((p[{{1, 100}}] - n.modules[1].weight):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{101, 110}}] - n.modules[1].bias):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{1, 100}}] - n.modules[2].weight):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{101, 110}}] - n.modules[2].bias):norm(), 0, 'error when using cloning+sharing')
   n:reset()
   mytester:asserteq((p[{{1, 100}}] - n.modules[2].weight):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{101, 110}}] - n.modules[2].bias):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq(p:nElement(), 110, 'error: incorrect number of elements in flat vector')
end

function nntest.Module_getParameters_6()
   local n = nn.Sequential()
   n:add(nn.Linear(10, 10))
   n:add(n.modules[1]:clone('weight', 'bias', 'gradWeight', 'gradBias'))
   n:getParameters()
   n:add(nn.Linear(10, 10))
   local p = n:getParameters()
   mytester:asserteq((p[{{1, 100}}] - n.modules[1].weight):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{101, 110}}] - n.modules[1].bias):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{1, 100}}] - n.modules[2].weight):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{101, 110}}] - n.modules[2].bias):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{111, 210}}] - n.modules[3].weight):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{211, 220}}] - n.modules[3].bias):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq(p:nElement(), 220, 'error: incorrect number of elements in flat vector')
end

function nntest.Module_getParameters_7()
   local n = nn.Sequential()
   n:add(nn.Linear(10, 10))
   n:add(n.modules[1]:clone('weight', 'bias', 'gradWeight', 'gradBias'))
   n:getParameters()
   n:add(nn.Linear(10, 10))
   n:getParameters()
   local n1 = nn.Sequential()
   n1:add(n)
   n1:add(n:clone('weight', 'bias', 'gradWeight', 'gradBias'))
   local p = n1:getParameters()
   mytester:asserteq((p[{{1, 100}}] - n1.modules[1].modules[1].weight):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{101, 110}}] - n1.modules[1].modules[1].bias):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{1, 100}}] - n1.modules[2].modules[1].weight):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq((p[{{111, 210}}] - n1.modules[2].modules[3].weight):norm(), 0, 'error when using cloning+sharing')
   mytester:asserteq(p:nElement(), 220, 'error: incorrect number of elements in flat vector')
end

-- parameters that are narrows of bigger tensors: the unused parts are holes
function nntest.Module_getParameters_8()
   local function makeMLP(nin, ns)
      local net = nn.Sequential()
      for k, v in ipairs(ns) do
         net:add(nn.Linear(nin, v))
         nin = v
      end
      local _, _ = net:getParameters()
      return net
   end
   local mlp1 = makeMLP(10, {10, 10})
   local mlp2 = makeMLP(10, {10, 10})
   local net = nn.Sequential():add(mlp1:get(1)):add(mlp2:get(1))
   -- each module's weight/bias are views into its MLP's own flat storage,
   -- which also holds the other layer's parameters: holes
   local p = net:getParameters()
   mytester:asserteq(p:nElement(), 220, 'error: incorrect number of elements in flat vector')
   mytester:asserteq((p[{{1, 100}}] - net.modules[1].weight):norm(), 0, 'error when compacting')
   mytester:asserteq((p[{{101, 110}}] - net.modules[1].bias):norm(), 0, 'error when compacting')
   mytester:asserteq((p[{{111, 210}}] - net.modules[2].weight):norm(), 0, 'error when compacting')
   mytester:asserteq((p[{{211, 220}}] - net.modules[2].bias):norm(), 0, 'error when compacting')
end

function nntest.Module_getParameters_10()
   -- a module with no parameters gives empty flat tensors
   local n = nn.Sequential():add(nn.Tanh())
   local p, g = n:getParameters()
   mytester:asserteq(p:nElement(), 0, 'no parameters expected')
   mytester:asserteq(g:nElement(), 0, 'no gradients expected')
end

function nntest.Module_getParameters_11()
   -- gradients land in the flat gradient vector
   local n = nn.Sequential():add(nn.Linear(4, 3)):add(nn.Tanh()):add(nn.Linear(3, 2))
   local p, g = n:getParameters()
   g:zero()
   local x = torch.rand(4)
   n:forward(x)
   n:backward(x, torch.rand(2))
   mytester:asserteq(g:nElement(), p:nElement(), 'sizes')
   mytester:asserteq((g[{{1, 12}}] - n.modules[1].gradWeight):norm(), 0, 'gradWeight is a view of g')
   mytester:assertgt(g:norm(), 0, 'gradients were accumulated')
end

function nntest.Module_getParameters_12()
   -- calling it twice keeps one storage and the values
   local n = nn.Sequential():add(nn.Linear(3, 3)):add(nn.Linear(3, 2))
   local p1 = n:getParameters():clone()
   local p2 = n:getParameters()
   mytester:asserteq((p1 - p2):norm(), 0, 'values kept')
   mytester:assert(torch.pointer(n.modules[2].weight:storage()) == torch.pointer(p2:storage()), 'one storage')
end

function nntest.Module_listModules()
   local batchSize = 4
   local inputSize, outputSize = 7, 6
   local linear = nn.Linear(inputSize, outputSize)
   local tanh = nn.Tanh()
   local reshape = nn.Reshape(outputSize / 2, 2)
   local mlp3 = nn.Sequential()
   mlp3:add(linear)
   mlp3:add(tanh)
   mlp3:add(reshape)
   local mlp2 = nn.Sequential()
   local view = nn.View(outputSize)
   local linear2 = nn.Linear(outputSize, inputSize)
   local tanh2 = nn.Tanh()
   mlp2:add(mlp3)
   mlp2:add(view)
   mlp2:add(linear2)
   mlp2:add(tanh2)
   local concat = nn.ConcatTable()
   local id = nn.Identity()
   concat:add(mlp2)
   concat:add(id)
   local mlp = nn.Sequential()
   local add = nn.CAddTable()
   mlp:add(concat)
   mlp:add(add)
   local modules2 = {mlp, concat, mlp2, mlp3, linear, tanh, reshape, view, linear2, tanh2, id, add}
   local modules = mlp:listModules()
   mytester:assert(#modules2 == #modules, 'missing modules error')
   for i, module in ipairs(modules) do
      mytester:assert(torch.type(module) == torch.type(modules2[i]), 'module error')
   end
   local x = torch.rand(batchSize, inputSize)
   mytester:asserteq(mlp:forward(x):size(2), inputSize, 'the network runs')
end

function nntest.Module_apply()
   local s = nn.Sequential()
   s:add(nn.Linear(10, 10))
   local s2 = nn.Sequential()
   s2:add(nn.Linear(10, 5))
   s:add(s2)
   s:add(nn.Tanh())
   local seen = 0
   s:apply(function(module)
      if torch.type(module) == 'nn.Linear' then
         module.weight:fill(1)
      end
      seen = seen + 1
   end)
   mytester:asserteq(seen, 5, 'every module visited')
   mytester:asserteq(s:get(1).weight:sum(), 100, 'apply updated a nested linear')
   mytester:asserteq(s:get(2):get(1).weight:sum(), 50, 'apply updated a nested linear')
   s:training()
   mytester:assert(s:get(2):get(1).train == true, 'training() recursed')
   s:evaluate()
   mytester:assert(s:get(2):get(1).train == false, 'evaluate() recursed')
end

function nntest.Module_replace()
   local s = nn.Sequential():add(nn.Linear(3, 3)):add(nn.Tanh()):add(nn.Sequential():add(nn.Tanh()))
   s = s:replace(function(m)
      if torch.type(m) == 'nn.Tanh' then return nn.Sigmoid() end
      return m
   end)
   mytester:asserteq(torch.type(s:get(2)), 'nn.Sigmoid', 'replaced')
   mytester:asserteq(torch.type(s:get(3):get(1)), 'nn.Sigmoid', 'replaced recursively')
   local found = s:findModules('nn.Sigmoid')
   mytester:asserteq(#found, 2, 'findModules')
end

function nntest.Typecast()
   local net = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Tanh()):add(nn.Linear(4, 2))
   mytester:asserteq(net:type(), 'torch.DoubleTensor', 'default type')
   local x = torch.rand(3)
   local yd = net:forward(x):clone()
   net:float()
   mytester:asserteq(net:type(), 'torch.FloatTensor', 'converted type')
   mytester:asserteq(torch.typename(net:get(1).weight), 'torch.FloatTensor', 'weights converted')
   mytester:asserteq(torch.typename(net.output), 'torch.FloatTensor', 'buffers converted')
   local yf = net:forward(x:float())
   mytester:assertlt((yf:double() - yd):abs():max(), 1e-6, 'float forward agrees')
   -- views sharing a storage still share one after conversion
   local a = nn.Linear(3, 3)
   local b = nn.Linear(3, 3)
   b:share(a, 'weight')
   local both = nn.Sequential():add(a):add(b):float()
   both:get(1).weight:fill(2)
   mytester:asserteq(both:get(2).weight:sum(), 18, 'sharing kept by type()')
   net:double()
   mytester:asserteq(torch.typename(net:get(3).bias), 'torch.DoubleTensor', 'back to double')
end

function nntest.ErrorHandling()
   local l = nn.Linear(3, 3)
   local s = nn.Sequential():add(nn.Linear(2, 3)):add(nn.Linear(2, 3))
   local ok, err = pcall(function() return s:forward(torch.rand(2)) end)
   mytester:assert(not ok, 'an error is expected')
   mytester:assert(tostring(err):find('In 2 module of nn.Sequential:', 1, true) ~= nil,
      'error names the failing module: ' .. tostring(err))
   ok, err = pcall(function() return l:forward(torch.rand(2, 2, 3)) end)
   mytester:assert(not ok and tostring(err):find('input must be vector or matrix', 1, true) ~= nil,
      'wrong input dim: ' .. tostring(err))
end

-- ---------------------------------------------------------------------------
-- containers

function nntest.Concat()
   local input = torch.randn(4, 2)
   local num_modules = math.random(2, 5)
   local linears = {}
   for i = 1, num_modules do
      linears[i] = nn.Linear(2, 5)
   end
   local m = nn.Sequential()
   m:add(nn.Linear(2, 2))
   local concat = nn.Concat(2)
   for _, l in ipairs(linears) do concat:add(l) end
   m:add(concat)
   m:zeroGradParameters()
   local output = m:forward(input)
   local output2 = input.new():resize(4, 5 * num_modules)
   local x = m:get(1).output
   for i = 1, num_modules do
      output2:narrow(2, (i - 1) * 5 + 1, 5):copy(linears[i]:forward(x))
   end
   mytester:assertlt((output2 - output):abs():max(), 1e-12, 'Concat forward')
   local gradOutput = torch.randn(4, 5 * num_modules)
   local gradInput = m:backward(input, gradOutput):clone()
   local sum = torch.zeros(4, 2)
   for i = 1, num_modules do
      sum:add(linears[i]:updateGradInput(x, gradOutput:narrow(2, (i - 1) * 5 + 1, 5)))
   end
   local gi2 = m:get(1):updateGradInput(input, sum)
   mytester:assertlt((gi2 - gradInput):abs():max(), 1e-12, 'Concat backward sums the branches')
   local err = jac.testJacobian(concat, torch.Tensor(4, 2))
   mytester:assertlt(err, precision, 'Concat Jacobian')
end

function nntest.Parallel()
   local input = torch.randn(3, 4, 5)
   local m = nn.Parallel(1, 3)
   m:add(nn.View(4, 5, 1))
   m:add(nn.View(4, 5, 1))
   m:add(nn.View(4, 5, 1))
   local output = m:forward(input)
   local output2 = input:transpose(1, 3):transpose(1, 2)
   mytester:assertTensorEq(output2, output, 0.000001, 'Parallel forward err')
   local gradInput = m:backward(input, output2)
   mytester:assertTensorEq(gradInput, input, 0.000001, 'Parallel backward err')
   -- (View needs contiguous gradOutput slices, as in Torch7: Linear children here)
   local p = nn.Parallel(1, 1):add(nn.Linear(5, 3)):add(nn.Linear(5, 2)):add(nn.Tanh())
   local err = jac.testJacobian(p, torch.Tensor(3, 5))
   mytester:assertlt(err, precision, 'Parallel Jacobian')
end

function nntest.ConcatTable()
   local input = torch.randn(4, 3)
   local m = nn.ConcatTable():add(nn.Linear(3, 2)):add(nn.Identity()):add(nn.Tanh())
   local out = m:forward(input)
   mytester:asserteq(#out, 3, 'three outputs')
   mytester:assertTensorEq(out[2], input, 0, 'identity branch')
   local go = {torch.randn(4, 2), torch.randn(4, 3), torch.randn(4, 3)}
   local gi = m:backward(input, go)
   local expected = m:get(1):updateGradInput(input, go[1]):clone():add(go[2])
      :add(m:get(3):updateGradInput(input, go[3]))
   mytester:assertTensorEq(gi, expected, 1e-12, 'gradInput is the sum of the branches')
end

-- ---------------------------------------------------------------------------
-- layers

function nntest.Linear()
   local ini = math.random(3, 5)
   local inj = math.random(3, 5)
   local input = torch.Tensor(ini):zero()
   local module = nn.Linear(ini, inj)
   checkParametrised(module, input, '1D')
   local batch = math.random(2, 4)
   input = torch.Tensor(batch, ini):zero()
   checkParametrised(module, input, 'batch')
   -- batch rows equal single samples
   input:uniform(-1, 1)
   local out = module:forward(input):clone()
   for b = 1, batch do
      mytester:assertTensorEq(module:forward(input[b]), out[b], 1e-12, 'batch row ' .. b)
   end
end

function nntest.SpatialConvolution()
   local from = math.random(1, 3)
   local to = math.random(1, 3)
   local ki = math.random(1, 3)
   local kj = math.random(1, 3)
   local si = math.random(1, 2)
   local sj = math.random(1, 2)
   local outi = math.random(2, 4)
   local outj = math.random(2, 4)
   local ini = (outi - 1) * si + ki
   local inj = (outj - 1) * sj + kj
   local module = nn.SpatialConvolution(from, to, ki, kj, si, sj)
   checkParametrised(module, torch.Tensor(from, inj, ini):zero())
   local batch = math.random(2, 3)
   checkParametrised(module, torch.Tensor(batch, from, inj, ini):zero(), '(batch)')
   local padW, padH = math.random(0, 1), math.random(0, 1)
   module = nn.SpatialConvolution(from, to, ki, kj, si, sj, padW, padH)
   checkParametrised(module, torch.Tensor(from, inj, ini):zero(), '(padded)')
end

function nntest.SpatialConvolutionMM()
   local from = math.random(2, 3)
   local to = math.random(1, 3)
   local ki = math.random(1, 3)
   local kj = math.random(1, 3)
   local di = math.random(1, 2)
   local dj = math.random(1, 2)
   local padW = math.random(0, 1)
   local padH = math.random(0, 1)
   -- at least 3 outputs, so the input stays >= 1 wide after removing the padding
   local outi = math.random(3, 5)
   local outj = math.random(3, 5)
   local ini = (outi - 1) * di + ki - padW * 2
   local inj = (outj - 1) * dj + kj - padH * 2
   local module = nn.SpatialConvolutionMM(from, to, ki, kj, di, dj, padW, padH)
   checkParametrised(module, torch.Tensor(from, inj, ini):zero())
   local batch = math.random(2, 3)
   checkParametrised(module, torch.Tensor(batch, from, inj, ini):zero(), '(batch)')
   -- non-contiguous input gives exactly the same result
   local input = torch.randn(from, ini, inj):transpose(3, 2)
   local y1 = module:forward(input):clone()
   local y2 = module:forward(input:clone())
   mytester:assertTensorEq(y1, y2, 0, 'non-contiguous input')
end

function nntest.SpatialConvolutionBatchCompare()
   local from = math.random(1, 3)
   local to = math.random(1, 3)
   local ki, kj = math.random(1, 3), math.random(1, 3)
   local module = nn.SpatialConvolutionMM(from, to, ki, kj)
   local batch = math.random(2, 4)
   local input = torch.randn(batch, from, kj + 2, ki + 3)
   local gradOutput = torch.randn(batch, to, 3, 4)
   module:zeroGradParameters()
   local out = module:forward(input):clone()
   local gi = module:backward(input, gradOutput):clone()
   local gw = module.gradWeight:clone()
   module:zeroGradParameters()
   for b = 1, batch do
      mytester:assertTensorEq(module:forward(input[b]), out[b], 1e-12, 'batch forward ' .. b)
      mytester:assertTensorEq(module:backward(input[b], gradOutput[b]), gi[b], 1e-12, 'batch backward ' .. b)
   end
   mytester:assertTensorEq(module.gradWeight, gw, 1e-10, 'batch gradWeight')
end

function nntest.SpatialConvolutionMap()
   local from = math.random(1, 4)
   local fanin = math.random(1, from)
   local to = math.random(1, 4)
   local ki, kj = math.random(1, 3), math.random(1, 3)
   local si, sj = math.random(1, 2), math.random(1, 2)
   local outi, outj = math.random(2, 4), math.random(2, 4)
   local ini = (outi - 1) * si + ki
   local inj = (outj - 1) * sj + kj
   local module = nn.SpatialConvolutionMap(nn.tables.random(from, to, fanin), ki, kj, si, sj)
   local input = torch.Tensor(from, inj, ini):zero()
   local err = jac.testJacobian(module, input)
   mytester:assertlt(err, precision, 'error on state ')
   err = jac.testJacobianParameters(module, input, module.weight, module.gradWeight)
   mytester:assertlt(err, precision, 'error on weight ')
   err = jac.testJacobianParameters(module, input, module.bias, module.gradBias)
   mytester:assertlt(err, precision, 'error on bias ')
   local ferr, berr = jac.testIO(module, input)
   mytester:asserteq(ferr, 0, 'i/o forward err')
   mytester:asserteq(berr, 0, 'i/o backward err')
   -- the full table equals a dense convolution with the same kernels
   local full = nn.SpatialConvolutionMap(nn.tables.full(2, 3), 3, 3)
   local conv = nn.SpatialConvolution(2, 3, 3, 3)
   for k = 1, 6 do
      conv.weight[math.floor((k - 1) / 2) + 1][(k - 1) % 2 + 1]:copy(full.weight[k])
   end
   conv.bias:copy(full.bias)
   local x = torch.randn(2, 5, 6)
   mytester:assertTensorEq(full:forward(x), conv:forward(x), 1e-12, 'full table = dense conv')
end

function nntest.SpatialMaxPooling()
   for _, ceil in ipairs({false, true}) do
      local from = math.random(1, 3)
      local ki, kj = math.random(2, 4), math.random(2, 4)
      local si, sj = math.random(1, 3), math.random(1, 3)
      local outi, outj = math.random(2, 4), math.random(2, 4)
      local padW = math.min(math.random(0, 1), math.floor(ki / 2))
      local padH = math.min(math.random(0, 1), math.floor(kj / 2))
      local ini = (outi - 1) * si + ki - 2 * padW
      local inj = (outj - 1) * sj + kj - 2 * padH
      local module = nn.SpatialMaxPooling(ki, kj, si, sj, padW, padH)
      if ceil then module:ceil() end
      -- distinct values (no ties) so finite differences are meaningful
      local input = torch.randperm(from * inj * ini):resize(from, inj, ini)
      local err = jac.testJacobian(module, input, 1, from * inj * ini)
      mytester:assertlt(err, precision, 'error on state ceil=' .. tostring(ceil))
   end
end

function nntest.SpatialAveragePooling()
   for _, pad in ipairs({0, 1}) do
      for _, includePad in ipairs({true, false}) do
         local from = math.random(1, 3)
         local ki, kj = math.random(2, 4), math.random(2, 4)
         local si, sj = math.random(1, 2), math.random(1, 2)
         local outi, outj = math.random(2, 4), math.random(2, 4)
         local ini = (outi - 1) * si + ki - 2 * pad
         local inj = (outj - 1) * sj + kj - 2 * pad
         local module = nn.SpatialAveragePooling(ki, kj, si, sj, pad, pad)
         if not includePad then module:setCountExcludePad() end
         checkPlain(module, torch.Tensor(from, inj, ini):zero(), precision, 'pad=' .. pad)
         checkPlain(module, torch.Tensor(2, from, inj, ini):zero(), precision, '(batch) pad=' .. pad)
      end
   end
end

function nntest.SpatialLPPooling()
   local fanin = math.random(1, 4)
   local osizex, osizey = math.random(1, 4), math.random(1, 4)
   local p = 2
   local mx, my = math.random(2, 6), math.random(2, 6)
   local dx, dy = math.random(2, mx), math.random(2, my)
   local sizex = osizex * mx
   local sizey = osizey * my
   local module = nn.SpatialLPPooling(fanin, p, mx, my, dx, dy)
   -- inputs bounded away from 0, where sqrt is not differentiable
   checkPlain(module, torch.Tensor(fanin, sizey, sizex):zero(), precision, '', 0.5, 2)
   mytester:asserteq(#(select(1, module:parameters()) or {}), 0, 'no parameters')
end

local function checkNormalization(module, nbfeatures, w, h, label)
   checkPlain(module, torch.Tensor(nbfeatures, h, w):zero(), precision, label)
   checkPlain(module, torch.Tensor(2, nbfeatures, h, w):zero(), precision, label .. ' (batch)')
   -- batch rows equal single samples
   local x = torch.randn(2, nbfeatures, h, w)
   local out = module:forward(x):clone()
   mytester:assertTensorEq(module:forward(x[2]), out[2], 1e-12, label .. ' batch vs sample')
end

function nntest.SpatialSubtractiveNormalization_2dkernel()
   local nf = math.random(1, 4)
   local kernel = torch.Tensor(math.random(1, 3) * 2 + 1, math.random(1, 3) * 2 + 1):uniform(0.5, 1)
   local module = nn.SpatialSubtractiveNormalization(nf, kernel)
   checkNormalization(module, nf, math.random(7, 9), math.random(7, 9), '2d kernel')
end

function nntest.SpatialSubtractiveNormalization_1dkernel()
   local nf = math.random(1, 4)
   local kernel = torch.Tensor(math.random(1, 3) * 2 + 1):uniform(0.5, 1)
   local module = nn.SpatialSubtractiveNormalization(nf, kernel)
   checkNormalization(module, nf, math.random(7, 9), math.random(7, 9), '1d kernel')
end

function nntest.SpatialDivisiveNormalization_2dkernel()
   local nf = math.random(1, 4)
   local kernel = torch.Tensor(math.random(1, 3) * 2 + 1, math.random(1, 3) * 2 + 1):uniform(0.5, 1)
   local module = nn.SpatialDivisiveNormalization(nf, kernel)
   checkNormalization(module, nf, math.random(7, 9), math.random(7, 9), '2d kernel')
end

function nntest.SpatialDivisiveNormalization_1dkernel()
   local nf = math.random(1, 4)
   local kernel = torch.Tensor(math.random(1, 3) * 2 + 1):uniform(0.5, 1)
   local module = nn.SpatialDivisiveNormalization(nf, kernel)
   checkNormalization(module, nf, math.random(7, 9), math.random(7, 9), '1d kernel')
end

function nntest.SpatialContrastiveNormalization()
   local nf = math.random(1, 4)
   local kernel = torch.Tensor(math.random(1, 3) * 2 + 1, math.random(1, 3) * 2 + 1):uniform(0.5, 1)
   local module = nn.SpatialContrastiveNormalization(nf, kernel)
   checkNormalization(module, nf, math.random(7, 9), math.random(7, 9), '2d kernel')
end

-- ---------------------------------------------------------------------------
-- transfer functions and simple modules

local function randomShape()
   return torch.Tensor(math.random(2, 4), math.random(2, 4), math.random(2, 4)):zero()
end

function nntest.Tanh()
   checkPlain(nn.Tanh(), randomShape())
end

function nntest.Sigmoid()
   checkPlain(nn.Sigmoid(), randomShape())
end

-- kinks at 0 (ReLU) and the threshold: inputs are kept away from them
local function awayFrom(t, v, margin)
   t:apply(function(x)
      if math.abs(x - v) < margin then return v + margin * (x >= v and 1 or -1) end
   end)
   return t
end

local function checkKinked(module, input, kinks)
   local x = input:uniform(-2, 2)
   for _, k in ipairs(kinks) do awayFrom(x, k, 0.01) end
   local fw = jac.forward(module, x, x)
   local bw = jac.backward(module, x)
   mytester:assertlt((fw - bw):abs():max(), precision, 'error on state')
end

function nntest.ReLU()
   checkKinked(nn.ReLU(), randomShape(), {0})
   local y = nn.ReLU():forward(torch.Tensor({-1, 0, 2}))
   mytester:assertTensorEq(y, torch.Tensor({0, 0, 2}), 0, 'ReLU values')
end

function nntest.Threshold()
   local th, v = torch.uniform(-1, 1), torch.uniform(-2, 2)
   checkKinked(nn.Threshold(th, v), randomShape(), {th})
   local ok = pcall(function() return nn.Threshold(0, 1, true) end)
   mytester:assert(not ok, 'in-place with val > threshold must fail')
end

function nntest.HardTanh()
   checkKinked(nn.HardTanh(), randomShape(), {-1, 1})
end

function nntest.Softmax()
   local module = nn.SoftMax()
   checkPlain(module, torch.Tensor(math.random(2, 6)):zero(), expprecision, '1D')
   checkPlain(module, torch.Tensor(math.random(2, 4), math.random(2, 6)):zero(), expprecision, '2D')
   checkPlain(module, randomShape(), expprecision, '3D')
   checkPlain(module, torch.Tensor(2, 3, 2, 2):zero(), expprecision, '4D')
   local y = module:forward(torch.randn(3, 5))
   mytester:assertTensorEq(y:sum(2), torch.ones(3, 1), 1e-12, 'rows sum to 1')
end

function nntest.LogSoftmax()
   local module = nn.LogSoftMax()
   checkPlain(module, torch.Tensor(math.random(2, 6)):zero(), 1e-3, '1D')
   checkPlain(module, torch.Tensor(math.random(2, 4), math.random(2, 6)):zero(), 1e-3, '2D')
   local x = torch.randn(3, 5)
   mytester:assertTensorEq(module:forward(x), nn.SoftMax():forward(x):log(), 1e-12, 'log of softmax')
end

function nntest.Softmin()
   local module = nn.SoftMin()
   checkPlain(module, torch.Tensor(math.random(2, 6)):zero(), expprecision, '1D')
   checkPlain(module, torch.Tensor(math.random(2, 4), math.random(2, 6)):zero(), expprecision, '2D')
   local x = torch.randn(6)
   mytester:assertTensorEq(module:forward(x), nn.SoftMax():forward(-x), 1e-15, 'softmax of -x')
end

function nntest.Dropout()
   local p = 0.2
   local module = nn.Dropout(p)
   local input = torch.Tensor(1000):fill(1 - p)
   module:forward(input)
   mytester:assert(math.abs(module.output:mean() - (1 - p)) < 0.05, 'dropout output')
   module:backward(input, input)
   mytester:assert(math.abs(module.gradInput:mean() - (1 - p)) < 0.05, 'dropout gradInput')
   -- kept elements are scaled by 1/(1-p), the others are zero
   local kept = module.output:gt(0):sum()
   mytester:assertalmosteq(module.output:sum(), kept, 1e-9, 'kept elements equal 1')
   module:evaluate()
   local x = torch.randn(5, 7)
   mytester:assertTensorEq(module:forward(x), x, 0, 'identity in evaluate mode')
   local v1 = nn.Dropout(p, true)
   v1:evaluate()
   mytester:assertTensorEq(v1:forward(x), x * (1 - p), 1e-15, 'v1 scales in evaluate mode')
end

function nntest.Reshape()
   local module = nn.Reshape(2, 3)
   local x = torch.randn(6)
   mytester:assertTableEq(module:forward(x):size():totable(), {2, 3}, 'non-batch')
   x = torch.randn(4, 6)
   mytester:assertTableEq(module:forward(x):size():totable(), {4, 2, 3}, 'batch')
   mytester:assertTableEq(nn.Reshape(1024):forward(torch.rand(1, 32, 32)):size():totable(), {1, 1024},
      'first size 1 means batch of one')
   checkPlain(nn.Reshape(3, 2), torch.Tensor(2, 3):zero())
end

function nntest.View()
   local module = nn.View(2, -1)
   mytester:assertTableEq(module:forward(torch.randn(6)):size():totable(), {2, 3}, 'inferred size')
   module = nn.View(6)
   mytester:assertTableEq(module:forward(torch.randn(4, 2, 3)):size():totable(), {4, 6}, 'batch')
   module = nn.View(2, 3):setNumInputDims(2)
   mytester:assertTableEq(module:forward(torch.randn(1, 6)):size():totable(), {2, 3}, 'numInputDims, one sample')
   mytester:assertTableEq(module:forward(torch.randn(1, 1, 6)):size():totable(), {1, 2, 3},
      'numInputDims, batch of one')
   local ok = pcall(function() return nn.View(3):forward(torch.randn(4)) end)
   mytester:assert(not ok, 'impossible view must fail')
   checkPlain(nn.View(3, 2), torch.Tensor(2, 3):zero())
end

function nntest.Square()
   checkPlain(nn.Square(), randomShape())
end

function nntest.Sqrt()
   checkPlain(nn.Sqrt(), randomShape(), precision, '', 0.1, 2)
end

function nntest.Power()
   checkPlain(nn.Power(3), randomShape())
   checkPlain(nn.Power(0.5), randomShape(), precision, '', 0.1, 2)
end

function nntest.MulConstant()
   local c = torch.uniform(-3, 3)
   checkPlain(nn.MulConstant(c), randomShape())
   local x = torch.randn(3, 4)
   local m = nn.MulConstant(c, true)
   local y = m:forward(x:clone())
   mytester:assertTensorEq(y, x * c, 1e-14, 'in place')
end

function nntest.Replicate()
   local m = nn.Replicate(3, 1)
   local x = torch.randn(4, 5)
   local y = m:forward(x)
   mytester:assertTableEq(y:size():totable(), {3, 4, 5}, 'size')
   mytester:assertTensorEq(y[2], x, 0, 'replicated')
   mytester:asserteq(y:stride(1), 0, 'stride 0')
   checkPlain(nn.Replicate(2, 2), torch.Tensor(3, 4):zero())
end

-- ---------------------------------------------------------------------------
-- criterions

function nntest.ClassNLLCriterion()
   local batchsize = math.random(2, 4)
   local numLabels = math.random(5, 10)
   local input = torch.rand(batchsize, numLabels)
   local target = torch.LongTensor(batchsize):random(1, numLabels)
   criterionJacobianTest(nn.ClassNLLCriterion(), input, target)
   criterionJacobianTest(nn.ClassNLLCriterion(torch.rand(numLabels)), input, target)
   local one = torch.rand(numLabels)
   local t = math.random(1, numLabels)
   local cri = nn.ClassNLLCriterion()
   mytester:assertalmosteq(cri:forward(one, t), -one[t], 1e-15, '1-D loss')
   local ok = pcall(function() return cri:forward(one, numLabels + 1) end)
   mytester:assert(not ok, 'target out of range must fail')
end

function nntest.MSECriterion()
   local input = torch.rand(10)
   local target = input:clone():add(torch.rand(10))
   criterionJacobianTest(nn.MSECriterion(), input, target)
   local c = nn.MSECriterion()
   c.sizeAverage = false
   criterionJacobianTest(c, input, target)
   mytester:assertalmosteq(c:forward(input, target), (input - target):pow(2):sum(), 1e-12, 'loss')
end

function nntest.MultiMarginCriterion()
   local input = torch.rand(16)
   local target = math.random(1, 16)
   criterionJacobianTest(nn.MultiMarginCriterion(math.random(1, 2)), input, target)
   criterionJacobianTest(nn.MultiMarginCriterion(1, torch.rand(16), 0.5), input, target)
   local batch = torch.rand(3, 8)
   criterionJacobianTest(nn.MultiMarginCriterion(), batch, torch.LongTensor({2, 8, 1}))
end

function nntest.CrossEntropyCriterion()
   local numLabels = math.random(5, 10)
   local input = torch.zeros(numLabels)
   local target = torch.random(1, numLabels)
   local cri = nn.CrossEntropyCriterion()
   criterionJacobianTest(cri, input:uniform(-1, 1), target)
   local batch = torch.randn(3, numLabels)
   local targets = torch.LongTensor({1, numLabels, 2})
   criterionJacobianTest(cri, batch, targets)
   local nll = nn.ClassNLLCriterion()
   local expected = nll:forward(nn.LogSoftMax():forward(batch), targets)
   mytester:assertalmosteq(cri:forward(batch, targets), expected, 1e-12, 'LogSoftMax + ClassNLL')
end

-- tostring contains the class name followed by '('
for _, name in ipairs({'Linear', 'Reshape', 'SpatialZeroPadding'}) do
   nntest['tostringnn' .. name] = function()
      local m
      if name == 'Linear' then m = nn.Linear(3, 4)
      elseif name == 'Reshape' then m = nn.Reshape(2, 3)
      else m = nn.SpatialZeroPadding(1, 1, 1, 1) end
      mytester:assert(tostring(m):find('nn.' .. name .. '(', 1, true) ~= nil,
         'nn.' .. name .. ' has no tostring')
   end
end

function nn.test(tests, seed)
   local suite = torch.TestSuite()
   for name, fn in pairs(nntest) do
      suite[name] = fn
   end
   mytester = torch.Tester()
   mytester:add(suite)
   local nThreads = torch.getnumthreads()
   torch.setnumthreads(1)
   seed = math.floor(seed or (1e5 * torch.tic()))
   print('Seed: ', seed)
   math.randomseed(seed)
   torch.manualSeed(seed)
   mytester:run(tests)
   torch.setnumthreads(nThreads)
   return mytester
end

return nn.test
