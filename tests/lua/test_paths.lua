-- paths: name manipulation against the cases checked on real Torch7
-- (optim-etc.md §6) and the POSIX rules of paths.c; directory helpers on a
-- scratch folder.
local T = require 'testlib'
require 'paths'
local tests = T.suite()

local function scratch()
   local d = os.tmpname()
   os.remove(d)
   return d
end

function tests.concat_rules()
   local cwd = paths.cwd()
   T.eq(paths.concat(), cwd)
   T.eq(paths.concat('mnist.t7', 'train_32x32.t7'), cwd .. '/mnist.t7/train_32x32.t7')
   T.eq(paths.concat('/'), '/')
   T.eq(paths.concat('/a/b', '..', 'c'), '/a/c')
   T.eq(paths.concat('/a//b/', './c/', ''), '/a/b/c')
   T.eq(paths.concat('/a', '/x/y'), '/x/y')          -- absolute part restarts
   T.eq(paths.concat('/a', '../..', 'z'), '/z')      -- cannot climb above /
   T.eq(paths.concat('/a/b/..'), '/a')
   T.eq(paths.concat('/a', '.'), '/a')
   T.eq(paths.concat('/', 3), '/3')                  -- numbers are strings
   T.ok(paths.concat('rel'):sub(1, 1) == '/', 'always absolute')
   T.errors("bad argument #2 to 'concat' (string expected, got table)", paths.concat, 'a', {})
end

function tests.basename()
   T.eq(paths.basename('a/b/c.lua'), 'c.lua')
   T.eq(paths.basename('a/b/'), 'b')
   T.eq(paths.basename('http://host/data/mnist.t7.tgz'), 'mnist.t7.tgz')
   T.eq(paths.basename('a/b/c.lua', 'lua'), 'c')
   T.eq(paths.basename('a/b/c.lua', '.lua'), 'c')
   T.eq(paths.basename('a/b/c.lua', 'txt'), 'c.lua')
   T.eq(paths.basename('lua', 'lua'), 'lua')         -- no dot: kept
   T.eq(paths.basename('.lua', 'lua'), '')           -- paths.c strips down to nothing
   T.eq(paths.basename('/'), '')
   T.eq(paths.basename('abc'), 'abc')
   T.errors("bad argument #1 to 'basename' (string expected, got nil)", paths.basename)
end

function tests.dirname()
   T.eq(paths.dirname('a/b/c'), 'a/b')
   T.eq(paths.dirname('abc'), '.')
   T.eq(paths.dirname('/abc'), '/')
   T.eq(paths.dirname('a/b/'), 'a')
   T.eq(paths.dirname('/'), '/')
   T.eq(paths.dirname('//'), '//')
   T.eq(paths.dirname('/a//b'), '/a/')               -- paths.c keeps the slash run
end

function tests.extname()
   T.eq(paths.extname('a/b.lua'), 'lua')
   T.eq(paths.extname('x.tar.gz'), 'gz')
   T.eq(paths.extname('a.b/c'), 'b/c')
   T.eq(select('#', paths.extname('abc')), 0)
   T.eq(paths.extname('abc.'), '')
end

function tests.file_tests()
   T.eq(paths.dirp('/'), true)
   T.eq(paths.filep('/'), false)
   T.eq(paths.filep('tests/lua/test_paths.lua'), true)
   T.eq(paths.dirp('tests/lua/test_paths.lua'), false)
   T.eq(paths.filep('/no/such/file'), false)
   T.eq(paths.dirp('/no/such/dir'), false)
end

function tests.mkdir_dir_files_rmall()
   local d = scratch()
   T.eq(paths.mkdir(d .. '/x/y'), true)             -- parents created too
   T.eq(paths.dirp(d .. '/x/y'), true)
   local ok, msg, code = paths.mkdir(d .. '/x/y')
   T.eq(ok, nil); T.eq(msg, d .. '/x/y: File exists'); T.eq(code, 17)
   local f = assert(io.open(d .. '/x/a.txt', 'w')); f:write('1'); f:close()
   f = assert(io.open(d .. '/x/b.lua', 'w')); f:close()
   local names = paths.dir(d .. '/x')
   table.sort(names)
   T.eq(table.concat(names, ' '), '. .. a.txt b.lua y')
   local got = {}
   for n in paths.files(d .. '/x', '%.txt$') do got[#got + 1] = n end
   T.eq(table.concat(got, ' '), 'a.txt')
   got = {}
   for n in paths.iterdirs(d .. '/x') do got[#got + 1] = n end
   T.eq(table.concat(got, ' '), 'y')
   got = {}
   for n in paths.iterfiles(d .. '/x') do got[#got + 1] = n end
   table.sort(got)
   T.eq(table.concat(got, ' '), 'a.txt b.lua')
   T.eq(paths.dir(d .. '/nope'), nil)
   T.eq(paths.files(d .. '/nope')(), nil)
   T.errors('Expecting optional arg 2 to be function or string', paths.files, d, 3)
   T.eq(select(2, paths.rmall(d)), "missing second argument ('yes')")
   local r1, r2 = paths.rmdir(d)
   T.eq(r1, nil); T.eq(r2, d .. ': Directory not empty')
   T.eq(paths.rmall(d, 'yes'), true)
   T.eq(paths.dirp(d), false)
   T.eq(select(2, paths.rmall(d, 'yes')), 'not a file or directory')
end

function tests.mkdir_failure_triple()
   local ok, msg, code = paths.mkdir('/proc/no_such_dir_xyz/sub')
   T.eq(ok, nil)
   T.eq(code == 2 or code == 13 or code == 30, true, 'errno ' .. tostring(code))
   T.ok(msg:find('^/proc/no_such_dir_xyz/sub: '), msg)
end

function tests.thisfile_and_dofile()
   local me = paths.thisfile()
   T.eq(me, paths.concat('tests/lua/test_paths.lua'))
   T.eq(paths.thisfile('testlib.lua'), paths.concat('tests/lua/testlib.lua'))
   T.eq(type(paths.dofile('testlib.lua').near), 'function')
end

function tests.system_helpers()
   T.eq((paths.uname()), 'Linux')
   T.eq(paths.is_win(), nil)
   T.eq(paths.is_mac(), nil)
   T.eq(paths.home, os.getenv('HOME') or '.')
   T.eq(paths.findprogram('sh'):match('/sh$'), '/sh')
   T.eq(paths.findprogram('no-such-program-xyz'), nil)
   T.eq(type(paths.tmpname()), 'string')
   T.eq(paths.require('paths'), paths)
end

return tests
