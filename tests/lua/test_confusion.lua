-- optim.ConfusionMatrix: every case of tests/golden/confusion_matrix.out
-- byte for byte (tostring, the fields updateValids fills, float32 valids),
-- plus argument handling.
local T = require 'testlib'
local readfile = T.readfile
require 'optim'
local tests = T.suite()

-- Runs fn with io.write captured; returns the text.
local function capture(fn)
   local buf = {}
   local realwrite = io.write
   io.write = function(...)
      for _, s in ipairs({...}) do buf[#buf + 1] = tostring(s) end
   end
   local ok, err = pcall(fn)
   io.write = realwrite
   if not ok then error(err, 0) end
   return table.concat(buf)
end

-- Compares two texts line by line so a failure names the first bad line.
local function same_text(got, want)
   if got == want then return end
   local gl, wl = {}, {}
   for l in (got .. '\n'):gmatch('(.-)\n') do gl[#gl + 1] = l end
   for l in (want .. '\n'):gmatch('(.-)\n') do wl[#wl + 1] = l end
   for i = 1, math.max(#gl, #wl) do T.eq(gl[i], wl[i], 'line ' .. i) end
   T.eq(got, want)
end

-- Sum of the counts, read element by element.
local function total(cm)
   local s = 0
   for t = 1, cm.nclasses do for p = 1, cm.nclasses do s = s + cm.mat[t][p] end end
   return s
end

function tests.golden_all_cases()
   local out = capture(function() dofile('tests/golden/confusion_matrix.lua') end)
   same_text(out, readfile('tests/golden/confusion_matrix.out'))
end

function tests.spec_example_fields()
   local cm = optim.ConfusionMatrix({'a', 'b', 'c'})
   local rows = {{5, 1, 0}, {0, 3, 1}, {2, 0, 4}}
   for t = 1, 3 do for p = 1, 3 do for _ = 1, rows[t][p] do cm:add(p, t) end end end
   T.eq(torch.typename(cm), 'optim.ConfusionMatrix')
   T.eq(torch.typename(cm.mat), 'torch.LongTensor')
   T.eq(torch.typename(cm.valids), 'torch.FloatTensor')
   T.eq(cm.totalValid, 0)                 -- only tostring updates it
   local s = tostring(cm)
   T.eq(cm.totalValid, 0.75)
   -- float32 rates: 5/6 rounded to float, not the double
   T.eq(cm.valids[1], 0.83333331346511841)
   T.eq(cm.averageUnionValid, 0.59880954027175903)
   T.ok(s:find(' + global correct: 75%', 1, true), s)
end

function tests.missing_targets_ignored()
   local cm = optim.ConfusionMatrix(2)
   cm:add(1, 0)
   cm:add(2, -1)
   cm:add(torch.Tensor{0.2, 0.8}, 0)
   cm:batchAdd(torch.Tensor{1, 2}, torch.Tensor{0, 2})
   T.eq(total(cm), 1)
   T.eq(cm.mat[2][2], 1)
end

function tests.batchAdd_forms()
   local cm = optim.ConfusionMatrix(3)
   -- B x 1 predictions and one-hot target rows
   cm:batchAdd(torch.Tensor{{3}, {1}}, torch.Tensor{{0, 0, 1}, {0, 1, 0}})
   T.eq(cm.mat[3][3], 1)
   T.eq(cm.mat[2][1], 1)
   -- B x 1 targets
   cm:batchAdd(torch.Tensor{{0.1, 0.2, 0.7}}, torch.Tensor{{1}})
   T.eq(cm.mat[1][3], 1)
   T.eq(total(cm), 3)
   T.errors('predictions has invalid number of dimensions', cm.batchAdd, cm, torch.Tensor(1, 1, 3), torch.Tensor{1})
   T.errors('2 predictions for 1 targets', cm.batchAdd, cm, torch.Tensor{1, 2}, torch.Tensor{1})
end

function tests.argmax_ties_and_float32()
   local cm = optim.ConfusionMatrix(3)
   -- equal as float32 although different doubles: the first one wins
   cm:add(torch.Tensor{0.1, 0.1 + 1e-12, 0}, 1)
   T.eq(cm.mat[1][1], 1)
   cm:add(torch.FloatTensor{-1, -0.5, -2}, 2)
   T.eq(cm.mat[2][2], 1)
   -- a NaN score wins (TH's max), in add and in batchAdd
   cm:add(torch.Tensor{1, 0 / 0, 2}, 3)
   T.eq(cm.mat[3][2], 1)
   cm:batchAdd(torch.Tensor{{1, 0 / 0, 2}, {0.5, 0.5, 0.1}}, torch.Tensor{3, 3})
   T.eq(cm.mat[3][2], 2)
   T.eq(cm.mat[3][1], 1)
end

function tests.zero_resets()
   local cm = optim.ConfusionMatrix({'x', 'y'})
   cm:add(1, 1); cm:add(2, 1)
   tostring(cm)
   T.eq(cm.totalValid, 0.5)
   cm:zero()
   T.eq(total(cm), 0)
   T.eq(cm.totalValid, 0)
   T.eq(cm.averageValid, 0)
   T.eq(cm.valids[1], 0)
end

function tests.farFrr()
   local cm = optim.ConfusionMatrix(4)
   local rows = {{5, 1, 0, 0}, {0, 3, 1, 0}, {2, 0, 4, 0}, {0, 0, 0, 0}}
   for t = 1, 4 do for p = 1, 4 do for _ = 1, rows[t][p] do cm:add(p, t) end end end
   local cfrr, cfar, frr, far = cm:farFrr()
   T.tensor_near(cfrr, {1 / 6, 1 / 4, 1 / 3, -1}, 1e-15)
   T.tensor_near(cfar, {(0 / 4 + 2 / 6) / 2, (1 / 6 + 0 / 6) / 2, (0 / 6 + 1 / 4) / 2, -1}, 1e-15)
   T.tensor_near(frr, {1 / 6, 1 / 4, 1 / 3}, 1e-15)
   T.tensor_near(far, {1 / 6, 1 / 12, 1 / 8}, 1e-15)
   cm:zero()
   cfrr, cfar, frr = cm:farFrr()
   T.tensor_near(cfrr, {-1, -1, -1, -1}, 0)
   T.eq(frr:nElement(), 0)
end

function tests.bad_input()
   T.errors('number of classes', optim.ConfusionMatrix, 'abc')
   T.errors('number of classes', optim.ConfusionMatrix, 0)
   local cm = optim.ConfusionMatrix(3)
   T.errors('class out of range', cm.add, cm, 4, 1)
   T.errors('class out of range', cm.add, cm, 1, 4)
   T.errors('class numbers expected', cm.add, cm, 1, 'a')
   T.errors('1-D tensor of scores', cm.add, cm, torch.Tensor(2, 3), 1)
   T.errors('target must be a class number or a 1-D tensor', cm.add, cm, torch.Tensor{1, 2, 3}, torch.Tensor(2, 2))
end

return tests
