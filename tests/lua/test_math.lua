-- test_math: the Lua API of tensor math (argument forms, results by hand,
-- error messages).  Kernels themselves are tested against naive loops in
-- tests/c/test_math.c; here the point is that every Torch7 calling form
-- reaches the right kernel with the right operands.
local T = require 'testlib'
local tests = T.suite()

local function D(...) return torch.DoubleTensor(...) end

-- element-wise -----------------------------------------------------------------

function tests.add_forms()
   local x = D{1, 2, 3}
   T.ok(x:add(1) == x, 'add returns self')
   T.tensor_near(x, {2, 3, 4})
   x:add(D{1, 1, 1})
   T.tensor_near(x, {3, 4, 5})
   x:add(2, D{1, 2, 3})                       -- x = x + 2 y
   T.tensor_near(x, {5, 8, 11})
   x:add(D{1, 2, 3}, 10)                      -- x = y + 10
   T.tensor_near(x, {11, 12, 13})
   x:add(D{1, 2, 3}, D{10, 20, 30})           -- x = y + z
   T.tensor_near(x, {11, 22, 33})
   x:add(D{1, 2, 3}, -1, D{1, 1, 1})          -- x = y - z
   T.tensor_near(x, {0, 1, 2})
   local y = D{1, 2}
   local r = torch.add(y, 5)
   T.tensor_near(r, {6, 7}); T.tensor_near(y, {1, 2})
   T.tensor_near(torch.add(y, y), {2, 4})
   T.tensor_near(torch.add(y, 3, y), {4, 8})
   local res = torch.Tensor()
   T.ok(torch.add(res, y, 1) == res)
   T.tensor_near(res, {2, 3})
   torch.add(res, y, 2, y)
   T.tensor_near(res, {3, 6})
   -- chaining: t:add(-m):div(s)
   local c = D{2, 4, 6}:add(-2):div(2)
   T.tensor_near(c, {0, 1, 2})
end

function tests.csub_mul_div()
   local x = D{5, 6}
   x:csub(1)
   T.tensor_near(x, {4, 5})
   x:csub(2, D{1, 1})
   T.tensor_near(x, {2, 3})
   T.tensor_near(torch.csub(D{5, 5}, D{1, 2}), {4, 3})
   T.tensor_near(D{1, 2}:mul(3), {3, 6})
   T.tensor_near(torch.mul(D{1, 2}, -1), {-1, -2})
   local r = D(2)
   r:mul(D{2, 3}, 2)
   T.tensor_near(r, {4, 6})
   T.tensor_near(D{1, 3}:div(2), {0.5, 1.5})
   -- integer division truncates like C
   local i = torch.IntTensor{7, -7}:div(2)
   T.eq(i[1], 3); T.eq(i[2], -3)
   T.eq(math.type(i[1]), 'integer')
   T.tensor_near(torch.IntTensor{7, -7}:fmod(3), {1, -1})
   T.tensor_near(torch.IntTensor{7, -7}:remainder(3), {1, 2})
   T.tensor_near(D{5.5, -5.5}:fmod(2), {1.5, -1.5})
   T.tensor_near(D{5.5, -5.5}:remainder(2), {1.5, 0.5})
   T.tensor_near(D{5.5, -5.5}:mod(2), {1.5, -1.5})
   T.errors('division by zero', function() torch.IntTensor{1}:div(0) end)
end

function tests.element_count_rule()
   -- a 4-vector plus a 2x2 matrix: legal, result has the first operand's shape
   local p = D{1, 2, 3, 4}
   local m = D{{10, 20}, {30, 40}}
   local r = p - m
   T.eq(r:dim(), 1)
   T.tensor_near(r, {-9, -18, -27, -36})
   local e = T.errors('inconsistent tensor size', function() D{1, 2}:add(D{1, 2, 3}) end)
   T.ok(e:find('2 and 3 elements', 1, true), e)
   T.errors('inconsistent tensor size', function() D{1, 2}:cmul(D{1, 2, 3}) end)
end

function tests.cwise_forms()
   local x = D{1, 2, 3}
   x:cmul(D{2, 2, 2})
   T.tensor_near(x, {2, 4, 6})
   x:cdiv(D{2, 4, 3})
   T.tensor_near(x, {1, 1, 2})
   local r = D()
   r:cmul(D{1, 2}, D{3, 4})
   T.tensor_near(r, {3, 8})
   T.tensor_near(torch.cmul(D{1, 2}, D{3, 4}), {3, 8})
   T.tensor_near(torch.cpow(D{2, 3}, D{3, 2}), {8, 9})
   T.tensor_near(torch.cmax(D{1, 5}, D{3, 2}), {3, 5})
   T.tensor_near(torch.cmin(D{1, 5}, 2), {1, 2})
   T.tensor_near(D{1, 5}:cmax(3), {3, 5})
   T.tensor_near(torch.cfmod(D{5, -5}, D{3, 3}), {2, -2})
   T.tensor_near(torch.cremainder(D{5, -5}, D{3, 3}), {2, 1})
   T.near(torch.atan2(D{1}, D{1})[1], math.pi / 4)
   T.tensor_near(torch.max(D{1, 5}, D{3, 2}), {3, 5})
end

function tests.addcmul_addcdiv()
   local x = D{1, 1}
   x:addcmul(D{2, 3}, D{4, 5})
   T.tensor_near(x, {9, 16})
   x:addcmul(0.5, D{2, 2}, D{1, 2})
   T.tensor_near(x, {10, 18})
   x:addcmul(D{0, 0}, 2, D{1, 2}, D{3, 3})    -- x = y + v a b
   T.tensor_near(x, {6, 12})
   x:addcdiv(D{1, 1}, D{2, 4})
   T.tensor_near(x, {6.5, 12.25})
   T.tensor_near(torch.addcmul(D{1, 1}, 2, D{1, 2}, D{3, 4}), {7, 17})
   T.tensor_near(torch.addcdiv(D{1, 1}, D{1, 2}, D{2, 2}), {1.5, 2})
end

function tests.unary_forms()
   local x = D{1, 4, 9}
   T.ok(x:sqrt() == x)
   T.tensor_near(x, {1, 2, 3})
   local y = torch.sqrt(D{4})
   T.tensor_near(y, {2})
   local r = D()
   r:exp(D{0, 1})
   T.tensor_near(r, {1, math.exp(1)})
   torch.log(r, D{1})
   T.tensor_near(r, {0})
   T.near(torch.exp(1), math.exp(1))
   T.near(torch.sigmoid(0), 0.5)
   T.tensor_near(D{-1.5, 2.5}:abs(), {1.5, 2.5})
   T.tensor_near(D{-1.5, 2.5}:floor(), {-2, 2})
   T.tensor_near(D{-1.5, 2.5}:ceil(), {-1, 3})
   T.tensor_near(D{-1.5, 2.5}:round(), {-2, 3})
   T.tensor_near(D{-1.5, 2.5}:trunc(), {-1, 2})
   T.tensor_near(D{-1.5, 2.5}:frac(), {-0.5, 0.5})
   T.tensor_near(D{-1.5, 2}:neg(), {1.5, -2})
   T.tensor_near(D{2, 4}:cinv(), {0.5, 0.25})
   T.tensor_near(D{4}:rsqrt(), {0.5})
   T.tensor_near(D{-2, 0, 3}:sign(), {-1, 0, 1})
   T.tensor_near(torch.IntTensor{-2, 3}:abs(), {2, 3})
   T.tensor_near(torch.FloatTensor{0}:tanh(), {0})
   T.tensor_near(D{0}:sigmoid(), {0.5})
   T.tensor_near(D{0}:cos(), {1})
   T.tensor_near(D{1, 2}:clamp(1.5, 1.8), {1.5, 1.8})
   T.tensor_near(torch.clamp(D{-1, 5}, 0, 2), {0, 2})
   T.tensor_near(D{0, 1}:lerp(D{2, 3}, 0.5), {1, 2})
   -- Float/Double only methods do not exist on the other types
   T.errors("attempt to call a nil value (method 'mean')", function() torch.ByteTensor{1}:mean() end)
   T.errors("attempt to call a nil value (method 'log')", function() torch.LongTensor{1}:log() end)
   T.errors('only Float and Double', function() torch.log(torch.IntTensor{1}) end)
   T.eq(torch.ByteTensor{1}.abs, nil)
   T.ok(torch.IntTensor{1}.abs ~= nil)
end

function tests.pow_forms()
   T.tensor_near(D{2, 3}:pow(2), {4, 9})
   T.tensor_near(torch.pow(D{2, 3}, 3), {8, 27})
   T.tensor_near(torch.pow(2, D{2, 3}), {4, 8})        -- tpow
   local r = D()
   r:pow(D{4}, 0.5)
   T.tensor_near(r, {2})
   r:pow(3, D{2})
   T.tensor_near(r, {9})
end

-- BLAS-shaped ------------------------------------------------------------------------

function tests.dot_mv_mm()
   local a, b = D{1, 2, 3}, D{4, 5, 6}
   T.eq(a:dot(b), 32)
   T.eq(torch.dot(a, b), 32)
   T.eq(math.type(torch.IntTensor{1, 2}:dot(torch.IntTensor{3, 4})), 'integer')
   local M = D{{1, 2}, {3, 4}}
   T.tensor_near(torch.mv(M, D{1, 1}), {3, 7})
   local r = D()
   T.ok(r:mv(M, D{1, 0}) == r)
   T.tensor_near(r, {1, 3})
   T.tensor_near(torch.mm(M, M), {{7, 10}, {15, 22}})
   T.tensor_near(torch.mm(M:t(), M), {{10, 14}, {14, 20}})
   T.tensor_near(torch.ger(D{1, 2}, D{3, 4, 5}), {{3, 4, 5}, {6, 8, 10}})
   T.tensor_near(torch.LongTensor{{1, 2}, {3, 4}} * torch.LongTensor{{1, 0}, {0, 1}}, {{1, 2}, {3, 4}})
   local e = T.errors('invalid arguments', function() M:mv(D{1, 1}) end)
   T.ok(e:find('DoubleTensor DoubleTensor \nexpected arguments: *DoubleTensor* DoubleTensor~2D DoubleTensor~1D', 1, true), e)
   T.errors('size mismatch, m1: [2 x 2], m2: [3 x 1]', function() torch.mm(M, D(3, 1)) end)
   T.errors('invalid arguments', function() M:mm(M) end)
end

function tests.addmm_forms()
   local A = D{{1, 2}, {3, 4}}
   local B = D{{1, 0}, {0, 1}}
   local out = D{{1, 1}, {1, 1}}
   out:addmm(A, B)                             -- out = out + A B
   T.tensor_near(out, {{2, 3}, {4, 5}})
   out:addmm(0, out, 1, A, B)                  -- beta 0: out = A B
   T.tensor_near(out, {{1, 2}, {3, 4}})
   out:addmm(0, 1, A, B)                       -- g:addmm(0, 1, A, B)
   T.tensor_near(out, {{1, 2}, {3, 4}})
   out:addmm(2, A, B)                          -- gw:addmm(scale, A, B): alpha
   T.tensor_near(out, {{3, 6}, {9, 12}})
   out:addmm(D{{1, 1}, {1, 1}}, A, B)          -- t given
   T.tensor_near(out, {{2, 3}, {4, 5}})
   out:addmm(D{{1, 1}, {1, 1}}, 10, A, B)      -- t, alpha
   T.tensor_near(out, {{11, 21}, {31, 41}})
   out:addmm(2, D{{1, 1}, {1, 1}}, 3, A, B)    -- beta, t, alpha
   T.tensor_near(out, {{5, 8}, {11, 14}})
   T.tensor_near(torch.addmm(D{{1, 1}, {1, 1}}, A, B), {{2, 3}, {4, 5}})
   T.tensor_near(torch.addmm(0.5, D{{2, 2}, {2, 2}}, 2, A, B), {{3, 5}, {7, 9}})
   local r = D()
   torch.addmm(r, D{{1, 1}, {1, 1}}, A, B)
   T.tensor_near(r, {{2, 3}, {4, 5}})
   -- addmv / addr follow the same forms
   local y = D{1, 1}
   y:addmv(A, D{1, 1})
   T.tensor_near(y, {4, 8})
   y:addmv(0, 2, A, D{1, 0})
   T.tensor_near(y, {2, 6})
   T.tensor_near(torch.addmv(D{1, 1}, A, D{1, 1}), {4, 8})
   local m = D(2, 2):zero()
   m:addr(D{1, 2}, D{3, 4})
   T.tensor_near(m, {{3, 4}, {6, 8}})
   m:addr(2, D{1, 0}, D{1, 0})
   T.tensor_near(m, {{5, 4}, {6, 8}})
   T.errors('size mismatch', function() D(3):addmv(A, D{1, 1}) end)
   T.errors('invalid arguments', function() out:addmm(A) end)
end

function tests.batched()
   local b1 = D(2, 2, 3):fill(1)
   local b2 = D(2, 3, 2):fill(2)
   T.tensor_near(torch.bmm(b1, b2), D(2, 2, 2):fill(6))
   T.tensor_near(torch.baddbmm(D(2, 2, 2):fill(1), b1, b2), D(2, 2, 2):fill(7))
   T.tensor_near(torch.addbmm(D(2, 2):fill(1), b1, b2), D(2, 2):fill(13))
   local r = D(2, 2):fill(1)
   r:addbmm(0.5, 2, b1, b2)
   T.tensor_near(r, D(2, 2):fill(24.5))
end

-- reductions -------------------------------------------------------------------------

function tests.sum_mean_std()
   local x = D{{1, 2, 3}, {4, 5, 6}}
   T.eq(x:sum(), 21)
   T.eq(math.type(torch.IntTensor{1, 2}:sum()), 'integer')
   T.eq(math.type(x:sum()), 'float')
   T.tensor_near(x:sum(1), {{5, 7, 9}})
   T.eq(x:sum(1):dim(), 2)
   T.eq(x:sum(2):size(1), 2); T.eq(x:sum(2):size(2), 1)
   T.tensor_near(torch.sum(x, 2), {{6}, {15}})
   local r = D()
   torch.sum(r, x, 2)
   T.tensor_near(r, {{6}, {15}})
   T.eq(x:prod(), 720)
   T.tensor_near(x:prod(1), {{4, 10, 18}})
   T.eq(x:mean(), 3.5)
   T.tensor_near(x:mean(2), {{2}, {5}})
   -- unbiased by default; true = biased
   T.near(D{1, 2, 3, 4}:std(), math.sqrt(5 / 3))
   T.near(D{1, 2, 3, 4}:std(true), math.sqrt(5 / 4))
   T.near(D{1, 2, 3, 4}:var(), 5 / 3)
   T.tensor_near(x:std(2), {{1}, {1}})
   T.tensor_near(x:var(1, true), {{2.25, 2.25, 2.25}})
   T.eq(torch.FloatTensor{1e8, 1, -1e8}:sum(), 1)
   -- TH sums in double only along a unit-stride dim; otherwise in the element type
   T.tensor_near(torch.FloatTensor{{1e8, 1, -1e8}}:sum(2), {{1}})
   T.tensor_near(torch.FloatTensor{{1e8, 0}, {1, 0}, {-1e8, 0}}:sum(1), {{0, 0}})
   T.tensor_near(torch.FloatTensor{{1e8, 0}, {1, 0}, {-1e8, 0}}:t():sum(2), {{0}, {0}})
   T.tensor_near(torch.FloatTensor{{1e8, 0}, {1, 0}, {-1e8, 0}}:t():clone():sum(2), {{1}, {0}})
   T.tensor_near(x:cumsum(), {{1, 2, 3}, {5, 7, 9}})
   T.tensor_near(x:cumsum(2), {{1, 3, 6}, {4, 9, 15}})
   T.tensor_near(x:cumprod(2), {{1, 2, 6}, {4, 20, 120}})
   T.eq(x:norm(), math.sqrt(91))
   T.eq(x:norm(1), 21)
   T.tensor_near(x:norm(1, 2), {{6}, {15}})
   T.near(D{1, 1}:dist(D{2, 3}), math.sqrt(5))
   T.eq(D{1, 1}:dist(D{2, 3}, 1), 3)
   T.eq(D{{1, 2}, {3, 4}}:trace(), 5)
end

function tests.max_min()
   local x = D{{1, 5, 5}, {7, 2, 7}}
   T.eq(x:max(), 7)
   T.eq(x:min(), 1)
   T.eq(math.type(torch.LongTensor{3, 9}:max()), 'integer')
   local v, i = x:max(2)
   T.tensor_near(v, {{5}, {7}})
   T.tensor_near(i, {{2}, {1}})                -- first occurrence
   T.eq(torch.type(i), 'torch.LongTensor')
   local v1, i1 = torch.min(x, 1)
   T.tensor_near(v1, {{1, 2, 5}})
   T.tensor_near(i1, {{1, 2, 1}})
   local rv, ri = D(), torch.LongTensor()
   torch.max(rv, ri, x, 1)
   T.tensor_near(rv, {{7, 5, 7}}); T.tensor_near(ri, {{2, 1, 2}})
   T.errors('out of range', function() x:max(3) end)
   T.ok(D{1, 0 / 0, 3}:max() ~= D{1, 0 / 0, 3}:max(), 'NaN wins')
end

function tests.sort_topk_median()
   local x = D{3, 1, 2, 5, 4}
   local v, i = x:sort()
   T.tensor_near(v, {1, 2, 3, 4, 5}); T.tensor_near(i, {2, 3, 1, 5, 4})
   v, i = x:sort(true)
   T.tensor_near(v, {5, 4, 3, 2, 1})
   -- ties come out in the order of TH's quicksort (its final insertion pass here)
   v, i = D{3, 1, 2, 1, 5}:sort(true)
   T.tensor_near(v, {5, 3, 2, 1, 1}); T.tensor_near(i, {5, 1, 3, 2, 4})
   v, i = D{3, 1, 2, 1, 5}:sort()
   T.tensor_near(i, {2, 4, 3, 1, 5})
   v, i = torch.sort(D{{3, 1}, {0, 2}}, 1)
   T.tensor_near(v, {{0, 1}, {3, 2}}); T.tensor_near(i, {{2, 1}, {1, 2}})
   v, i = x:topk(2)                            -- smallest by default
   T.tensor_near(v:sort(), {1, 2})
   v, i = x:topk(2, 1, true, true)
   T.tensor_near(v, {5, 4}); T.tensor_near(i, {4, 5})
   v, i = x:median()
   T.tensor_near(v, {3}); T.tensor_near(i, {1})
   v, i = D{{1, 9, 5, 7}}:median()             -- last dim, lower median
   T.tensor_near(v, {{5}}); T.tensor_near(i, {{3}})
   v, i = x:kthvalue(2)
   T.tensor_near(v, {2}); T.tensor_near(i, {3})
   v, i = D{1, 2, 2, 3}:mode()
   T.tensor_near(v, {2})
end

function tests.all_any_histc()
   T.eq(torch.ByteTensor{1, 1}:all(), true)
   T.eq(torch.ByteTensor{1, 0}:all(), false)
   T.eq(torch.ByteTensor{0, 0}:any(), false)
   T.eq(D{1, 2, 3}:gt(2):any(), true)
   T.eq(D{1}.all, nil)
   T.tensor_near(D{1, 2, 2, 3, 5}:histc(4), {1, 2, 1, 1})
   T.tensor_near(D{1, 2, 2, 3, 5}:histc(2, 0, 4), {1, 3})
end

-- comparisons and masks ----------------------------------------------------------------

function tests.comparisons()
   local x = D{1, 2, 3}
   local b = x:gt(1.5)
   T.eq(torch.type(b), 'torch.ByteTensor')
   T.tensor_near(b, {0, 1, 1})
   T.tensor_near(torch.le(x, 2), {1, 1, 0})
   T.tensor_near(x:eq(D{1, 0, 3}), {1, 0, 1})
   T.tensor_near(torch.ne(x, D{1, 0, 3}), {0, 1, 0})
   local into = torch.ByteTensor()
   T.ok(into:lt(x, 3) == into)
   T.tensor_near(into, {1, 1, 0})
   local same = D()
   same:ge(x, 2)
   T.eq(torch.type(same), 'torch.DoubleTensor')
   T.tensor_near(same, {0, 1, 1})
   T.eq(torch.equal(x, D{1, 2, 3}), true)
   T.eq(torch.equal(x, D{1, 2, 4}), false)
   T.eq(x:equal(D{{1, 2, 3}}), false)
   T.errors('ByteTensor or a DoubleTensor', function() torch.IntTensor():gt(x, 1) end)
end

function tests.masks_and_index()
   local x = D{{1, 2}, {3, 4}}
   local m = x:gt(2)
   T.tensor_near(x:maskedSelect(m), {3, 4})
   T.tensor_near(x[m], {3, 4})
   local y = x:clone()
   y:maskedFill(m, 0)
   T.tensor_near(y, {{1, 2}, {0, 0}})
   y[m] = 9
   T.tensor_near(y, {{1, 2}, {9, 9}})
   y:maskedCopy(m, D{7, 8})
   T.tensor_near(y, {{1, 2}, {7, 8}})
   local nz = D{0, 5, 0, 6}:nonzero()
   T.eq(torch.type(nz), 'torch.LongTensor')
   T.tensor_near(nz, {{2}, {4}})
   T.tensor_near(x:nonzero(), {{1, 1}, {1, 2}, {2, 1}, {2, 2}})
   local idx = torch.LongTensor{2, 1, 2}
   T.tensor_near(x:index(1, idx), {{3, 4}, {1, 2}, {3, 4}})
   T.tensor_near(torch.index(x, 2, torch.LongTensor{2}), {{2}, {4}})
   local z = D(2, 3):zero()
   z:indexCopy(2, torch.LongTensor{3, 1}, x)
   T.tensor_near(z, {{2, 0, 1}, {4, 0, 3}})
   z:indexAdd(2, torch.LongTensor{3}, D{{10}, {20}})
   T.tensor_near(z, {{2, 0, 11}, {4, 0, 23}})
   z:indexFill(1, torch.LongTensor{1}, -1)
   T.tensor_near(z, {{-1, -1, -1}, {4, 0, 23}})
   T.tensor_near(x:gather(2, torch.LongTensor{{2, 2}, {1, 2}}), {{2, 2}, {3, 4}})
   local s = D(2, 2):zero()
   s:scatter(2, torch.LongTensor{{2}, {1}}, D{{5}, {6}})
   T.tensor_near(s, {{0, 5}, {6, 0}})
   s:scatter(1, torch.LongTensor{{1, 1}}, 3)
   T.tensor_near(s, {{3, 3}, {6, 0}})
   -- an index read from a DoubleTensor (3.0) is accepted where an integer is
   T.tensor_near(x:index(1.0, torch.LongTensor{1}), {{1, 2}})
   T.errors('out of range', function() x:index(1, torch.LongTensor{3}) end)
   T.errors('0 and 1 values only', function() x:maskedFill(torch.ByteTensor{{2, 0}, {0, 0}}, 1) end)
   T.errors('0 and 1 values only', function() return x[torch.ByteTensor{{1, 0}, {0, 3}}] end)
   T.errors('LongTensor expected', function() x:index(1, D{1}) end)
end

-- construction -------------------------------------------------------------------------

function tests.construction()
   local z = torch.zeros(2, 3)
   T.eq(torch.type(z), 'torch.DoubleTensor')
   T.eq(z:size(1), 2); T.eq(z:size(2), 3); T.eq(z:sum(), 0)
   T.eq(torch.ones(4):sum(), 4)
   T.eq(torch.ones(torch.LongStorage{2, 2}):sum(), 4)
   T.eq(torch.zeros(0):dim(), 0)
   T.eq(torch.zeros(2, 0, 3):dim(), 1)
   local f = torch.FloatTensor()
   T.ok(f:ones(3) == f)
   T.tensor_near(f, {1, 1, 1})
   f:zeros(2)
   T.tensor_near(f, {0, 0})
   T.tensor_near(torch.range(1, 4), {1, 2, 3, 4})
   T.tensor_near(torch.range(0, 1, 0.5), {0, 0.5, 1})
   T.tensor_near(torch.range(3, 1, -1), {3, 2, 1})
   T.tensor_near(torch.linspace(0, 1, 5), {0, 0.25, 0.5, 0.75, 1})
   T.eq(torch.linspace(0, 1):size(1), 100)
   T.tensor_near(torch.logspace(0, 2, 3), {1, 10, 100}, 1e-12)
   T.tensor_near(torch.eye(2), {{1, 0}, {0, 1}})
   T.tensor_near(torch.eye(2, 3), {{1, 0, 0}, {0, 1, 0}})
   local l = torch.LongTensor():range(1, 3)
   T.eq(torch.type(l), 'torch.LongTensor'); T.tensor_near(l, {1, 2, 3})
   T.errors('step', function() torch.range(1, 2, 0) end)
   local saved = torch.getdefaulttensortype()
   torch.setdefaulttensortype('torch.FloatTensor')
   T.eq(torch.type(torch.zeros(1)), 'torch.FloatTensor')
   torch.setdefaulttensortype(saved)
end

function tests.type_name_argument()
   T.eq(torch.type(torch.zeros(2, 3, 'torch.FloatTensor')), 'torch.FloatTensor')
   T.tensor_near(torch.ones(2, 'torch.IntTensor'), {1, 1})
   local r = torch.range(1, 3, 'torch.LongTensor')
   T.eq(torch.type(r), 'torch.LongTensor'); T.tensor_near(r, {1, 2, 3})
   T.eq(torch.type(torch.eye(2, 'torch.ByteTensor')), 'torch.ByteTensor')
   T.errors('tensor type name expected', function() torch.zeros(2, 'torch.Nope') end)
end

function tests.conv2()
   local x = D{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}
   local k = D{{1, 0}, {0, -1}}
   T.tensor_near(torch.xcorr2(x, k), {{-4, -4}, {-4, -4}})
   T.tensor_near(torch.conv2(x, k), {{4, 4}, {4, 4}})
   T.tensor_near(torch.conv2(D{{1}}, k, 'F'), {{1, 0}, {0, -1}})
   T.tensor_near(torch.xcorr2(D{{1}}, k, 'F'), {{-1, 0}, {0, 1}})
   -- 3D input with a 4D kernel sums over the input planes
   local x3 = torch.cat({x:view(1, 3, 3), x:view(1, 3, 3)}, 1)
   local k4 = torch.cat({k:view(1, 1, 2, 2), k:view(1, 1, 2, 2)}, 2)
   T.tensor_near(torch.xcorr2(x3, k4), {{{-8, -8}, {-8, -8}}})
   T.errors('smaller than kernel', function() torch.conv2(k, x) end)
   -- 3-D: a 2x2x2 cube of ones against a 1x1x2 kernel
   local c = torch.xcorr3(D(2, 2, 2):fill(1), D{{{1, 2}}})
   T.eq(c:dim(), 3); T.eq(c:size(3), 1); T.tensor_near(c, {{{3}, {3}}, {{3}, {3}}})
   T.tensor_near(torch.conv3(D{{{1}}}, D{{{1, 2}}}, 'F'), {{{1, 2}}})
   T.errors('only Float and Double', function() torch.conv2(torch.IntTensor(3, 3), torch.IntTensor(2, 2)) end)
end

function tests.cat_diag_tri_cross()
   T.tensor_near(torch.cat(D{1, 2}, D{3}), {1, 2, 3})
   T.tensor_near(torch.cat({D{1}, D{2}, D{3}}), {1, 2, 3})
   local a, b = D{{1, 2}}, D{{3, 4}}
   T.tensor_near(torch.cat(a, b), {{1, 2, 3, 4}})         -- last dim by default
   T.tensor_near(torch.cat(a, b, 1), {{1, 2}, {3, 4}})
   T.tensor_near(torch.cat({a, b}, 1), {{1, 2}, {3, 4}})
   T.tensor_near(a:cat(b, 1), {{1, 2}, {3, 4}})
   local r = D()
   torch.cat(r, a, b, 1)
   T.tensor_near(r, {{1, 2}, {3, 4}})
   T.errors('inconsistent tensor sizes', function() torch.cat(D(2, 2), D(3, 3), 1) end)
   T.errors('invalid dimension 0', function() torch.cat(a, b, 0) end)
   T.errors('invalid dimension 0', function() D{1, 0, 0}:cross(D{0, 1, 0}, 0) end)
   T.tensor_near(D{1, 2}:diag(), {{1, 0}, {0, 2}})
   T.tensor_near(D{{1, 2}, {3, 4}}:diag(), {1, 4})
   T.tensor_near(D{{1, 2}, {3, 4}}:diag(1), {2})
   T.tensor_near(D{{1, 2}, {3, 4}}:tril(), {{1, 0}, {3, 4}})
   T.tensor_near(D{{1, 2}, {3, 4}}:triu(), {{1, 2}, {0, 4}})
   T.tensor_near(D{1, 0, 0}:cross(D{0, 1, 0}), {0, 0, 1})
end

function tests.renorm()
   local x = D{{3, 4}, {0.3, 0.4}}
   local r = x:clone():renorm(2, 1, 1)
   T.tensor_near(r, {{3 / (5 + 1e-7), 4 / (5 + 1e-7)}, {0.3, 0.4}})
   T.tensor_near(torch.renorm(x, 2, 1, 1), r)
end

-- operators ------------------------------------------------------------------------------

function tests.operators()
   local a, b = D{1, 2}, D{3, 4}
   T.tensor_near(a + b, {4, 6})
   T.tensor_near(a + 1, {2, 3})
   T.tensor_near(1 + a, {2, 3})
   T.tensor_near(a - b, {-2, -2})
   T.tensor_near(10 - a, {9, 8})
   T.tensor_near(a - 1, {0, 1})
   T.tensor_near(-a, {-1, -2})
   T.tensor_near(a * 2, {2, 4})
   T.tensor_near(2 * a, {2, 4})
   T.eq(a * b, 11)
   T.tensor_near(D{{1, 2}, {3, 4}} * a, {5, 11})
   T.tensor_near(a / 2, {0.5, 1})
   T.tensor_near(D{5, -5} % 3, {2, 1})
   T.tensor_near(a, {1, 2})                    -- operands unchanged
   T.eq(torch.type(torch.IntTensor{1} + 1), 'torch.IntTensor')
   T.errors('multiplication between 3D and 1D tensors not yet supported', function() return D(2, 2, 2) * a end)
   T.errors('number expected', function() return a / b end)
   T.errors('number expected', function() return a + torch.FloatTensor{1, 2} end)
   T.errors('attempt to compare', function() return a < b end)
end

function tests.threads()
   local n = torch.getnumthreads()
   T.eq(math.type(n), 'integer')
   torch.setnumthreads(1)
   T.eq(torch.getnumthreads(), 1)
   torch.setnumthreads(n)
   T.ok(torch.getnumcores() >= 1)
end

function tests.float_tensors()
   local f = torch.FloatTensor{1, 2, 3}
   T.eq(math.type(f:mean()), 'float')
   T.near(f:std(), 1)
   local g = f:clone():mul(2):add(f)
   T.eq(torch.type(g), 'torch.FloatTensor')
   T.tensor_near(g, {3, 6, 9})
   T.tensor_near(torch.mm(torch.FloatTensor{{1, 2}}, torch.FloatTensor{{3}, {4}}), {{11}})
end

-- misuse: every bad call is a clear Lua error ----------------------------------------------

function tests.misuse()
   local x = D{1, 2, 3}
   local cases = {
      {'invalid arguments', function() x:add('a') end},
      {'invalid arguments', function() x:add() end},
      {'invalid arguments', function() torch.add() end},
      {'invalid arguments', function() x:mul() end},
      {'invalid arguments', function() x:mul(x) end},
      {'invalid arguments', function() x:cmul(1) end},
      {'invalid arguments', function() x:clamp(1) end},
      {'invalid arguments', function() torch.mm(x) end},
      {'invalid arguments', function() x:dot() end},
      {'invalid arguments', function() x:sum('a') end},
      {'invalid arguments', function() x:max(x) end},
      {'invalid arguments', function() x:gt() end},
      {'invalid arguments', function() x:index(1) end},
      {'invalid arguments', function() x:maskedFill(1, 2) end},
      {'invalid arguments', function() torch.exp('a') end},
      {'invalid arguments', function() x:addcmul(x) end},
      {'invalid arguments', function() torch.cat(x) end},
      {'number has no integer representation', function() x:sum(1.5) end},
      {'out of range', function() x:sum(2) end},
      {'out of range', function() x:sort(0) end},
      {'out of range', function() x:kthvalue(4) end},
      {'size mismatch', function() torch.mv(D(2, 3), D(2)) end},
      {'size mismatch', function() torch.mm(D(2, 3), D(2, 3)) end},
      {'inconsistent tensor size', function() return x + D{1, 2} end},
      {'inconsistent tensor size', function() x:maskedFill(torch.ByteTensor{1}, 1) end},
      {'ByteTensor expected', function() x:maskedFill(D{1, 0, 1}, 1) end},
      {'LongTensor expected', function() x:gather(1, D{1}) end},
      {'division by zero', function() torch.LongTensor{1}:cdiv(torch.LongTensor{0}) end},
      {'number expected', function() return x / x end},
      {'no integer representation', function() torch.zeros(1.5) end},
      {'non-negative', function() torch.zeros(-1) end},
      {'invalid number of points', function() torch.linspace(0, 1, 1) end},
      {'only Float and Double', function() torch.linspace(torch.IntTensor(), 0, 1, 3) end},
      {'mean', function() torch.mean(torch.IntTensor{1}) end},
      {'empty', function() D():max() end},
      {'dimension', function() D{1, 2}:cross(D{3, 4}) end},
   }
   for k, c in ipairs(cases) do
      local ok, err = pcall(c[2])
      T.ok(not ok, 'case ' .. k .. ' did not fail')
      T.ok(tostring(err):find(c[1], 1, true), 'case ' .. k .. ': expected "' .. c[1] .. '", got ' .. tostring(err))
   end
end

-- Random calls with random arguments: each must return or raise an error
-- message (a string), never crash or raise a non-string.
function tests.random_misuse_never_crashes()
   local names = {'abs', 'exp', 'add', 'csub', 'mul', 'div', 'remainder', 'pow', 'clamp', 'cmul',
      'cdiv', 'cmax', 'addcmul', 'lerp', 'addmv', 'addmm', 'addr', 'baddbmm', 'mv', 'mm', 'ger',
      'dot', 'sum', 'mean', 'std', 'cumsum', 'max', 'median', 'kthvalue', 'sort', 'topk', 'norm',
      'renorm', 'dist', 'all', 'histc', 'lt', 'eq', 'equal', 'index', 'gather', 'indexCopy',
      'scatter', 'maskedSelect', 'maskedFill', 'nonzero', 'diag', 'tril', 'cross', 'cat', 'zeros',
      'range', 'linspace', 'eye', 'conv2'}
   local pool = {
      function() return nil end, function() return 0 end, function() return 2 end,
      function() return -1 end, function() return 0.5 end, function() return 1e300 end,
      function() return 'a' end, function() return true end, function() return {} end,
      function() return torch.Tensor() end,
      function() return torch.Tensor(3):fill(1) end,
      function() return torch.Tensor(2, 3):fill(2) end,
      function() return torch.Tensor(2, 2, 2):fill(1) end,
      function() return torch.FloatTensor(3):fill(1) end,
      function() return torch.LongTensor{1, 2, 3} end,
      function() return torch.LongTensor{0, 5} end,
      function() return torch.ByteTensor{1, 0, 1} end,
      function() return torch.IntTensor{0, 0, 0} end,
      function() return torch.Tensor(3, 3):fill(1):t() end,
      function() return torch.Tensor(1):fill(1):expand(4) end,
   }
   local state = 12345
   local function rnd(n)   -- a private LCG: the test must not disturb torch's generator
      state = (state * 1103515245 + 12345) % 2147483648
      return state % n + 1
   end
   for _ = 1, 3000 do
      local name = names[rnd(#names)]
      local n = rnd(5) - 1
      local args = {}
      for i = 1, n do args[i] = pool[rnd(#pool)]() end
      local f = torch[name]
      if rnd(2) == 1 and torch.isTensor(args[1]) and args[1][name] then f = args[1][name] end
      local ok, err = pcall(f, table.unpack(args, 1, n))
      if not ok then T.eq(type(err), 'string', name) end
   end
end

return tests
