-- torch.Timer: real/user/sys accumulation, stop/resume/reset, tostring;
-- torch.tic/toc.
local T = require 'testlib'
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
   T.ok(tm.real >= 0.045 and tm.real < 2, 'real ' .. tm.real)
   T.ok(tm.user + tm.sys >= 0.03, 'cpu ' .. tm.user .. ' + ' .. tm.sys)
   T.ok(tm.user <= tm.real + 0.02, 'user <= real')
end

function tests.stop_freezes_resume_continues()
   local t = torch.Timer()
   spin(0.03)
   T.eq(t:stop(), t)
   T.eq(tostring(t), 'torch.Timer [status: stopped]')
   local a = t:time()
   spin(0.03)
   local b = t:time()
   T.eq(b.real, a.real)
   T.eq(b.user, a.user)
   T.eq(t:stop(), t)                    -- stopping twice changes nothing
   T.eq(t:time().real, a.real)
   T.eq(t:resume(), t)
   spin(0.03)
   local c = t:time()
   T.ok(c.real >= a.real + 0.025 and c.real < a.real + 1, 'resumed stretch added')
   T.ok(c.real < a.real + 0.03 + (b.real - a.real) + 0.5, 'paused stretch not counted')
end

function tests.reset_zeroes_keeps_state()
   local t = torch.Timer()
   spin(0.03)
   T.eq(t:reset(), t)
   T.ok(t:time().real < 0.02, 'reset restarts from zero')
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
   T.ok(dt >= 0.015 and dt < 1, 'toc ' .. dt)
   T.errors('number expected', torch.toc)
end

return tests
