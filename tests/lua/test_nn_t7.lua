-- nn objects written by real Torch7 (tests/golden/t7/nn_*.t7, made by
-- tests/golden/t7_objects.lua) load as working Ember modules with the same
-- fields, weights and state as Ember builds them; Ember-saved modules load
-- back identical.
local T = require 'testlib'
require 'nn'
local tests = T.suite()

torch.setdefaulttensortype('torch.DoubleTensor')
local DIR = 'tests/golden/t7/'

local function fieldTypes(obj)
   local keys = {}
   for k, v in pairs(obj) do keys[#keys + 1] = k .. ':' .. torch.type(v) end
   table.sort(keys)
   return table.concat(keys, ' ')
end

function tests.linear_fields_and_weights()
   for _, mode in ipairs({'bin', 'ascii'}) do
      local m = torch.load(DIR .. 'nn_linear.' .. mode .. '.t7', mode == 'bin' and 'binary' or 'ascii')
      T.eq(torch.typename(m), 'nn.Linear')
      torch.manualSeed(1)
      local e = nn.Linear(3, 2)
      e:zeroGradParameters()
      T.eq(fieldTypes(m), fieldTypes(e))
      T.tensor_near(m.weight, e.weight, 0)
      T.tensor_near(m.bias, e.bias, 0)
      T.eq(tostring(m), 'nn.Linear(3 -> 2)')
      local x = torch.Tensor({0.5, -1, 2})
      T.tensor_near(m:forward(x), e:forward(x), 0)
   end
end

function tests.sequential_flat_state()
   local m = torch.load(DIR .. 'nn_sequential_flat.bin.t7')
   T.eq(torch.typename(m), 'nn.Sequential')
   T.eq(#m.modules, 2)
   -- Torch7 saved it after getParameters(): one storage for weight and bias
   local l = m:get(1)
   T.eq(torch.pointer(l.weight:storage()), torch.pointer(l.bias:storage()))
   T.eq(l.bias:storageOffset(), 7)
   -- the same construction, forward and backward in Ember
   torch.manualSeed(1)
   local e = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
   e:getParameters()
   e:zeroGradParameters()
   local x = torch.Tensor({0.5, -1, 2})
   e:forward(x)
   e:backward(x, torch.Tensor({1, -1}))
   T.eq(fieldTypes(m), fieldTypes(e))
   T.eq(fieldTypes(l), fieldTypes(e:get(1)))
   T.tensor_near(l.gradWeight, e:get(1).gradWeight, 0)
   T.tensor_near(l.gradBias, e:get(1).gradBias, 0)
   T.tensor_near(m.output, e.output, 0)
   T.tensor_near(m.gradInput, e.gradInput, 0)
   -- the aliasing of the container's output survives loading
   T.ok(m.output == m:get(2).output)
   -- and it keeps working: getParameters, training step
   local p, g = m:getParameters()
   T.eq(p:nElement(), 8)
   g:zero()
   m:forward(x)
   m:backward(x, torch.Tensor({1, -1}))
   T.tensor_near(g:narrow(1, 1, 6), e:get(1).gradWeight, 0)
end

function tests.criterion()
   local c = torch.load(DIR .. 'nn_criterion.bin.t7')
   T.eq(torch.typename(c), 'nn.ClassNLLCriterion')
   T.eq(fieldTypes(c), fieldTypes(nn.ClassNLLCriterion()))
   local x = torch.Tensor({-1, -2, -0.5})
   T.near(c:forward(x, 2), 2, 0)
end

function tests.ember_round_trip()
   torch.manualSeed(2)
   local m = nn.Sequential():add(nn.SpatialConvolutionMM(1, 2, 3, 3)):add(nn.Tanh())
      :add(nn.SpatialMaxPooling(2, 2)):add(nn.View(8)):add(nn.Linear(8, 3)):add(nn.LogSoftMax())
   local x = torch.rand(1, 6, 6)
   local y = m:forward(x):clone()
   local name = os.tmpname()
   torch.save(name, m)
   local r = torch.load(name)
   os.remove(name)
   T.eq(tostring(r), tostring(m))
   T.tensor_near(r:forward(x), y, 0)
   T.tensor_near(r:get(5).weight, m:get(5).weight, 0)
end

return tests
