-- nn.Module: the base class of every layer.  A module holds its last
-- `output` and `gradInput`; forward/backward fill them, and parametrised
-- modules accumulate into gradWeight/gradBias (see nn.md section 1).
local Module = torch.class('nn.Module')

function Module:__init()
   self.gradInput = torch.Tensor()
   self.output = torch.Tensor()
   self._type = self.output:type()
end

-- {weight, bias}, {gradWeight, gradBias}: only the fields present; nothing at
-- all when the module has neither (callers test the first result).
function Module:parameters()
   if self.weight and self.bias then
      return {self.weight, self.bias}, {self.gradWeight, self.gradBias}
   elseif self.weight then
      return {self.weight}, {self.gradWeight}
   elseif self.bias then
      return {self.bias}, {self.gradBias}
   end
end

function Module:updateOutput(input)
   return self.output
end

function Module:forward(input)
   return self:updateOutput(input)
end

-- The caller must have run forward(input) first: modules keep buffers
-- (im2col columns, max indices, noise) from the forward pass.
function Module:backward(input, gradOutput, scale)
   scale = scale or 1
   self:updateGradInput(input, gradOutput)
   self:accGradParameters(input, gradOutput, scale)
   return self.gradInput
end

function Module:backwardUpdate(input, gradOutput, lr)
   self:updateGradInput(input, gradOutput)
   self:accUpdateGradParameters(input, gradOutput, lr)
   return self.gradInput
end

function Module:updateGradInput(input, gradOutput)
   return self.gradInput
end

function Module:accGradParameters(input, gradOutput, scale)
end

-- theta -= lr * dL/dtheta without touching the gradient buffers: the
-- parameters stand in for the gradients while accGradParameters runs with
-- scale -lr.  A module whose parameters are shared with another one cannot
-- do that (the swap would be seen by both), so it accumulates and updates.
function Module:accUpdateGradParameters(input, gradOutput, lr)
   if self.shared then
      return self:sharedAccUpdateGradParameters(input, gradOutput, lr)
   end
   local gradWeight, gradBias = self.gradWeight, self.gradBias
   self.gradWeight, self.gradBias = self.weight, self.bias
   self:accGradParameters(input, gradOutput, -lr)
   self.gradWeight, self.gradBias = gradWeight, gradBias
end

function Module:sharedAccUpdateGradParameters(input, gradOutput, lr)
   if self:parameters() then
      self:zeroGradParameters()
      self:accGradParameters(input, gradOutput, 1)
      self:updateParameters(lr)
   end
end

function Module:zeroGradParameters()
   local _, gradParams = self:parameters()
   if gradParams then
      for i = 1, #gradParams do
         gradParams[i]:zero()
      end
   end
end

function Module:updateParameters(learningRate)
   local params, gradParams = self:parameters()
   if params then
      for i = 1, #params do
         params[i]:add(-learningRate, gradParams[i])
      end
   end
end

-- Both return nothing, as in Torch7 (so they cannot be chained).
function Module:training()
   self.train = true
end

function Module:evaluate()
   self.train = false
end

-- share(other, 'weight', 'bias', ...): the named fields of self become views
-- of other's (same storage, offset, size and stride).
function Module:share(mlp, ...)
   for _, v in ipairs({...}) do
      if self[v] ~= nil then
         self[v]:set(mlp[v])
         -- a flag rather than a swapped method: functions cannot be serialized
         self.shared = true
         mlp.shared = true
      end
   end
   return self
end

-- Deep copy through the serializer: internal sharing survives, nothing is
-- shared with the original except the fields named in `...`.
function Module:clone(...)
   local f = torch.MemoryFile('rw'):binary()
   f:writeObject(self)
   f:seek(1)
   local clone = f:readObject()
   f:close()
   if select('#', ...) > 0 then
      clone:share(self, ...)
   end
   return clone
end

-- type(typename, [tensorCache]) converts every field; type() returns the
-- current type name.
function Module:type(typename, tensorCache)
   if not typename then
      return self._type
   end
   tensorCache = tensorCache or {}
   for key, param in pairs(self) do
      self[key] = nn.utils.recursiveType(param, typename, tensorCache)
   end
   self._type = typename
   return self
end

function Module:float(...)
   return self:type('torch.FloatTensor', ...)
end

function Module:double(...)
   return self:type('torch.DoubleTensor', ...)
end

function Module:cuda(...)
   return self:type('torch.CudaTensor', ...)
end

function Module:reset()
end

-- Serialization: all fields are written as one table (t7-format 5.1).
function Module:write(file)
   local object = {}
   for k, v in pairs(self) do
      object[k] = v
   end
   file:writeObject(object)
end

function Module:read(file)
   local object = file:readObject()
   for k, v in pairs(object) do
      self[k] = v
   end
end

-- ---------------------------------------------------------------------------
-- flatten(tensors): one new 1-D tensor holding the contents of every
-- distinct storage the tensors view; each tensor is re-pointed into it with
-- its geometry kept.  Storages are placed in order of first appearance, so a
-- storage shared by several tensors (nn.Module.share) is placed once.  Parts
-- of a storage that no tensor views ("holes") are squeezed out, which needs
-- every view to be compact.

-- true when the view covers a dense block once its dims are sorted by
-- stride (stride-0 dims ignored)
local function isCompact(tensor)
   local dims = {}
   for d = 1, tensor:dim() do
      if tensor:stride(d) > 0 then
         dims[#dims + 1] = {size = tensor:size(d), stride = tensor:stride(d)}
      end
   end
   table.sort(dims, function(a, b) return a.stride > b.stride end)
   local expected = 1
   for i = #dims, 1, -1 do
      if dims[i].size ~= 1 then
         if dims[i].stride ~= expected then return false end
         expected = expected * dims[i].size
      end
   end
   return true
end

function Module.flatten(parameters)
   if not parameters or #parameters == 0 then
      return torch.Tensor()
   end
   local Tensor = parameters[1].new

   -- 1. an offset for every distinct storage, a geometry for every tensor
   local storages, order = {}, {}
   local nParameters = 0
   local meta = {}
   for k = 1, #parameters do
      local param = parameters[k]
      local storage = param:storage()
      local key = storage and torch.pointer(storage) or ('empty' .. k)
      if not storages[key] then
         storages[key] = {storage = storage, offset = nParameters}
         order[#order + 1] = key
         nParameters = nParameters + (storage and storage:size() or 0)
      end
      meta[k] = {storageOffset = param:storageOffset() + storages[key].offset,
                 size = param:size(), stride = param:stride(), empty = param:nElement() == 0}
   end

   -- 2./3. mark the elements each tensor views (the buffer doubles as mask)
   local flat = Tensor(nParameters):zero()
   local compact = true
   local tmp = Tensor()
   for k = 1, #parameters do
      local m = meta[k]
      if not m.empty then
         tmp:set(flat:storage(), m.storageOffset, m.size, m.stride)
         tmp:fill(1)
         compact = compact and isCompact(tmp)
      end
   end
   local nUsed = nParameters > 0 and flat:sum() or 0
   local mask
   if nUsed ~= nParameters then
      -- remember the mask before the data overwrites it
      mask = flat:clone()
   end

   -- 4. copy each storage in full to its place
   for _, key in ipairs(order) do
      local s = storages[key]
      if s.storage and s.storage:size() > 0 then
         flat:narrow(1, s.offset + 1, s.storage:size()):copy(Tensor():set(s.storage))
      end
   end

   -- 5. drop the references to the old storages
   for k = 1, #parameters do
      parameters[k]:set(Tensor())
   end

   -- 6. squeeze out the holes, remapping offsets to the compacted buffer
   if mask then
      assert(compact, 'Cannot gather tensors that are not compact')
      local m = mask:storage()
      local src = flat:storage()
      local newIndex = {}
      local compacted = Tensor(math.floor(nUsed))
      local dst = compacted:storage()
      local j = 0
      for i = 1, nParameters do
         if m[i] ~= 0 then
            j = j + 1
            dst[j] = src[i]
         end
         newIndex[i] = j
      end
      for k = 1, #parameters do
         meta[k].storageOffset = newIndex[meta[k].storageOffset]
      end
      flat = compacted
   end

   -- 7. re-point the tensors into the flat storage
   for k = 1, #parameters do
      local m = meta[k]
      if not m.empty then
         parameters[k]:set(flat:storage(), m.storageOffset, m.size, m.stride)
      end
   end
   return flat
end

-- (flatParameters, flatGradParameters): all parameters and all gradients,
-- each in one storage; the modules' tensors become views of them.
function Module:getParameters()
   local parameters, gradParameters = self:parameters()
   local p, g = Module.flatten(parameters), Module.flatten(gradParameters)
   assert(p:nElement() == g:nElement(),
      'check that you are sharing parameters and gradParameters')
   if parameters then
      for i = 1, #parameters do
         assert(parameters[i]:storageOffset() == gradParameters[i]:storageOffset(),
            'misaligned parameter at ' .. tostring(i))
      end
   end
   return p, g
end

-- m(x) = forward(x); m(x, g) = forward + backward, returns output, gradInput
function Module:__call__(input, gradOutput)
   self:forward(input)
   if gradOutput then
      self:backward(input, gradOutput)
      return self.output, self.gradInput
   end
   return self.output
end

-- fn(module) on self then on every sub-module, pre-order.
function Module:apply(callback)
   callback(self)
   if self.modules then
      for _, module in ipairs(self.modules) do
         module:apply(callback)
      end
   end
end

-- Modules of exactly class `typename` (pre-order) and, in a second list,
-- the container each one was found in.
function Module:findModules(typename, container)
   container = container or self
   local nodes, containers = {}, {}
   if torch.typename(self) == typename then
      nodes[#nodes + 1] = self
      containers[#containers + 1] = container
   end
   if torch.type(self.modules) == 'table' then
      for i = 1, #self.modules do
         local childNodes, childContainers = self.modules[i]:findModules(typename, self)
         for j = 1, #childNodes do
            nodes[#nodes + 1] = childNodes[j]
            containers[#containers + 1] = childContainers[j]
         end
      end
   end
   return nodes, containers
end

-- Flat list of self and all sub-modules, pre-order.
function Module:listModules()
   local modules = {self}
   if self.modules then
      for i = 1, #self.modules do
         for _, m in ipairs(self.modules[i]:listModules()) do
            modules[#modules + 1] = m
         end
      end
   end
   return modules
end

function Module:clearState()
   return nn.utils.clear(self, 'output', 'gradInput')
end

-- Replaces every module (self included) by callback(module), recursively;
-- returns what replaces self.
function Module:replace(callback)
   local out = callback(self)
   if self.modules then
      for i, module in ipairs(self.modules) do
         self.modules[i] = module:replace(callback)
      end
   end
   return out
end

return Module
