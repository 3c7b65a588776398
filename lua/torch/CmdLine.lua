-- torch.CmdLine: command-line options for scripts (Torch7's API and output).
--    cmd = torch.CmdLine([argSep=','], [keySep='='])
--    cmd:text(str)  cmd:option('-name', default, help, [type])
--    cmd:argument('name', help, [type])  opt = cmd:parse(arg)
--    cmd:help([arg])  cmd:string(prefix, opt, ignore)  cmd:log(file, opt)
-- Help text, error messages and the exit codes match Torch7 byte for byte
-- (tests/golden/cmdline.out).  Errors and help go through the *global*
-- print/io.stderr/os.exit looked up at call time, so th's print and test
-- harnesses that replace them see the same calls Torch7 made.
local CmdLine = torch.class('torch.CmdLine')

-- '-learningRate' -> 'learningRate' (the key under which parse stores it)
local function strip(str)
   return str:match('^%-*(.*)$')
end

local function pad(str, width)
   return str .. string.rep(' ', width - #str)
end

-- Numbers as LuaJIT's tostring wrote them (%.14g: 1e-3 -> 0.001, 3.0 -> 3),
-- so help defaults and cmd:string names look like Torch7's.
local str = require('torch.numfmt').tostring

function CmdLine:__init(argseparator, keyseparator)
   self.argseparator = argseparator or ','
   self.keyseparator = keyseparator or '='
   self.options = {}
   self.arguments = {}
   self.helplines = {}
   self.dateformat = nil
   self.silentio = false
end

-- Prints the message between two print('') lines, then the help text
-- (without the program name: Torch7 calls help() without the arg table
-- here), and exits with status 1.
function CmdLine:error(msg)
   print('')
   io.stderr:write(msg)
   print('')
   self:help()
   os.exit(1)
end

function CmdLine:silent()
   self.silentio = true
end

-- Later log lines start with os.date(format) followed by '[name]: '.
function CmdLine:addTime(name, format)
   format = format or '%Y-%m-%d %H:%M:%S'
   if type(format) ~= 'string' then
      error('Argument has to be string', 2)
   end
   self.dateformat = format .. (name ~= nil and '[' .. name .. ']: ' or '')
end

function CmdLine:text(txt)
   txt = txt or ''
   if type(txt) ~= 'string' then
      error(string.format("bad argument #1 to 'text' (string expected, got %s)", type(txt)), 2)
   end
   table.insert(self.helplines, txt)
end

-- A required positional argument, stored under its name without dashes.
function CmdLine:argument(key, help, type_)
   if type(key) ~= 'string' then
      error(string.format("bad argument #1 to 'argument' (string expected, got %s)", type(key)), 2)
   end
   local a = {key = key, help = help, type = type_}
   table.insert(self.arguments, a)
   table.insert(self.helplines, a)
end

function CmdLine:option(key, default, help, type_)
   if type(key) ~= 'string' then
      error(string.format("bad argument #1 to 'option' (string expected, got %s)", type(key)), 2)
   end
   if default == nil then
      error('option ' .. key .. ' has no default value', 2)
   end
   type_ = type_ or type(default)
   if type(default) ~= type_ then
      error('option ' .. key .. ' has wrong default type value', 2)
   end
   local o = {key = key, default = default, help = help, type = type_}
   self.options[key] = o
   table.insert(self.helplines, o)
end

-- Table of every option's default, keyed without dashes.
function CmdLine:default()
   local params = {}
   for key, o in pairs(self.options) do
      params[strip(key)] = o.default
   end
   return params
end

-- Reads option arg[i] (and its value); returns how many words it used.
function CmdLine:__readOption__(params, arg, i)
   local key = arg[i]
   local o = self.options[key]
   if not o then
      self:error('unknown option ' .. key)
   end
   if o.type == 'boolean' then
      -- a flag toggles its default and takes no value
      params[strip(key)] = not o.default
      return 1
   end
   local value = arg[i + 1]
   if not value then
      self:error('missing argument for option ' .. key)
   end
   if o.type == 'number' then
      value = tonumber(value)
   elseif o.type ~= nil and o.type ~= 'string' then
      self:error('unknown required option type ' .. o.type)
   end
   if not value then
      self:error('invalid type for option ' .. key .. ' (should be ' .. o.type .. ')')
   end
   params[strip(key)] = value
   return 2
end

-- Stores arg[i] as the nArgument-th positional argument.
function CmdLine:__readArgument__(params, arg, i, nArgument)
   local a = self.arguments[nArgument]
   local value = arg[i]
   if nArgument > #self.arguments then
      self:error('invalid argument: ' .. str(value))
   end
   if a.type and type(value) ~= a.type then
      self:error('invalid argument type for argument ' .. a.key .. ' (should be ' .. a.type .. ')')
   end
   params[strip(a.key)] = value
   return 1
end

function CmdLine:parse(arg)
   if type(arg) ~= 'table' then
      error(string.format("bad argument #1 to 'parse' (table expected, got %s)", type(arg)), 2)
   end
   local params = self:default()
   local nArgument = 0
   local i = 1
   while i <= #arg do
      local a = arg[i]
      if a == '-help' or a == '-h' or a == '--help' then
         self:help(arg)
         os.exit(0)
      end
      if self.options[a] then
         i = i + self:__readOption__(params, arg, i)
      else
         nArgument = nArgument + 1
         i = i + self:__readArgument__(params, arg, i, nArgument)
      end
   end
   if nArgument ~= #self.arguments then
      self:error('not enough arguments')
   end
   return params
end

-- prefix + the positional arguments, then ',key=value' for every option
-- that differs from its default (sorted); used to name experiment folders.
-- Prints each differing option (key, value, default) and each ignored key,
-- as Torch7 does.
function CmdLine:string(prefix, params, ignore)
   local arguments, options = {}, {}
   prefix = prefix or ''
   for k, v in pairs(params) do
      if ignore[k] then
         print('-- ignore option ' .. k)
      elseif self.options['-' .. k] then
         local default = self.options['-' .. k].default
         if v ~= default or ignore[k] == false then
            if type(v) == 'boolean' then v = v and 't' or 'f' end
            table.insert(options, k .. self.keyseparator .. str(v))
            print(k, v, default)
         end
      else
         local narg
         for i = 1, #self.arguments do
            if strip(self.arguments[i].key) == k then narg = i end
         end
         if narg then
            arguments[narg] = k .. self.keyseparator .. str(v)
         else
            print('WARNING: unknown option/argument: ' .. k .. ' IGNORING for DIRECTORY NAME')
         end
      end
   end
   table.sort(options)
   local s = table.concat(arguments, self.argseparator)
   if s == '' then
      s = table.concat(options, self.argseparator)
   else
      s = s .. self.argseparator .. table.concat(options, self.argseparator)
   end
   if s == '' then return prefix end
   return prefix .. self.argseparator .. s
end

-- The print that log() wraps, captured at the first log() call (so it is
-- th's print when running under th).
local oprint = nil

-- From now on every print also appends its arguments (tostring'ed, joined
-- by ' ', then ' \n') to `file` (a name or an open file).
function CmdLine:log(file, params)
   local f = (io.type(file) == 'file' and file) or io.open(file, 'w')
   if not f then
      error(string.format("cmd:log: cannot open '%s' for writing", tostring(file)), 2)
   end
   oprint = oprint or print
   local cmd = self
   print = function(...)
      local n = select('#', ...)
      local args = {...}
      if not cmd.silentio then oprint(...) end
      local parts = {}
      if cmd.dateformat then parts[#parts + 1] = os.date(cmd.dateformat) end
      for i = 1, n do parts[#parts + 1] = str(args[i]) end
      parts[#parts + 1] = '\n'
      f:write(table.concat(parts, ' '))
      f:flush()
   end
   print('[program started on ' .. os.date() .. ']')
   print('[command line arguments]')
   if params then
      for k, v in pairs(params) do print(k, v) end
   end
   print('[----------------------]')
end

-- Usage line, then every text line / option / argument in declaration
-- order, options and arguments padded to the longest name.
function CmdLine:help(arg)
   io.write('Usage: ')
   if arg then io.write(tostring(arg[0]) .. ' ') end
   io.write('[options]')
   for i = 1, #self.arguments do
      io.write(' <' .. strip(self.arguments[i].key) .. '>')
   end
   io.write('\n')

   local width = 0
   for _, h in ipairs(self.helplines) do
      if type(h) == 'table' then
         local w = h.default ~= nil and #h.key or #strip(h.key) + 2
         if w > width then width = w end
      end
   end

   for _, h in ipairs(self.helplines) do
      if type(h) == 'table' then
         io.write('  ')
         if h.default ~= nil then
            io.write(pad(h.key, width))
            if h.help then io.write(' ' .. h.help) end
            io.write(' [' .. str(h.default) .. ']')
         else
            io.write(pad('<' .. strip(h.key) .. '>', width))
            if h.help then io.write(' ' .. h.help) end
         end
      else
         io.write(h)
      end
      io.write('\n')
   end
end

return CmdLine
