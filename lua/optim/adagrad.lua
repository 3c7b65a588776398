--[[ optim.adagrad: AdaGrad (per-parameter steps scaled by the root of the
accumulated squared gradients).

ARGS:
- opfunc : a function of x returning f(x) and df/dx (modified in place by
           weight decay)
- x      : the parameters, updated in place
- config : learningRate (1e-3), learningRateDecay (0), weightDecay (0)
- state  : evalCounter, paramVariance, paramStd; defaults to config

RETURN:
- x      : the same tensor, updated
- {f(x)} : the function value before the update
]]
local util = require 'optim.util'

return function(opfunc, x, config, state)
   util.check_x('optim.adagrad', x)
   if config == nil and state == nil then
      print('no state table, ADAGRAD initializing')
   end
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-3
   local lrd = config.learningRateDecay or 0
   local wd = config.weightDecay or 0
   state.evalCounter = state.evalCounter or 0
   local nevals = state.evalCounter

   local fx, dfdx = opfunc(x)
   util.check_eval('optim.adagrad', fx, dfdx)

   if wd ~= 0 then
      dfdx:add(wd, x)
   end

   local clr = lr / (1 + nevals * lrd)

   if not state.paramVariance then
      state.paramVariance = torch.Tensor():typeAs(x):resizeAs(dfdx):zero()
      state.paramStd = torch.Tensor():typeAs(x):resizeAs(dfdx)
   end
   state.paramVariance:addcmul(1, dfdx, dfdx)
   state.paramStd:resizeAs(state.paramVariance):copy(state.paramVariance):sqrt()
   -- 1e-10 keeps the division finite for parameters that never moved
   x:addcdiv(-clr, dfdx, state.paramStd:add(1e-10))

   state.evalCounter = state.evalCounter + 1
   return x, {fx}
end
