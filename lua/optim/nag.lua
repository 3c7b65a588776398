--[[ optim.nag: SGD with Nesterov's accelerated gradient in the form of
Sutskever et al. (ICML 2013): the gradient is taken at x + mom * v.

ARGS:
- opfunc : a function of x returning f(x) and df/dx (modified in place by
           weight decay)
- x      : the parameters, updated in place
- config : learningRate (1e-3), learningRateDecay (0), weightDecay (0),
           momentum (0.9, must be positive), learningRates (tensor)
- state  : evalCounter, dfdx (velocity v), x_copy, deltaParameters;
           defaults to config

RETURN:
- x      : the same tensor, updated
- {f(x)} : the function value at the look-ahead point
]]
local util = require 'optim.util'

return function(opfunc, x, config, state)
   util.check_x('optim.nag', x)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-3
   local lrd = config.learningRateDecay or 0
   local wd = config.weightDecay or 0
   local mom = config.momentum or 0.9
   local lrs = config.learningRates
   state.evalCounter = state.evalCounter or 0
   local nevals = state.evalCounter

   if mom <= 0 then
      error('optim.nag: Momentum must be positive for Nesterov Accelerated Gradient', 2)
   end

   -- look ahead along the velocity, evaluate there
   if not state.x_copy then
      state.x_copy = x:clone()
   else
      state.x_copy:resizeAs(x):copy(x)
   end
   if state.dfdx then
      x:add(mom, state.dfdx)
   end
   local fx, dfdx = opfunc(x)
   util.check_eval('optim.nag', fx, dfdx)

   if wd ~= 0 then
      dfdx:add(wd, x)
   end

   local clr = lr / (1 + nevals * lrd)

   -- v = mom * v - clr * g (v starts at 0)
   if not state.dfdx then
      state.dfdx = torch.Tensor():typeAs(dfdx):resizeAs(dfdx):fill(0)
   else
      state.dfdx:mul(mom)
   end
   if lrs then
      state.deltaParameters = state.deltaParameters or torch.Tensor():typeAs(x):resizeAs(dfdx)
      state.deltaParameters:copy(lrs):cmul(dfdx)
      state.dfdx:add(-clr, state.deltaParameters)
   else
      state.dfdx:add(-clr, dfdx)
   end
   -- x = x_old + v
   state.x_copy:add(state.dfdx)
   x:copy(state.x_copy)

   state.evalCounter = state.evalCounter + 1
   return x, {fx}
end
