-- xlua: progress bar and formatTime byte-exact against real Torch7
-- (tests/golden/xlua_progress.out), error/require/unpack/print helpers.
local T = require 'testlib'
local readfile, capture = T.readfile, T.capture
local tests = T.suite()

-- Runs fn with io.write (and print) captured; returns the text written.
-- A fresh xlua module, so the progress bar state starts as on load.
local function fresh_xlua()
   package.loaded.xlua = nil
   return require 'xlua'
end

function tests.golden_progress_and_formatTime()
   fresh_xlua()
   local realTimer = torch.Timer
   -- the golden script swaps torch.Timer for a fake clock and io.write for
   -- its own capture; it writes its report through the io.write it found.
   local ok, out = pcall(capture, function() dofile('tests/golden/xlua_progress.lua') end)
   torch.Timer = realTimer
   assert(ok, out)
   local want = readfile('tests/golden/xlua_progress.out')
   if out ~= want then
      -- name the first differing line for a readable failure
      local gl, wl = {}, {}
      for l in (out .. '\n'):gmatch('(.-)\n') do gl[#gl + 1] = l end
      for l in (want .. '\n'):gmatch('(.-)\n') do wl[#wl + 1] = l end
      for i = 1, math.max(#gl, #wl) do
         T.eq(gl[i], wl[i], 'line ' .. i)
      end
   end
   T.eq(out, want)
end

function tests.first_call_layout()
   -- the spec's worked example: progress(1, 5) with the clock at 0
   local x = fresh_xlua()
   local realTimer = torch.Timer
   torch.Timer = function() return {time = function() return {real = 0, user = 0, sys = 0} end} end
   local out = capture(function() x.progress(1, 5) end)
   torch.Timer = realTimer
   local want = ' [========>' .. string.rep('.', 37) .. '] ' .. string.rep(' ', 30) .. string.rep('\b', 30)
      .. ' ETA: 0ms | Step: 0ms' .. string.rep('\b', 49) .. ' 1/5 \r'
   T.eq(out, want)
end

function tests.bar_cells_at_the_edges()
   local x = fresh_xlua()
   local realTimer = torch.Timer
   torch.Timer = function() return {time = function() return {real = 0, user = 0, sys = 0} end} end
   -- past the goal: every cell is '=', but (as in Torch) the bar only
   -- completes when percent equals the bar length exactly
   local out = capture(function() x.progress(12, 10) end)
   T.eq(out:sub(1, 50), ' [' .. string.rep('=', 46) .. '] ')
   T.ok(out:find(' 12/10 \r$'), 'not completed: ' .. string.format('%q', out))
   x = fresh_xlua()
   -- percent 1: the arrow in the first cell
   out = capture(function() x.progress(1, 46) end)
   T.eq(out:sub(1, 50), ' [>' .. string.rep('.', 45) .. '] ')
   torch.Timer = realTimer
end

function tests.progress_real_timer_completes()
   -- with the real torch.Timer a full bar ends in '\n\r' and a repeat call
   -- after completion writes only '\r'
   local x = fresh_xlua()
   local out = capture(function() for i = 1, 10 do x.progress(i, 10) end end)
   T.ok(out:find(' 10/10 \n\r$'), 'bar ends with the counter, newline and CR')
   T.ok(out:find(' Tot: '), 'completed bar shows the total time')
   T.eq(capture(function() x.progress(10, 10) end), '\r')
   -- float counts print like LuaJIT (no '.0')
   out = capture(function() x.progress(1.0, 4.0) end)
   T.ok(out:find(' 1/4 \r$'), 'integral floats print without .0: ' .. string.format('%q', out))
end

function tests.progress_bad_arguments()
   local x = require 'xlua'
   T.errors("bad argument #1 to 'progress' (number expected, got nil)", x.progress)
   T.errors("bad argument #2 to 'progress' (positive number expected, got 0)", x.progress, 1, 0)
   T.errors("bad argument #2 to 'progress' (positive number expected, got nil)", x.progress, 1)
end

function tests.formatTime_units()
   local x = require 'xlua'
   T.eq(x.formatTime(0), '0ms')
   T.eq(x.formatTime(83), '1m23s')
   T.eq(x.formatTime(4.5), '4s500ms')
   T.eq(x.formatTime(7505), '2h5m')
   T.eq(x.formatTime(3 * 86400 + 7200 + 5), '3D2h')
   T.eq(x.formatTime(0.0125), '12ms')
   T.errors("bad argument #1 to 'formatTime' (number expected, got nil)", x.formatTime)
end

function tests.error_is_red_with_domain()
   local x = require 'xlua'
   local err = T.errors('\27[1;31m<Logger> can only log\27[0m', x.error, 'can only log', 'Logger')
   T.ok(not err:find('\n'), 'no usage appended')
   T.errors('\27[1;31mbad\27[0m\nusage text', x.error, 'bad', nil, 'usage text')
end

function tests.require_guarded()
   local x = require 'xlua'
   local ret
   local out = capture(function() ret = x.require('no_such_package_xyz') end)
   T.eq(ret, false)
   T.ok(out:find("module 'no_such_package_xyz' not found", 1, true), 'prints the require error')
   T.ok(out:find('warning: <no_such_package_xyz> could not be loaded (is it installed?)\n', 1, true),
      'prints the warning')
   T.eq(x.require('sys'), sys)
end

function tests.unpack_positional_and_named()
   local x = require 'xlua'
   local defs = {
      {arg = 'size', type = 'number', help = 'size', default = 3},
      {arg = 'sigma', type = 'number', help = 'sigma', default = 0.25},
      {arg = 'name', type = 'string', help = 'name', req = true},
   }
   local args, size, sigma, name = x.unpack({7, nil, 'g'}, 'f', 'desc', table.unpack(defs))
   T.eq(size, 7); T.eq(sigma, 0.25); T.eq(name, 'g')
   T.eq(args.size, 7)
   args, size, sigma, name = x.unpack({{sigma = 0.5, name = 'h'}}, 'f', 'desc', table.unpack(defs))
   T.eq(size, 3); T.eq(sigma, 0.5); T.eq(name, 'h')
   local usage = tostring(args.usage)
   T.ok(usage:find('[size = number]', 1, true) and usage:find('[default = 3]', 1, true), usage)
   capture(function()
      T.errors('\27[1;31merror\27[0m', x.unpack, {{size = 1}}, 'f', 'desc', table.unpack(defs))
   end)
end

function tests.print_tables_and_objects()
   local x = require 'xlua'
   T.eq(capture(function() x.print({a = 1}) end), '{[a] = 1}\n')
   T.eq(capture(function() x.print('s', 2) end), 's    2\n')
   T.eq(capture(function() x.print(torch.Timer():stop()) end), 'torch.Timer [status: stopped]\n')
   local long = capture(function() x.print({k = string.rep('z', 50)}) end)
   T.eq(long, '{[k] = ' .. string.rep('z', 40) .. '\27[0m ... }\n')
end

function tests.splice_and_split()
   require 'xlua'
   local kept, removed = table.splice({1, 2, 3, 4}, 2, 2)
   T.eq(table.concat(kept, ','), '1,4')
   T.eq(table.concat(removed, ','), '2,3')
   T.eq(table.concat(string.split('a,b,,c', ','), '|'), 'a|b||c')
   T.eq(table.concat(string.split(',a', ','), '|'), 'a')
end

return tests
