-- nn.Concat(dim): every child gets the same input; their outputs are
-- concatenated along dim.  Backward gives each child its slice of
-- gradOutput and sums the children's gradInputs.
local Concat, parent = torch.class('nn.Concat', 'nn.Container')

function Concat:__init(dimension)
   parent.__init(self)
   self.dimension = dimension
end

function Concat:updateOutput(input)
   local outs = {}
   local size
   for i = 1, #self.modules do
      local currentOutput = self:rethrowErrors(self.modules[i], i, 'updateOutput', input)
      outs[i] = currentOutput
      if i == 1 then
         size = nn.utils.sizeTable(currentOutput)
      else
         size[self.dimension] = size[self.dimension] + currentOutput:size(self.dimension)
      end
   end
   if size then
      self.output:resize(table.unpack(size))
   end
   local offset = 1
   for i = 1, #self.modules do
      local currentOutput = outs[i]
      local n = currentOutput:size(self.dimension)
      self.output:narrow(self.dimension, offset, n):copy(currentOutput)
      offset = offset + n
   end
   return self.output
end

-- Children's gradInputs are summed; `method` is updateGradInput or backward.
local function backwardPass(self, method, input, gradOutput, scale)
   self.gradInput:resizeAs(input)
   local offset = 1
   for i, module in ipairs(self.modules) do
      local n = module.output:size(self.dimension)
      local currentGradInput = self:rethrowErrors(module, i, method, input,
         gradOutput:narrow(self.dimension, offset, n), scale)
      -- a module may produce no gradInput (e.g. a first layer)
      if currentGradInput then
         if i == 1 then
            self.gradInput:copy(currentGradInput)
         else
            self.gradInput:add(currentGradInput)
         end
      end
      offset = offset + n
   end
   return self.gradInput
end

function Concat:updateGradInput(input, gradOutput)
   return backwardPass(self, 'updateGradInput', input, gradOutput)
end

function Concat:backward(input, gradOutput, scale)
   return backwardPass(self, 'backward', input, gradOutput, scale or 1)
end

function Concat:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local offset = 1
   for i, module in ipairs(self.modules) do
      local n = module.output:size(self.dimension)
      self:rethrowErrors(module, i, 'accGradParameters', input,
         gradOutput:narrow(self.dimension, offset, n), scale)
      offset = offset + n
   end
end

function Concat:accUpdateGradParameters(input, gradOutput, lr)
   local offset = 1
   for i, module in ipairs(self.modules) do
      local n = module.output:size(self.dimension)
      self:rethrowErrors(module, i, 'accUpdateGradParameters', input,
         gradOutput:narrow(self.dimension, offset, n), lr)
      offset = offset + n
   end
end

function Concat:__tostring__()
   return self:_branchesString()
end

return Concat
