-- torch.Timer: real/user/sys accumulation, stop/resume/reset, tostring;
-- torch.tic/toc.
local T = require 'testlib'
require 'sys'
local tests = T.suite()

-- Busy loop (CPU time grows) for about `s` wall seconds.
local function spin(s)
   local t0 = os.clock()
   local x = 0
   while os.clock() - t0 < s do x = x + 1 end
   return x
end

function tests.running_timer_accumulates()
   local t = torch.Timer()
   T.eq(torch.typename(t), 'torch.Timer')
   T.eq(tostring(t), 'torch.Timer [status: running]')
   spin(0.05)
   local tm = t:time()
   T.ok(tm.real >= 0.045 and tm.real < 30, 'real ' .. tm.real)
   T.ok(tm.user + tm.sys >= 0.03, 'cpu ' .. tm.user .. ' + ' .. tm.sys)
   T.ok(tm.user <= tm.real + 0.02, 'user <= real')
end

function tests.stop_freezes_resume_continues()
   -- Wall-clock bounds are taken around the timer's own calls, so they hold
   -- however loaded the machine is.
   local t = torch.Timer()
   local T0 = sys.clock()
   spin(0.03)
   T.eq(t:stop(), t)
   local P0 = sys.clock()
   T.eq(tostring(t), 'torch.Timer [status: stopped]')
   local a = t:time()
   sys.sleep(0.1)
   spin(0.02)
   local b = t:time()
   T.eq(b.real, a.real)
   T.eq(b.user, a.user)
   T.eq(b.sys, a.sys)
   T.eq(t:stop(), t)                    -- stopping twice changes nothing
   T.eq(t:time().real, a.real)
   local P1 = sys.clock()
   T.eq(t:resume(), t)
   T.eq(t:resume(), t)                  -- resuming twice restarts nothing
   spin(0.03)
   local c = t:time()
   local T1 = sys.clock()
   T.ok(c.real >= 0.05, 'both running stretches counted: ' .. c.real)
   T.ok(c.real <= (T1 - T0) - (P1 - P0) + 0.01, 'paused stretch not counted: ' .. c.real
      .. ' vs ' .. ((T1 - T0) - (P1 - P0)))
   T.ok(c.user + c.sys >= 0.05, 'cpu of both stretches')
end

function tests.reset_zeroes_keeps_state()
   local t = torch.Timer()
   spin(0.03)
   local R0 = sys.clock()
   T.eq(t:reset(), t)
   local r = t:time().real
   T.ok(r <= sys.clock() - R0 + 1e-3, 'reset restarts from zero: ' .. r)
   T.eq(tostring(t), 'torch.Timer [status: running]')
   t:stop()
   t:reset()
   T.eq(t:time().real, 0)
   T.eq(t:time().user, 0)
   T.eq(tostring(t), 'torch.Timer [status: stopped]')
end

function tests.tic_toc()
   local t0 = torch.tic()
   T.ok(math.abs(t0 - os.time()) < 2, 'tic is epoch seconds')
   spin(0.02)
   local dt = torch.toc(t0)
   T.ok(dt >= 0.015 and dt < 30, 'toc ' .. dt)
   T.errors('number expected', torch.toc)
end

return tests
