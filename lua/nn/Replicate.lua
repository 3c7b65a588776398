-- nn.Replicate(n, [dim=1], [ndim]): a view with a new dim of size n and
-- stride 0 inserted at dim (at dim+1 when the input has more than ndim
-- dims, i.e. is a batch).  No copy; the gradient sums over that dim.
local Replicate, parent = torch.class('nn.Replicate', 'nn.Module')

function Replicate:__init(nf, dim, ndim)
   parent.__init(self)
   self.nfeatures = nf
   self.dim = dim or 1
   self.ndim = ndim
   assert(self.dim > 0, 'Can only replicate across positive integer dimensions.')
end

local function replicatedDim(self, input)
   local batchOffset = (self.ndim and input:dim() > self.ndim) and 1 or 0
   return self.dim + batchOffset
end

function Replicate:updateOutput(input)
   assert(self.dim <= input:dim() + 1,
      'Not enough input dimensions to replicate along dimension ' .. tostring(self.dim) .. '.')
   local rdim = replicatedDim(self, input)
   local sz = torch.LongStorage(input:dim() + 1)
   local st = torch.LongStorage(input:dim() + 1)
   sz[rdim] = self.nfeatures
   st[rdim] = 0
   for i = 1, input:dim() do
      local j = (i >= rdim) and i + 1 or i
      sz[j] = input:size(i)
      st[j] = input:stride(i)
   end
   self.output:set(input:storage(), input:storageOffset(), sz, st)
   return self.output
end

-- gradInput = sum of gradOutput over the replicated dim, written through a
-- view of gradInput that has that dim with size 1
function Replicate:updateGradInput(input, gradOutput)
   local rdim = replicatedDim(self, input)
   self.gradInput:resizeAs(input)
   local sz = torch.LongStorage(input:dim() + 1)
   sz[rdim] = 1
   for i = 1, input:dim() do
      sz[(i >= rdim) and i + 1 or i] = input:size(i)
   end
   self.gradInput:view(sz):sum(gradOutput, rdim)
   return self.gradInput
end

return Replicate
