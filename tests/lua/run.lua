-- Runs one test file: th tests/lua/run.lua tests/lua/test_x.lua [name]
-- Prints `ok <name>` or `FAIL <name>: <error>` per test, then
-- `N passed, M failed`; exits non-zero on any failure.
local file, only = arg[1], arg[2]
assert(file, 'usage: th tests/lua/run.lua tests/lua/test_x.lua [name]')
package.path = 'tests/lua/?.lua;' .. package.path
require 'torch'

local tests = dofile(file)
local passed, failed = 0, 0
for _, name in ipairs(tests.__order) do
   if not only or only == name then
      local ok, err = xpcall(tests[name], debug.traceback)
      if ok then
         passed = passed + 1
         print('ok ' .. name)
      else
         failed = failed + 1
         print('FAIL ' .. name .. ': ' .. tostring(err))
      end
   end
end
if only and passed + failed == 0 then
   print('no test named ' .. only)
   failed = 1
end
io.write(string.format('%d passed, %d failed\n', passed, failed))
os.exit(failed == 0 and 0 or 1)
