-- test_threads.lua: torch.setnumthreads drives Ember's thread pool
-- (src/parallel.c), and training does not depend on the thread count: the
-- tutorial ConvNet trained with 1 and with 2 threads, at batch 1 and 16, in
-- Float and Double, gives bit-identical losses and parameters, and so does a
-- second run in the same process.  This needs only blas.c's deterministic
-- split (blocks chosen from the shape, never the thread count), not any
-- property of the conv or activation kernels.
local T = require 'testlib'
require 'torch'
require 'nn'
local tests = T.suite()

local TYPES = {'torch.FloatTensor', 'torch.DoubleTensor'}
local STEPS = 20

-- 20 SGD steps of the tutorial ConvNet (models/build.lua with LogSoftMax and
-- ClassNLLCriterion, as in tutorial/doall.lua); returns the losses and the
-- final flattened parameters.
local function train(tt, batch, threads)
   torch.setnumthreads(threads)
   local step, params = T.tutorial_sgd(tt, 5, 0.01)
   local x = torch.Tensor(4, batch, 1, 32, 32):type(tt):uniform()
   local y = torch.LongTensor(4, batch):random(1, 10)
   local losses = {}
   for k = 1, STEPS do
      local i = (k - 1) % 4 + 1
      local input, target = x[i], y[i]
      if batch == 1 then input, target = input[1], target[1] end
      losses[k] = step(input, target)
   end
   return losses, params:clone()
end

local function identical(tt, batch)
   local saved = torch.getnumthreads()
   local runs = {}
   for r, n in ipairs({1, 2, 1, 2}) do
      local losses, params = train(tt, batch, n)
      runs[r] = {n = n, losses = losses, params = params}
   end
   torch.setnumthreads(saved)
   local ref = runs[1]
   for r = 2, #runs do
      local what = string.format('%s batch %d, run %d (%d threads) vs run 1 (1 thread)', tt,
         batch, r, runs[r].n)
      for k = 1, STEPS do
         T.eq(runs[r].losses[k], ref.losses[k], what .. ', loss ' .. k)
      end
      local d = (runs[r].params:double() - ref.params:double()):abs():max()
      T.eq(d, 0, what .. ', max parameter difference')
   end
   -- the run trained: losses are finite and moved
   for k = 1, STEPS do T.ok(ref.losses[k] == ref.losses[k], tt .. ' loss ' .. k .. ' is a number') end
   T.ok(ref.losses[1] ~= ref.losses[STEPS], tt .. ' losses changed')
end

function tests.convnet_batch1_float() identical('torch.FloatTensor', 1) end
function tests.convnet_batch1_double() identical('torch.DoubleTensor', 1) end
function tests.convnet_batch16_float() identical('torch.FloatTensor', 16) end
function tests.convnet_batch16_double() identical('torch.DoubleTensor', 16) end

-- Products big enough to be split (conv2-sized and larger) give the same
-- bits with 1, 2 and 3 threads, straight through torch.mm / addmv.
function tests.mm_and_mv_identical()
   local saved = torch.getnumthreads()
   torch.manualSeed(11)
   for _, tt in ipairs(TYPES) do
      local cases = {{64, 1600, 100}, {64, 1600, 1600}, {1600, 64, 100}, {300, 517, 129}}
      for _, c in ipairs(cases) do
         local a = torch.Tensor(c[1], c[2]):type(tt):uniform(-1, 1)
         local b = torch.Tensor(c[2], c[3]):type(tt):uniform(-1, 1)
         local v = torch.Tensor(c[2]):type(tt):uniform(-1, 1)
         torch.setnumthreads(1)
         local mm1, mv1, tm1 = torch.mm(a, b), torch.mv(a, v), torch.mm(b:t(), a:t())
         for _, n in ipairs({2, 3}) do
            torch.setnumthreads(n)
            local what = string.format('%s %dx%dx%d, %d threads', tt, c[1], c[2], c[3], n)
            T.eq((torch.mm(a, b) - mm1):abs():max(), 0, what .. ' mm')
            T.eq((torch.mv(a, v) - mv1):abs():max(), 0, what .. ' mv')
            T.eq((torch.mm(b:t(), a:t()) - tm1):abs():max(), 0, what .. ' mm of transposes')
         end
      end
   end
   torch.setnumthreads(saved)
end

function tests.setnumthreads_contract()
   local saved = torch.getnumthreads()
   torch.setnumthreads(2)
   T.eq(torch.getnumthreads(), 2)
   torch.setnumthreads(1)
   T.eq(torch.getnumthreads(), 1)
   -- capped at the pool's maximum (src/parallel.h), also past 2^32
   torch.setnumthreads(100000)
   T.eq(torch.getnumthreads(), 64)
   torch.setnumthreads(2^32 + 2)
   T.eq(torch.getnumthreads(), 64)
   T.errors('number of threads must be positive', function() torch.setnumthreads(0) end)
   T.errors('number of threads must be positive', function() torch.setnumthreads(-3) end)
   T.errors('number expected', function() torch.setnumthreads('x') end)
   torch.setnumthreads(saved)
   T.eq(torch.getnumthreads(), saved)
end

-- The workers sleep inside core.so, which lua_close unloads when th exits:
-- the process must still end cleanly (under make sanitize it aborted with
-- "The futex facility returned an unexpected error code").
function tests.exit_with_pool_running()
   local script = os.tmpname()
   local f = assert(io.open(script, 'w'))
   f:write([[
require 'torch'
torch.setnumthreads(2)
local a, b = torch.FloatTensor(64, 1600):uniform(), torch.FloatTensor(1600, 1600):uniform()
for _ = 1, 3 do torch.mm(a, b) end
print('done')
]])
   f:close()
   for _ = 1, 3 do
      local p = io.popen(T.th .. ' ' .. script .. ' 2>&1; echo "exit $?"')
      local out = p:read('a')
      p:close()
      T.ok(out:find('done', 1, true) and out:find('exit 0', 1, true) and not out:find('futex', 1, true),
         'th did not exit cleanly:\n' .. out)
   end
   os.remove(script)
end

return tests
