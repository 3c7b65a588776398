-- optim.util: the argument check every optim algorithm shares.
local util = {}

-- Raises a clear error when opfunc did not return f(x) (a number) and
-- df/dx (a tensor); `name` is the algorithm, e.g. 'optim.sgd'.
function util.check_eval(name, fx, dfdx)
   if type(fx) ~= 'number' then
      error(string.format('%s: opfunc must return f(x) (a number) and df/dx (a tensor), got %s for f(x)',
         name, type(fx)), 3)
   end
   local tn = torch.typename(dfdx)
   if not (tn and tn:match('^torch%.%a+Tensor$')) then
      error(string.format('%s: opfunc must return f(x) (a number) and df/dx (a tensor), got %s for df/dx',
         name, tn or type(dfdx)), 3)
   end
end

-- Raises `<name>: x must be a tensor` unless x is one.
function util.check_x(name, x)
   local tn = torch.typename(x)
   if not (tn and tn:match('^torch%.%a+Tensor$')) then
      error(string.format('%s: x must be a tensor, got %s', name, tn or type(x)), 3)
   end
end

return util
