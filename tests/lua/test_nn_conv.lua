-- test_nn_conv.lua: nn.SpatialConvolutionMM's batch paths (src/nn_conv.c:
-- chunks of samples per GEMM, small-K kernels for one-plane inputs) seen
-- from Lua: a batch gives the numbers of its samples one at a time, the
-- scratch buffers stay put between steps, and modules saved after a forward
-- pass (or carrying Torch7's (N, K, P) finput) load and keep training.
local T = require 'testlib'
require 'torch'
require 'nn'
local tests = T.suite()

local TYPES = {'torch.DoubleTensor', 'torch.FloatTensor'}
local TOL = {['torch.DoubleTensor'] = 1e-12, ['torch.FloatTensor'] = 1e-5}

local close = T.close_scaled

-- Shapes: the tutorial's first layer (small-K kernels), a K = 200 layer
-- whose 784-column samples go 3 to a GEMM (7 = 3 + 3 + 1: uneven chunks),
-- and a strided, padded one.
local shapes = {
   {'1->6 5x5 on 32x32', function() return nn.SpatialConvolutionMM(1, 6, 5, 5) end, 1, 32, 32},
   {'8->5 5x5 on 32x32', function() return nn.SpatialConvolutionMM(8, 5, 5, 5) end, 8, 32, 32},
   {'3->4 3x2 /2,1 pad 1,0', function() return nn.SpatialConvolutionMM(3, 4, 3, 2, 2, 1, 1, 0) end,
      3, 9, 8},
}

function tests.batch_matches_samples()
   for _, tt in ipairs(TYPES) do
      for _, s in ipairs(shapes) do
         -- from 4 samples of the K = 200 shape on, the columns are not kept
         -- (backward-weight unfolds them again)
         for _, n in ipairs({1, 2, 3, 7, 33}) do
            torch.manualSeed(5)
            local m = s[2]():type(tt)
            local x = torch.Tensor(n, s[3], s[4], s[5]):type(tt):uniform(-1, 1)
            local y = m:forward(x):clone()
            local g = y:clone():uniform(-1, 1)
            m:zeroGradParameters()
            local gi = m:backward(x, g):clone()
            local gw, gb = m.gradWeight:clone(), m.gradBias:clone()
            -- one sample (3-D input) at a time
            local ref = s[2]():type(tt)
            ref.weight:copy(m.weight)
            ref.bias:copy(m.bias)
            ref:zeroGradParameters()
            local what = string.format('%s %s batch %d', tt, s[1], n)
            for k = 1, n do
               close(ref:forward(x[k]), y[k], TOL[tt], what .. ' output')
               close(ref:backward(x[k], g[k]), gi[k], TOL[tt], what .. ' gradInput')
            end
            close(gw, ref.gradWeight, TOL[tt], what .. ' gradWeight')
            close(gb, ref.gradBias, TOL[tt], what .. ' gradBias')
         end
      end
   end
end

-- backward is updateGradInput then accGradParameters as one kernel call
-- (the two products side by side on 2 threads): the same bits, with 1 and
-- 2 threads, with a scale, and with gradInput = nil (weights only).
function tests.backward_is_both_halves()
   local threads = torch.getnumthreads()
   for _, tt in ipairs(TYPES) do
      for _, s in ipairs(shapes) do
         for _, n in ipairs({1, 2, 7}) do
            local what = string.format('%s %s batch %d', tt, s[1], n)
            torch.manualSeed(9)
            local m = s[2]():type(tt)
            local x = torch.Tensor(n, s[3], s[4], s[5]):type(tt):uniform(-1, 1)
            local g = m:forward(x):clone():uniform(-1, 1)
            m.gradWeight:uniform(); m.gradBias:uniform()
            local gw0, gb0 = m.gradWeight:clone(), m.gradBias:clone()
            local gi = m:updateGradInput(x, g):clone()
            m:accGradParameters(x, g, 0.5)
            local gw, gb = m.gradWeight:clone(), m.gradBias:clone()
            for _, nt in ipairs({1, 2}) do
               torch.setnumthreads(nt)
               m.gradWeight:copy(gw0); m.gradBias:copy(gb0); m.gradInput:zero()
               T.ok(m:backward(x, g, 0.5) == m.gradInput, what .. ': returns gradInput')
               T.ok(m.gradInput:equal(gi), what .. ' gradInput, threads ' .. nt)
               T.ok(m.gradWeight:equal(gw) and m.gradBias:equal(gb), what .. ' gradients, threads ' .. nt)
            end
            local keep = m.gradInput
            m.gradInput = nil
            m.gradWeight:copy(gw0); m.gradBias:copy(gb0)
            T.eq(m:backward(x, g, 0.5), nil)
            T.ok(m.gradWeight:equal(gw) and m.gradBias:equal(gb), what .. ' gradients without gradInput')
            m.gradInput = keep
         end
      end
   end
   torch.setnumthreads(threads)
end

-- An instance or subclass overriding either half keeps Module's two calls.
function tests.backward_respects_overrides()
   local m = nn.SpatialConvolutionMM(2, 3, 3, 3)
   local x = torch.rand(2, 6, 6)
   local g = m:forward(x):clone():uniform()
   m:zeroGradParameters()
   m.accGradParameters = function() end   -- frozen weights
   m:backward(x, g)
   T.eq(m.gradWeight:abs():sum(), 0)
   T.ok(m.gradInput:abs():sum() > 0, 'gradInput still computed')
end

function tests.backward_bad_gradweight()
   local m = nn.SpatialConvolutionMM(2, 3, 3, 3)
   local x = torch.rand(2, 6, 6)
   local g = m:forward(x):clone()
   m.gradWeight = torch.Tensor(3, 9)
   T.errors('gradWeight of size [3 x 9] does not match weight of size [3 x 18]', function() m:backward(x, g) end)
end

-- The K = 200 layer after a forward pass on 7 samples (columns unfolded
-- again in backward-weight), zeroed gradients: m, its input x, a gradOutput g.
local function after_forward(tt, seed)
   torch.manualSeed(seed)
   local m = nn.SpatialConvolutionMM(8, 5, 5, 5):type(tt)
   local x = torch.Tensor(7, 8, 32, 32):type(tt):uniform(-1, 1)
   local g = m:forward(x):clone():uniform(-1, 1)
   m:zeroGradParameters()
   return m, x, g
end

-- accGradParameters twice after one forward: the columns are read from
-- finput, which it leaves as it was.
function tests.acc_twice_after_one_forward()
   for _, tt in ipairs(TYPES) do
      local m, x, g = after_forward(tt, 6)
      m:accGradParameters(x, g, 1)
      local once = m.gradWeight:clone()
      m:updateGradInput(x, g)
      m:accGradParameters(x, g, 1)
      close(m.gradWeight, once * 2, TOL[tt], tt .. ' gradWeight accumulated twice')
   end
end

-- Scratch buffers keep their storage from one step to the next.
function tests.buffers_reused()
   for _, s in ipairs(shapes) do
      local m = s[2]()
      local x = torch.Tensor(7, s[3], s[4], s[5]):uniform()
      local g = m:forward(x):clone():uniform()
      m:backward(x, g)
      local fs, gs = m.finput:storage(), m.fgradInput:storage()
      local fn, gn = m.finput:nElement(), m.fgradInput:nElement()
      for _ = 1, 3 do
         m:forward(x)
         m:backward(x, g)
      end
      T.ok(m.finput:storage() == fs and m.fgradInput:storage() == gs,
         s[1] .. ': buffers reallocated')
      T.eq(m.finput:nElement(), fn)
      T.eq(m.fgradInput:nElement(), gn)
      -- bounded: the columns of 3 samples and an (F, 3P) block
      T.ok(fn <= (8 * 25 + 5) * 3 * 784, s[1] .. ': finput of ' .. fn .. ' elements')
      T.ok(gn <= (8 * 25 + 5) * 3 * 784, s[1] .. ': fgradInput of ' .. gn .. ' elements')
   end
end

-- A module saved after a batch forward loads and trains on; so does one
-- holding Torch7's (N, K, P) finput, or cleared state.
function tests.saved_and_loaded_modules_train()
   for _, tt in ipairs(TYPES) do
      local m, x, g = after_forward(tt, 7)
      m:backward(x, g)
      local name = os.tmpname()
      torch.save(name, m)
      local r = torch.load(name)
      os.remove(name)
      close(r:forward(x), m.output, 0, tt .. ' loaded output')
      r:zeroGradParameters()
      m:zeroGradParameters()
      close(r:backward(x, g), m:backward(x, g), 0, tt .. ' loaded gradInput')
      close(r.gradWeight, m.gradWeight, 0, tt .. ' loaded gradWeight')
      -- Torch7's layout of the buffers: (N, K, P), only resized here
      local t7 = m:clone()
      t7.finput = torch.Tensor(7, 200, 784):type(tt)
      t7.fgradInput = torch.Tensor(7, 200, 784):type(tt)
      close(t7:forward(x), m.output, 0, tt .. ' (N,K,P) finput output')
      t7:zeroGradParameters()
      close(t7:backward(x, g), m.gradInput, 0, tt .. ' (N,K,P) finput gradInput')
      close(t7.gradWeight, m.gradWeight, 0, tt .. ' (N,K,P) finput gradWeight')
      -- clearState empties the buffers; the next forward rebuilds them
      t7:clearState()
      T.eq(t7.finput:nElement(), 0)
      close(t7:forward(x), m.output, 0, tt .. ' after clearState')
   end
end

-- accGradParameters after a forward pass on another batch size: caught
-- while the batch's columns are kept (finput's size pins the batch).
function tests.acc_after_forward_on_another_batch()
   torch.manualSeed(8)
   local m = nn.SpatialConvolutionMM(8, 5, 5, 5)
   local x = torch.Tensor(3, 8, 32, 32):uniform(-1, 1)
   local g = m:forward(x):clone():uniform(-1, 1)
   local function acc(n)
      return function() m:accGradParameters(x:narrow(1, 1, n), g:narrow(1, 1, n)) end
   end
   T.errors('call updateOutput first', acc(2))
   m:forward(x:narrow(1, 1, 2))
   T.errors('call updateOutput first', acc(1))
end

return tests
