-- torch.Tester: runs named test functions, counts assertions, reports.
--    local tester = torch.Tester()
--    tester:add(suite or function, [name]); tester:run([names])
-- Assertions record a pass or a failure and never throw (unless
-- setRethrowErrors(true)); run() prints one line per test and a summary in
-- Torch7's exact format (torch.md §12) and finally raises
-- 'An error was found while running tests!' if anything failed.
local Tester = torch.class('torch.Tester')

local NCOLS = 80

-- Numbers in messages as LuaJIT printed them (%.14g), other values as-is.
local str = require('torch.numfmt').tostring

-- Colours are used whenever sys.colors loads and the script runs from the
-- command line (a global arg exists), also when stdout is not a terminal.
local okColors, c = pcall(require, 'sys.colors')
local coloured
if arg and okColors and type(c) == 'table' then
   coloured = function(s, colour) return colour .. s .. c.none end
else
   c = {}
   coloured = function(s) return s end
end

local function pluralize(num, word)
   local stem = str(num) .. ' ' .. word
   if num == 1 then return stem end
   return stem .. 's'
end

function Tester:__init()
   self.errors = {}
   self.tests = {}
   self.warnings = {}
   self._warningCount = {}
   self.disabledTests = {}
   self._currentTestName = ''
   -- Torch7 kept {{1}} == {1} for assertTensorEq (with a warning)
   self._assertTensorEqIgnoresDims = true
end

function Tester:setEarlyAbort(earlyAbort) self.earlyAbort = earlyAbort end
function Tester:setRethrowErrors(rethrow) self.rethrow = rethrow end
function Tester:setSummaryOnly(summaryOnly) self.summaryOnly = summaryOnly end

------------------------------------------------------------------------------
-- Recording results

function Tester:_success()
   local name = self._currentTestName
   self.assertionPass[name] = (self.assertionPass[name] or 0) + 1
   return true
end

-- '<test name>\n<message>\n' + the two traceback lines above the runner's
-- xpcall (i.e. where in the test the assertion was made).
function Tester:_addDebugInfo(message)
   -- the two lines before the first line (from the 4th on) that mentions
   -- xpcall; a line loop, as the equivalent unanchored pattern match
   -- backtracks for minutes on long tracebacks
   local lines = {}
   for l in ((debug.traceback('tester', 3) or '') .. '\n'):gmatch('([^\n]*)\n') do lines[#lines + 1] = l end
   local ss = ''
   for m = 4, #lines do
      if lines[m]:find('.xpcall') and lines[m - 1] ~= '' and lines[m - 2] ~= '' then
         ss = lines[m - 2] .. '\n' .. lines[m - 1]
         break
      end
   end
   local name = self._currentTestName
   return (name ~= '' and name .. '\n' or '') .. message .. '\n' .. ss
end

function Tester:_failure(message)
   if self.rethrow then error(message, 2) end
   local name = self._currentTestName
   self.assertionFail[name] = (self.assertionFail[name] or 0) + 1
   self.errors[#self.errors + 1] = self:_addDebugInfo(message)
   return false
end

function Tester:_warning(message)
   local name = self._currentTestName
   self._warningCount[name] = (self._warningCount[name] or 0) + 1
   self.warnings[#self.warnings + 1] = self:_addDebugInfo(message)
end

-- Assertions may run outside run() (tests calling helper testers): give
-- them counters to write into.
local function ensureCounters(self)
   self.assertionPass = self.assertionPass or {}
   self.assertionFail = self.assertionFail or {}
end

function Tester:_assert_sub(condition, message)
   ensureCounters(self)
   if condition then return self:_success() end
   return self:_failure(message)
end

-- Optional trailing message (must be a string) -> 'message\n' or ''.
local function getMessage(message, ...)
   assert(next({...}) == nil, 'Unexpected arguments passed to test function')
   if message then
      assert(type(message) == 'string', 'message parameter must be a string')
      if message ~= '' then return message .. '\n' end
   end
   return ''
end

-- A tolerance and a message, given in either order.
local function getToleranceAndMessage(defaultTolerance, ...)
   local message, tolerance
   for _, a in ipairs({...}) do
      if type(a) == 'string' then
         if message then error('Unexpected string argument; already have message', 3) end
         message = a .. '\n'
      elseif type(a) == 'number' then
         if tolerance then error('Unexpected number argument; already have tolerance', 3) end
         tolerance = a
         assert(tolerance >= 0, 'tolerance cannot be negative')
      else
         error('Unrecognized argument; should be a tolerance or message', 3)
      end
   end
   return tolerance or defaultTolerance, message or ''
end

------------------------------------------------------------------------------
-- Comparisons used by the general assertions.  Each returns success and,
-- on failure, a message.
local check = {}

-- max |a - b| over the elements of two tensors with the same number of
-- elements, each walked in row-major order (shapes may differ), computed in
-- Lua on the elements' own values (integers stay exact, bytes do not wrap).
-- NaN anywhere gives NaN, as TH's max did.
local function maxdiff(ta, tb)
   local n = ta:nElement()
   if n == 0 then return 0 end
   local va, vb = ta:clone():storage():totable(), tb:clone():storage():totable()
   local err = 0
   for i = 1, n do
      local d = va[i] - vb[i]
      if d < 0 then d = -d end
      if d ~= d then return d end
      if d > err then err = d end
   end
   return err
end

function check.areSameFormatTensorsEq(ta, tb, tolerance, negate, storage)
   local err = maxdiff(ta, tb)
   local success = err <= tolerance
   if negate then success = not success end
   if not success then
      return false, string.format('%s%s violation: max diff=%s, tolerance=%s',
         storage and 'Storage' or 'Tensor', negate and 'NE(==)' or 'EQ(==)', str(err), str(tolerance))
   end
   return true
end

function check.areTensorsEq(ta, tb, tolerance, negate, ignoreTensorDims)
   if not ignoreTensorDims and ta:dim() ~= tb:dim() then
      return negate, 'The tensors have different dimensions'
   end
   if ta:type() ~= tb:type() then
      return negate, 'The tensors have different types'
   end
   if ta:dim() == 0 and tb:dim() == 0 then
      return not negate, 'Both tensors are empty'
   end
   local sameSize
   if ignoreTensorDims then
      sameSize = ta:nElement() == tb:nElement()
   else
      sameSize = ta:isSameSizeAs(tb)
   end
   if not sameSize then
      return negate, 'The tensors have different sizes'
   end
   return check.areSameFormatTensorsEq(ta, tb, tolerance, negate, false)
end

function check.areStoragesEq(sa, sb, tolerance, negate)
   if sa:size() ~= sb:size() then
      return negate, 'The storages have different sizes'
   end
   local ta, tb = torch.type(sa), torch.type(sb)
   if ta ~= tb then
      return negate, 'The storages have different types'
   end
   local ctor = torch[ta:match('torch%.(%a+)Storage') .. 'Tensor']
   return check.areSameFormatTensorsEq(ctor(sa), ctor(sb), tolerance, negate, true)
end

function check.areEq(got, expected, tolerance, negate)
   if type(got) ~= type(expected) then
      local msg
      if not negate then
         msg = 'EQ failed: values have different types (first: ' .. type(got)
            .. ', second: ' .. type(expected) .. ')'
      end
      return negate, msg
   elseif type(got) == 'number' then
      local ok = math.abs(got - expected) <= tolerance
      if negate then ok = not ok end
      local msg
      if not ok then
         if negate then
            msg = string.format('NE failed: %s == %s', str(got), str(expected))
         else
            msg = string.format('EQ failed: %s ~= %s', str(got), str(expected))
         end
         if tolerance > 0 then msg = msg .. ' with tolerance=' .. str(tolerance) end
      end
      return ok, msg
   elseif type(expected) == 'table' then
      return check.areTablesEq(got, expected, tolerance, negate)
   elseif torch.isTensor(got) then
      return check.areTensorsEq(got, expected, tolerance, negate)
   elseif torch.isStorage(got) then
      return check.areStoragesEq(got, expected, tolerance, negate)
   end
   local ok = got == expected
   if negate then ok = not ok end
   local msg
   if not ok then
      msg = string.format(negate and 'NE failed: %s (%s) == %s (%s)' or 'EQ failed: %s (%s) ~= %s (%s)',
         str(got), type(got), str(expected), type(expected))
   end
   return ok, msg
end

-- Deep comparison, breadth first so that the shallowest difference is
-- the one reported ('At table location a.b: ...').
function check.areTablesEq(t1, t2, tolerance, negate)
   local queue, head = {{t1, t2}}, 1
   while queue[head] do
      local a, b, location = table.unpack(queue[head])
      head = head + 1
      local function sub(key)
         return location and location .. '.' .. str(key) or str(key)
      end
      for key, v1 in pairs(a) do
         local v2 = b[key]
         if v2 == nil then
            return negate, string.format('Entry %s missing in second table (is %s in first)', sub(key), str(v1))
         end
         if type(v1) == 'table' and type(v2) == 'table' then
            queue[#queue + 1] = {v1, v2, sub(key)}
         else
            local ok, message = check.areEq(v1, v2, tolerance, false)
            if not ok then
               return negate, 'At table location ' .. sub(key) .. ': ' .. message
            end
         end
      end
      for key, v2 in pairs(b) do
         if a[key] == nil then
            return negate, string.format('Entry %s missing in first table (is %s in second)', sub(key), str(v2))
         end
      end
   end
   return not negate, 'The tables are equal'
end

------------------------------------------------------------------------------
-- Assertions

function Tester:assert(condition, ...)
   local message = getMessage(...)
   if type(condition) ~= 'boolean' then
      self:_warning(' :assert should only be used for boolean conditions. '
         .. 'To check for non-nil variables, do this explicitly: '
         .. 'Tester:assert(var ~= nil).')
   end
   return self:_assert_sub(condition, string.format('%sBOOL violation condition=%s', message, str(condition)))
end

function Tester:_eqOrNeq(got, expected, negate, ...)
   local tolerance, message = getToleranceAndMessage(0, ...)
   local success, sub = check.areEq(got, expected, tolerance, negate)
   return self:_assert_sub(success, message .. (sub or ''))
end

function Tester:assertGeneralEq(got, expected, ...) return self:_eqOrNeq(got, expected, false, ...) end
function Tester:eq(got, expected, ...) return self:_eqOrNeq(got, expected, false, ...) end
function Tester:assertGeneralNe(got, unexpected, ...) return self:_eqOrNeq(got, unexpected, true, ...) end
function Tester:ne(got, unexpected, ...) return self:_eqOrNeq(got, unexpected, true, ...) end

function Tester:assertlt(a, b, ...)
   local message = getMessage(...)
   return self:_assert_sub(a < b, string.format('%sLT failed: %s >= %s', message, str(a), str(b)))
end

function Tester:assertgt(a, b, ...)
   local message = getMessage(...)
   return self:_assert_sub(a > b, string.format('%sGT failed: %s <= %s', message, str(a), str(b)))
end

function Tester:assertle(a, b, ...)
   local message = getMessage(...)
   return self:_assert_sub(a <= b, string.format('%sLE failed: %s > %s', message, str(a), str(b)))
end

function Tester:assertge(a, b, ...)
   local message = getMessage(...)
   return self:_assert_sub(a >= b, string.format('%sGE failed: %s < %s', message, str(a), str(b)))
end

function Tester:assertalmosteq(a, b, ...)
   local tolerance, message = getToleranceAndMessage(1e-16, ...)
   return self:_assert_sub(math.abs(a - b) <= tolerance,
      string.format('%sALMOST_EQ failed: %s ~= %s with tolerance=%s', message, str(a), str(b), str(tolerance)))
end

function Tester:asserteq(a, b, ...)
   local message = getMessage(...)
   return self:_assert_sub(a == b, string.format('%sEQ failed: %s ~= %s', message, str(a), str(b)))
end

function Tester:assertne(a, b, ...)
   local message = getMessage(...)
   if (type(a) == type(b) and type(a) == 'table') or type(a) == 'userdata' then
      self:_warning(' :assertne should only be used to compare basic lua '
         .. 'objects (numbers, booleans, etc). Consider using '
         .. 'either :assertGeneralNe or :assert(a ~= b).')
   end
   return self:_assert_sub(a ~= b, string.format('%sNE failed: %s == %s', message, str(a), str(b)))
end

function Tester:_assertTensorEqOrNeq(ta, tb, negate, ...)
   assert(torch.isTensor(ta), 'First argument should be a Tensor')
   assert(torch.isTensor(tb), 'Second argument should be a Tensor')
   local tolerance, message = getToleranceAndMessage(0, ...)
   local success, sub = check.areTensorsEq(ta, tb, tolerance, negate, self._assertTensorEqIgnoresDims)
   if self._assertTensorEqIgnoresDims and not negate and success and not ta:isSameSizeAs(tb) then
      self:_warning('Tensors have the same content but different dimensions. '
         .. 'For backwards compatibility, they are considered equal, '
         .. 'but this may change in the future. Consider using :eq '
         .. 'to check for equality instead.')
   end
   return self:_assert_sub(success, message .. (sub or ''))
end

function Tester:assertTensorEq(ta, tb, ...) return self:_assertTensorEqOrNeq(ta, tb, false, ...) end
function Tester:assertTensorNe(ta, tb, ...) return self:_assertTensorEqOrNeq(ta, tb, true, ...) end

function Tester:_assertTableEqOrNeq(ta, tb, negate, ...)
   assert(type(ta) == 'table', 'First argument should be a Table')
   assert(type(tb) == 'table', 'Second argument should be a Table')
   return self:_eqOrNeq(ta, tb, negate, ...)
end

function Tester:assertTableEq(ta, tb, ...) return self:_assertTableEqOrNeq(ta, tb, false, ...) end
function Tester:assertTableNe(ta, tb, ...) return self:_assertTableEqOrNeq(ta, tb, true, ...) end

function Tester:assertErrorObj(f, errcomp, ...)
   local message = getMessage(...)
   local status, err = pcall(f)
   return self:_assert_sub(not status and errcomp(err),
      string.format('%sERROR violation: err=%s', message, str(err)))
end

function Tester:assertError(f, ...)
   return self:assertErrorObj(f, function() return true end, ...)
end

function Tester:assertNoError(f, ...)
   local message = getMessage(...)
   local status, err = pcall(f)
   return self:_assert_sub(status, string.format('%sERROR violation: err=%s', message, str(err)))
end

function Tester:assertErrorMsg(f, errmsg, ...)
   return self:assertErrorObj(f, function(err) return err == errmsg end, ...)
end

function Tester:assertErrorPattern(f, errPattern, ...)
   return self:assertErrorObj(f, function(err) return string.find(err, errPattern) ~= nil end, ...)
end

------------------------------------------------------------------------------
-- Registering and running tests

-- add(suite) registers every test of a TestSuite (or plain table, with a
-- warning); add(fn, name) one function.  _setUp/_tearDown are hooks.
function Tester:add(f, name)
   if type(f) == 'table' then
      assert(name == nil, 'Name parameter is forbidden for a table of tests, since its use is ambiguous')
      if f.__isTestSuite then
         f = f.__tests
      else
         self:_warning('Should use TestSuite rather than plain lua table')
      end
      for k, v in pairs(f) do
         assert(type(v) ~= 'table', 'Nested sets of tests are not supported')
         self:add(v, k)
      end
      return self
   end
   assert(type(f) == 'function', 'Only tables of functions and functions supported')
   if name == '_setUp' then
      assert(not self._setUp, 'Only one set-up function allowed')
      self._setUp = f
   elseif name == '_tearDown' then
      assert(not self._tearDown, 'Only one tear-down function allowed')
      self._tearDown = f
   else
      name = name or 'unknown'
      if self.tests[name] ~= nil then
         error('Test with name ' .. name .. ' already exists!', 2)
      end
      self.tests[name] = f
   end
   return self
end

function Tester:disable(testNames)
   if type(testNames) == 'string' then testNames = {testNames} end
   assert(type(testNames) == 'table', 'Expecting name or list for disable')
   for _, name in ipairs(testNames) do
      assert(self.tests[name], "Unrecognized test '" .. name .. "'")
      self.disabledTests[name] = true
   end
   return self
end

-- The tests to run: all, or those whose names match any of the patterns.
function Tester:_getTests(testNames)
   if testNames == nil then return self.tests end
   if type(testNames) == 'string' then testNames = {testNames} end
   assert(type(testNames) == 'table', 'Only accept a name or table of test names (or nil for all tests)')
   local tests = {}
   for _, pattern in ipairs(testNames) do
      local found = false
      for name, fn in pairs(self.tests) do
         if string.match(name, pattern) then
            tests[name] = fn
            found = true
         end
      end
      assert(found, "Couldn't find test '" .. pattern .. "'")
   end
   return tests
end

function Tester:_pcall(f)
   local nerr = #self.errors
   local stat, result = xpcall(f, debug.traceback)
   if not stat then
      self.errors[#self.errors + 1] = self._currentTestName .. '\n Function call failed\n' .. str(result) .. '\n'
   end
   return stat, result, stat and nerr == #self.errors
end

-- One line per test, in pairs() order: '<i>/<N> <name> ..... [WAIT]', then
-- '\r' and the same prefix with the result.
function Tester:_run(tests)
   local ntests = 0
   for _ in pairs(tests) do ntests = ntests + 1 end
   local nstr = string.format('%d', ntests)
   local cfmt = '%' .. #nstr .. 'd/' .. nstr .. ' '
   local cfmtlen = #nstr * 2 + 2
   local function bracket(s) return '[' .. s .. ']' end

   io.write('Running ' .. pluralize(ntests, 'test') .. '\n')
   local i = 1
   for name, fn in pairs(tests) do
      self._currentTestName = name
      local strinit = coloured(string.format(cfmt, i), c.cyan) .. name .. ' '
         .. string.rep('.', NCOLS - 6 - 2 - cfmtlen - #name) .. ' '
      io.write(strinit .. bracket(coloured('WAIT', c.cyan)))
      io.flush()

      local status, pass, skip, _msg
      if self.disabledTests[name] then
         skip = true
      else
         skip = false
         if self._setUp then self._setUp(name) end
         if self.rethrow then
            status = true
            local nerr = #self.errors
            fn()
            pass = nerr == #self.errors
         else
            status, _msg, pass = self:_pcall(fn)
         end
         if self._tearDown then self._tearDown(name) end
      end

      io.write('\r')
      io.write(strinit)
      if skip then
         io.write(bracket(coloured('SKIP', c.yellow)))
      elseif not status then
         self.testError[name] = 1
         io.write(bracket(coloured('ERROR', c.magenta)))
      elseif not pass then
         io.write(bracket(coloured('FAIL', c.red)))
      else
         io.write(bracket(coloured('PASS', c.green)))
         if self._warningCount[name] > 0 then
            io.write('\n' .. string.rep(' ', NCOLS - 10))
            io.write(bracket(coloured('+warning', c.yellow)))
         end
      end
      io.write('\n')
      io.flush()

      if self.earlyAbort and i < ntests and (not status or not pass) and not skip then
         io.write('Aborting on first error, not all tests have been executed\n')
         break
      end
      i = i + 1
      collectgarbage()
   end
end

function Tester:_report(tests)
   local ntests, nfailures, nerrors, nskipped, nwarnings = 0, 0, 0, 0, 0
   self.countasserts = 0
   for name in pairs(tests) do
      ntests = ntests + 1
      self.countasserts = self.countasserts + self.assertionFail[name] + self.assertionPass[name]
      if self.assertionFail[name] > 0 then nfailures = nfailures + 1 end
      if self.testError[name] > 0 then nerrors = nerrors + 1 end
      if self._warningCount[name] > 0 then nwarnings = nwarnings + 1 end
      if self.disabledTests[name] then nskipped = nskipped + 1 end
   end
   if self._warningCount[''] then nwarnings = nwarnings + self._warningCount[''] end

   io.write('Completed ' .. pluralize(self.countasserts, 'assert'))
   io.write(' in ' .. pluralize(ntests, 'test') .. ' with ')
   io.write(coloured(pluralize(nfailures, 'failure'), nfailures == 0 and c.green or c.red))
   io.write(' and ')
   io.write(coloured(pluralize(nerrors, 'error'), nerrors == 0 and c.green or c.magenta))
   if nwarnings > 0 then
      io.write(' and ')
      io.write(coloured(pluralize(nwarnings, 'warning'), c.yellow))
   end
   if nskipped > 0 then
      io.write(' and ')
      io.write(coloured(str(nskipped) .. ' disabled', c.yellow))
   end
   io.write('\n')

   -- failures, then warnings, each followed by a line of dashes (and one
   -- line of dashes before the first)
   local haveSection = false
   local function addSection(text)
      if not haveSection then
         io.write(string.rep('-', NCOLS) .. '\n')
         haveSection = true
      end
      io.write(text .. '\n')
      io.write(string.rep('-', NCOLS) .. '\n')
   end
   if not self.summaryOnly then
      for _, v in ipairs(self.errors) do addSection(v) end
      for _, v in ipairs(self.warnings) do addSection(v) end
   end
end

-- Runs all tests (or those matching testNames), prints the report; raises
-- if a test failed or errored.
function Tester:run(testNames)
   local tests = self:_getTests(testNames)
   self.assertionPass, self.assertionFail = {}, {}
   self.haveWarning, self.testError = {}, {}
   for name in pairs(tests) do
      self.assertionPass[name] = 0
      self.assertionFail[name] = 0
      self.testError[name] = 0
      self._warningCount[name] = 0
   end
   self:_run(tests)
   self:_report(tests)
   for name in pairs(tests) do
      assert(self.assertionFail[name] == 0, 'An error was found while running tests!')
      assert(self.testError[name] == 0, 'An error was found while running tests!')
   end
   return 0
end

return Tester
