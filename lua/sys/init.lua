-- sys: Torch7's small system toolbox (clock, shell commands, OS name,
-- colours).  The clock and sleep come from src/lsys.c; the rest is Lua, as
-- in torch/sys.  `require 'sys'` returns the package and sets the global
-- `sys`.
local core = require 'ember.core'
local paths = require 'paths'

sys = {}
local sys = sys

-- `bad argument #n to 'name' (<what> expected, got <type>)` unless v has
-- Lua type `want`.
local function check(v, want, n, name)
   if type(v) ~= want then
      error(string.format("bad argument #%d to '%s' (%s expected, got %s)", n, name, want, type(v)), 3)
   end
   return v
end

----------------------------------------------------------------------
-- time
----------------------------------------------------------------------

-- Wall-clock seconds since the epoch with microsecond resolution
-- (gettimeofday), not CPU time: the tutorial divides it by sample counts.
sys.clock = core._sys_walltime

function sys.usleep(us)
   core._sys_usleep(check(us, 'number', 1, 'usleep'))
end

function sys.sleep(seconds)
   core._sys_usleep(check(seconds, 'number', 1, 'sleep') * 1000000)
end

-- Matlab-like stopwatch on sys.clock (one per process, as in Torch).
local tic_time
function sys.tic()
   tic_time = sys.clock()
end

function sys.toc(verbose)
   if not tic_time then error('sys.toc: sys.tic() was never called', 2) end
   local dt = sys.clock() - tic_time
   if verbose then print(dt) end
   return dt
end

----------------------------------------------------------------------
-- shell commands
----------------------------------------------------------------------

local function trim(s)
   return (s:gsub('^%s*', ''):gsub('%s*$', ''))
end

-- Runs cmd (stderr merged into stdout) and returns its output with the
-- surrounding whitespace removed.
function sys.execute(cmd)
   check(cmd, 'string', 1, 'execute')
   local f = assert(io.popen(cmd .. ' 2>&1'))
   local s = f:read('a')
   f:close()
   return trim(s)
end

-- Same through a temporary file (Torch kept it for systems where popen
-- misbehaves); readwhat is passed to file:read.
function sys.fexecute(cmd, readwhat)
   check(cmd, 'string', 1, 'fexecute')
   readwhat = readwhat or '*all'
   local tmpfile = os.tmpname()
   os.execute(cmd .. ' >' .. tmpfile .. ' 2>&1')
   local file = assert(io.open(tmpfile))
   local s = file:read(readwhat) or ''
   file:close()
   os.remove(tmpfile)
   return trim(s)
end

-- 'linux', 'macos', 'windows' or '?'.  Torch asked LuaJIT's ffi.os; Ember
-- asks uname(2).
function sys.uname()
   local name = core._sys_uname()
   if name == 'Linux' then return 'linux' end
   if name == 'Darwin' then return 'macos' end
   if name:match('Windows') then return 'windows' end
   return '?'
end
sys.OS = sys.uname()

sys.ls  = function(d) return sys.execute('ls ' .. (d or ' ')) end
sys.ll  = function(d) return sys.execute('ls -l ' .. (d or ' ')) end
sys.la  = function(d) return sys.execute('ls -a ' .. (d or ' ')) end
sys.lla = function(d) return sys.execute('ls -la ' .. (d or ' ')) end

-- Installation prefix: Torch took the folder above the interpreter's bin/;
-- Ember's equivalent is the folder above lib/ember/core.so ('' if unknown).
local function find_prefix()
   local so = package.searchpath('ember.core', package.cpath)
   if not so then return '' end
   return paths.dirname(paths.dirname(paths.dirname(paths.concat(so))))
end
sys.prefix = find_prefix()

-- Folder and file name of the calling file.
function sys.fpath()
   local fpath = debug.getinfo(2, 'S').source:gsub('^@', '')
   if fpath:find('/') ~= 1 then fpath = paths.concat(paths.cwd(), fpath) end
   return paths.dirname(fpath), paths.basename(fpath)
end

----------------------------------------------------------------------
-- misc
----------------------------------------------------------------------

-- Splits str at each match of the Lua pattern pat; an empty first piece is
-- dropped, as in Torch.
function sys.split(str, pat)
   -- An empty pattern would match forever at the same place.
   check(str, 'string', 1, 'split')
   check(pat, 'string', 2, 'split')
   if pat == '' then error("bad argument #2 to 'split' (non-empty pattern expected)", 2) end
   local t = {}
   local fpat = '(.-)' .. pat
   local last_end = 1
   local s, e, cap = str:find(fpat, 1)
   while s do
      if s ~= 1 or cap ~= '' then t[#t + 1] = cap end
      last_end = e + 1
      s, e, cap = str:find(fpat, last_end)
   end
   if last_end <= #str then t[#t + 1] = str:sub(last_end) end
   return t
end

function sys.isNaN(x)
   return x ~= x
end

sys.COLORS = require 'sys.colors'

-- backward compatibility names kept by Torch
sys.dirname = paths.dirname
sys.concat = paths.concat

return sys
