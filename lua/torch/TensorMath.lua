-- torch.TensorMath: the Lua side of tensor math.  The math itself, its
-- argument forms and the torch.f function forms are C (src/lmath.c, kept
-- there so the hot paths pay no Lua call); this file holds the glue that
-- reads better in Lua.
local torch = torch

-- Torch7's torch.f dispatcher picked the tensor type from the first tensor
-- argument, else from a type name given as the LAST argument, else the
-- default type: torch.zeros(2, 3, 'torch.FloatTensor'),
-- torch.range(1, 10, 'torch.LongTensor').  The constructors below take that
-- trailing name; the C functions handle every other form.
local function with_type_name(name)
   local f = torch[name]
   torch[name] = function(...)
      local n = select('#', ...)
      local last = n > 0 and select(n, ...) or nil
      if type(last) ~= 'string' or torch.isTensor((...)) then
         return f(...)
      end
      local class = last:match('^torch%.(%a+Tensor)$')
      local ctor = class and torch[class]
      if not ctor then
         error(string.format("bad argument #%d to '%s' (tensor type name expected, got '%s')",
            n, name, last), 2)
      end
      local args = table.pack(...)
      return f(ctor(), table.unpack(args, 1, n - 1))
   end
end

for _, name in ipairs({'zeros', 'ones', 'range', 'linspace', 'logspace', 'eye'}) do
   with_type_name(name)
end

return torch
