-- nn.Module / containers / Linear / Tanh: the module API of nn.md sections
-- 1, 2 and 9 (printing), checked against values computed independently.
local T = require 'testlib'
require 'nn'
local tests = T.suite()

torch.setdefaulttensortype('torch.DoubleTensor')

-- y = W x + b by explicit loops
local function linearRef(m, x)
   local W, b = m.weight, m.bias
   local y = torch.Tensor(W:size(1))
   for i = 1, W:size(1) do
      local s = b and b[i] or 0
      for j = 1, W:size(2) do s = s + W[i][j] * x[j] end
      y[i] = s
   end
   return y
end

function tests.module_fields()
   local m = nn.Module()
   T.eq(torch.typename(m.output), 'torch.DoubleTensor')
   T.eq(m.output:nElement(), 0)
   T.eq(m:type(), 'torch.DoubleTensor')
   T.eq(m.train, nil)
   T.eq(nn.Linear(3, 2).train, nil)
   T.eq(nn.Dropout(0.5).train, true)
   T.eq(select('#', nn.Tanh():parameters()), 0)
   T.eq(nn.Dropout(0.5):evaluate(), nil)
   T.ok(torch.isTypeOf(nn.Linear(2, 2), 'nn.Module'))
   T.ok(torch.isTypeOf(nn.Sequential(), 'nn.Container'))
end

function tests.linear_forward_backward()
   torch.manualSeed(3)
   local m = nn.Linear(4, 3)
   local x = torch.Tensor({0.5, -1, 2, 0.25})
   T.tensor_near(m:forward(x), linearRef(m, x), 1e-14)
   local g = torch.Tensor({1, -2, 0.5})
   m:zeroGradParameters()
   local gi = m:backward(x, g)
   for j = 1, 4 do
      local s = 0
      for i = 1, 3 do s = s + m.weight[i][j] * g[i] end
      T.near(gi[j], s, 1e-14)
   end
   for i = 1, 3 do
      T.near(m.gradBias[i], g[i], 0)
      for j = 1, 4 do T.near(m.gradWeight[i][j], g[i] * x[j], 1e-15) end
   end
   -- accumulates, with scale
   m:backward(x, g, 0.5)
   T.near(m.gradBias[2], 1.5 * g[2], 1e-15)
end

function tests.linear_batch_equals_samples()
   torch.manualSeed(4)
   local m = nn.Linear(5, 3)
   local x = torch.rand(4, 5)
   local g = torch.rand(4, 3)
   m:zeroGradParameters()
   local y = m:forward(x):clone()
   local gi = m:backward(x, g):clone()
   local gw, gb = m.gradWeight:clone(), m.gradBias:clone()
   m:zeroGradParameters()
   for b = 1, 4 do
      T.tensor_near(m:forward(x[b]), y[b], 1e-14)
      T.tensor_near(m:backward(x[b], g[b]), gi[b], 1e-14)
   end
   T.tensor_near(m.gradWeight, gw, 1e-14)
   T.tensor_near(m.gradBias, gb, 1e-14)
end

function tests.linear_reset_bounds()
   torch.manualSeed(5)
   local m = nn.Linear(100, 100)
   local stdv = 1 / math.sqrt(100)
   T.ok(m.weight:max() <= stdv and m.weight:min() >= -stdv)
   m:reset(0.1)
   local bound = 0.1 * math.sqrt(3)
   T.ok(m.weight:max() <= bound and m.weight:min() >= -bound)
   T.ok(m.weight:max() > 0.1, 'reset(stdv) uses stdv*sqrt(3) as bound')
end

function tests.linear_draw_order()
   -- weight (row-major) then bias, one uniform draw each
   torch.manualSeed(1)
   local m = nn.Linear(5, 3)
   torch.manualSeed(1)
   local stdv = 1 / math.sqrt(5)
   local w = torch.Tensor(3, 5):uniform(-stdv, stdv)
   local b = torch.Tensor(3):uniform(-stdv, stdv)
   T.tensor_near(m.weight, w, 0)
   T.tensor_near(m.bias, b, 0)
end

function tests.linear_nobias_and_integral_floats()
   local m = nn.Linear(1024 / 2, 10.0):noBias()
   T.eq(m.bias, nil)
   T.eq(tostring(m), 'nn.Linear(512 -> 10) without bias')
   local p, g = m:parameters()
   T.eq(#p, 1)
   T.eq(#g, 1)
end

function tests.tanh_values()
   local m = nn.Tanh()
   local x = torch.Tensor({-2, -0.5, 0, 0.3, 4})
   local y = m:forward(x)
   for i = 1, 5 do T.near(y[i], math.tanh(x[i]), 0) end
   local g = torch.Tensor({1, 2, 3, 4, 5})
   local gi = m:backward(x, g)
   for i = 1, 5 do T.near(gi[i], g[i] * (1 - y[i] * y[i]), 0) end
end

function tests.sequential_aliasing_and_len()
   local s = nn.Sequential()
   local l = nn.Linear(3, 2)
   s:add(l)
   T.ok(s.output == l.output, 'output aliases the last module')
   T.ok(s.gradInput == l.gradInput, 'gradInput aliases the first module')
   local t = nn.Tanh()
   s:add(t)
   T.ok(s.output == t.output)
   T.eq(#s, 2)
   T.eq(s:size(), 2)
   T.ok(s:get(2) == t)
   s:remove(2)
   T.eq(#s, 1)
   s:insert(nn.Tanh(), 1)
   T.eq(torch.type(s:get(1)), 'nn.Tanh')
end

function tests.sequential_forward_backward()
   torch.manualSeed(6)
   local l1, l2 = nn.Linear(3, 4), nn.Linear(4, 2)
   local s = nn.Sequential():add(l1):add(nn.Tanh()):add(l2)
   local x = torch.Tensor({0.1, -0.7, 1.3})
   local h = linearRef(l1, x)
   h:apply(math.tanh)
   local y = linearRef(l2, h)
   T.tensor_near(s:forward(x), y, 1e-14)
   local yy, gi = s(x, torch.Tensor({1, -1}))
   T.ok(yy == s.output)
   T.eq(gi:nElement(), 3)
   T.eq(s:forward(x):dim(), 1)
   T.ok(s(x) == s.output, '__call__ with one argument is forward')
end

function tests.sequential_error_prefix()
   local s = nn.Sequential():add(nn.Linear(3, 3)):add(nn.Linear(2, 3))
   local err = T.errors('In 2 module of nn.Sequential:', function() s:forward(torch.rand(3)) end)
   T.ok(err:find('size mismatch', 1, true), err)
   T.ok(err:find("WARNING: If you see a stack trace below", 1, true), err)
   -- nested: each container adds its line
   local outer = nn.Sequential():add(nn.Tanh()):add(s)
   err = T.errors('In 2 module of nn.Sequential:', function() outer:forward(torch.rand(3)) end)
   local _, n = err:gsub('In 2 module of nn.Sequential:', '')
   T.eq(n, 2)
end

function tests.linear_bad_input()
   local m = nn.Linear(3, 2)
   T.errors('input must be vector or matrix', function() m:forward(torch.rand(2, 2, 3)) end)
   T.errors('size mismatch', function() m:forward(torch.rand(4)) end)
   T.errors('size mismatch', function() m:forward(torch.rand(5, 2)) end)
end

function tests.parameters_and_zero_update()
   torch.manualSeed(7)
   local s = nn.Sequential():add(nn.Linear(2, 3)):add(nn.Tanh()):add(nn.Linear(3, 1))
   local p, g = s:parameters()
   T.eq(#p, 4)
   T.eq(#g, 4)
   T.ok(p[3] == s:get(3).weight and g[4] == s:get(3).gradBias)
   local x = torch.Tensor({1, 2})
   s:zeroGradParameters()
   s:forward(x)
   s:backward(x, torch.Tensor({1}))
   local w = s:get(1).weight:clone()
   local gw = s:get(1).gradWeight:clone()
   s:updateParameters(0.1)
   T.tensor_near(s:get(1).weight, w - gw * 0.1, 1e-15)
   s:zeroGradParameters()
   T.eq(s:get(1).gradWeight:abs():sum(), 0)
end

function tests.accUpdateGradParameters()
   torch.manualSeed(8)
   local m = nn.Linear(3, 2)
   local x, g = torch.rand(3), torch.rand(2)
   local w0 = m.weight:clone()
   m:forward(x)
   m:zeroGradParameters()
   m:backward(x, g)
   local expected = w0 - m.gradWeight * 0.5
   m:accUpdateGradParameters(x, g, 0.5)
   T.tensor_near(m.weight, expected, 1e-15)
   T.ok(m.gradWeight ~= m.weight, 'gradient buffer restored')
end

function tests.getParameters_flattening()
   torch.manualSeed(9)
   local s = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Tanh()):add(nn.Linear(4, 2))
   local w = {s:get(1).weight:clone(), s:get(1).bias:clone(), s:get(3).weight:clone(), s:get(3).bias:clone()}
   local p, g = s:getParameters()
   T.eq(p:nElement(), 12 + 4 + 8 + 2)
   T.eq(g:nElement(), 26)
   T.eq(p:dim(), 1)
   T.tensor_near(p:narrow(1, 1, 12), w[1], 0)
   T.tensor_near(p:narrow(1, 13, 4), w[2], 0)
   T.tensor_near(p:narrow(1, 17, 8), w[3], 0)
   T.tensor_near(p:narrow(1, 25, 2), w[4], 0)
   -- the modules' tensors are views of the flat vectors
   p:fill(0.5)
   T.eq(s:get(3).bias[2], 0.5)
   T.eq(s:get(1).weight:storageOffset(), 1)
   T.eq(s:get(3).weight:storageOffset(), 17)
   T.eq(torch.pointer(s:get(3).weight:storage()), torch.pointer(p:storage()))
   g:zero()
   local x = torch.rand(3)
   s:forward(x)
   s:backward(x, torch.rand(2))
   T.ok(g:abs():sum() > 0, 'backward fills the flat gradient')
   T.tensor_near(g:narrow(1, 25, 2), s:get(3).gradBias, 0)
   -- calling it again keeps the values (one storage)
   local p2 = s:getParameters()
   T.eq(p2:nElement(), 26)
   T.eq(p2:sum(), 13)
end

function tests.getParameters_sharing_and_holes()
   torch.manualSeed(10)
   local a, b = nn.Linear(3, 3), nn.Linear(3, 3)
   b:share(a, 'weight', 'bias', 'gradWeight', 'gradBias')
   T.ok(a.shared and b.shared)
   local s = nn.Sequential():add(a):add(b)
   local p, g = s:getParameters()
   T.eq(p:nElement(), 12, 'a shared storage is placed once')
   T.eq(g:nElement(), 12)
   p:fill(2)
   T.eq(b.weight:sum(), 18)
   -- parameters viewing parts of bigger storages: the unused parts go
   local big = torch.rand(10)
   local m = nn.Module()
   m.weight = big:narrow(1, 3, 4)
   m.gradWeight = torch.zeros(10):narrow(1, 3, 4)
   local expected = m.weight:clone()
   local fp, fg = m:getParameters()
   T.eq(fp:nElement(), 4)
   T.eq(fg:nElement(), 4)
   T.tensor_near(fp, expected, 0)
   T.eq(m.weight:storageOffset(), 1)
   -- holes under a strided (non-compact) view cannot be squeezed out
   local n = nn.Module()
   n.weight = torch.rand(3, 4):narrow(2, 1, 2)
   n.gradWeight = torch.rand(3, 4):narrow(2, 1, 2)
   T.errors('Cannot gather tensors that are not compact', function() n:getParameters() end)
end

function tests.getParameters_empty()
   local p, g = nn.Tanh():getParameters()
   T.eq(torch.typename(p), 'torch.DoubleTensor')
   T.eq(p:nElement(), 0)
   T.eq(g:nElement(), 0)
end

function tests.share()
   local a, b = nn.Linear(2, 2), nn.Linear(2, 2)
   local r = b:share(a, 'weight')
   T.ok(r == b)
   a.weight:fill(3)
   T.eq(b.weight:sum(), 12)
   T.ok(torch.pointer(a.bias:storage()) ~= torch.pointer(b.bias:storage()))
   -- containers share pairwise
   local s1 = nn.Sequential():add(nn.Linear(2, 2)):add(nn.Linear(2, 1))
   local s2 = nn.Sequential():add(nn.Linear(2, 2)):add(nn.Linear(2, 1))
   s2:share(s1, 'weight', 'bias')
   s1:get(2).bias:fill(7)
   T.eq(s2:get(2).bias[1], 7)
end

function tests.type_conversion()
   torch.manualSeed(11)
   local s = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
   local x = torch.rand(3)
   local yd = s:forward(x):clone()
   T.ok(s:float() == s)
   T.eq(s:type(), 'torch.FloatTensor')
   T.eq(s:get(1):type(), 'torch.FloatTensor')
   T.eq(torch.typename(s:get(1).weight), 'torch.FloatTensor')
   T.eq(torch.typename(s:get(2).gradInput), 'torch.FloatTensor')
   local yf = s:forward(x:float())
   T.eq(torch.typename(yf), 'torch.FloatTensor')
   T.tensor_near(yf, yd, 1e-6)
   s:double()
   T.tensor_near(s:forward(x), yd, 1e-6)
   -- a flat parameter vector stays one storage after conversion
   local p = s:getParameters()
   s:float()
   T.eq(torch.pointer(s:get(1).weight:storage()), torch.pointer(s:get(1).bias:storage()))
   T.eq(s:get(1).bias:storageOffset(), 7)
   T.eq(p:nElement(), 8)
end

function tests.apply_list_find_replace()
   local inner = nn.Sequential():add(nn.Tanh()):add(nn.Linear(2, 2))
   local s = nn.Sequential():add(nn.Linear(2, 2)):add(inner):add(nn.Tanh())
   local order = {}
   s:apply(function(m) order[#order + 1] = torch.type(m) end)
   T.eq(table.concat(order, ','), 'nn.Sequential,nn.Linear,nn.Sequential,nn.Tanh,nn.Linear,nn.Tanh')
   local list = s:listModules()
   T.eq(#list, 6)
   T.ok(list[1] == s and list[3] == inner)
   local found, containers = s:findModules('nn.Tanh')
   T.eq(#found, 2)
   T.ok(containers[1] == inner and containers[2] == s)
   s:replace(function(m) if torch.type(m) == 'nn.Tanh' then return nn.Sigmoid() end return m end)
   T.eq(torch.type(inner:get(1)), 'nn.Sigmoid')
   T.eq(torch.type(s:get(3)), 'nn.Sigmoid')
end

function tests.training_evaluate()
   local d = nn.Dropout(0.5)
   local s = nn.Sequential():add(nn.Linear(2, 2)):add(d)
   T.eq(s:evaluate(), nil)
   T.eq(d.train, false)
   T.eq(s.train, false)
   s:training()
   T.eq(d.train, true)
   T.eq(s:get(1).train, true)
end

function tests.clearState()
   local s = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
   s:forward(torch.rand(3))
   T.ok(s:clearState() == s)
   T.eq(s:get(1).output:nElement(), 0)
   T.eq(s:get(2).output:nElement(), 0)
   T.eq(s:forward(torch.rand(3)):nElement(), 2)
end

function tests.printing()
   T.eq(tostring(nn.Linear(1600, 128)), 'nn.Linear(1600 -> 128)')
   T.eq(tostring(nn.Tanh()), 'nn.Tanh')
   T.eq(tostring(nn.Sequential()), 'nn.Sequential {\n  [input -> output]\n}')
   local s = nn.Sequential():add(nn.Linear(5, 5)):add(nn.Sequential():add(nn.Tanh()))
   T.eq(tostring(s), 'nn.Sequential {\n  [input -> (1) -> (2) -> output]\n  (1): nn.Linear(5 -> 5)\n' ..
      '  (2): nn.Sequential {\n    [input -> (1) -> output]\n    (1): nn.Tanh\n  }\n}')
   local c = nn.Concat(1):add(nn.Linear(10, 5)):add(nn.Linear(10, 5))
   T.eq(tostring(c), 'nn.Concat {\n  input\n    |`-> (1): nn.Linear(10 -> 5)\n' ..
      '     `-> (2): nn.Linear(10 -> 5)\n     ... -> output\n}')
   local ct = nn.ConcatTable():add(nn.Linear(5, 5)):add(nn.Sequential():add(nn.Linear(5, 5)):add(nn.Tanh()))
      :add(nn.Tanh())
   T.eq(tostring(ct), 'nn.ConcatTable {\n  input\n    |`-> (1): nn.Linear(5 -> 5)\n' ..
      '    |`-> (2): nn.Sequential {\n    |      [input -> (1) -> (2) -> output]\n' ..
      '    |      (1): nn.Linear(5 -> 5)\n    |      (2): nn.Tanh\n    |    }\n' ..
      '     `-> (3): nn.Tanh\n     ... -> output\n}')
   local p = nn.Parallel(1, 1):add(nn.Linear(5, 5)):add(nn.Sequential():add(nn.Tanh()))
   T.eq(tostring(p), 'nn.Parallel {\n  input\n    |`-> (1): nn.Linear(5 -> 5)\n' ..
      '     `-> (2): nn.Sequential {\n           [input -> (1) -> output]\n' ..
      '           (1): nn.Tanh\n         }\n     ... -> output\n}')
end

function tests.clone_deep_copy()
   torch.manualSeed(12)
   local s = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
   s:forward(torch.rand(3))
   local c = s:clone()
   T.eq(torch.typename(c), 'nn.Sequential')
   T.eq(tostring(c), tostring(s))
   T.tensor_near(c:get(1).weight, s:get(1).weight, 0)
   T.ok(torch.pointer(c:get(1).weight:storage()) ~= torch.pointer(s:get(1).weight:storage()),
      'nothing shared with the original')
   c:get(1).weight:fill(1)
   T.ok(s:get(1).weight:sum() ~= 6)
   -- internal aliasing survives: the container's output is still its last child's
   T.ok(c.output == c:get(2).output)
   local x = torch.rand(3)
   T.tensor_near(s:clone():forward(x), s:forward(x), 0)
end

function tests.clone_with_sharing()
   local l = nn.Linear(3, 3)
   local c = l:clone('weight', 'bias')
   T.eq(torch.pointer(c.weight:storage()), torch.pointer(l.weight:storage()))
   T.eq(torch.pointer(c.bias:storage()), torch.pointer(l.bias:storage()))
   T.ok(torch.pointer(c.gradWeight:storage()) ~= torch.pointer(l.gradWeight:storage()))
   l.weight:fill(4)
   T.eq(c.weight:sum(), 36)
   -- sharing weights but not their gradients cannot be flattened
   local s = nn.Sequential():add(l):add(c)
   T.errors('check that you are sharing parameters and gradParameters', function() s:getParameters() end)
   -- sharing both: placed once
   local c2 = l:clone('weight', 'bias', 'gradWeight', 'gradBias')
   local p, g = nn.Sequential():add(l):add(c2):getParameters()
   T.eq(p:nElement(), 12)
   T.eq(g:nElement(), 12)
   T.eq(torch.pointer(c2.weight:storage()), torch.pointer(p:storage()))
end

function tests.criterion_clone_type_call()
   local c = nn.MSECriterion()
   c.sizeAverage = false
   local d = c:clone()
   T.eq(torch.typename(d), 'nn.MSECriterion')
   T.eq(d.sizeAverage, false)
   local x, t = torch.Tensor({1, 2}), torch.Tensor({0, 4})
   local loss, g = d(x, t)
   T.near(loss, 5, 0)
   T.tensor_near(g, {2, -4}, 0)
   T.eq(tostring(c), 'nn.MSECriterion')
   c:float()
   T.near(c:forward(x:float(), t:float()), 5, 0)
   T.eq(torch.typename(c.gradInput), 'torch.FloatTensor')
end

function tests.steady_state_reuses_buffers()
   torch.manualSeed(13)
   local s = nn.Sequential():add(nn.SpatialConvolutionMM(1, 2, 3, 3)):add(nn.Tanh())
      :add(nn.SpatialMaxPooling(2, 2)):add(nn.Reshape(8)):add(nn.Linear(8, 3)):add(nn.LogSoftMax())
   local x = torch.rand(1, 6, 6)
   s:forward(x)
   s:backward(x, torch.rand(3))
   local ptrs = {}
   for i, m in ipairs(s.modules) do
      ptrs[i] = {torch.pointer(m.output:storage()), torch.pointer(m.gradInput:storage())}
   end
   for _ = 1, 3 do
      s:forward(torch.rand(1, 6, 6))
      s:backward(x, torch.rand(3))
   end
   for i, m in ipairs(s.modules) do
      T.eq(torch.pointer(m.output:storage()), ptrs[i][1], 'output storage of module ' .. i)
      T.eq(torch.pointer(m.gradInput:storage()), ptrs[i][2], 'gradInput storage of module ' .. i)
   end
end

function tests.dropout_statistics()
   torch.manualSeed(14)
   local p = 0.3
   local d = nn.Dropout(p)
   local x = torch.ones(20000)
   local y = d:forward(x)
   local kept = y:gt(0):sum()
   -- binomial(20000, 0.7): sd about 65
   T.ok(math.abs(kept - 14000) < 400, 'kept ' .. kept)
   T.near(y:max(), 1 / (1 - p), 1e-15)
   T.near(y:sum(), kept / (1 - p), 1e-9)
   -- the same mask for the gradient
   local g = d:backward(x, torch.ones(20000))
   T.tensor_near(g, y, 0)
   -- the noise is the generator's bernoulli(1-p) stream
   torch.manualSeed(15)
   local d2 = nn.Dropout(p)
   d2:forward(torch.ones(50))
   torch.manualSeed(15)
   local ref = torch.Tensor(50):bernoulli(1 - p):div(1 - p)
   T.tensor_near(d2.output, ref, 0)
   -- evaluate: identity (v2), scaled (v1)
   d:evaluate()
   local z = torch.randn(7)
   T.tensor_near(d:forward(z), z, 0)
   T.tensor_near(d:backward(z, z), z, 0)
   local v1 = nn.Dropout(p, true)
   v1:evaluate()
   T.tensor_near(v1:forward(z), z * (1 - p), 0)
   T.eq(tostring(nn.Dropout()), 'nn.Dropout(0.500000)')
   -- p = 0 in training: identity
   T.tensor_near(nn.Dropout(0):forward(z), z, 0)
end

function tests.float_conv_model()
   torch.manualSeed(16)
   local s = nn.Sequential():add(nn.SpatialConvolutionMM(2, 3, 3, 3)):add(nn.ReLU())
      :add(nn.SpatialAveragePooling(2, 2, 2, 2)):add(nn.View(12)):add(nn.Linear(12, 4))
   local x = torch.rand(2, 6, 6)
   local yd = s:forward(x):clone()
   local gd = s:backward(x, torch.ones(4)):clone()
   s:float()
   local yf = s:forward(x:float())
   T.eq(torch.typename(yf), 'torch.FloatTensor')
   T.tensor_near(yf, yd, 1e-5)
   T.tensor_near(s:backward(x:float(), torch.ones(4):float()), gd, 1e-5)
end

function tests.reshape_tutorial_quirk()
   local r = nn.Reshape(1024)
   T.eq(table.concat(r:forward(torch.rand(1, 32, 32)):size():totable(), 'x'), '1x1024')
   T.eq(table.concat(nn.Reshape(1600):forward(torch.rand(64, 5, 5)):size():totable(), 'x'), '1600')
   T.eq(table.concat(nn.Reshape(1024, false):forward(torch.rand(1, 32, 32)):size():totable(), 'x'), '1024')
   T.eq(table.concat(nn.Reshape(4, true):forward(torch.rand(2, 2, 2)):size():totable(), 'x'), '2x4')
   T.eq(tostring(nn.Reshape(5, 2, true)), 'nn.Reshape(5x2)')
   -- non-contiguous input is copied; the gradient has the input's shape
   local x = torch.rand(4, 3):t()
   local m = nn.Reshape(12)
   T.tensor_near(m:forward(x), x:contiguous():view(12), 0)
   T.eq(table.concat(m:backward(x, torch.rand(12)):size():totable(), 'x'), '3x4')
end

return tests
