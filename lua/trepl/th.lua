-- trepl.th: what Torch7's `th` launcher script did, run by build/th (src/th.c).
--    th [options] [script.lua [script args...]]
-- Options are only recognised before the script name (see `th -h`).
-- Returns th's main function; its result is the process exit status.
local native = require 'trepl.native'

local help = [==[
Usage: th [options] [script.lua [arguments]]

Options:
  -l name            load library name
  -e statement       execute statement
  -h,--help          print this help
  -a,--async         preload async (libuv) and start async repl (BETA)
  -g,--globals       monitor global variables (print a warning on creation/access)
  -gg,--gglobals     monitor global variables (throw an error on creation/access)
  -x,--gfx           start gfx server and load gfx env
  -i,--interactive   enter the REPL after executing a script ]==]

local function traceback(message)
   local tp = type(message)
   if tp ~= 'string' and tp ~= 'number' then
      return '(error object is a ' .. tp .. ' value)'
   end
   return debug.traceback(message, 2)
end

local function main()
   local parg = arg
   local interactive, statement, run, progargs, globs, sglobs, lgfx
   local nextarg
   -- One pass over the words, as Torch7's th: -l libraries are loaded as
   -- soon as they are seen (before trepl, so with Lua's plain print).
   for _, a in ipairs(parg) do
      local lib
      if nextarg == 'exec' then
         statement = a
         nextarg = nil
      elseif nextarg == 'lib' then
         lib = a
         nextarg = nil
      elseif not progargs then
         lib = a:match('^%-l(.*)')
         if lib == '' then lib = nil end
      end
      if lib then
         local ok, err = xpcall(function() require(lib) end, traceback)
         if not ok then
            print('could not load ' .. lib .. ', skipping')
            print(err)
         end
      elseif progargs then
         table.insert(progargs, a)
      elseif not statement then
         local option = a:match('^%-%-(.*)')
         local shortopt = not option and a:match('^%-(.*)') or nil
         if option or shortopt then
            if shortopt == 'h' or option == 'help' then
               print(help)
               return 0
            elseif shortopt == 'i' or option == 'interactive' then
               interactive = true
            elseif shortopt == 'e' then
               nextarg = 'exec'
            elseif shortopt == 'a' or option == 'async' then
               -- no libuv REPL here: plain interactive mode instead
               interactive = true
            elseif shortopt == 'g' or option == 'globals' then
               globs = true
            elseif shortopt == 'gg' or option == 'gglobals' then
               sglobs = true
            elseif shortopt == 'x' or option == 'gfx' then
               lgfx = true
            elseif shortopt == 'l' then
               nextarg = 'lib'
            else
               print('Error: unrecognized flag --' .. (option or shortopt))
               print(help)
               return 0
            end
         else
            -- the script: it gets the remaining words as arg[1..] and th's
            -- own path as arg[0]
            run = a
            progargs = {}
            for k, v in pairs(parg) do
               if k <= 0 then progargs[k] = v end
            end
         end
      end
   end

   local repl = require 'trepl'

   if os.getenv('TREPLSTARTUP') and not (interactive or statement) then
      dofile(os.getenv('TREPLSTARTUP'))
   end
   if lgfx then
      print('could not load gfx.js, please install with: luarocks install gfx.js')
   end
   if globs then
      monitor_G()
   elseif sglobs then
      monitor_G(true)
   end

   if statement then
      local chunk, err = load(statement)
      if chunk then
         local ok, res = pcall(chunk)
         if not ok then err = res end
      end
      if err then
         -- Torch7 prints the bare message and still exits with status 0
         print(err)
         return 0
      end
      if not interactive then return 0 end
   end

   if run then
      arg = progargs
      local chunk, err = loadfile(run)
      if not chunk then
         io.stderr:write('th: ', err, '\n')
         return 1
      end
      native.interrupts(true)
      local ok, res = xpcall(chunk, traceback, table.unpack(progargs))
      native.interrupts(false)
      if not ok then
         io.stdout:flush()
         io.stderr:write('th: ', tostring(res), '\n')
         return 1
      end
      if not interactive then return 0 end
   end

   repl({banner = true, globs = globs})
   return 0
end

return main
