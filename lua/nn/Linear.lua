-- nn.Linear(inputSize, outputSize, [bias=true]): y = W x + b.
-- weight is outputSize x inputSize.  A 2-D input is a batch (one sample per
-- row): y = x W^T + 1 b^T.
local Linear, parent = torch.class('nn.Linear', 'nn.Module')

function Linear:__init(inputSize, outputSize, bias)
   parent.__init(self)
   inputSize = nn.utils.checkInt(inputSize, 'nn.Linear: inputSize', 2)
   outputSize = nn.utils.checkInt(outputSize, 'nn.Linear: outputSize', 2)
   self.weight = torch.Tensor(outputSize, inputSize)
   self.gradWeight = torch.Tensor(outputSize, inputSize)
   if bias ~= false then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self:reset()
end

function Linear:noBias()
   self.bias = nil
   self.gradBias = nil
   return self
end

-- U(-stdv, stdv) with stdv = 1/sqrt(inputSize), weight (row-major) then
-- bias; an explicit stdv is a standard deviation, hence the sqrt(3).
function Linear:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then
      self.bias:uniform(-stdv, stdv)
   end
   return self
end

-- A column of ones (one per sample) to add the bias to every row with one
-- rank-1 update; rebuilt only when the batch size changes.
-- Transposed views made without a new tensor per call (a steady training
-- step allocates nothing): one reusable view per module and operand, held
-- in a weak table so the module gains no field (printing, serialization).
local views = setmetatable({}, {__mode = 'k'})
local function transposed(self, slot, t)
   local v = views[self]
   if not v then
      v = {}
      views[self] = v
   end
   local r = v[slot]
   if not r or torch.type(r) ~= torch.type(t) then
      r = t.new()
      v[slot] = r
   end
   return torch._nnfast.transpose(r, t)
end

local function updateAddBuffer(self, input)
   local nframe = input:size(1)
   self.addBuffer = self.addBuffer or input.new()
   if self.addBuffer:nElement() ~= nframe then
      self.addBuffer:resize(nframe):fill(1)
   end
end

local function checkInput(self, input)
   local dim = input:dim()
   if dim ~= 1 and dim ~= 2 then
      error(string.format('input must be vector or matrix (got a %dD tensor)', dim), 3)
   end
   local n = input:size(dim)
   if n ~= self.weight:size(2) then
      error(string.format('size mismatch: nn.Linear expects %d input features, got input of size %s',
         self.weight:size(2), nn.utils.sizeString(input)), 3)
   end
end

function Linear:updateOutput(input)
   checkInput(self, input)
   if input:dim() == 1 then
      self.output:resize(self.weight:size(1))
      if self.bias then self.output:copy(self.bias) else self.output:zero() end
      self.output:addmv(1, self.weight, input)
   else
      local nframe = input:size(1)
      local nElement = self.output:nElement()
      self.output:resize(nframe, self.weight:size(1))
      -- beta = 0 below, but 0 * NaN from fresh memory would still be NaN
      if self.output:nElement() ~= nElement then
         self.output:zero()
      end
      updateAddBuffer(self, input)
      self.output:addmm(0, self.output, 1, input, transposed(self, 'weight', self.weight))
      if self.bias then self.output:addr(1, self.addBuffer, self.bias) end
   end
   return self.output
end

function Linear:updateGradInput(input, gradOutput)
   if self.gradInput then
      local nElement = self.gradInput:nElement()
      self.gradInput:resizeAs(input)
      if self.gradInput:nElement() ~= nElement then
         self.gradInput:zero()
      end
      if input:dim() == 1 then
         self.gradInput:addmv(0, 1, transposed(self, 'weight', self.weight), gradOutput)
      elseif input:dim() == 2 then
         self.gradInput:addmm(0, 1, gradOutput, self.weight)
      end
      return self.gradInput
   end
end

-- gradWeight += scale * g x^T (summed over the batch), gradBias += scale * g
function Linear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if input:dim() == 1 then
      self.gradWeight:addr(scale, gradOutput, input)
      if self.bias then self.gradBias:add(scale, gradOutput) end
   elseif input:dim() == 2 then
      self.gradWeight:addmm(scale, transposed(self, 'gradOutput', gradOutput), input)
      if self.bias then
         updateAddBuffer(self, input)
         self.gradBias:addmv(scale, transposed(self, 'gradOutput', gradOutput), self.addBuffer)
      end
   end
end

-- the ones buffer is rebuilt on demand
function Linear:clearState()
   if self.addBuffer then self.addBuffer:set() end
   return parent.clearState(self)
end

function Linear:__tostring__()
   return torch.type(self) ..
      string.format('(%d -> %d)', self.weight:size(2), self.weight:size(1)) ..
      (self.bias == nil and ' without bias' or '')
end

return Linear
