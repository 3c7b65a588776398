-- nn.Criterion: base of loss functions.  forward(input, target) returns the
-- loss (a number, also kept in self.output); backward(input, target) returns
-- dLoss/dinput (self.gradInput).
local Criterion = torch.class('nn.Criterion')

function Criterion:__init()
   self.gradInput = torch.Tensor()
   self.output = 0
end

function Criterion:updateOutput(input, target)
end

function Criterion:forward(input, target)
   return self:updateOutput(input, target)
end

function Criterion:backward(input, target)
   return self:updateGradInput(input, target)
end

function Criterion:updateGradInput(input, target)
end

-- deep copy through the serializer (nothing shared with the original)
function Criterion:clone()
   local f = torch.MemoryFile('rw'):binary()
   f:writeObject(self)
   f:seek(1)
   local clone = f:readObject()
   f:close()
   return clone
end

function Criterion:type(typename, tensorCache)
   assert(typename, 'Criterion: must provide a type to convert to')
   tensorCache = tensorCache or {}
   for key, param in pairs(self) do
      self[key] = nn.utils.recursiveType(param, typename, tensorCache)
   end
   return self
end

function Criterion:float()
   return self:type('torch.FloatTensor')
end

function Criterion:double()
   return self:type('torch.DoubleTensor')
end

function Criterion:cuda()
   return self:type('torch.CudaTensor')
end

function Criterion:__call__(input, target)
   self.output = self:forward(input, target)
   self.gradInput = self:backward(input, target)
   return self.output, self.gradInput
end

function Criterion:clearState()
   return nn.utils.clear(self, 'gradInput')
end

-- Serialization: all fields as one table, like nn.Module.
function Criterion:write(file)
   local object = {}
   for k, v in pairs(self) do
      object[k] = v
   end
   file:writeObject(object)
end

function Criterion:read(file)
   local object = file:readObject()
   for k, v in pairs(object) do
      self[k] = v
   end
end

return Criterion
