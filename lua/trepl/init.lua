-- trepl: Torch7's REPL and th's global print, on Lua 5.4.
--
-- Loading this module does what loading trepl did under Torch7's th:
--   * pcall(require)s torch, paths, sys, xlua (whichever exist), which sets
--     their globals, so th scripts use them without require;
--   * replaces the global print by print_new (pretty printer: plain values
--     followed by a TAB, tables expanded, tensors shown in full), and adds
--     setprintlevel, import, who, monitor_G, noColors, _RESULTS, _LAST;
--   * wraps require to also accept paths relative to the calling file.
-- It returns repl(), the read-eval-print loop (th.lua calls it).
-- Output formats follow Torch7 byte for byte (tests/golden/th_print.out).
local native = require 'trepl.native'

for _, pkg in ipairs({'torch', 'paths', 'sys', 'xlua'}) do
   pcall(require, pkg)
end

local loadstring = load
local unpack = table.unpack

------------------------------------------------------------------------------
-- Colours: only on a terminal that knows them; otherwise every code is ''.
local colors = {
   none = '\27[0m', black = '\27[0;30m', red = '\27[0;31m', green = '\27[0;32m',
   yellow = '\27[0;33m', blue = '\27[0;34m', magenta = '\27[0;35m', cyan = '\27[0;36m',
   white = '\27[0;37m', Black = '\27[1;30m', Red = '\27[1;31m', Green = '\27[1;32m',
   Yellow = '\27[1;33m', Blue = '\27[1;34m', Magenta = '\27[1;35m', Cyan = '\27[1;36m',
   White = '\27[1;37m', _black = '\27[40m', _red = '\27[41m', _green = '\27[42m',
   _yellow = '\27[43m', _blue = '\27[44m', _magenta = '\27[45m', _cyan = '\27[46m',
   _white = '\27[47m',
}
-- col.red('x') wraps x in the red code (looked up at call time, so
-- noColors() affects every later call)
local col = {}
for name in pairs(colors) do
   col[name] = function(txt) return colors[name] .. txt .. colors.none end
end

function noColors()
   for k in pairs(colors) do colors[k] = '' end
end

if not native.isatty(1) then
   noColors()
else
   local ok = os.execute('tput colors >/dev/null 2>&1')
   if not ok then noColors() end
end

------------------------------------------------------------------------------
-- print_new

-- Numbers as LuaJIT wrote them (every number was a double printed with
-- %.14g, ties rounded away from zero; NaN is 'nan' whatever its sign bit).
local numstr = require('torch.numfmt').tostring

local function tostr(x)
   if type(x) == 'number' then return numstr(x) end
   return tostring(x)
end

-- 'DoubleTensor - size: 2x3', 'DoubleTensor - empty', 'FloatStorage - size: 4'
local function sizestr(x)
   local name = torch.typename(x)
   local short = name:match('torch%.(.+)')
   if name:find('torch.*Storage') then
      return short .. ' - size: ' .. numstr(x:size())
   end
   if x:nDimension() == 0 then return short .. ' - empty' end
   local dims = {}
   for i = 1, x:nDimension() do dims[i] = numstr(x:size(i)) end
   return short .. ' - size: ' .. table.concat(dims, 'x')
end

-- One value as it appears after 'key : ' (nested) or alone (top level).
local function colorize(object, nested)
   local tp = type(object)
   if object == nil then
      return col.Black('nil')
   elseif tp == 'number' then
      return col.cyan(numstr(object))
   elseif tp == 'boolean' then
      return col.blue(tostring(object))
   elseif tp == 'string' then
      if nested then return col.Black('"') .. col.green(object) .. col.Black('"') end
      return col.none(object)
   elseif tp == 'function' then
      return col.magenta(tostring(object))
   elseif tp == 'userdata' then
      local name = torch and torch.typename and torch.typename(object) or ''
      local s
      if name and (name:find('torch.*Tensor') or name:find('torch.*Storage')) then
         s = sizestr(object)
      else
         s = tostring(object)
      end
      if s == '' then s = tostring(object) end
      return col.red(s)
   elseif tp == 'table' then
      return col.green(tostring(object))
   end
   return col._black(tostring(object))
end

-- Nesting depth of the table printer (setprintlevel).
local ndepth = 4

-- The print th installs.  Per argument: userdata and tables with a
-- __tostring print as tostring(x) .. '\n'; plain tables are expanded;
-- anything else is written followed by a TAB, and the last such argument
-- ends the line.
function print_new(...)
   local function rawprint(o)
      io.write(tostr(o or '') .. '\n')
      io.flush()
   end
   local function printrecursive(obj, depth)
      depth = depth or 0
      local tab = depth * 4
      local function line(s)
         io.write(string.rep(' ', tab))
         rawprint(s)
      end
      if next(obj) then
         line('{')
         tab = tab + 2
         for k, v in pairs(obj) do
            if type(v) == 'table' then
               if depth >= ndepth - 1 or next(v) == nil then
                  line(tostr(k) .. ' : {...}')
               else
                  line(tostr(k) .. ' : ')
                  printrecursive(v, depth + 1)
               end
            else
               line(tostr(k) .. ' : ' .. colorize(v, true))
            end
         end
         tab = tab - 2
         line('}')
      else
         line('{}')
      end
   end
   local n = select('#', ...)
   for i = 1, n do
      local obj = select(i, ...)
      if type(obj) ~= 'table' then
         if type(obj) == 'userdata' then
            rawprint(obj)
         else
            io.write(colorize(obj) .. '\t')
            if i == n then rawprint() end
         end
      elseif getmetatable(obj) and getmetatable(obj).__tostring then
         rawprint(obj)
      else
         printrecursive(obj)
      end
   end
end

if not print_old then print_old = print end

-- setprintlevel(n): depth of table expansion; 0 restores Lua's print.
function setprintlevel(n)
   if type(n) ~= 'number' or n < 0 then
      error('expected number [0,+)', 2)
   end
   ndepth = math.floor(n)
   if ndepth == 0 then print = print_old else print = print_new end
end
setprintlevel(5)

------------------------------------------------------------------------------
-- import, require, who, monitor_G

-- import 'pkg': copies the package's fields into _G (existing globals are
-- kept unless forced).
function import(package, forced)
   local ret = require(package)
   local symbols = {}
   if type(_G[package]) == 'table' then
      symbols = _G[package]
   elseif type(ret) == 'table' then
      symbols = ret
   end
   _G._torchimport = _G._torchimport or {}
   _G._torchimport[package] = symbols
   for k, v in pairs(symbols) do
      if _G[k] == nil or forced then _G[k] = v end
   end
end

local function isfile(p)
   local f = io.open(p, 'r')
   if f then f:close() return true end
   return false
end

local function isdir(p)
   local f = io.open(p, 'r')
   if not f then return false end
   local ok, _, code = f:read(1)
   f:close()
   return ok == nil and code == 21   -- EISDIR
end

local function dirname(p)
   return p:match('^(.*)/[^/]*$') or '.'
end

-- require './x' (a leading dot) loads x.lua / x / x/init.lua relative to
-- the file calling require; .t7-style objects (.th, .net) are torch.load'ed.
local drequire = require
function require(name)
   if type(name) == 'string' and name:find('^%.') then
      local src = debug.getinfo(2, 'S').source
      local dir = '.'
      if src:sub(1, 1) == '@' and isfile(src:sub(2)) then dir = dirname(src:sub(2)) end
      local p = dir .. '/' .. name
      if isfile(p .. '.lua') then return dofile(p .. '.lua') end
      if p:find('%.th$') and isfile(p) then return torch.load(p) end
      if p:find('%.net$') and isfile(p) then drequire('nn') return torch.load(p) end
      if isfile(p) and not isdir(p) then return dofile(p) end
      if isfile(p .. '.th') then return torch.load(p .. '.th') end
      if isfile(p .. '.net') then drequire('nn') return torch.load(p .. '.net') end
      return dofile(p .. '/init.lua')
   end
   return drequire(name)
end

-- '[name]   = <type and size>' line for who()
local function printvar(key, val, m)
   local name = '[' .. tostring(key) .. ']'
   name = name .. string.rep(' ', m - #name + 2)
   local tp = type(val)
   if tp == 'userdata' then
      local tn = torch and torch.typename(val) or ''
      if tn and (tn:find('torch.*Tensor') or tn:find('torch.*Storage')) then
         tp = sizestr(val)
      else
         tp = tostring(val)
      end
   elseif tp == 'table' then
      if torch and torch.type(val) ~= 'table' then
         tp = torch.type(val)
      else
         tp = tp .. ' - size: ' .. #val
      end
   elseif tp == 'string' then
      local s = val:gsub('\n', '\\n')
      if #s > 40 then s = s:sub(1, 40) .. '...' end
      tp = tp .. ' : "' .. s .. '"'
   else
      tp = tostr(val)
   end
   return name .. ' = ' .. tp
end

-- who(): lists the globals the user created; who(true) also the system ones.
function who(system)
   local m = 0
   for k in pairs(_G) do
      local s = tostring(k)
      if #s > m then m = #s end
   end
   local p = _G._preloaded_ or {}
   local function printsymb(sys)
      for k, v in pairs(_G) do
         if (sys and p[k]) or (not sys and not p[k]) then
            print(printvar(k, v, m))
         end
      end
   end
   if system then
      print('== System Variables ==')
      printsymb(true)
   end
   print('== User Variables ==')
   printsymb(false)
   print('==')
end

-- monitor_G([cb | true]): report (print) or forbid (error, when given
-- true) creating or reading undeclared globals; th -g / th -gg.
function monitor_G(cb)
   local strict = false
   if type(cb) == 'boolean' then strict = true; cb = nil end
   local created = {}
   for k in pairs(_G) do created[k] = true end
   local function where()
      local info = debug.getinfo(3, 'Sl')
      if info and info.currentline and info.currentline > 0 then
         return colors.magenta .. info.source:gsub('^@', '') .. colors.none
            .. ':' .. colors.green .. info.currentline .. colors.none
      end
      return colors.yellow .. '[C-module]' .. colors.none
   end
   setmetatable(_G, {
      __newindex = function(G, key, val)
         if not created[key] then
            if cb then
               cb(key, 'newindex')
            else
               local msg = colors.red .. 'created global variable: ' .. colors.blue .. tostring(key)
                  .. colors.none .. ' @ ' .. where()
               if strict then error(msg, 2) else print(msg) end
            end
         end
         created[key] = true
         rawset(G, key, val)
      end,
      __index = function(_, key)
         if cb then
            cb(key, 'index')
         else
            local msg = colors.red .. 'attempt to read undeclared variable: ' .. colors.blue
               .. tostring(key) .. colors.none .. ' @ ' .. where()
            if strict then error(msg, 2) else print(msg) end
         end
      end,
   })
end

------------------------------------------------------------------------------
-- Tab completion (readline builds): globals, fields of tables, methods of
-- torch objects, along a dotted path: `torch.Te` -> `torch.Tensor`,
-- `t:na` -> `t:narrow`.
local function completions(text, before)
   -- inside an unfinished string: let readline complete file names
   local _, quotes = before:gsub('["\']', '')
   if quotes % 2 == 1 then return nil end
   local path, sep, stem = text:match('^(.*)([.:])([%w_]*)$')
   if not path then path, sep, stem = nil, nil, text end
   local obj = _G
   if path then
      for part in path:gmatch('[^.:]+') do
         local ok, v = pcall(function() return obj[part] end)
         if not ok or v == nil then return {} end
         obj = v
      end
   end
   local seen, out = {}, {}
   local function add(k)
      if type(k) == 'string' and k:find('^[%a_][%w_]*$') and k:sub(1, #stem) == stem and not seen[k] then
         seen[k] = true
         out[#out + 1] = (path and path .. sep or '') .. k
      end
   end
   local t, guard = obj, 0
   while t ~= nil and guard < 10 do
      if type(t) == 'table' then
         for k in pairs(t) do add(k) end
      end
      local mt = getmetatable(t)
      if type(mt) ~= 'table' then break end
      if type(t) == 'userdata' or mt.__typename then
         for k in pairs(mt) do add(k) end
      end
      t = rawget(mt, '__index')
      if type(t) ~= 'table' or rawequal(t, mt) then
         t = mt ~= obj and getmetatable(mt) or nil
      end
      guard = guard + 1
   end
   table.sort(out)
   return out
end
if native.set_completer then native.set_completer(completions) end

------------------------------------------------------------------------------
-- The REPL

-- Message plus traceback, cut where the REPL's own frames begin.
local function traceback(message)
   local tp = type(message)
   if tp ~= 'string' and tp ~= 'number' then return message end
   local tb = debug.traceback(message, 2)
   local cut = tb:find("\n\t%[C%]: in function 'xpcall'")
   if cut then tb = tb:sub(1, cut - 1) end
   return tb
end

local function prompt(aux)
   return aux and '..> ' or 'th> '
end

local selfhelp = [[
  ______             __
 /_  __/__  ________/ /
  / / / _ \/ __/ __/ _ \
 /_/  \___/_/  \__/_//_/

]] .. col.red('th') .. [[ is an enhanced interpreter (repl) for Torch7/Lua.

]] .. col.blue('Features:') .. [[ 

   Tab-completion on nested namespaces
   History stored in:

      ]] .. col.magenta('_RESULTS') .. [[ 
      ]] .. col.magenta('_LAST') .. [[ 

   Pretty print (table introspection and coloring)
   Auto-print after eval (no need for '='), can be stopped with ]] .. col.magenta(';') .. [[ 
   Each command is profiled, timing is reported
   Shell commands with:

      ]] .. col.magenta('$ ls -l') .. [[ 

   and the string result can be retrieved with:

      ]] .. col.magenta('_LAST') .. [[ 

   Print all user globals with:

      ]] .. col.magenta('who()') .. [[ 

   Interrupt a running command with:

      ]] .. col.magenta('<Ctrl> C') .. [[ 

   Quit with:

      ]] .. col.magenta('<Ctrl> D') .. [[ 

   Import a package's symbols globally with:

      ]] .. col.magenta("import 'torch'") .. [[ 

   Require is overloaded to provide relative (form within a file) search paths:

      ]] .. col.magenta("require './local/lib' ") .. [[ 

   Optional strict global namespace monitoring:

      ]] .. col.magenta('th -g') .. [[ 
]]

local aliases = [[
   alias ls='ls -GF';
   alias ll='ls -lhF';
   alias la='ls -ahF';
   alias lla='ls -lahF';
]]

_RESULTS = {}
_LAST = ''

-- Line input: readline (editing, history file) when built in and a
-- history location exists, plain stdin otherwise.  nextline returns the
-- line, nil at end of input, false after Ctrl-C abandoned the line.
local nextline, saveline, ask
local history = os.getenv('TREPL_HISTORY')
   or (os.getenv('HOME') and os.getenv('HOME') .. '/.luahistory')
if native.has_readline and history then
   native.read_history(history)
   nextline = function(aux) return native.readline(prompt(aux)) end
   ask = function(q) return native.readline(q, 'raw') end
   saveline = function(line)
      native.add_history(line)
      native.write_history(history)
   end
else
   nextline = function(aux) return native.readline(prompt(aux), 'plain') end
   ask = function(q) return native.readline(q, 'plain') end
   saveline = function() end
end

-- Runs f under xpcall with Ctrl-C turned into an "interrupted!" error.
-- Prints a result or an error; printing itself can fail (a __tostring that
-- raises), and that must not end the session.
local function show(...)
   local ok, err = pcall(print, ...)
   if not ok then
      io.write('error while printing: ', type(err) == 'string' and err or type(err), '\n')
   end
end

local function guarded(f)
   native.interrupts(true)
   local ok, err = xpcall(f, traceback)
   native.interrupts(false)
   return ok, err
end

local banner = [[
 
  ______             __   ]] .. col.Black('|  Torch7') .. [[ 
 /_  __/__  ________/ /   ]] .. col.Black('|  ') .. col.magenta('Scientific computing for Lua.') .. [[ 
  / / / _ \/ __/ __/ _ \  ]] .. col.Black('|  Type ? for help') .. [[ 
 /_/  \___/_/  \__/_//_/  ]] .. col.Black('|  ') .. col.blue('https://github.com/torch') .. [[ 
                          ]] .. col.Black('|  ') .. col.blue('http://torch.ch') .. [[ 
]]

-- repl([opts]): reads, evaluates and prints until `break`, `exit` or end of
-- input.  opts.banner prints th's banner first; opts.globs adds the
-- warning th -g shows.
local function repl(opts)
   opts = opts or {}
   if opts.banner then print(banner) end
   if opts.globs then
      print(col.red('WARNING: ') .. col.Black('global monitoring is on.\n') ..
         col.Black('This is typically not a good idea when running a live interpreter.\n'))
   end
   local start = 0
   local function timer_start() start = native.clock() end
   local function timer_stop()
      local step = native.clock() - start
      io.write(string.rep(' ', 70))
      print(col.Black(string.format('[%0.04fs]', step)))
   end

   while true do
      local line = nextline()
      while line == false do line = nextline() end

      if line == nil or line == 'exit' then
         local answer = ask('Do you really want to exit ([y]/n)? ')
         if not answer or answer == '' or answer:lower() == 'y' then
            if not answer then print('') end
            os.exit(0)
         end
      end
      if line == 'break' then break end

      -- $ cmd: shell command, its output kept in _RESULTS
      if line and line:find('^%s-%$') then
         local cmd = line:gsub('^%s-%$', '')
         local f = io.popen(aliases .. ' ' .. cmd)
         local res = f:read('a')
         f:close()
         io.write(col._black(res))
         io.flush()
         table.insert(_RESULTS, res)
         line = nil
      end

      -- a leading '=' as in the stock Lua REPL
      if line and line:find('^%s-=') then
         line = line:gsub('^%s-=', '')
      end

      -- ? alone: help text (documentation lookup `? f` needs dok, absent)
      if line and line:find('^%s-%?') then
         if line:gsub('^%s-%?', '') == '' then
            print(selfhelp)
         else
            print('error: could not load help backend')
         end
         line = nil
      end

      if line then
         -- read more lines until the chunk compiles (or an empty line)
         local valid = loadstring('return ' .. line) or loadstring(line)
         while not valid do
            local nline = nextline(true)
            if nline == '' or not nline then break end
            line = line .. '\n' .. nline
            valid = loadstring(line)
         end

         timer_start()
         local done = false
         -- an expression (no trailing ';', not a print) is evaluated and
         -- its values printed
         if not (line:find(';%s-$') or line:find('^%s-print')) then
            if loadstring('local f = function() return ' .. line .. ' end') then
               local chunk = loadstring('_RESULT={' .. line .. '}')
               local ok, err = guarded(chunk)
               if ok then
                  show(unpack(_RESULT))
                  table.insert(_RESULTS, _RESULT[1])
               else
                  show(err)
               end
               done = true
            end
         end
         if not done then
            local chunk, perr = loadstring(line)
            if not chunk then
               print('syntax error: ' .. perr)
            else
               local ok, err = guarded(chunk)
               if not ok then show(err) end
            end
         end
         timer_stop()
      end

      _LAST = _RESULTS[#_RESULTS]
      if line then saveline(line) end
   end
end

-- Globals present before the user typed anything (who() hides them).
_G._preloaded_ = {}
for k in pairs(_G) do _G._preloaded_[k] = true end

return repl
