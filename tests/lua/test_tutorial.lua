-- The MNIST tutorial end to end, as a user runs it: the original ConvNet
-- trained for one epoch on the small split (480 images) must reach well
-- above chance on the 120 held-out ones and on the test set; the
-- submission file has the right shape; a second run resumes from the
-- checkpoint; bad options and unwritable folders give clear messages.
local T = require 'testlib'
require 'paths'
local tests = T.suite()

local th = paths.concat(arg[0])        -- the th running this suite
local dir = os.tmpname()
os.remove(dir)

-- runs doall.lua with `opts`; returns success and the whole output
local function doall(opts)
   local log = os.tmpname()
   local ok = os.execute(string.format('%q tutorial/doall.lua %s > %q 2>&1 < /dev/null', th, opts, log))
   local f = io.open(log)
   local out = f:read('a')
   f:close()
   os.remove(log)
   return ok, out
end

local function accuracies(file)
   local rows = {}
   for line in io.lines(file) do
      local e, tr, va = line:match('^(%d+),([%d.]+),([%d.]+)$')
      if e then rows[#rows + 1] = {train = tonumber(tr), valid = tonumber(va)} end
   end
   return rows
end

function tests.one_epoch_learns_and_writes_a_submission()
   local ok, out = doall('-size small -epochs 1 -test -save ' .. dir)
   T.ok(ok, 'doall failed:\n' .. out:sub(-2000))
   T.ok(out:find('==> epoch 1/1: train accuracy', 1, true), 'per-epoch line missing')
   local rows = accuracies(dir .. '/accuracy.csv')
   T.eq(#rows, 1)
   -- chance is 10%; one epoch on 480 images reaches about 60%
   T.ok(rows[1].valid > 35, 'validation accuracy ' .. rows[1].valid)
   local testacc = tonumber(io.open(dir .. '/test_accuracy.txt'):read('l'))
   T.ok(testacc > 35, 'test accuracy ' .. testacc)
   -- submission: header, then Id 1..10000 in order, digits 0..9
   local n, seen = 0, {}
   for line in io.lines(dir .. '/submission.csv') do
      n = n + 1
      if n == 1 then
         T.eq(line, 'Id,Prediction')
      else
         local id, p = line:match('^(%d+),(%d)$')
         T.eq(tonumber(id), n - 1, 'line ' .. n)
         seen[tonumber(p)] = true
      end
   end
   T.eq(n, 10001)
   local digits = 0
   for d = 0, 9 do if seen[d] then digits = digits + 1 end end
   T.ok(digits >= 5, 'predictions use only ' .. digits .. ' digits')
   T.ok(paths.filep(dir .. '/model.net') and paths.filep(dir .. '/checkpoint.t7'))
   T.ok(not paths.filep(dir .. '/submission.csv.tmp'), 'no temporary file left')
end

function tests.rerun_resumes_from_the_checkpoint()
   -- the run above finished epoch 1: asking for 2 continues with epoch 2
   local ok, out = doall('-size small -epochs 2 -save ' .. dir)
   T.ok(ok, out:sub(-2000))
   T.ok(out:find('==> resuming after epoch 1', 1, true), 'did not resume:\n' .. out:sub(1, 3000))
   T.ok(not out:find('==> epoch 1/2', 1, true), 'epoch 1 was trained again')
   T.ok(out:find('==> epoch 2/2', 1, true))
   local rows = accuracies(dir .. '/accuracy.csv')
   T.eq(#rows, 2)
   os.execute('rm -rf ' .. dir)
end

-- -augment: shifted training images, one sample at a time and in
-- mini-batches; the run still learns
function tests.augment_learns()
   for _, bs in ipairs({1, 16}) do
      local d = dir .. '-augment' .. bs
      local ok, out = doall(string.format('-size small -epochs 1 -augment 2 -batchSize %d -learningRate %g -save %s',
         bs, bs == 1 and 3e-3 or 0.05, d))
      T.ok(ok, out:sub(-2000))
      local rows = accuracies(d .. '/accuracy.csv')
      T.eq(#rows, 1)
      T.ok(rows[1].valid > 25, 'batch ' .. bs .. ': validation accuracy ' .. rows[1].valid)
      os.execute('rm -rf ' .. d)
   end
end

function tests.bad_options_and_folders()
   local ok, out = doall('-size small -model nosuch -save ' .. dir)
   T.ok(not ok)
   T.ok(out:find('unknown -model nosuch', 1, true), out:sub(-1500))
   T.ok(out:find('known: ', 1, true) and out:find('convnet', 1, true), out:sub(-1500))
   ok, out = doall('-size huge')
   T.ok(not ok)
   T.ok(out:find('unknown -size huge', 1, true), out:sub(-1500))
   ok, out = doall('-size small -loss hinge -save ' .. dir)
   T.ok(not ok)
   T.ok(out:find('unknown -loss hinge', 1, true), out:sub(-1500))
   ok, out = doall('-size small -save /proc/ember-cannot-write')
   T.ok(not ok)
   T.ok(out:find('/proc/ember-cannot-write', 1, true), out:sub(-1500))
   ok, out = doall('-nosuchoption 1')
   T.ok(not ok)
   T.ok(out:find('invalid argument', 1, true), out:sub(-1500))
   os.execute('rm -rf ' .. dir)
end

return tests
