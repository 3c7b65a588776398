-- xlua: Torch7's console helpers (progress bar, time formatting, coloured
-- errors, guarded require, named-argument unpacking).  `require 'xlua'`
-- returns the package and sets the global `xlua`; it loads sys and torch,
-- as Torch's xlua does.
require 'sys'
require 'torch'

xlua = {}
local xlua = xlua

-- LuaJIT's tostring for numbers (%.14g), which Torch's outputs show; Lua
-- 5.4 would write an integral float as '5.0'.
local function numstr(v)
   if math.type(v) == 'float' then
      if v ~= v then return 'nan' end
      return string.format('%.14g', v)
   end
   return tostring(v)
end

----------------------------------------------------------------------
-- time formatting
----------------------------------------------------------------------

-- At most two units among D, h, m, s, ms, largest first: 83 -> '1m23s',
-- 4.5 -> '4s500ms', 0 -> '0ms'.  Milliseconds are floored.
function xlua.formatTime(seconds)
   if type(seconds) ~= 'number' then
      error("bad argument #1 to 'formatTime' (number expected, got " .. type(seconds) .. ')', 2)
   end
   local floor = math.floor
   local days = floor(seconds / 3600 / 24)
   seconds = seconds - days * 3600 * 24
   local hours = floor(seconds / 3600)
   seconds = seconds - hours * 3600
   local minutes = floor(seconds / 60)
   seconds = seconds - minutes * 60
   local secondsf = floor(seconds)
   seconds = seconds - secondsf
   local millis = floor(seconds * 1000)

   local f, units = {}, 0
   local function unit(v, name)
      if v > 0 and units < 2 then
         f[#f + 1] = numstr(v) .. name
         units = units + 1
      end
   end
   unit(days, 'D')
   unit(hours, 'h')
   unit(minutes, 'm')
   unit(secondsf, 's')
   unit(millis, 'ms')
   if units == 0 then return '0ms' end
   return table.concat(f)
end

----------------------------------------------------------------------
-- progress bar
----------------------------------------------------------------------

-- Torch computed the width once from `tput cols` but accepted the answer
-- only when the pipe's close() returned an exit code as third value, which
-- LuaJIT never does: the bar was always laid out for 80 columns.
local termLength = 80
local barLength = termLength - 34
local smoothing = 100

-- One bar at a time, as in Torch (module state).
local barDone = true
local previous = -1
local timer, times, indices

-- Draws the bar for current out of goal.  The time comes from
-- torch.Timer(), looked up at each new bar so that a test can substitute
-- a fake clock; output goes through io.write, looked up at each call.
function xlua.progress(current, goal)
   if type(current) ~= 'number' then
      error("bad argument #1 to 'progress' (number expected, got " .. type(current) .. ')', 2)
   end
   if type(goal) ~= 'number' or not (goal > 0) then
      error("bad argument #2 to 'progress' (positive number expected, got " .. tostring(goal) .. ')', 2)
   end
   local percent = math.floor(current * barLength / goal)

   -- A new bar starts when the last one finished and either nothing was
   -- drawn yet or the count went down.
   if barDone and (previous == -1 or percent < previous) then
      barDone = false
      previous = -1
      timer = torch.Timer()
      times = {timer:time().real}
      indices = {current}
   else
      io.write('\r')
   end

   if not barDone then
      previous = percent
      -- cell i is '=' for i < percent, '>' at percent, '.' after
      local done = math.max(0, math.min(percent - 1, barLength))
      local arrow = (percent >= 1 and percent <= barLength) and '>' or ''
      io.write(' [' .. string.rep('=', done) .. arrow
         .. string.rep('.', barLength - done - #arrow) .. '] ')
      -- clear the rest of the line, then come back
      local pad = termLength - barLength - 4
      io.write(string.rep(' ', pad), string.rep('\b', pad))

      -- time per step, from the oldest remembered sample (the window keeps
      -- the last `smoothing` calls)
      local elapsed = timer:time().real
      local step = (elapsed - times[1]) / (current - indices[1])
      if current == indices[1] then step = 0 end
      local remaining = math.max(0, (goal - current) * step)
      indices[#indices + 1] = current
      times[#times + 1] = elapsed
      if #indices > smoothing then
         table.remove(indices, 1)
         table.remove(times, 1)
      end
      local tm
      if percent < barLength then
         tm = ' ETA: ' .. xlua.formatTime(remaining)
      else
         tm = ' Tot: ' .. xlua.formatTime(elapsed)
      end
      tm = tm .. ' | Step: ' .. xlua.formatTime(step)
      io.write(tm)

      -- back to the middle of the bar for the counter
      io.write(string.rep('\b', 5 + #tm + barLength // 2))
      io.write(' ', numstr(current), '/', numstr(goal), ' ')
      if percent == barLength then
         barDone = true
         io.write('\n')
      end
      io.write('\r')
      io.flush()
   end
end

----------------------------------------------------------------------
-- errors, guarded require
----------------------------------------------------------------------

-- Raises `<domain> message` in bold red (always coloured, as in Torch),
-- followed by the usage text when given.
function xlua.error(message, domain, usage)
   local c = sys.COLORS
   if domain then message = '<' .. domain .. '> ' .. message end
   local col_msg = c.Red .. tostring(message) .. c.none
   if usage then col_msg = col_msg .. '\n' .. usage end
   error(col_msg)
end

-- require that does not raise: on failure prints the error and a warning
-- and returns false.
function xlua.require(package)
   local ok, loaded = pcall(require, package)
   if not ok then
      print(loaded)
      print('warning: <' .. package .. '> could not be loaded (is it installed?)')
      return false
   end
   return loaded
end

function xlua.trycatch(try, catch)
   local ok, err = pcall(try)
   if not ok then catch(err) end
end

----------------------------------------------------------------------
-- printing
----------------------------------------------------------------------

-- Prints each argument on the same line (separated by 4 spaces): objects
-- with __tostring__ through it, plain tables as `{[k] = v, ...}` with long
-- values cut at 40 characters.
function xlua.print(obj, ...)
   if type(obj) == 'table' then
      local mt = getmetatable(obj)
      if mt and mt.__tostring__ then
         io.write(mt.__tostring__(obj))
      else
         io.write('{')
         local first = true
         for k, v in pairs(obj) do
            if not first then io.write(',\n ') end
            first = false
            if type(v) == 'userdata' then
               io.write('[' .. tostring(k) .. '] = <userdata>')
            else
               local s = tostring(v):gsub('\n', '\\n')
               if #s > 40 then
                  io.write('[' .. tostring(k) .. '] = ' .. s:sub(1, 40) .. sys.COLORS.none .. ' ... ')
               else
                  io.write('[' .. tostring(k) .. '] = ' .. s)
               end
            end
         end
         io.write('}')
      end
   else
      io.write(tostring(obj))
   end
   if select('#', ...) > 0 then
      io.write('    ')
      xlua.print(...)
   else
      io.write('\n')
   end
end

----------------------------------------------------------------------
-- named arguments (used by image-style functions)
----------------------------------------------------------------------

-- Help text for a function taking the argument definitions in `...`
-- (each {arg=, type=, help=, req=, default=}).
function xlua.usage(funcname, description, example, ...)
   local c = sys.COLORS
   local banner = string.rep('+', 69)
   local str = {banner, '\n', c.Magenta, funcname, c.none, '\n'}
   if description then str[#str + 1] = '\n' .. description .. '\n' end
   str[#str + 1] = '\n' .. c.blue .. '> ' .. c.none .. 'usage:\n' .. c.cyan
   local args = {...}
   if args[1] and args[1].tabled then args = args[1].tabled end
   if args[1] and args[1].arg then
      str[#str + 1] = funcname .. '{\n'
      for _, param in ipairs(args) do
         local key
         if param.req then
            key = '    ' .. param.arg .. ' = ' .. param.type
         else
            key = '    [' .. param.arg .. ' = ' .. param.type .. ']'
         end
         key = key .. string.rep(' ', 40 - #key)
         str[#str + 1] = key .. '-- ' .. (param.help or '')
         if param.default ~= nil then
            str[#str + 1] = '  [default = ' .. tostring(param.default) .. ']'
         elseif param.defaulta then
            str[#str + 1] = '  [default == ' .. param.defaulta .. ']'
         end
         str[#str + 1] = '\n'
      end
      str[#str + 1] = '}\n'
   end
   str[#str + 1] = c.none
   if example then str[#str + 1] = '\n' .. c.cyan .. example .. c.none .. '\n' end
   str[#str + 1] = banner
   return table.concat(str)
end

-- Reads a function's arguments either positionally (args = {...}) or as one
-- table of named arguments, applies the defaults, and checks the required
-- ones.  Returns the table of values (named and positional) followed by the
-- values in definition order.
function xlua.unpack(args, funcname, description, ...)
   local defs = {...}
   local usage = setmetatable({}, {__tostring = function()
      return xlua.usage(funcname, description, nil, {tabled = defs})
   end})

   local iargs = {}
   if #args == 0 then
      print(usage)
      xlua.error('error')
   elseif #args == 1 and type(args[1]) == 'table' and #args[1] == 0
          and not (torch and torch.typename and torch.typename(args[1]) ~= nil) then
      iargs = args[1]
   else
      for i = 1, #defs do iargs[defs[i].arg] = args[i] end
   end

   local dargs = {}
   for i = 1, #defs do
      local def = defs[i]
      if def.req and iargs[def.arg] == nil then
         print(sys.COLORS.Red .. 'missing argument: ' .. def.arg .. sys.COLORS.none)
         print(usage)
         xlua.error('error')
      end
      local v = iargs[def.arg]
      if v == nil then v = def.default end
      if v == nil and def.defaulta then v = dargs[def.defaulta] end
      dargs[def.arg] = v
      dargs[i] = v
   end
   dargs.usage = usage
   return dargs, table.unpack(dargs, 1, #defs)
end

----------------------------------------------------------------------
-- table and string helpers Torch added to the standard libraries
----------------------------------------------------------------------

-- Removes len (1) elements from start (1); returns (kept, removed).
function table.splice(tbl, start, length)
   length = length or 1
   start = start or 1
   local endd = start + length
   local spliced, remainder = {}, {}
   for i, elt in ipairs(tbl) do
      if i < start or i >= endd then
         spliced[#spliced + 1] = elt
      else
         remainder[#remainder + 1] = elt
      end
   end
   return spliced, remainder
end

-- Same splitting as sys.split.
function string.split(str, pat)
   return sys.split(str, pat)
end

return xlua
