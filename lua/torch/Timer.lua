-- torch.Timer: a stopwatch measuring real (wall-clock), user and system
-- CPU time, as Torch7's Timer.c; plus torch.tic/toc.
--
-- t = torch.Timer() starts running.  t:time() returns {real=, user=, sys=}:
-- the seconds accumulated over the running stretches so far, including the
-- current one.  stop/resume pause and continue; reset zeroes the totals and
-- restarts the clocks without changing the running state.  Every method
-- but time returns the timer.
local core = require 'ember.core'
local walltime, cputime = core._sys_walltime, core._sys_cputime

local Timer = torch.class('torch.Timer')

-- Starts the current stretch at now.
local function mark(self)
   self._startreal = walltime()
   self._startuser, self._startsys = cputime()
end

function Timer:__init()
   self._running = true
   self._totalreal, self._totaluser, self._totalsys = 0, 0, 0
   mark(self)
end

function Timer:reset()
   self._totalreal, self._totaluser, self._totalsys = 0, 0, 0
   mark(self)
   return self
end

function Timer:stop()
   if self._running then
      local user, sys = cputime()
      self._totalreal = self._totalreal + (walltime() - self._startreal)
      self._totaluser = self._totaluser + (user - self._startuser)
      self._totalsys = self._totalsys + (sys - self._startsys)
      self._running = false
   end
   return self
end

function Timer:resume()
   if not self._running then
      self._running = true
      mark(self)
   end
   return self
end

function Timer:time()
   local real, user, sys = 0, 0, 0
   if self._running then
      local u, s = cputime()
      real = walltime() - self._startreal
      user = u - self._startuser
      sys = s - self._startsys
   end
   return {real = real + self._totalreal, user = user + self._totaluser, sys = sys + self._totalsys}
end

function Timer:__tostring__()
   return 'torch.Timer [status: ' .. (self._running and 'running' or 'stopped') .. ']'
end

-- torch.tic() -> seconds since the epoch; torch.toc(t) -> seconds since t
-- (nn.test seeds with 1e5 * torch.tic()).  Kept if a C binding made them.
if not torch.tic then
   function torch.tic()
      return walltime()
   end
end
if not torch.toc then
   function torch.toc(t)
      if type(t) ~= 'number' then
         error("bad argument #1 to 'toc' (number expected, got " .. type(t) .. ')', 2)
      end
      return walltime() - t
   end
end
