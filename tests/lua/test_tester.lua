-- torch.TestSuite / torch.Tester (torch.md §12): registration, selection,
-- assertion bookkeeping, and the exact report format.
local T = require 'testlib'
local tests = T.suite()

-- Runs f with io.write captured; returns the text and f's pcall results.
local function capture(f)
   local buf = {}
   local w = io.write
   io.write = function(...) for _, s in ipairs({...}) do buf[#buf + 1] = tostring(s) end end
   local res = table.pack(pcall(f))
   io.write = w
   return table.concat(buf), table.unpack(res, 1, res.n)
end

-- The colour codes the Tester uses under th (sys.colors + a global arg).
local C = require 'sys.colors'

function tests.testsuite_registration_rules()
   local s = torch.TestSuite()
   function s.a() end
   T.eq(type(s.a), 'function')
   T.eq(s.__isTestSuite, true)
   T.errors('Test a is already defined.', function() s.a = function() end end)
   T.errors('Only functions are supported as members of a TestSuite', function() s.b = 5 end)
   T.errors('Nested tables of tests are not supported', function() s.c = {} end)
end

function tests.exact_report_for_one_passing_test()
   local tester = torch.Tester()
   local s = torch.TestSuite()
   function s.simple() tester:asserteq(1, 1) tester:assert(true) end
   tester:add(s)
   local out, ok = capture(function() return tester:run() end)
   T.ok(ok, out)
   local prefix = C.cyan .. '1/1 ' .. C.none .. 'simple ' .. string.rep('.', 80 - 6 - 2 - 4 - 6) .. ' '
   T.eq(out, 'Running 1 test\n' ..
      prefix .. '[' .. C.cyan .. 'WAIT' .. C.none .. ']' ..
      '\r' .. prefix .. '[' .. C.green .. 'PASS' .. C.none .. ']\n' ..
      'Completed 2 asserts in 1 test with ' .. C.green .. '0 failures' .. C.none ..
      ' and ' .. C.green .. '0 errors' .. C.none .. '\n')
   -- [PASS] ends in column 80 (colour codes aside)
   local visible = (prefix .. '[PASS]'):gsub('\27%[[%d;]*m', '')
   T.eq(#visible, 80)
end

function tests.failures_errors_and_final_raise()
   local tester = torch.Tester()
   local s = torch.TestSuite()
   function s.bad()
      tester:asserteq(1, 2, 'one is not two')
      tester:assertlt(3, 2)
   end
   function s.crash() error('boom') end
   tester:add(s)
   local out, ok, err = capture(function() return tester:run() end)
   T.eq(ok, false)
   T.ok(tostring(err):find('An error was found while running tests!', 1, true), tostring(err))
   T.ok(out:find('Running 2 tests\n', 1, true), out)
   T.ok(out:find('[' .. C.red .. 'FAIL' .. C.none .. ']\n', 1, true), out)
   T.ok(out:find('[' .. C.magenta .. 'ERROR' .. C.none .. ']\n', 1, true), out)
   T.ok(out:find('Completed 2 asserts in 2 tests with ' .. C.red .. '1 failure' .. C.none ..
      ' and ' .. C.magenta .. '1 error' .. C.none .. '\n', 1, true), out)
   -- as a pattern the dashes must be escaped: 40 lazy '-' items backtrack
   -- exponentially when the crash section comes first (pairs order varies)
   local dashpat = string.rep('%-', 80)
   -- first failure: name, message, the EQ line, then where it happened
   T.ok(out:find(dashpat .. '\nbad\none is not two\nEQ failed: 1 ~= 2\nstack traceback:\n\t[^\n]*test_tester.lua:%d+: in [^\n]*\n' .. dashpat),
      out)
   T.ok(out:find('\nbad\nLT failed: 3 >= 2\n', 1, true), out)
   T.ok(out:find('\ncrash\n Function call failed\n[^\n]*test_tester.lua:%d+: boom\nstack traceback:'), out)
end

function tests.run_selects_tests_by_pattern()
   local tester = torch.Tester()
   local ran = {}
   for _, name in ipairs({'Linear', 'LinearWeightNorm', 'SparseLinear', 'Tanh'}) do
      tester:add(function() ran[#ran + 1] = name end, name)
   end
   local out, ok = capture(function() return tester:run({'Linear'}) end)
   T.ok(ok, out)
   table.sort(ran)
   T.eq(table.concat(ran, ','), 'Linear,LinearWeightNorm,SparseLinear')
   T.ok(out:find('Running 3 tests', 1, true))
   -- the index is right-aligned to the width of the count
   ran = {}
   local t2 = torch.Tester()
   for i = 1, 10 do t2:add(function() end, 'test' .. i) end
   out = capture(function() return t2:run() end)
   T.ok(out:find(C.cyan .. ' 1/10 ' .. C.none, 1, true), out)
   T.ok(out:find(C.cyan .. '10/10 ' .. C.none, 1, true), out)
   local _, ok2, err = capture(function() return tester:run({'Nope'}) end)
   T.eq(ok2, false)
   T.ok(tostring(err):find("Couldn't find test 'Nope'", 1, true), tostring(err))
   T.errors('Test with name Tanh already exists!', function() tester:add(function() end, 'Tanh') end)
end

function tests.setup_teardown_disable_and_warnings()
   local tester = torch.Tester()
   local log = {}
   local s = torch.TestSuite()
   function s._setUp(name) log[#log + 1] = 'up:' .. name end
   function s._tearDown(name) log[#log + 1] = 'down:' .. name end
   function s.one() log[#log + 1] = 'one' tester:assert(1) end   -- non-boolean: warning
   function s.two() log[#log + 1] = 'two' end
   tester:add(s)
   tester:disable('two')
   local out, ok = capture(function() return tester:run() end)
   T.ok(ok, out)
   T.eq(table.concat(log, ' '), 'up:one one down:one')
   T.ok(out:find('[' .. C.yellow .. 'SKIP' .. C.none .. ']', 1, true), out)
   T.ok(out:find(']\n' .. string.rep(' ', 70) .. '[' .. C.yellow .. '+warning' .. C.none .. ']\n', 1, true), out)
   T.ok(out:find(' and ' .. C.yellow .. '1 warning' .. C.none .. ' and ' .. C.yellow .. '1 disabled' .. C.none .. '\n', 1, true), out)
   T.ok(out:find('\none\n :assert should only be used for boolean conditions.', 1, true), out)
   T.errors("Unrecognized test 'zzz'", function() tester:disable('zzz') end)
end

function tests.early_abort_and_summary_only()
   local tester = torch.Tester()
   tester:setEarlyAbort(true)
   tester:setSummaryOnly(true)
   tester:add(function() tester:assert(false) end, 'a')
   tester:add(function() tester:assert(false) end, 'b')
   local out = capture(function() return tester:run() end)
   T.ok(out:find('Aborting on first error, not all tests have been executed\n', 1, true), out)
   T.ok(not out:find('BOOL violation', 1, true), 'summary only hides the messages')
end

-- Each assertion: returns true/false and records pass/fail counts.
function tests.assertion_results_and_messages()
   local tester = torch.Tester()
   tester.assertionPass, tester.assertionFail = {[''] = 0}, {[''] = 0}
   local cases = {
      {true, 'asserteq', 2, 2}, {false, 'asserteq', 2, 3},
      {true, 'assertne', 2, 3}, {false, 'assertne', 2, 2},
      {true, 'assertlt', 1, 2}, {false, 'assertlt', 2, 2},
      {true, 'assertgt', 3, 2}, {false, 'assertgt', 2, 2},
      {true, 'assertle', 2, 2}, {false, 'assertle', 3, 2},
      {true, 'assertge', 2, 2}, {false, 'assertge', 1, 2},
      {true, 'assertalmosteq', 1, 1 + 1e-17}, {false, 'assertalmosteq', 1, 1.1},
      {true, 'assertalmosteq', 1, 1.05, 0.1}, {false, 'assertalmosteq', 1, 1.2, 0.1},
      {true, 'eq', {a = {1, 2}}, {a = {1, 2}}}, {false, 'eq', {a = {1, 2}}, {a = {1, 3}}},
      {true, 'eq', {x = 1.0}, {x = 1.05}, 0.1}, {false, 'eq', {x = 1}, {x = '1'}},
      {true, 'ne', {1}, {2}}, {false, 'ne', {1}, {1}},
      {true, 'assertTableEq', {1, {2}}, {1, {2}}}, {false, 'assertTableEq', {1}, {1, 2}},
      {true, 'assertTableNe', {1}, {2}}, {false, 'assertTableNe', {1}, {1}},
      {true, 'assertGeneralEq', 'x', 'x'}, {false, 'assertGeneralEq', 'x', 'y'},
   }
   local passes, fails = 0, 0
   for i, c in ipairs(cases) do
      local r = tester[c[2]](tester, table.unpack(c, 3))
      T.eq(r, c[1], 'case ' .. i .. ' ' .. c[2])
      if c[1] then passes = passes + 1 else fails = fails + 1 end
   end
   T.eq(tester.assertionPass[''], passes)
   T.eq(tester.assertionFail[''], fails)
   local msgs = table.concat(tester.errors, '\n')
   for _, m in ipairs({'EQ failed: 2 ~= 3', 'NE failed: 2 == 2', 'LT failed: 2 >= 2', 'GT failed: 2 <= 2',
      'LE failed: 3 > 2', 'GE failed: 1 < 2', 'ALMOST_EQ failed: 1 ~= 1.1 with tolerance=1e-16',
      'At table location a.2: EQ failed: 2 ~= 3',
      'At table location x: EQ failed: values have different types (first: number, second: string)',
      'Entry 2 missing in first table (is 2 in second)',
      'EQ failed: x (string) ~= y (string)'}) do
      T.ok(msgs:find(m, 1, true), 'missing message: ' .. m .. '\n' .. msgs)
   end
end

function tests.error_assertions()
   local tester = torch.Tester()
   tester.assertionPass, tester.assertionFail = {[''] = 0}, {[''] = 0}
   local function bad() error('bad thing', 0) end
   local function good() end
   T.eq(tester:assertError(bad), true)
   T.eq(tester:assertError(good), false)
   T.eq(tester:assertNoError(good), true)
   T.eq(tester:assertNoError(bad), false)
   T.eq(tester:assertErrorMsg(bad, 'bad thing'), true)
   T.eq(tester:assertErrorMsg(bad, 'other'), false)
   T.eq(tester:assertErrorPattern(bad, 'bad %a+'), true)
   T.eq(tester:assertErrorPattern(bad, '^thing'), false)
   T.eq(tester:assertErrorObj(bad, function(e) return #e == 9 end), true)
   T.ok(table.concat(tester.errors):find('ERROR violation: err=bad thing', 1, true))
   -- message argument must be a string; extra arguments are rejected
   T.errors('message parameter must be a string', function() tester:asserteq(1, 1, 5) end)
   T.errors('Unexpected arguments passed to test function', function() tester:asserteq(1, 1, 'm', 'x') end)
end

function tests.rethrow_errors()
   local tester = torch.Tester()
   tester:setRethrowErrors(true)
   tester.assertionPass, tester.assertionFail = {[''] = 0}, {[''] = 0}
   T.errors('EQ failed: 1 ~= 2', function() tester:asserteq(1, 2) end)
end

-- Tensor assertions need the tensor binding.
function tests.tensor_assertions()
   if not (torch.DoubleTensor and torch.isTensor(torch.DoubleTensor())) then return end
   local tester = torch.Tester()
   tester.assertionPass, tester.assertionFail = {[''] = 0}, {[''] = 0}
   local a = torch.DoubleTensor({1, 2, 3})
   local b = torch.DoubleTensor({1, 2.5, 3})
   T.eq(tester:assertTensorEq(a, a:clone()), true)
   T.eq(tester:assertTensorEq(a, b), false)
   T.eq(tester:assertTensorEq(a, b, 0.6), true)
   T.eq(tester:assertTensorNe(a, b), true)
   T.eq(tester:assertTensorEq(a, torch.FloatTensor({1, 2, 3})), false)
   T.eq(tester:assertTensorEq(torch.ByteTensor({1, 200}), torch.ByteTensor({1, 200})), true)
   T.eq(tester:assertTensorEq(torch.ByteTensor({1, 2}), torch.ByteTensor({2, 1})), false)
   T.eq(tester:eq(a, b, 0.6), true)
   T.eq(tester:eq({t = a}, {t = b}), false)
   local msgs = table.concat(tester.errors, '\n')
   T.ok(msgs:find('TensorEQ(==) violation: max diff=0.5, tolerance=0', 1, true), msgs)
   T.ok(msgs:find('The tensors have different types', 1, true), msgs)
   -- same content, different dims: equal, with a warning
   T.eq(tester:assertTensorEq(torch.DoubleTensor({{1, 2}}), torch.DoubleTensor({1, 2})), true)
   T.eq(#tester.warnings, 1)
   T.eq(tester:eq(torch.DoubleTensor({{1, 2}}), torch.DoubleTensor({1, 2})), false)
end

return tests
