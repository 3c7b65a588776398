--[[ optim.rmsprop: RMSprop (steps scaled by a leaky mean of the squared
gradients).

ARGS:
- opfunc : a function of x returning f(x) and df/dx (modified in place by
           weight decay)
- x      : the parameters, updated in place
- config : learningRate (1e-2), alpha (0.99, smoothing), epsilon (1e-8),
           weightDecay (0), initialMean (0, first value of m)
- state  : m (leaky mean of g^2), tmp (sqrt(m) + epsilon); defaults to config

RETURN:
- x      : the same tensor, updated
- {f(x)} : the function value before the update
]]
local util = require 'optim.util'

return function(opfunc, x, config, state)
   util.check_x('optim.rmsprop', x)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-2
   local alpha = config.alpha or 0.99
   local epsilon = config.epsilon or 1e-8
   local wd = config.weightDecay or 0
   local mfill = config.initialMean or 0

   local fx, dfdx = opfunc(x)
   util.check_eval('optim.rmsprop', fx, dfdx)

   if wd ~= 0 then
      dfdx:add(wd, x)
   end

   if not state.m then
      state.m = torch.Tensor():typeAs(x):resizeAs(dfdx):fill(mfill)
      state.tmp = torch.Tensor():typeAs(x):resizeAs(dfdx)
   end

   state.m:mul(alpha)
   state.m:addcmul(1.0 - alpha, dfdx, dfdx)

   state.tmp:sqrt(state.m):add(epsilon)
   x:addcdiv(-lr, dfdx, state.tmp)

   return x, {fx}
end
