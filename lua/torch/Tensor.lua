-- torch.Tensor: the Lua side of tensors and storages.  The C binding
-- (src/ltensor.c) creates the 14 classes, their constructors and the
-- geometry methods; this file adds what reads better in Lua (split, chunk,
-- repeatTensor) and the torch.* function forms of the tensor methods.
local torch = torch

local tensor_types = {'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'}

-- Adds fn as method `name` of all seven tensor classes (assignments to a
-- constructor table go into the class metatable).
local function add_method(name, fn)
   for _, ty in ipairs(tensor_types) do
      torch[ty .. 'Tensor'][name] = fn
   end
end

-- torch.split([result,] tensor, size, [dim=1]): a table of narrow views of
-- `size` elements along dim (the last one may be shorter).  A table given as
-- first argument is emptied and filled instead of a new one.
function torch.split(result, tensor, splitSize, dim)
   if type(result) ~= 'table' or torch.isTensor(result) then
      result, tensor, splitSize, dim = {}, result, tensor, splitSize
   else
      for k in pairs(result) do result[k] = nil end
   end
   if not torch.isTensor(tensor) then
      error(string.format("bad argument #1 to 'split' (torch.*Tensor expected, got %s)",
         torch.typename and torch.typename(tensor) or type(tensor)), 2)
   end
   dim = dim or 1
   if type(splitSize) ~= 'number' or splitSize < 1 or splitSize % 1 ~= 0 then
      error(string.format("bad argument #2 to 'split' (positive integer split size expected, got %s)",
         tostring(splitSize)), 2)
   end
   if type(dim) ~= 'number' or dim < 1 or dim > tensor:dim() then
      error(string.format("bad argument #3 to 'split' (dimension %s out of range of %dD tensor)",
         tostring(dim), tensor:dim()), 2)
   end
   local n = tensor:size(dim)
   local start = 1
   while start <= n do
      local size = math.min(splitSize, n - start + 1)
      result[#result + 1] = tensor:narrow(dim, start, size)
      start = start + size
   end
   return result
end

-- torch.chunk([result,] tensor, n, [dim=1]): split into n nearly equal parts
-- (ceil(size/n) each, so fewer than n parts may come back, as in Torch7).
function torch.chunk(result, tensor, nChunk, dim)
   if type(result) ~= 'table' or torch.isTensor(result) then
      result, tensor, nChunk, dim = {}, result, tensor, nChunk
   end
   if not torch.isTensor(tensor) then
      error(string.format("bad argument #1 to 'chunk' (torch.*Tensor expected, got %s)",
         type(tensor)), 2)
   end
   dim = dim or 1
   if type(nChunk) ~= 'number' or nChunk < 1 or nChunk % 1 ~= 0 then
      error(string.format("bad argument #2 to 'chunk' (positive integer number of chunks expected, got %s)",
         tostring(nChunk)), 2)
   end
   if type(dim) ~= 'number' or dim < 1 or dim > tensor:dim() then
      error(string.format("bad argument #3 to 'chunk' (dimension %s out of range of %dD tensor)",
         tostring(dim), tensor:dim()), 2)
   end
   return torch.split(result, tensor, math.ceil(tensor:size(dim) / nChunk), dim)
end

add_method('split', function(tensor, splitSize, dim)
   return torch.split({}, tensor, splitSize, dim)
end)
add_method('chunk', function(tensor, nChunk, dim)
   return torch.chunk({}, tensor, nChunk, dim)
end)

-- [result:]repeatTensor(tensor, r1, ...) / t:repeatTensor(r1, ...): a copy of
-- tensor tiled r_i times along dim i; extra repetitions prepend dims.  Works
-- by viewing the result as blocks (unfold) and copying an expanded source.
local function repeatTensor(result, tensor, ...)
   local reps = {...}
   local emplace = true
   if type(tensor) == 'number' or torch.isStorage(tensor) or tensor == nil then
      table.insert(reps, 1, tensor)
      tensor = result
      result = tensor.new()
      emplace = false
   end
   if torch.isStorage(reps[1]) then reps = reps[1]:totable() end
   if #reps < tensor:dim() then
      error(string.format("bad argument #2 to 'repeatTensor' (Number of dimensions of repeat dims "
         .. "can not be smaller than number of dimensions of tensor: %d repetitions for a %dD tensor)",
         #reps, tensor:dim()), 2)
   end
   for i, r in ipairs(reps) do
      if type(r) ~= 'number' or r < 1 or r % 1 ~= 0 then
         error(string.format("bad argument #%d to 'repeatTensor' (positive integer expected, got %s)",
            i + 1, tostring(r)), 2)
      end
   end
   -- source sizes padded with leading 1s to the number of repetitions
   -- writing into a given result may clobber the source when they share a
   -- storage (x:repeatTensor(x, 2)), so that form works from a copy
   local src = emplace and tensor:clone() or tensor:contiguous()
   local xsize = src:size():totable()
   while #xsize < #reps do table.insert(xsize, 1, 1) end
   local size = {}
   for i = 1, #reps do size[i] = xsize[i] * reps[i] end
   if #reps == 0 or src:nElement() == 0 then
      result:resize(0)
      return result
   end
   result:resize(torch.LongStorage(size))
   local xtensor = src.new(src):resize(torch.LongStorage(xsize))
   -- blocks: dims 1..n index the block, dims n+1..2n the element in it
   local blocks = result.new(result)
   for i = 1, #xsize do
      blocks = blocks:unfold(i, xsize[i], xsize[i])
   end
   local vsize = {}
   for i = 1, #xsize do
      vsize[i] = 1
      vsize[#xsize + i] = xsize[i]
   end
   local xview = xtensor:view(torch.LongStorage(vsize))
   blocks:copy(xview:expandAs(blocks))
   return result
end
add_method('repeatTensor', repeatTensor)
torch.repeatTensor = repeatTensor

-- Function forms: torch.f(t, ...) = t:f(...) for the geometry methods.
function torch.totable(obj)
   if not (torch.isTensor(obj) or torch.isStorage(obj)) then
      error(string.format("bad argument #1 to 'totable' (torch.*Tensor or torch.*Storage expected, got %s)",
         torch.typename(obj) or type(obj)), 2)
   end
   return obj:totable()
end

for _, name in ipairs({'expand', 'expandAs', 'view', 'viewAs', 'permute', 'reshape', 'squeeze',
                       'numel', 'nElement', 'narrow', 'select', 'sub', 'transpose',
                       'unfold', 'clone', 'contiguous', 'isSameSizeAs', 'isContiguous',
                       'isSetTo', 'isSize'}) do
   torch[name] = torch[name] or function(t, ...)
      if not torch.isTensor(t) then
         error(string.format("bad argument #1 to '%s' (torch.*Tensor expected, got %s)",
            name, type(t)), 2)
      end
      return t[name](t, ...)
   end
end

return torch
