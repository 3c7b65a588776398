--[[ optim.sgd: stochastic gradient descent with weight decay, momentum
(optionally Nesterov) and learning-rate annealing, exactly Torch7's update
order.

ARGS:
- opfunc : a function of x returning f(x) and df/dx; the returned gradient
           tensor may be modified in place (weight decay, Nesterov)
- x      : the parameters, updated in place
- config : learningRate (1e-3), learningRateDecay (0), weightDecay (0),
           weightDecays (tensor, used when weightDecay is 0), momentum (0),
           dampening (= momentum), nesterov (false), learningRates (tensor)
- state  : evalCounter, dfdx (momentum buffer), decayParameters,
           deltaParameters; defaults to config

RETURN:
- x      : the same tensor, updated
- {f(x)} : the function value before the update
]]
local util = require 'optim.util'

return function(opfunc, x, config, state)
   util.check_x('optim.sgd', x)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-3
   local lrd = config.learningRateDecay or 0
   local wd = config.weightDecay or 0
   local mom = config.momentum or 0
   local damp = config.dampening or mom
   local nesterov = config.nesterov or false
   local lrs = config.learningRates
   local wds = config.weightDecays
   state.evalCounter = state.evalCounter or 0
   local nevals = state.evalCounter
   if nesterov and not (mom > 0 and damp == 0) then
      error('optim.sgd: Nesterov momentum requires a momentum and zero dampening', 2)
   end

   local fx, dfdx = opfunc(x)
   util.check_eval('optim.sgd', fx, dfdx)

   -- weight decay, single or per parameter: g += wd * x
   if wd ~= 0 then
      dfdx:add(wd, x)
   elseif wds then
      state.decayParameters = state.decayParameters or torch.Tensor():typeAs(x):resizeAs(dfdx)
      state.decayParameters:copy(wds):cmul(x)
      dfdx:add(state.decayParameters)
   end

   -- momentum: v = g on the first call (no damping), then
   -- v = mom * v + (1 - damp) * g
   if mom ~= 0 then
      if not state.dfdx then
         state.dfdx = torch.Tensor():typeAs(dfdx):resizeAs(dfdx):copy(dfdx)
      else
         state.dfdx:mul(mom):add(1 - damp, dfdx)
      end
      if nesterov then
         dfdx:add(mom, state.dfdx)
      else
         dfdx = state.dfdx
      end
   end

   -- annealing uses the count before this call
   local clr = lr / (1 + nevals * lrd)

   if lrs then
      state.deltaParameters = state.deltaParameters or torch.Tensor():typeAs(x):resizeAs(dfdx)
      state.deltaParameters:copy(lrs):cmul(dfdx)
      x:add(-clr, state.deltaParameters)
   else
      x:add(-clr, dfdx)
   end

   state.evalCounter = state.evalCounter + 1
   return x, {fx}
end
