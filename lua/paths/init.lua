-- paths: Torch7's file-name and directory helpers (POSIX semantics).
--
-- Torch7 wrote these in C (paths.c); here the string manipulation is Lua
-- that follows paths.c character by character, and only the system calls
-- (stat, mkdir, rmdir, opendir, getcwd, uname) come from src/lsys.c.
-- `require 'paths'` returns the package and sets the global `paths`.
local core = require 'ember.core'

paths = {}
local paths = paths

-- luaL_checkstring as the C functions did it: numbers are accepted and
-- converted, anything else is `bad argument #n to 'name' (string expected,
-- got <type>)`.
local function checkstring(v, n, fname)
   local t = type(v)
   if t == 'string' then return v end
   if t == 'number' then return tostring(v) end
   error(string.format("bad argument #%d to '%s' (string expected, got %s)", n, fname, t), 3)
end

----------------------------------------------------------------------
-- file tests
----------------------------------------------------------------------

-- True when stat succeeds and the path is not a directory (so devices and
-- fifos count as files, as in Torch).
function paths.filep(p)
   return core._sys_kind(checkstring(p, 1, 'filep')) == 'file'
end

function paths.dirp(p)
   return core._sys_kind(checkstring(p, 1, 'dirp')) == 'dir'
end

----------------------------------------------------------------------
-- name manipulation
----------------------------------------------------------------------

-- Text after the last slash that is followed by something other than a
-- slash, up to the next slash: 'a/b/' -> 'b', '/' -> ''.  With `ext` (with
-- or without its dot) a matching '.ext' suffix is removed, but never the
-- whole name.
function paths.basename(p, ext)
   p = checkstring(p, 1, 'basename')
   if ext ~= nil then ext = checkstring(ext, 2, 'basename') end
   local start = 1
   for i = 1, #p - 1 do
      if p:byte(i) == 47 and p:byte(i + 1) ~= 47 then start = i + 1 end
   end
   local name = p:match('^[^/]*', start)
   if not ext or ext == '' then return name end
   if ext:sub(1, 1) == '.' then ext = ext:sub(2) end
   if ext == '' then return name end
   if #name > #ext and name:sub(-#ext - 1) == '.' .. ext then
      name = name:sub(1, #name - #ext - 1)
   end
   return name
end

-- Text before the last slash that is followed by a non-slash.  Without
-- such a slash: the path itself when absolute ('/', '//'), else '.'.
function paths.dirname(p)
   p = checkstring(p, 1, 'dirname')
   local last
   for i = 1, #p - 1 do
      if p:byte(i) == 47 and p:byte(i + 1) ~= 47 then last = i end
   end
   if not last then
      if p:byte(1) == 47 then return p end
      return '.'
   end
   -- paths.c copies at least one character, so '/abc' gives '/'.
   return p:sub(1, math.max(last - 1, 1))
end

-- Text after the last dot anywhere in the path (the search does not stop at
-- a slash: 'a.b/c' -> 'b/c'); no dot -> no value at all.
function paths.extname(p)
   p = checkstring(p, 1, 'extname')
   local ext = p:match('%.([^.]*)$')
   if ext then return ext end
end

----------------------------------------------------------------------
-- cwd and concat
----------------------------------------------------------------------

function paths.cwd()
   return core._sys_cwd()
end

-- One step of paths.c's concat_fname: `from` (an absolute path) joined
-- with `fname`, resolving '.', '..', repeated and trailing slashes.
local function concat1(from, fname)
   local buf = fname:byte(1) == 47 and '/' or from
   local i, n = 1, #fname
   while true do
      while i <= n and fname:byte(i) == 47 do i = i + 1 end
      if i > n then
         buf = buf .. '/'
         return (buf:gsub('(.)/+$', '%1'))
      end
      local comp = fname:match('^[^/]*', i)
      if comp == '.' then
         i = i + 1
      elseif comp == '..' then
         i = i + 2
         buf = buf:gsub('/+$', ''):gsub('[^/]+$', '')
      else
         if buf == '' or buf:sub(-1) ~= '/' then buf = buf .. '/' end
         buf = buf .. comp
         i = i + #comp
      end
   end
end

-- Always an absolute path: starts from the current directory, and an
-- absolute argument restarts from '/'.  paths.concat() is the cwd.
function paths.concat(...)
   local n = select('#', ...)
   local path = core._sys_cwd()
   for k = 1, n do
      path = concat1(path, checkstring(select(k, ...), k, 'concat'))
   end
   return path
end

----------------------------------------------------------------------
-- directories
----------------------------------------------------------------------

-- Entry names (with '.' and '..'), or nil when p cannot be listed.
function paths.dir(p)
   return core._sys_dir(checkstring(p, 1, 'dir'))
end

-- Creates p, first creating the missing parents.  true, or the triple
-- nil, "<p>: <strerror>", errno.
function paths.mkdir(p)
   p = checkstring(p, 1, 'mkdir')
   local parent = paths.dirname(p)
   -- The parent ~= p test stops the recursion at '.' or '/' even when
   -- those cannot be stat'ed (a deleted cwd), where paths.c looped.
   if parent ~= p and not paths.dirp(parent) then paths.mkdir(parent) end
   return core._sys_mkdir(p)
end

function paths.rmdir(p)
   return core._sys_rmdir(checkstring(p, 1, 'rmdir'))
end

-- Iterator over the entries of directory s; `f` filters them: a Lua
-- pattern string, or a predicate function.
function paths.files(s, f)
   local d = paths.dir(s)
   local n = 0
   if type(f) == 'string' then
      local pattern = f
      f = function(file) return file:find(pattern) end
   elseif f ~= nil and type(f) ~= 'function' then
      error('Expecting optional arg 2 to be function or string. Got : ' .. type(f), 2)
   end
   return function()
      while d do
         n = n + 1
         local name = d[n]
         if name == nil then return nil end
         if not f or f(name) then return name end
      end
   end
end

function paths.iterdirs(s)
   return paths.files(s, function(name)
      return name ~= '.' and name ~= '..' and paths.dirp(paths.concat(s, name))
   end)
end

function paths.iterfiles(s)
   return paths.files(s, function(name)
      return name ~= '.' and name ~= '..' and paths.filep(paths.concat(s, name))
   end)
end

-- Removes a file or a whole tree; the literal second argument 'yes' is the
-- safety catch Torch asks for.
function paths.rmall(d, more)
   if more ~= 'yes' then
      return nil, "missing second argument ('yes')"
   elseif paths.filep(d) then
      return os.remove(d)
   elseif paths.dirp(d) then
      for f in paths.files(d) do
         if f ~= '.' and f ~= '..' then
            local ff = paths.concat(d, f)
            local ok, err = paths.rmall(ff, more)
            if not ok then return ok, err, ff end
         end
      end
      return paths.rmdir(d)
   end
   return nil, 'not a file or directory', d
end

----------------------------------------------------------------------
-- system
----------------------------------------------------------------------

function paths.tmpname()
   return os.tmpname()
end

-- sysname, nodename, machine (e.g. 'Linux', host, 'x86_64').
function paths.uname()
   return core._sys_uname()
end

function paths.is_win()
   return (paths.uname()):match('Windows')
end

function paths.is_mac()
   return (paths.uname()):match('Darwin')
end

paths.home = os.getenv('HOME') or '.'

-- Directory of the running interpreter: the most negative entry of the
-- global `arg` (th's own path), or nil when unknown.
function paths.execdir()
   local exe
   if type(arg) == 'table' then
      local k = 0
      while arg[k - 1] ~= nil do k = k - 1 end
      exe = arg[k]
   end
   if type(exe) ~= 'string' or not exe:find('/') then return nil end
   return paths.dirname(paths.concat(exe))
end

-- First executable named like one of the arguments on $PATH, or nil.
function paths.findprogram(...)
   local path = os.getenv('PATH') or '.'
   for _, exe in ipairs({...}) do
      for dir in path:gmatch('[^:]+') do
         local x = paths.concat(dir, exe)
         if paths.filep(x) then return x end
      end
   end
   return nil
end

----------------------------------------------------------------------
-- file-relative helpers
----------------------------------------------------------------------

-- Absolute name of the file running at stack level `depth` (2 = the caller);
-- with a string `arg`, that name resolved relative to the file's folder.
function paths.thisfile(arg, depth)
   local info = debug.getinfo(depth or 2, 'S')
   local s = info and info.source
   if type(s) ~= 'string' then
      s = nil
   elseif s:match('^@') then
      s = paths.concat(s:sub(2))
   else
      s = nil
   end
   if type(arg) == 'string' then
      if s then s = paths.concat(paths.dirname(s), arg) else s = arg end
   end
   return s
end

-- dofile relative to the calling file's folder.
function paths.dofile(f, depth)
   local s = paths.thisfile(nil, 1 + (depth or 2))
   if s and s ~= '' then
      f = paths.concat(paths.dirname(s), f)
   end
   return dofile(f)
end

-- Torch's paths.require loaded C modules with RTLD_GLOBAL; plain require
-- does what Ember's modules need.
function paths.require(name)
   return require(name)
end

return paths
