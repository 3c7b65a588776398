-- sys: clock (epoch seconds, wall time), sleep, shell helpers, uname,
-- colours, split.
local T = require 'testlib'
require 'sys'
local tests = T.suite()

function tests.clock_is_epoch_wall_time()
   local c = sys.clock()
   T.ok(math.abs(c - os.time()) < 2, 'sys.clock close to os.time: ' .. c)
   T.ok(c ~= math.floor(c) or sys.clock() ~= c, 'sub-second resolution')
end

function tests.sleep_and_tic_toc()
   sys.tic()
   sys.sleep(0.05)
   local dt = sys.toc()
   T.ok(dt >= 0.049 and dt < 30, 'sleep 0.05 s measured ' .. dt)
   local t0 = sys.clock()
   sys.usleep(20000)
   T.ok(sys.clock() - t0 >= 0.019, 'usleep 20 ms')
end

function tests.execute_trims()
   T.eq(sys.execute('printf "  a b \\n\\n"'), 'a b')
   T.eq(sys.execute('(echo err >&2)'), 'err')         -- stderr merged
   T.eq(sys.fexecute('echo "  x  "'), 'x')
   T.eq(sys.fexecute('printf "l1\\nl2\\n"', '*l'), 'l1')
   T.eq(sys.ls('-d /'), '/')
end

function tests.bad_arguments()
   T.errors("bad argument #1 to 'execute' (string expected, got nil)", sys.execute)
   T.errors("bad argument #1 to 'fexecute' (string expected, got number)", sys.fexecute, 3)
   T.errors("bad argument #1 to 'sleep' (number expected, got string)", sys.sleep, 'x')
   T.errors("bad argument #1 to 'usleep' (number expected, got nil)", sys.usleep)
   T.errors("bad argument #2 to 'split' (string expected, got nil)", sys.split, 'a')
end

function tests.uname_and_os()
   T.eq(sys.uname(), 'linux')
   T.eq(sys.OS, 'linux')
end

function tests.colors()
   T.eq(sys.COLORS.Red, '\27[1;31m')
   T.eq(sys.COLORS.none, '\27[0m')
   T.eq(sys.COLORS._white, '\27[47m')
   T.eq(require('sys.colors'), sys.COLORS)
end

function tests.split_isnan_aliases()
   T.eq(table.concat(sys.split('a b  c', ' '), '|'), 'a|b||c')
   T.eq(table.concat(sys.split('/usr/bin', '/'), '|'), 'usr|bin')
   T.errors('non-empty pattern', sys.split, 'abc', '')
   T.eq(sys.isNaN(0 / 0), true)
   T.eq(sys.isNaN(1), false)
   T.eq(sys.dirname, paths.dirname)
   T.eq(sys.concat, paths.concat)
   local dir, file = sys.fpath()
   T.eq(file, 'test_sys.lua')
   T.eq(dir, paths.concat('tests/lua'))
   T.ok(type(sys.prefix) == 'string' and sys.prefix ~= '', 'prefix found')
end

return tests
