-- test_nnfast.lua: the fused fast paths (torch._nnfast, src/nn_fused.c)
-- against the module compositions they replace (forced with m.fused = false)
-- and against plain loops; Tanh against libm's tanh / tanhf bit for bit; no
-- allocation in a steady training step; bit-identical results with 1 and 2
-- threads.
local T = require 'testlib'
require 'torch'
require 'nn'
require 'image'
local tests = T.suite()

local TYPES = {'torch.DoubleTensor', 'torch.FloatTensor'}
local TOL = {['torch.DoubleTensor'] = 1e-12, ['torch.FloatTensor'] = 1e-5}

local close = T.close_scaled

local function same(a, b, msg)
   T.eq(a:nElement(), b:nElement(), msg .. ' (sizes)')
   local d = (a:double() - b:double()):abs():max()
   if d ~= 0 then error(string.format('%s: not bit-identical, max difference %.3g', msg, d), 2) end
end

-- ---------------------------------------------------------------------------
-- SpatialSubtractiveNormalization
-- ---------------------------------------------------------------------------
local function kernels()
   local k2 = torch.Tensor(3, 5):uniform(0.1, 1)
   return {
      {'gaussian1D(7)', image.gaussian1D(7)},
      {'ones(3)', torch.ones(3)},
      {'random 3x5', k2},
      {'ones 1x1', torch.ones(1, 1)},
   }
end

function tests.subnorm_fused_matches_composition()
   torch.manualSeed(7)
   for _, tt in ipairs(TYPES) do
      for _, kc in ipairs(kernels()) do
         for _, planes in ipairs({1, 3, 8}) do
            for _, hw in ipairs({{5, 6}, {14, 14}, {2, 3}, {1, 1}}) do
               for _, batch in ipairs({0, 3}) do
                  local name = string.format('%s %s planes %d %dx%d batch %d', tt, kc[1], planes,
                     hw[1], hw[2], batch)
                  local m = nn.SpatialSubtractiveNormalization(planes, kc[2]:clone()):type(tt)
                  local ref = m:clone()
                  ref.fused = false
                  local size = batch > 0 and {batch, planes, hw[1], hw[2]} or {planes, hw[1], hw[2]}
                  local x = torch.Tensor(table.unpack(size)):type(tt):normal(0.3, 1)
                  local g = torch.Tensor(table.unpack(size)):type(tt):normal()
                  local y = m:forward(x)
                  close(y, ref:forward(x), TOL[tt], name .. ' output')
                  close(m:backward(x, g), ref:backward(x, g), TOL[tt], name .. ' gradInput')
                  T.ok(m._work ~= nil and ref._work == nil, name .. ': the fused path ran')
                  -- a second call reuses the cached coefficients
                  x:normal()
                  close(m:forward(x), ref:forward(x), TOL[tt], name .. ' second output')
               end
            end
         end
      end
   end
end

-- Torch7 divides the kernel tensor in place: a second module built on the
-- same tensor changes the first one's `kernel` (not its weights), as in
-- SpatialContrastiveNormalization.  The fused path must use the weights.
function tests.subnorm_shared_kernel()
   torch.manualSeed(9)
   for _, k in ipairs({image.gaussian1D(5), image.gaussian(3)}) do
      local m = nn.SpatialSubtractiveNormalization(2, k)
      nn.SpatialSubtractiveNormalization(3, k)   -- divides k by 1.5
      local ref = m:clone()
      ref.fused = false
      local x, g = torch.Tensor(2, 7, 8):normal(), torch.Tensor(2, 7, 8):normal()
      close(m:forward(x), ref:forward(x), 1e-12, k:dim() .. '-D output')
      close(m:backward(x, g), ref:backward(x, g), 1e-12, k:dim() .. '-D gradInput')
   end
end

-- clearState empties _coef; a batch-mode coef (a view) survives it
function tests.subnorm_after_clearState()
   torch.manualSeed(4)
   for _, size in ipairs({{3, 6, 5}, {2, 3, 6, 5}}) do
      local m = nn.SpatialSubtractiveNormalization(3, image.gaussian1D(5))
      local ref = m:clone()
      ref.fused = false
      local x = torch.Tensor(table.unpack(size)):normal()
      m:forward(x)
      m:clearState()
      close(m:forward(x), ref:forward(x), 1e-12, #size .. 'D output after clearState')
      close(m:backward(x, x), ref:backward(x, x), 1e-12, #size .. 'D gradInput after clearState')
   end
end

function tests.subnorm_noncontiguous_input()
   torch.manualSeed(3)
   local m = nn.SpatialSubtractiveNormalization(4, image.gaussian1D(5))
   local ref = m:clone()
   ref.fused = false
   local x = torch.Tensor(6, 4, 7):normal():transpose(1, 2)   -- 4x6x7, not contiguous
   local g = torch.Tensor(4, 7, 6):normal():transpose(2, 3)
   close(m:forward(x), ref:forward(x), 1e-12, 'output')
   close(m:backward(x, g), ref:backward(x, g), 1e-12, 'gradInput')
end

-- Independent of both paths: out = x - (K * S) / C with S the plane sum,
-- K the full 2-D kernel (outer product for a 1-D one) and C = P * (sum of
-- the taps inside the image); any normalisation of K cancels.
local function loops_reference(x, g, K)
   local P, H, W = x:size(1), x:size(2), x:size(3)
   local kh, kw = K:size(1), K:size(2)
   local ph, pw = math.floor(kh / 2), math.floor(kw / 2)
   local S, Gs = torch.zeros(H, W), torch.zeros(H, W)
   for p = 1, P do S:add(x[p]); Gs:add(g[p]) end
   local C, M = torch.zeros(H, W), torch.zeros(H, W)
   for y = 1, H do
      for xx = 1, W do
         for i = 1, kh do
            for j = 1, kw do
               local r, c = y + i - 1 - ph, xx + j - 1 - pw
               if r >= 1 and r <= H and c >= 1 and c <= W then
                  M[y][xx] = M[y][xx] + K[i][j] * S[r][c]
                  C[y][xx] = C[y][xx] + P * K[i][j]
               end
            end
         end
      end
   end
   local out, gx = x:clone(), g:clone()
   for p = 1, P do out[p]:add(-1, torch.cdiv(M, C)) end
   -- d out_q(y,x) / d x_p(r,c) = [same] - K(r-y+ph, c-x+pw) / C(y,x)
   local R = torch.zeros(H, W)
   for y = 1, H do
      for xx = 1, W do
         for i = 1, kh do
            for j = 1, kw do
               local r, c = y + i - 1 - ph, xx + j - 1 - pw
               if r >= 1 and r <= H and c >= 1 and c <= W then
                  R[r][c] = R[r][c] + K[i][j] * Gs[y][xx] / C[y][xx]
               end
            end
         end
      end
   end
   for p = 1, P do gx[p]:add(-1, R) end
   return out, gx
end

function tests.subnorm_fused_matches_loops()
   torch.manualSeed(11)
   local k1 = torch.Tensor({1, 2, 5, 2, 1})
   local k2 = torch.Tensor(3, 5):uniform(0.2, 1)
   for _, case in ipairs({{k1, torch.ger(k1, k1)}, {k2, k2}}) do
      local x, g = torch.Tensor(3, 6, 7):normal(), torch.Tensor(3, 6, 7):normal()
      local m = nn.SpatialSubtractiveNormalization(3, case[1]:clone())
      local out, gx = loops_reference(x, g, case[2])
      close(m:forward(x), out, 1e-12, case[1]:dim() .. '-D kernel output')
      close(m:backward(x, g), gx, 1e-12, case[1]:dim() .. '-D kernel gradInput')
   end
end

function tests.subnorm_errors()
   local m = nn.SpatialSubtractiveNormalization(3, image.gaussian1D(5))
   T.errors('3D or 4D input expected', function() m:forward(torch.Tensor(3, 5)) end)
   T.errors('expected 3 input planes', function() m:forward(torch.Tensor(2, 5, 5)) end)
   local F = torch._nnfast
   local f = F.SpatialSubtractiveNormalization_updateOutput
   local x, h, v = torch.Tensor(3, 4, 4), torch.Tensor(3, 1, 3), torch.Tensor(1, 3, 3, 1)
   T.errors('bad argument #2 to \'SpatialSubtractiveNormalization_updateOutput\'', function()
      f(x, torch.FloatTensor(), torch.Tensor(4, 4), h, v, torch.Tensor())
   end)
   T.errors('coef of size ...x4x4 expected, got 5x5', function()
      f(x, torch.Tensor(), torch.Tensor(5, 5), h, v, torch.Tensor())
   end)
   T.errors('averaging kernel must have ODD dimensions', function()
      f(x, torch.Tensor(), torch.Tensor(4, 4), torch.Tensor(3, 1, 4), torch.Tensor(1, 3, 4, 1),
         torch.Tensor())
   end)
   T.errors('convolution weight expected, got size 3', function()
      f(x, torch.Tensor(), torch.Tensor(4, 4), torch.Tensor(3), nil, torch.Tensor())
   end)
end

-- ---------------------------------------------------------------------------
-- SpatialLPPooling, p = 2: bit-identical to Square/AvgPool/MulConstant/Sqrt
-- ---------------------------------------------------------------------------
function tests.lppool_fused_bit_identical()
   torch.manualSeed(5)
   local configs = {
      {2, 2, 2, 2, {4, 8, 8}}, {2, 2, 2, 2, {3, 7, 9}}, {3, 2, 2, 1, {2, 7, 8}},
      {3, 3, 1, 1, {2, 6, 6}}, {2, 2, 2, 2, {5, 3, 6, 6}}, {1, 1, 1, 1, {2, 3, 3}},
      -- the tutorial's first pooling; from 1M elements the planes go in two
      -- halves on the pool (odd plane counts and sizes)
      {2, 2, 2, 2, {64, 28, 28}}, {2, 2, 2, 2, {64, 128, 128}}, {3, 2, 2, 1, {3, 33, 100, 107}},
      {2, 2, 2, 2, {1, 1030, 1030}},
   }
   local threads = torch.getnumthreads()
   for _, tt in ipairs(TYPES) do
      for _, c in ipairs(configs) do
         for _, nt in ipairs({1, 2}) do
            torch.setnumthreads(nt)
            local name = string.format('%s k %dx%d d %d,%d input %s', tt, c[1], c[2], c[3], c[4],
               table.concat(c[5], 'x'))
            local m = nn.SpatialLPPooling(c[5][#c[5] - 2], 2, c[1], c[2], c[3], c[4]):type(tt)
            local ref = m:clone()
            ref.fused = false
            local x = torch.Tensor(table.unpack(c[5])):type(tt):normal()
            x:select(x:dim(), 1):zero()   -- zero windows: Sqrt's gradient is 0 there
            local y = m:forward(x)
            same(y, ref:forward(x), name .. ' output')
            local g = y:clone():normal()
            same(m:backward(x, g), ref:backward(x, g), name .. ' gradInput')
            same(m:updateGradInput(x, g), ref:updateGradInput(x, g), name .. ' updateGradInput')
            T.eq(m.modules[1].output:nElement(), 0, name .. ': the fused path ran')
         end
      end
   end
   torch.setnumthreads(threads)
end

function tests.lppool_other_p_uses_composition()
   local m = nn.SpatialLPPooling(2, 3, 2, 2)
   local x = torch.Tensor(2, 4, 4):uniform()
   local y = m:forward(x)
   T.ok(m.modules[4].output:nElement() > 0, 'p = 3 runs the sub-modules')
   T.near(y[1][1][1], (x[1][1][1] ^ 3 + x[1][1][2] ^ 3 + x[1][2][1] ^ 3 + x[1][2][2] ^ 3) ^ (1 / 3), 1e-12)
   T.eq(tostring(m):match('^nn.Sequential') ~= nil, true)
end

function tests.lppool_errors()
   local m = nn.SpatialLPPooling(2, 2, 2, 2)
   T.errors('3D or 4D input expected, got 2D', function() m:forward(torch.Tensor(4, 4)) end)
   T.errors('smaller than the 2x2 window', function() m:forward(torch.Tensor(2, 1, 4)) end)
   m:forward(torch.Tensor(2, 4, 4):uniform())
   T.errors('gradOutput and output of 2x2 windows', function()
      m:backward(torch.Tensor(2, 4, 4), torch.Tensor(2, 3, 3))
   end)
end

-- ---------------------------------------------------------------------------
-- Tanh: Torch7 computes Float with tanhf and Double with tanh (glibc).  nn.Tanh
-- and Tensor:tanh run the vectorised kernel of src/nn_act.c, which replays
-- glibc's algorithm and must return its bits: exact equality, never a tolerance.
-- ---------------------------------------------------------------------------

-- Dense inputs through every range of glibc's tanh: a fine grid over
-- [-25, 25] (expm1's k changes every ln2/2), tiny and subnormal values, the
-- branch points +-1 ulp, signed zeros, infinities and NaN.
local function tanh_inputs()
   local v = {}
   local grid = torch.linspace(-25, 25, 100001)
   for i = 1, grid:size(1) do v[#v + 1] = grid[i] end
   for e = -1074, 6 do
      for _, m in ipairs({1, 1.2345, 1.75, 1.999}) do
         v[#v + 1] = m * 2 ^ e
         v[#v + 1] = -m * 2 ^ e
      end
   end
   for _, c in ipairs({2 ^ -55, 0.5 * math.log(2) / 2, 1.5 * math.log(2) / 2, 1, 22}) do
      for _, d in ipairs({-2 ^ -52, 0, 2 ^ -52}) do
         v[#v + 1] = c * (1 + d)
         v[#v + 1] = -c * (1 + d)
      end
   end
   for _, s in ipairs({0.0, -0.0, math.huge, -math.huge, 0 / 0}) do v[#v + 1] = s end
   return torch.DoubleTensor(v)
end

-- bits equal, NaN included (a NaN equals nothing, so compare its sign bit)
local function same_bits(a, b, msg)
   T.eq(a:nElement(), b:nElement(), msg .. ' (sizes)')
   local fa, fb = a:view(-1), b:view(-1)
   for i = 1, fa:size(1) do
      local p, q = fa[i], fb[i]
      local ok
      if p ~= p or q ~= q then
         ok = p ~= p and q ~= q
      else
         ok = p == q and (p ~= 0 or 1 / p == 1 / q)
      end
      if not ok then
         error(string.format('%s: element %d is %a, expected %a', msg, i, p, q), 2)
      end
   end
end

function tests.tanh_double_is_libm()
   local x = tanh_inputs()
   local want = x:clone():apply(math.tanh)   -- libm's tanh, one scalar call each
   same_bits(nn.Tanh():forward(x), want, 'nn.Tanh Double vs math.tanh')
   same_bits(torch.tanh(x), want, 'torch.tanh Double vs math.tanh')
   same_bits(x:clone():tanh(), want, 'Tensor:tanh() in place, Double')
   -- a non-contiguous input goes through contiguous rows or a copy
   local x2 = x:narrow(1, 1, 100000):view(1000, 100):t()
   same_bits(torch.tanh(x2), x2:clone():apply(math.tanh), 'torch.tanh of a transposed view')
end

-- glibc 2.36's tanhf at inputs where it is NOT correctly rounded (the correctly
-- rounded value, as (float)tanh(x) gives, is 1 ulp away): the kernel must
-- reproduce libm's rounding, not the better one.
local TANHF = {
   {-0x1.8c6096p-8, -0x1.8c5f58p-8}, {0x1.0a33e4p-7, 0x1.0a3262p-7},
   {0x1.fe61b4p-7, 0x1.fe5722p-7}, {-0x1.6c42e2p-6, -0x1.6c3384p-6},
   {0x1.7ffb0ep-6, 0x1.7fe90ep-6}, {-0x1.6c5d8ap-5, -0x1.6c2012p-5},
   {-0x1.27c1fap-5, -0x1.27a11ap-5}, {0x1.16b994p-4, 0x1.164ba4p-4},
   {0x1.4fc29p-4, 0x1.4f028cp-4}, {-0x1.f47a16p-3, -0x1.eabf2ap-3},
   {0x1.8bfce6p-3, 0x1.872038p-3}, {0x1.9f9834p-2, 0x1.8a2f7cp-2},
   {0x1.54ef12p-2, 0x1.48defp-2}, {0x1.b67054p-1, 0x1.63831ep-1},
   {-0x1.71574cp-1, -0x1.3c4a9cp-1}, {0x1.4p+1, 0x1.f92582p-1}, {-0x1.3cp+4, -1},
}

function tests.tanh_float_is_tanhf()
   local x, want = torch.FloatTensor(#TANHF), torch.FloatTensor(#TANHF)
   for i, p in ipairs(TANHF) do x[i], want[i] = p[1], p[2] end
   same_bits(nn.Tanh():float():forward(x), want, 'nn.Tanh Float vs glibc tanhf')
   same_bits(torch.tanh(x), want, 'torch.tanh Float vs glibc tanhf')
   -- dense: nn.Tanh and Tensor:tanh share the kernel, checked against tanhf
   -- on every float pattern by tests/c/test_nn_act.c
   local xf = tanh_inputs():float()
   same_bits(nn.Tanh():float():forward(xf), torch.FloatTensor():tanh(xf), 'Float nn.Tanh vs Tensor:tanh')
end

-- ---------------------------------------------------------------------------
-- whole network: no allocation per step, thread-count independence
-- ---------------------------------------------------------------------------
local function tutorial(tt, seed)
   local step = T.tutorial_sgd(tt, seed, 0.01)
   local x = torch.Tensor(4, 1, 32, 32):type(tt):uniform()
   local xs = {x[1], x[2], x[3], x[4]}
   return function(k) return step(xs[(k - 1) % 4 + 1], (k - 1) % 10 + 1) end
end

function tests.steady_state_allocates_nothing()
   for _, tt in ipairs(TYPES) do
      local step = tutorial(tt, 1)
      for k = 1, 20 do step(k) end   -- every input and target seen once
      -- a first window absorbs one-off growth (interned strings, tables the
      -- GC resizes); the second must show no per-step allocation: one
      -- tensor box per step would be over 12 KB in 200 steps
      local grown = {}
      for w, n in ipairs({100, 200}) do
         collectgarbage()
         collectgarbage('stop')
         local c0 = collectgarbage('count')
         for k = 1, n do step(k) end
         grown[w] = (collectgarbage('count') - c0) * 1024
         collectgarbage('restart')
      end
      T.ok(grown[2] < 1024, string.format('%s: %d bytes allocated in 200 steps', tt, grown[2]))
   end
end

-- Our kernels are single-threaded, and blas_gemm/blas_gemv cut large
-- products into blocks chosen from the shape alone (never from the thread
-- count), each one single-threaded OpenBLAS call: a seed gives the same
-- losses run after run AND with 1 or 2 threads, to the last bit.
function tests.threads_do_not_change_results()
   local saved = torch.getnumthreads()
   for _, tt in ipairs(TYPES) do
      local losses = {}
      for r, n in ipairs({1, 2, 1, 2}) do
         torch.setnumthreads(n)
         local step = tutorial(tt, 3)
         losses[r] = {}
         for k = 1, 6 do losses[r][k] = step(k) end
      end
      for k = 1, 6 do
         T.eq(losses[3][k], losses[1][k], tt .. ' 1 thread, loss ' .. k .. ' repeats')
         T.eq(losses[4][k], losses[2][k], tt .. ' 2 threads, loss ' .. k .. ' repeats')
         T.eq(losses[2][k], losses[1][k], tt .. ' 1 vs 2 threads, loss ' .. k)
      end
   end
   torch.setnumthreads(saved)
end

return tests
