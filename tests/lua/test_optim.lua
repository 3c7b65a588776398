-- optim algorithms: Torch7's exact steps (tests/golden/optim_steps.out to
-- 1e-12), one step of each checked against a hand computation with plain
-- Lua numbers, convergence on a quadratic and on Rosenbrock, bad input.
local T = require 'testlib'
local readfile, capture = T.readfile, T.capture
require 'optim'
local tests = T.suite()

-- A line split into its text with numbers replaced by '#', and the numbers.
local NUM = '%-?%d+%.?%d*e?[-+]?%d*'
local function split_numbers(line)
   local nums = {}
   local skel = line:gsub(NUM, function(s)
      nums[#nums + 1] = assert(tonumber(s), s)
      return '#'
   end)
   return skel, nums
end

function tests.golden_steps()
   local out = capture(function() dofile('tests/golden/optim_steps.lua') end)
   local want = readfile('tests/golden/optim_steps.out')
   local gl, wl = {}, {}
   for l in out:gmatch('(.-)\n') do gl[#gl + 1] = l end
   for l in want:gmatch('(.-)\n') do wl[#wl + 1] = l end
   T.eq(#gl, #wl, 'number of lines')
   local section
   for i = 1, #wl do
      if wl[i]:sub(1, 2) == '##' then section = wl[i] end
      local gs, gn = split_numbers(gl[i])
      local ws, wn = split_numbers(wl[i])
      T.eq(gs, ws, 'line ' .. i .. ' text')
      T.eq(#gn, #wn, 'line ' .. i .. ' count of numbers')
      for k = 1, #wn do
         T.near(gn[k], wn[k], 1e-12, string.format('%s, line %d, number %d', section, i, k))
      end
   end
end

----------------------------------------------------------------------
-- hand computations: one step from x0 on f(x) = sum_i c_i x_i^2 / 2
-- (gradient c_i x_i), with plain Lua numbers
----------------------------------------------------------------------
local C = {1, 3, 0.5}
local X0 = {1, -2, 4}

local function quad()
   local g = torch.Tensor(3)
   return function(x)
      local f = 0
      for i = 1, 3 do
         g[i] = C[i] * x[i]
         f = f + 0.5 * C[i] * x[i] * x[i]
      end
      return f, g
   end
end

local function check_step(algo, config, expect_fn, steps)
   local x = torch.Tensor(X0)
   local state = {}
   for _ = 1, steps or 1 do optim[algo](quad(), x, config, state) end
   local want = expect_fn()
   for i = 1, 3 do T.near(x[i], want[i], 1e-14, algo .. ' x[' .. i .. ']') end
end

function tests.hand_sgd_momentum_weightdecay()
   -- two steps: v1 = g1 + wd x0 ; v2 = m v1 + (1 - damp) (g2 + wd x1)
   local lr, wd, m, damp, lrd = 0.1, 0.01, 0.9, 0.3, 0.5
   check_step('sgd', {learningRate = lr, weightDecay = wd, momentum = m, dampening = damp,
                      learningRateDecay = lrd}, function()
      local x1, x2 = {}, {}
      local v = {}
      for i = 1, 3 do
         v[i] = C[i] * X0[i] + wd * X0[i]
         x1[i] = X0[i] - lr * v[i]
      end
      for i = 1, 3 do
         v[i] = m * v[i] + (1 - damp) * (C[i] * x1[i] + wd * x1[i])
         x2[i] = x1[i] - lr / (1 + 1 * lrd) * v[i]
      end
      return x2
   end, 2)
end

function tests.hand_sgd_nesterov()
   local lr, m = 0.05, 0.8
   check_step('sgd', {learningRate = lr, momentum = m, dampening = 0, nesterov = true}, function()
      local x1 = {}
      for i = 1, 3 do
         local g = C[i] * X0[i]
         x1[i] = X0[i] - lr * (g + m * g)
      end
      return x1
   end)
end

function tests.hand_asgd()
   local eta0, lambda = 0.2, 0.01
   check_step('asgd', {eta0 = eta0, lambda = lambda}, function()
      local x1 = {}
      for i = 1, 3 do x1[i] = X0[i] * (1 - lambda * eta0) - eta0 * C[i] * X0[i] end
      return x1
   end)
end

function tests.hand_adam()
   local lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
   check_step('adam', {learningRate = lr}, function()
      local x1 = {}
      for i = 1, 3 do
         local g = C[i] * X0[i]
         local m, v = (1 - b1) * g, (1 - b2) * g * g
         local step = lr * math.sqrt(1 - b2) / (1 - b1)
         x1[i] = X0[i] - step * m / (math.sqrt(v) + eps)
      end
      return x1
   end)
end

function tests.hand_adagrad()
   local lr = 0.1
   check_step('adagrad', {learningRate = lr}, function()
      local x1 = {}
      for i = 1, 3 do
         local g = C[i] * X0[i]
         x1[i] = X0[i] - lr * g / (math.sqrt(g * g) + 1e-10)
      end
      return x1
   end)
end

function tests.hand_rmsprop()
   local lr, alpha, eps = 0.01, 0.9, 1e-8
   check_step('rmsprop', {learningRate = lr, alpha = alpha}, function()
      local x1 = {}
      for i = 1, 3 do
         local g = C[i] * X0[i]
         local m = (1 - alpha) * g * g
         x1[i] = X0[i] - lr * g / (math.sqrt(m) + eps)
      end
      return x1
   end)
end

function tests.hand_adadelta()
   local rho, eps = 0.9, 1e-6
   check_step('adadelta', {rho = rho, eps = eps}, function()
      local x1 = {}
      for i = 1, 3 do
         local g = C[i] * X0[i]
         local var = (1 - rho) * g * g
         local delta = math.sqrt(eps) / math.sqrt(var + eps) * g
         x1[i] = X0[i] - delta
      end
      return x1
   end)
end

function tests.hand_nag()
   -- step 1: v = -lr g(x0); step 2: gradient at x1 + m v
   local lr, m = 0.1, 0.5
   check_step('nag', {learningRate = lr, momentum = m}, function()
      local x1, x2 = {}, {}
      local v = {}
      for i = 1, 3 do
         v[i] = -lr * C[i] * X0[i]
         x1[i] = X0[i] + v[i]
      end
      for i = 1, 3 do
         local g = C[i] * (x1[i] + m * v[i])
         v[i] = m * v[i] - lr * g
         x2[i] = x1[i] + v[i]
      end
      return x2
   end, 2)
end

function tests.hand_adamax()
   local lr, b1, eps = 0.01, 0.9, 1e-38
   check_step('adamax', {learningRate = lr}, function()
      local x1 = {}
      for i = 1, 3 do
         local g = C[i] * X0[i]
         x1[i] = X0[i] - lr / (1 - b1) * ((1 - b1) * g) / (math.abs(g) + eps)
      end
      return x1
   end)
end

function tests.hand_rprop()
   -- step 1 moves each coordinate by 0.1 against the gradient's sign; the
   -- signs persist, so step 2 moves by 0.1 * 1.2
   check_step('rprop', {}, function()
      local x2 = {}
      for i = 1, 3 do
         local sg = X0[i] > 0 and 1 or -1
         x2[i] = X0[i] - sg * 0.1 - sg * 0.12
      end
      return x2
   end, 2)
end

function tests.rprop_sign_flip()
   -- f = x^2 / 2 from 0.05 with step 0.1: overshoots to -0.05, the flip
   -- halves the step (0.05) and this step is skipped (gradient zeroed)
   local x = torch.Tensor{0.05}
   local g = torch.Tensor(1)
   local function f(p) g[1] = p[1] return 0.5 * p[1] * p[1], g end
   local st = {}
   optim.rprop(f, x, st, st)
   T.near(x[1], -0.05, 1e-15)
   optim.rprop(f, x, st, st)
   T.near(x[1], -0.05, 1e-15)
   T.near(st.stepsize[1], 0.05, 1e-15)
   optim.rprop(f, x, st, st)
   T.near(x[1], 0, 1e-15)
   local _, hfx = optim.rprop(f, torch.Tensor{1}, {niter = 3})
   T.eq(#hfx, 3)
end

function tests.hand_lbfgs_first_step()
   -- first iteration: d = -g, t = min(1, 1/|g|_1) * lr
   local lr = 0.5
   check_step('lbfgs', {learningRate = lr, maxIter = 1}, function()
      local x1, s = {}, 0
      for i = 1, 3 do s = s + math.abs(C[i] * X0[i]) end
      local t = math.min(1, 1 / s) * lr
      for i = 1, 3 do x1[i] = X0[i] - t * C[i] * X0[i] end
      return x1
   end)
end

----------------------------------------------------------------------
-- convergence
----------------------------------------------------------------------

-- f(x) = 0.5 x'Ax - b'x in 4-D (SPD A); minimum at A^-1 b, solved here by
-- Gaussian elimination.
local A = {{4, 1, 0, 0.5}, {1, 3, 0.5, 0}, {0, 0.5, 2, 0.2}, {0.5, 0, 0.2, 1}}
local B = {1, -2, 0.5, 3}
local function solve()
   local m, n = {}, 4
   for i = 1, n do m[i] = {A[i][1], A[i][2], A[i][3], A[i][4], B[i]} end
   for k = 1, n do
      for i = k + 1, n do
         local f = m[i][k] / m[k][k]
         for j = k, n + 1 do m[i][j] = m[i][j] - f * m[k][j] end
      end
   end
   local x = {}
   for i = n, 1, -1 do
      local s = m[i][n + 1]
      for j = i + 1, n do s = s - m[i][j] * x[j] end
      x[i] = s / m[i][i]
   end
   return x
end
local XSTAR = solve()

local function quadratic()
   local g = torch.Tensor(4)
   local At, Bt = torch.Tensor(A), torch.Tensor(B)
   return function(x)
      g:mv(At, x):add(-1, Bt)
      return 0.5 * x:dot(torch.mv(At, x)) - Bt:dot(x), g
   end
end

local function rosenbrock(x)
   local a, b = x[1], x[2]
   local f = (1 - a) ^ 2 + 100 * (b - a * a) ^ 2
   local g = torch.Tensor{-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)}
   return f, g
end

-- name -> {quadratic config, iterations, Rosenbrock config, iterations
-- [, tolerance on the quadratic, tolerances on Rosenbrock's x1 and x2]}.
-- Methods with a fixed step size (rmsprop, adadelta) hover around the
-- minimum at about that step; adadelta only creeps along Rosenbrock's
-- valley, hence its looser bounds.
local RUNS = {
   sgd = {{learningRate = 0.2}, 300, {learningRate = 1e-3, momentum = 0.9, dampening = 0}, 6000},
   asgd = {{eta0 = 0.2, lambda = 0}, 300, {eta0 = 2e-3, lambda = 0, t0 = 1e9}, 30000},
   nag = {{learningRate = 0.1, momentum = 0.5}, 300, {learningRate = 1e-3, momentum = 0.9}, 6000},
   adam = {{learningRate = 0.05}, 1500, {learningRate = 0.02}, 6000},
   adagrad = {{learningRate = 0.5}, 3000, {learningRate = 0.5}, 20000},
   rmsprop = {{learningRate = 5e-4, alpha = 0.9}, 6000, {learningRate = 1e-3, alpha = 0.9}, 20000},
   adadelta = {{rho = 0.95, eps = 1e-8}, 20000, {rho = 0.95, eps = 1e-8}, 20000, 2e-2, 0.1, 0.2},
   lbfgs = {{maxIter = 50, tolFun = 1e-12, tolX = 1e-14}, 1, {maxIter = 500, learningRate = 0.1}, 1},
   cg = {{maxIter = 100, maxEval = 200}, 1, {maxIter = 500, maxEval = 1000}, 1},
   adamax = {{learningRate = 0.01}, 3000, {learningRate = 0.01}, 20000},
   rprop = {{}, 200, {}, 2000},
}

local function rosen_value(x)
   return (1 - x[1]) ^ 2 + 100 * (x[2] - x[1] ^ 2) ^ 2
end

for _, name in ipairs({'sgd', 'asgd', 'nag', 'adam', 'adagrad', 'rmsprop', 'adadelta', 'lbfgs', 'cg',
                       'adamax', 'rprop'}) do
   local run = RUNS[name]
   tests['converges_quadratic_' .. name] = function()
      local x = torch.zeros(4)
      local opfunc = quadratic()
      local state = {}
      for _ = 1, run[2] do optim[name](opfunc, x, run[1], state) end
      for i = 1, 4 do T.near(x[i], XSTAR[i], run[5] or 1e-3, name .. ' x[' .. i .. ']') end
   end
   tests['converges_rosenbrock_' .. name] = function()
      local x = torch.Tensor{-1.2, 1}
      local f0 = rosen_value(x)
      local state = {}
      for _ = 1, run[4] do optim[name](rosenbrock, x, run[3], state) end
      T.near(x[1], 1, run[6] or 2e-2, name .. ' x[1]')
      T.near(x[2], 1, run[7] or 4e-2, name .. ' x[2]')
      T.ok(rosen_value(x) < f0 / 100, name .. ' f decreased 100 times')
   end
end

function tests.checkgrad()
   local opfunc = quadratic()
   local x = torch.Tensor{0.3, -0.2, 0.5, 1}
   local diff, dC, est = optim.checkgrad(opfunc, x)
   T.ok(diff < 1e-7, 'right gradient: diff ' .. diff)
   T.tensor_near(x, {0.3, -0.2, 0.5, 1}, 0, 'x restored')
   T.tensor_near(est, dC, 1e-6)
   -- f is quadratic, so central differences are exact up to rounding
   local _, g = opfunc(x)
   T.tensor_near(dC, g, 1e-15)
   local function wrong(p)
      local f, grad = opfunc(p)
      grad = grad:clone()
      grad[2] = grad[2] + 1
      return f, grad
   end
   T.ok(optim.checkgrad(wrong, x) > 1e-2, 'wrong gradient detected')
end

function tests.polyinterp_cases()
   -- a quadratic is its own cubic interpolant: (t - 0.3)^2 from t = 0, 1
   local q = torch.Tensor{{0, 0.09, -0.6}, {1, 0.49, 1.4}}
   T.near(optim.polyinterp(q), 0.3, 1e-14)
   -- point order does not matter
   T.near(optim.polyinterp(torch.Tensor{{1, 0.49, 1.4}, {0, 0.09, -0.6}}), 0.3, 1e-14)
   -- (t - 2)^2 from t = 0, 1, searched in [1.01, 10]: the vertex
   local q2 = torch.Tensor{{0, 4, -4}, {1, 1, -2}}
   local pos, fmin = optim.polyinterp(q2, 1.01, 10)
   T.near(pos, 2, 1e-12); T.near(fmin, 0, 1e-12)
   -- vertex outside [2.5, 10]: the nearer bound
   pos, fmin = optim.polyinterp(q2, 2.5, 10)
   T.eq(pos, 2.5); T.near(fmin, 0.25, 1e-12)
   -- t^3 - 3t from t = 0 and 2: local minimum at 1 (f = -2)
   local c = torch.Tensor{{0, 0, -3}, {2, 2, 9}}
   T.near(optim.polyinterp(c), 1, 1e-12)
   pos, fmin = optim.polyinterp(c, 0, 2)
   T.near(pos, 1, 1e-12); T.near(fmin, -2, 1e-12)
   -- no finite minimiser: the unbounded form falls back to the mean
   T.eq(optim.polyinterp(torch.Tensor{{0, 0, 3}, {1, 2, 3}}), 0.5)
   T.errors('only 2 points are supported, got 3', optim.polyinterp, torch.zeros(3, 3))
   T.errors('N x 3 tensor', optim.polyinterp, torch.zeros(2, 2))
end

function tests.lswolfe_meets_wolfe_conditions()
   local opfunc = quadratic()
   local x = torch.Tensor{2, -1, 0.5, 0}
   local f, g = opfunc(x)
   g = g:clone()
   local d = g:clone():mul(-1)
   local gtd = g:dot(d)
   local x0 = x:clone()
   for _, t0 in ipairs({1, 1e-3, 5}) do
      x:copy(x0)
      local f_new, g_new, xr, t, n = optim.lswolfe(opfunc, x, t0, d, f, g, gtd)
      T.ok(xr == x, 'x returned')
      T.ok(n >= 1, 'evaluations counted')
      T.tensor_near(x, x0 + d * t, 1e-14, 'x = x0 + t d')
      local f_chk, g_chk = opfunc(x)
      T.near(f_new, f_chk, 1e-14)
      T.tensor_near(g_new, g_chk, 1e-14)
      T.ok(f_new <= f + 1e-4 * t * gtd, 'sufficient decrease (t0 = ' .. t0 .. ')')
      T.ok(math.abs(g_new:dot(d)) <= -0.9 * gtd, 'curvature (t0 = ' .. t0 .. ')')
   end
end

function tests.lbfgs_with_lswolfe_on_rosenbrock()
   local x = torch.Tensor{-1.2, 1}
   local config = {maxIter = 200, lineSearch = optim.lswolfe, tolFun = 1e-10, tolX = 1e-12}
   local _, fh, n = optim.lbfgs(rosenbrock, x, config)
   T.near(x[1], 1, 1e-5); T.near(x[2], 1, 1e-5)
   T.ok(fh[#fh] < 1e-10, 'final f ' .. fh[#fh])
   T.ok(n > #fh - 1, 'line-search evaluations counted')
end

----------------------------------------------------------------------
-- contracts and bad input
----------------------------------------------------------------------

function tests.state_defaults_to_config_and_x_is_same_tensor()
   local config = {learningRate = 0.1, momentum = 0.5}
   local x = torch.Tensor(X0)
   local xr, fs = optim.sgd(quad(), x, config)
   T.ok(rawequal(xr, x) or xr == x, 'x returned is x')
   T.eq(type(fs), 'table'); T.eq(#fs, 1)
   T.eq(config.evalCounter, 1)
   T.eq(torch.typename(config.dfdx), 'torch.DoubleTensor')
end

function tests.asgd_writes_defaults_and_returns_average()
   local config = {}
   local x = torch.Tensor(X0)
   local _, _, ax = optim.asgd(quad(), x, config)
   T.eq(config.eta0, 1e-4); T.eq(config.t0, 1e6); T.eq(config.alpha, 0.75); T.eq(config.lambda, 1e-4)
   T.eq(ax, config.ax)
   for i = 1, 3 do T.eq(ax[i], x[i]) end
end

function tests.adagrad_message_without_state()
   local out = capture(function() optim.adagrad(quad(), torch.Tensor(X0)) end)
   T.eq(out, 'no state table, ADAGRAD initializing\n')
end

function tests.lbfgs_returns_early_at_optimum()
   local x = torch.zeros(3)
   local xr, fh, n = optim.lbfgs(quad(), x, {})
   T.eq(#fh, 1); T.eq(fh[1], 0); T.eq(n, nil)
   T.eq(x:sum(), 0)
end

function tests.float_tensors()
   local x = torch.FloatTensor(X0)
   local g = torch.FloatTensor(3)
   local function f(p)
      for i = 1, 3 do g[i] = C[i] * p[i] end
      return 0, g
   end
   local cfg = {learningRate = 0.1, momentum = 0.5}
   optim.sgd(f, x, cfg)
   T.eq(torch.typename(cfg.dfdx), 'torch.FloatTensor')
   local st = {}
   optim.adam(f, x, {}, st)
   T.eq(torch.typename(st.m), 'torch.FloatTensor')
end

function tests.bad_input()
   T.errors('Nesterov momentum requires a momentum and zero dampening',
      optim.sgd, quad(), torch.Tensor(X0), {nesterov = true, momentum = 0.9})
   T.errors('Momentum must be positive', optim.nag, quad(), torch.Tensor(X0), {momentum = 0})
   for _, name in ipairs({'sgd', 'asgd', 'cg', 'lbfgs', 'adam', 'adagrad', 'rmsprop', 'adadelta', 'nag', 'checkgrad',
                         'adamax', 'rprop'}) do
      T.errors('optim.' .. name .. ': opfunc must return f(x) (a number) and df/dx (a tensor), got nil for df/dx',
         optim[name], function() return 1 end, torch.Tensor(X0), {})
      T.errors('optim.' .. name .. ': opfunc must return f(x) (a number) and df/dx (a tensor), got string for f(x)',
         optim[name], function() return 'x', torch.Tensor(3) end, torch.Tensor(X0), {})
      T.errors('optim.' .. name .. ': x must be a tensor, got table', optim[name], quad(), {1, 2, 3}, {})
   end
end

return tests
