-- testlib: assertions for tests/lua/*.lua.  A test file does
--    local T = require 'testlib'
--    local tests = T.suite()
--    function tests.some_name() T.eq(1 + 1, 2) end
--    return tests
-- and tests/lua/run.lua runs its tests in declaration order.  Every failed
-- assertion raises an error naming what was expected and what came.
local T = {}

-- The th running the suite (build/th, or build-asan/th under make
-- sanitize), for tests that start subprocesses.
T.th = arg and arg[0] or 'build/th'

-- A table that remembers the order in which tests were declared.
function T.suite()
   local order = {}
   return setmetatable({}, {
      __newindex = function(t, k, v)
         assert(rawget(t, k) == nil, 'test ' .. k .. ' declared twice')
         order[#order + 1] = k
         rawset(t, k, v)
      end,
      __index = {__order = order},
   })
end

local function show(v)
   if type(v) == 'string' then return string.format('%q', v) end
   return tostring(v)
end

function T.ok(cond, msg)
   if not cond then error(msg or 'assertion failed', 2) end
end

function T.eq(got, want, msg)
   if got ~= want then
      error(string.format('%sexpected %s, got %s', msg and msg .. ': ' or '',
         show(want), show(got)), 2)
   end
end

-- |got - want| <= tol * max(1, |want|)
function T.near(got, want, tol, msg)
   tol = tol or 1e-12
   local scale = math.max(1, math.abs(want))
   if not (math.abs(got - want) <= tol * scale) and not (got ~= got and want ~= want) then
      error(string.format('%sexpected %.17g, got %.17g (tol %g)', msg and msg .. ': ' or '',
         want, got, tol), 2)
   end
end

-- Element-wise comparison of two tensors (any types) or a tensor and a
-- nested Lua table, with the same relative rule as T.near.
function T.tensor_near(got, want, tol, msg)
   tol = tol or 1e-12
   if type(want) == 'table' and not torch.isTensor(want) then want = torch.DoubleTensor(want) end
   local g, w = got:double():contiguous():view(-1), want:double():contiguous():view(-1)
   if g:nElement() ~= w:nElement() then
      error(string.format('%sexpected %d elements, got %d', msg and msg .. ': ' or '',
         w:nElement(), g:nElement()), 2)
   end
   for i = 1, g:nElement() do
      local a, b = g[i], w[i]
      if not (math.abs(a - b) <= tol * math.max(1, math.abs(b))) and not (a ~= a and b ~= b) then
         error(string.format('%selement %d: expected %.17g, got %.17g (tol %g)',
            msg and msg .. ': ' or '', i, b, a, tol), 2)
      end
   end
end

-- The tutorial ConvNet as tutorial/doall.lua trains it (models/build.lua,
-- LogSoftMax, ClassNLLCriterion), of type tt, built after
-- torch.manualSeed(seed); returns step(input, target) -> loss (one SGD step
-- of rate lr on the flattened parameters) and those parameters.
function T.tutorial_sgd(tt, seed, lr)
   require 'nn'
   torch.manualSeed(seed)
   local model = dofile('models/build.lua').convnet{}
   model:add(nn.LogSoftMax())
   model:type(tt)
   local crit = nn.ClassNLLCriterion():type(tt)
   local params, grads = model:getParameters()
   local function step(input, target)
      local out = model:forward(input)
      grads:zero()
      local loss = crit:forward(out, target)
      model:backward(input, crit:backward(out, target))
      params:add(-lr, grads)
      return loss
   end
   return step, params
end

-- fn(...) must raise an error whose message contains `text` (plain match).
-- max |a - b| relative to max |b|, the tensors' scale (a per-element
-- relative test is meaningless where values cancel to near zero); tol 0
-- asks for equality
function T.close_scaled(a, b, tol, msg)
   T.eq(a:nElement(), b:nElement(), msg .. ' (sizes)')
   local d = (a:double() - b:double()):abs():max()
   local scale = math.max(torch.abs(b:double()):max(), 1e-300)
   if not (d <= tol * scale) then
      error(string.format('%s: max difference %.3g, scale %.3g, tolerance %g', msg, d, scale, tol), 2)
   end
end

function T.errors(text, fn, ...)
   local ok, err = pcall(fn, ...)
   if ok then error('expected an error containing ' .. show(text) .. ', got none', 2) end
   err = tostring(err)
   if not err:find(text, 1, true) then
      error('expected an error containing ' .. show(text) .. ', got ' .. show(err), 2)
   end
   return err
end

-- The whole content of a file (binary mode).
function T.readfile(path)
   local f = assert(io.open(path, 'rb'))
   local s = f:read('a')
   f:close()
   return s
end

-- Runs fn with io.write and print captured (print as Lua's: TAB-separated,
-- newline); returns the text written.  Errors from fn are re-raised after
-- the real functions are restored.
function T.capture(fn)
   local buf = {}
   local realwrite, realprint = io.write, print
   io.write = function(...)
      for _, s in ipairs({...}) do buf[#buf + 1] = tostring(s) end
   end
   print = function(...)
      local t = {}
      for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end
      buf[#buf + 1] = table.concat(t, '\t') .. '\n'
   end
   local ok, err = pcall(fn)
   io.write, print = realwrite, realprint
   if not ok then error(err, 0) end
   return table.concat(buf)
end

return T
