-- Gradient checks (central differences in Double, inputs kept away from
-- kinks) for the input and every parameter of every module and criterion,
-- batch-vs-per-sample equality and Float-vs-Double agreement.
local T = require 'testlib'
require 'nn'
local tests = T.suite()

torch.setdefaulttensortype('torch.DoubleTensor')
local jac = nn.Jacobian
local PREC = 1e-5

-- every entry: name, builder, input sizes, [batch input sizes], [minval, maxval]
local modules = {
   {'Linear', function() return nn.Linear(4, 3) end, {4}, {3, 4}},
   {'LinearNoBias', function() return nn.Linear(4, 3):noBias() end, {4}, {2, 4}},
   {'SpatialConvolutionMM', function() return nn.SpatialConvolutionMM(2, 3, 3, 2, 2, 1, 1, 0) end,
      {2, 5, 6}, {2, 2, 5, 6}},
   {'SpatialConvolutionMMNoBias', function() return nn.SpatialConvolutionMM(2, 2, 2, 2):noBias() end,
      {2, 4, 5}, {2, 2, 4, 5}},
   {'SpatialConvolution', function() return nn.SpatialConvolution(2, 2, 2, 3, 1, 2, 1, 1) end,
      {2, 5, 4}, {2, 2, 5, 4}},
   {'SpatialConvolutionMap', function() return nn.SpatialConvolutionMap(nn.tables.full(2, 2), 3, 2, 1, 2) end,
      {2, 5, 6}, {2, 2, 5, 6}},
   {'SpatialAveragePooling', function() return nn.SpatialAveragePooling(3, 2, 2, 1, 1, 1) end,
      {2, 5, 6}, {2, 2, 5, 6}},
   {'SpatialAveragePoolingExcl', function() return nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1):setCountExcludePad() end,
      {2, 5, 6}, {2, 2, 5, 6}},
   {'SpatialLPPooling', function() return nn.SpatialLPPooling(2, 2, 2, 2) end, {2, 4, 6}, {2, 2, 4, 6}, 0.5, 2},
   {'SpatialZeroPadding', function() return nn.SpatialZeroPadding(1, 2, -1, 1) end, {2, 4, 3}, {2, 2, 4, 3}},
   {'SpatialSubtractiveNormalization1D', function()
      return nn.SpatialSubtractiveNormalization(2, torch.Tensor({0.3, 1, 0.3})) end, {2, 5, 6}, {2, 2, 5, 6}},
   {'SpatialSubtractiveNormalization2D', function()
      return nn.SpatialSubtractiveNormalization(3, torch.ones(3, 5)) end, {3, 6, 5}, {2, 3, 6, 5}},
   {'SpatialDivisiveNormalization1D', function()
      return nn.SpatialDivisiveNormalization(2, torch.Tensor({0.3, 1, 0.3})) end, {2, 5, 6}, {2, 2, 5, 6}},
   {'SpatialDivisiveNormalization2D', function()
      return nn.SpatialDivisiveNormalization(2, torch.ones(3, 3)) end, {2, 5, 5}, {2, 2, 5, 5}},
   {'SpatialContrastiveNormalization', function()
      return nn.SpatialContrastiveNormalization(2, torch.Tensor({0.3, 1, 0.3})) end, {2, 5, 6}, {2, 2, 5, 6}},
   {'Tanh', function() return nn.Tanh() end, {3, 4}},
   {'Sigmoid', function() return nn.Sigmoid() end, {3, 4}},
   {'SoftMax', function() return nn.SoftMax() end, {5}, {3, 5}},
   {'SoftMax3D', function() return nn.SoftMax() end, {3, 2, 2}, {2, 3, 2, 2}},
   {'LogSoftMax', function() return nn.LogSoftMax() end, {5}, {3, 5}},
   {'SoftMin', function() return nn.SoftMin() end, {5}, {3, 5}},
   {'Square', function() return nn.Square() end, {3, 4}},
   {'Sqrt', function() return nn.Sqrt() end, {3, 4}, nil, 0.2, 2},
   {'Power', function() return nn.Power(3) end, {3, 4}},
   {'MulConstant', function() return nn.MulConstant(-1.5) end, {3, 4}},
   {'Replicate', function() return nn.Replicate(3, 2) end, {2, 4}},
   {'Sum', function() return nn.Sum(2) end, {3, 4}},
   {'Mean', function() return nn.Mean(1) end, {3, 4}},
   {'Reshape', function() return nn.Reshape(2, 6) end, {3, 4}, {2, 3, 4}},
   {'View', function() return nn.View(6, 2) end, {3, 4}, {2, 3, 4}},
   {'Identity', function() return nn.Identity() end, {3, 4}},
   {'DropoutEval', function() local d = nn.Dropout(0.4); d:evaluate(); return d end, {3, 4}},
   {'SequentialMLP', function()
      return nn.Sequential():add(nn.Linear(4, 5)):add(nn.Tanh()):add(nn.Linear(5, 2)) end, {4}, {3, 4}},
   {'Concat', function() return nn.Concat(1):add(nn.Linear(4, 2)):add(nn.Linear(4, 3)) end, {4}},
}

-- kinked modules: the input is pushed away from the kinks
local kinked = {
   {'ReLU', function() return nn.ReLU() end, {3, 5}, {0}},
   {'Threshold', function() return nn.Threshold(0.3, -2) end, {3, 5}, {0.3}},
   {'HardTanh', function() return nn.HardTanh(-0.5, 1) end, {3, 5}, {-0.5, 1}},
}

local function check(name, m, input, lo, hi)
   local err = jac.testJacobian(m, input, lo, hi)
   if not (err < PREC) then error(string.format('%s: input Jacobian error %g', name, err), 2) end
   local params, grads = m:parameters()
   if params then
      for i = 1, #params do
         err = jac.testJacobianParameters(m, input, params[i], grads[i], lo, hi)
         if not (err < PREC) then error(string.format('%s: parameter %d Jacobian error %g', name, i, err), 2) end
      end
   end
   if m.weight then
      err = jac.testJacobianUpdateParameters(m, input, m.weight, lo, hi)
      if not (err < PREC) then error(string.format('%s: weight update error %g', name, err), 2) end
   end
end

function tests.jacobians()
   torch.manualSeed(123)
   for _, e in ipairs(modules) do
      local name, build, size, bsize, lo, hi = e[1], e[2], e[3], e[4], e[5], e[6]
      check(name, build(), torch.Tensor(table.unpack(size)), lo, hi)
      if bsize then
         check(name .. ' (batch)', build(), torch.Tensor(table.unpack(bsize)), lo, hi)
      end
   end
end

function tests.jacobians_kinked()
   torch.manualSeed(124)
   for _, e in ipairs(kinked) do
      local m = e[2]()
      local x = torch.Tensor(table.unpack(e[3])):uniform(-2, 2)
      for _, k in ipairs(e[4]) do
         x:apply(function(v) if math.abs(v - k) < 0.05 then return k + 0.05 end end)
      end
      local err = (jac.forward(m, x, x) - jac.backward(m, x)):abs():max()
      T.ok(err < PREC, e[1] .. ': Jacobian error ' .. err)
   end
end

function tests.max_pooling_jacobian()
   -- distinct values: no ties inside a window
   torch.manualSeed(125)
   for _, m in ipairs({nn.SpatialMaxPooling(2, 2), nn.SpatialMaxPooling(3, 2, 2, 1, 1, 1),
                       nn.SpatialMaxPooling(2, 2, 2, 2):ceil()}) do
      local x = torch.randperm(2 * 5 * 7):mul(0.1):view(2, 5, 7)
      local err = (jac.forward(m, x, x) - jac.backward(m, x)):abs():max()
      T.ok(err < PREC, tostring(m) .. ': Jacobian error ' .. err)
      local xb = torch.randperm(2 * 2 * 5 * 7):mul(0.1):view(2, 2, 5, 7)
      err = (jac.forward(m, xb, xb) - jac.backward(m, xb)):abs():max()
      T.ok(err < PREC, tostring(m) .. ' (batch): Jacobian error ' .. err)
   end
end

-- criterions: central differences of the loss
local function critCheck(name, c, input, target, lo, hi)
   input:uniform(lo or -1, hi or 1)
   c:forward(input, target)
   local g = c:backward(input, target):clone()
   local flat = input:view(input:nElement())
   local eps = 1e-6
   for i = 1, flat:nElement() do
      local orig = flat[i]
      flat[i] = orig + eps
      local fp = c:forward(input, target)
      flat[i] = orig - eps
      local fm = c:forward(input, target)
      flat[i] = orig
      local num = (fp - fm) / (2 * eps)
      if math.abs(num - g:view(-1)[i]) > PREC then
         error(string.format('%s: d loss / d x[%d] = %g by differences, %g by backward', name, i, num,
            g:view(-1)[i]), 2)
      end
   end
end

function tests.criterions()
   torch.manualSeed(126)
   critCheck('ClassNLL 1-D', nn.ClassNLLCriterion(), torch.Tensor(5), 3)
   critCheck('ClassNLL 2-D', nn.ClassNLLCriterion(), torch.Tensor(3, 5), torch.LongTensor({1, 5, 2}))
   local c = nn.ClassNLLCriterion(torch.Tensor({1, 2, 0.5, 1, 3}))
   critCheck('ClassNLL weighted', c, torch.Tensor(3, 5), torch.Tensor({1, 5, 2}))
   c.sizeAverage = false
   critCheck('ClassNLL weighted sum', c, torch.Tensor(3, 5), torch.Tensor({4, 5, 2}))
   critCheck('MSE', nn.MSECriterion(), torch.Tensor(3, 4), torch.rand(3, 4))
   critCheck('MSE sum', nn.MSECriterion(false), torch.Tensor(12), torch.rand(3, 4))
   -- hinge terms away from 0: margin 1 against inputs in [-0.2, 0.2] is always active
   critCheck('MultiMargin p=1', nn.MultiMarginCriterion(), torch.Tensor(3, 5), torch.LongTensor({1, 5, 2}), -0.2, 0.2)
   critCheck('MultiMargin p=2', nn.MultiMarginCriterion(2), torch.Tensor(5), 4)
   critCheck('MultiMargin weighted', nn.MultiMarginCriterion(1, torch.Tensor({1, 2, 0.5, 1, 3}), 0.8),
      torch.Tensor(2, 5), torch.LongTensor({3, 1}), -0.2, 0.2)
   critCheck('CrossEntropy', nn.CrossEntropyCriterion(), torch.Tensor(3, 5), torch.LongTensor({1, 5, 2}))
   critCheck('CrossEntropy 1-D', nn.CrossEntropyCriterion(), torch.Tensor(1, 5), 2)
   critCheck('BCE', nn.BCECriterion(), torch.Tensor(6), torch.Tensor({0, 1, 1, 0, 1, 0}), 0.1, 0.9)
   critCheck('BCE weighted', nn.BCECriterion(torch.Tensor({1, 2, 3})), torch.Tensor(2, 3),
      torch.Tensor({{0, 1, 1}, {1, 0, 0}}), 0.1, 0.9)
   -- |x - t| away from its kink: targets outside the input range
   critCheck('Abs', nn.AbsCriterion(), torch.Tensor(7), torch.Tensor({3, -3, 3, -3, 3, -3, 3}))
end

function tests.criterion_values()
   local x = torch.Tensor({{0.1, 0.7}, {0.4, 0.2}})
   local t = torch.Tensor({{1, 0}, {0, 1}})
   local bce = nn.BCECriterion():forward(x, t)
   local ref = -(math.log(0.1 + 1e-12) + math.log(0.3 + 1e-12) + math.log(0.6 + 1e-12) + math.log(0.2 + 1e-12)) / 4
   T.near(bce, ref, 1e-14)
   T.near(nn.AbsCriterion():forward(x, t), (0.9 + 0.7 + 0.4 + 0.8) / 4, 1e-15)
   local a = nn.AbsCriterion()
   a.sizeAverage = false
   T.near(a:forward(x, t), 0.9 + 0.7 + 0.4 + 0.8, 1e-15)
   -- a tie x == t has gradient +1 (THNN's rule)
   T.tensor_near(a:backward(torch.Tensor({1, 2, 3}), torch.Tensor({1, 3, 2})), {1, -1, 1}, 0)
   local ce = nn.CrossEntropyCriterion()
   local lsm = nn.LogSoftMax():forward(torch.Tensor({1, 2, 3}))
   T.near(ce:forward(torch.Tensor({1, 2, 3}), 2), -lsm[2], 1e-15)
   -- the input's shape comes back
   local g = ce:backward(torch.Tensor({{1, 2, 3}}), 2)
   T.eq(g:dim(), 2)
end

-- batch results equal per-sample results
function tests.batch_vs_samples()
   torch.manualSeed(127)
   for _, e in ipairs(modules) do
      local name, build, size, bsize = e[1], e[2], e[3], e[4]
      if bsize and name ~= 'Reshape' and name ~= 'View' then
         local m = build()
         local x = torch.Tensor(table.unpack(bsize)):uniform(0.2, 1.5)
         local y = m:forward(x):clone()
         local g = torch.Tensor():resizeAs(y):uniform(-1, 1)
         m:zeroGradParameters()
         local gi = m:backward(x, g):clone()
         local _, grads = m:parameters()
         local gsum = {}
         for i, gp in ipairs(grads or {}) do gsum[i] = gp:clone() end
         m:zeroGradParameters()
         for b = 1, x:size(1) do
            T.tensor_near(m:forward(x[b]), y[b], 1e-13, name .. ' forward sample ' .. b)
            T.tensor_near(m:backward(x[b], g[b]), gi[b], 1e-13, name .. ' backward sample ' .. b)
         end
         for i, gp in ipairs(grads or {}) do
            T.tensor_near(gp, gsum[i], 1e-12, name .. ' accumulated gradient ' .. i)
         end
      end
   end
end

-- the same module converted to Float gives the Double results to float
-- precision
function tests.float_vs_double()
   torch.manualSeed(128)
   for _, e in ipairs(modules) do
      local name, build, size = e[1], e[2], e[3]
      local m = build()
      local x = torch.Tensor(table.unpack(size)):uniform(0.2, 1.5)
      local y = m:forward(x):clone()
      local g = torch.Tensor():resizeAs(y):uniform(-1, 1)
      local gi = m:backward(x, g):clone()
      local mf = m:float()
      T.eq(mf:type(), 'torch.FloatTensor')
      local yf = mf:forward(x:float())
      T.eq(torch.typename(yf), 'torch.FloatTensor', name)
      T.tensor_near(yf, y, 1e-5, name .. ' float forward')
      T.tensor_near(mf:backward(x:float(), g:float()), gi, 1e-4, name .. ' float backward')
   end
end

-- modules taking a table of tensors: d sum(w . output) / d input_k by
-- central differences against gradInput[k] (w fixed random weights)
function tests.table_modules()
   torch.manualSeed(129)
   local cases = {
      {'JoinTable', nn.JoinTable(2), {{3, 2}, {3, 4}}},
      {'JoinTable negative dim', nn.JoinTable(-1), {{2, 3}, {2, 1}, {2, 2}}},
      {'JoinTable batch', nn.JoinTable(1, 1), {{2, 3}, {2, 2}}},
      {'CAddTable', nn.CAddTable(), {{3, 4}, {3, 4}, {3, 4}}},
      {'CSubTable', nn.CSubTable(), {{3, 4}, {3, 4}}},
      {'CDivTable', nn.CDivTable(), {{3, 4}, {3, 4}}},
   }
   for _, c in ipairs(cases) do
      local name, m = c[1], c[2]
      local inputs = {}
      for k, sz in ipairs(c[3]) do inputs[k] = torch.Tensor(table.unpack(sz)):uniform(0.5, 2) end
      local out = m:forward(inputs)
      local w = torch.Tensor():resizeAs(out):uniform(-1, 1)
      local f = function() return torch.cmul(m:forward(inputs), w):sum() end
      local gi = m:backward(inputs, w)
      T.eq(#gi, #inputs, name .. ': one gradient per input')
      local eps = 1e-6
      for k, x in ipairs(inputs) do
         local g = gi[k]:clone()
         local flat = x:view(x:nElement())
         for i = 1, flat:nElement() do
            local orig = flat[i]
            flat[i] = orig + eps
            local fp = f()
            flat[i] = orig - eps
            local fm = f()
            flat[i] = orig
            local num = (fp - fm) / (2 * eps)
            T.near(g:view(-1)[i], num, PREC, string.format('%s: input %d element %d', name, k, i))
         end
      end
   end
   -- JoinTable values
   local y = nn.JoinTable(1):forward({torch.Tensor({1, 2}), torch.Tensor({3})})
   T.tensor_near(y, {1, 2, 3}, 0)
   T.errors('inconsistent tensor sizes',
      function() nn.JoinTable(2):forward({torch.rand(2, 3), torch.rand(3, 3)}) end)
end

return tests
