--[[ optim.checkgrad: compares the gradient returned by opfunc with central
finite differences.

ARGS:
- opfunc : a function of x returning f(x) and df/dx
- x      : the point (1-D tensor); restored after each probe
- eps    : the probe step (1e-7)

RETURN:
- diff   : |dC - dC_est| / |dC + dC_est| (Euclidean norms); small (about
           1e-8 or less in double) when the gradient is right
- dC     : the gradient opfunc returned (resized like x)
- dC_est : the finite-difference estimate
]]
local util = require 'optim.util'

return function(opfunc, x, eps)
   util.check_x('optim.checkgrad', x)
   local Corg, dC = opfunc(x)
   util.check_eval('optim.checkgrad', Corg, dC)
   -- opfunc may refill the same gradient tensor on every call
   dC = dC:clone():resize(x:size())
   eps = eps or 1e-7
   local dC_est = torch.Tensor():typeAs(dC):resizeAs(dC)
   for i = 1, dC:size(1) do
      local tmp = x[i]
      x[i] = tmp + eps
      local C1 = opfunc(x)
      x[i] = tmp - eps
      local C2 = opfunc(x)
      x[i] = tmp
      dC_est[i] = (C1 - C2) / (2 * eps)
   end
   local diff = (dC - dC_est):norm() / (dC + dC_est):norm()
   return diff, dC, dC_est
end
