--[[ optim.adadelta: ADADELTA (Zeiler, http://arxiv.org/abs/1212.5701): no
learning rate; steps are RMS(previous steps) / RMS(gradients) * g.

ARGS:
- opfunc : a function of x returning f(x) and df/dx (modified in place by
           weight decay)
- x      : the parameters, updated in place
- config : rho (0.9, interpolation), eps (1e-6), weightDecay (0)
- state  : evalCounter, paramVariance, paramStd, delta, accDelta; defaults
           to config

RETURN:
- x      : the same tensor, updated
- {f(x)} : the function value before the update
]]
local util = require 'optim.util'

return function(opfunc, x, config, state)
   util.check_x('optim.adadelta', x)
   if config == nil and state == nil then
      print('no state table, ADADELTA initializing')
   end
   config = config or {}
   state = state or config
   local rho = config.rho or 0.9
   local eps = config.eps or 1e-6
   local wd = config.weightDecay or 0
   state.evalCounter = state.evalCounter or 0

   local fx, dfdx = opfunc(x)
   util.check_eval('optim.adadelta', fx, dfdx)

   if wd ~= 0 then
      dfdx:add(wd, x)
   end

   if not state.paramVariance then
      state.paramVariance = torch.Tensor():typeAs(x):resizeAs(dfdx):zero()
      state.paramStd = torch.Tensor():typeAs(x):resizeAs(dfdx):zero()
      state.delta = torch.Tensor():typeAs(x):resizeAs(dfdx):zero()
      state.accDelta = torch.Tensor():typeAs(x):resizeAs(dfdx):zero()
   end
   state.paramVariance:mul(rho):addcmul(1 - rho, dfdx, dfdx)
   state.paramStd:resizeAs(state.paramVariance):copy(state.paramVariance):add(eps):sqrt()
   state.delta:resizeAs(state.paramVariance):copy(state.accDelta):add(eps):sqrt()
      :cdiv(state.paramStd):cmul(dfdx)
   x:add(-1, state.delta)
   state.accDelta:mul(rho):addcmul(1 - rho, state.delta, state.delta)

   state.evalCounter = state.evalCounter + 1
   return x, {fx}
end
