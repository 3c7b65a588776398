--[[ optim.adamax: AdaMax, the infinity-norm variant of Adam
(http://arxiv.org/abs/1412.6980, section 7).

ARGS:
- opfunc : a function of x returning f(x) and df/dx
- x      : the parameters, updated in place
- config : learningRate (0.002), beta1 (0.9), beta2 (0.999),
           epsilon (1e-38)
- state  : t, m (first moment), u (weighted infinity norm), max (buffer);
           defaults to config

RETURN:
- x      : the same tensor, updated
- {f(x)} : the function value before the update
]]
local util = require 'optim.util'

return function(opfunc, x, config, state)
   util.check_x('optim.adamax', x)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 0.002
   local beta1 = config.beta1 or 0.9
   local beta2 = config.beta2 or 0.999
   local epsilon = config.epsilon or 1e-38

   local fx, dfdx = opfunc(x)
   util.check_eval('optim.adamax', fx, dfdx)

   state.t = state.t or 0
   state.m = state.m or x.new(dfdx:size()):zero()
   state.u = state.u or x.new(dfdx:size()):zero()
   -- Torch stacked beta2*u and |g|+eps in a 2 x n buffer and took the max
   -- over dim 1; the element-wise cmax below gives the same values.
   state.max = state.max or x.new(dfdx:size()):zero()

   state.t = state.t + 1

   state.m:mul(beta1):add(1 - beta1, dfdx)
   state.max:resizeAs(dfdx):copy(dfdx):abs():add(epsilon)
   state.u:mul(beta2):cmax(state.max)

   local biasCorrection1 = 1 - beta1 ^ state.t
   local stepSize = lr / biasCorrection1
   x:addcdiv(-stepSize, state.m, state.u)

   return x, {fx}
end
