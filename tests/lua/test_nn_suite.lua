-- nn.test(): nn's own suite on torch.Tester (Jacobians of every layer,
-- parameter updates, serialization round trips, containers, criterions),
-- run for two fixed seeds, by name, and with a failing check detected.
local T = require 'testlib'
require 'nn'
local tests = T.suite()

torch.setdefaulttensortype('torch.DoubleTensor')

-- runs nn.test quietly; returns whether it passed and the tester
local function quietRun(names, seed)
   local write, prnt = io.write, print
   local out = {}
   io.write = function(...) for _, v in ipairs({...}) do out[#out + 1] = tostring(v) end end
   print = function(...) out[#out + 1] = table.concat({...}, '\t') end
   local ok, res = pcall(nn.test, names, seed)
   io.write, print = write, prnt
   return ok, res, table.concat(out)
end

function tests.full_suite_seed_1()
   local ok, _, out = quietRun(nil, 1)
   T.ok(ok, 'nn.test() failed:\n' .. out:sub(-3000))
   T.ok(out:find('with [^\n]*0 failures') ~= nil, out:sub(-500))
end

function tests.full_suite_seed_2()
   local ok, _, out = quietRun(nil, 2)
   T.ok(ok, 'nn.test() failed:\n' .. out:sub(-3000))
end

function tests.by_name()
   local ok, _, out = quietRun({'Linear'}, 3)
   T.ok(ok, out:sub(-2000))
   T.ok(out:find('Linear', 1, true) ~= nil)
   T.ok(out:find('Seed:', 1, true) ~= nil)
   -- only the matching tests ran
   T.ok(out:find('SpatialConvolutionMap', 1, true) == nil, 'unrelated tests ran')
end

function tests.jacobian_detects_wrong_gradients()
   -- a Linear whose gradInput is deliberately wrong must be caught
   local m = nn.Linear(3, 2)
   local good = nn.Jacobian.testJacobian(m, torch.Tensor(3))
   T.ok(good < 1e-5, 'correct module passes: ' .. good)
   local bad = nn.Linear(3, 2)
   function bad:updateGradInput(input, gradOutput)
      nn.Linear.updateGradInput(self, input, gradOutput)
      self.gradInput:mul(1.01)
      return self.gradInput
   end
   T.ok(nn.Jacobian.testJacobian(bad, torch.Tensor(3)) > 1e-4, 'wrong gradient detected')
   local badp = nn.Linear(3, 2)
   function badp:accGradParameters(input, gradOutput, scale)
      nn.Linear.accGradParameters(self, input, gradOutput, (scale or 1) * 2)
   end
   T.ok(nn.Jacobian.testJacobianParameters(badp, torch.Tensor(3), badp.weight, badp.gradWeight) > 1e-4,
      'wrong parameter gradient detected')
   local ferr, berr = nn.Jacobian.testIO(nn.Linear(3, 2), torch.rand(3))
   T.eq(ferr, 0)
   T.eq(berr, 0)
end

return tests
