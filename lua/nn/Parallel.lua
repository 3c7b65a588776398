-- nn.Parallel(inDim, outDim): child i gets input:select(inDim, i); the
-- outputs are concatenated along outDim.
local Parallel, parent = torch.class('nn.Parallel', 'nn.Container')

function Parallel:__init(inputDimension, outputDimension)
   parent.__init(self)
   self.inputDimension = inputDimension
   self.outputDimension = outputDimension
end

function Parallel:updateOutput(input)
   local nModule = input:size(self.inputDimension)
   local outputs = {}
   local size
   for i = 1, nModule do
      local currentInput = input:select(self.inputDimension, i)
      local currentOutput = self:rethrowErrors(self.modules[i], i, 'updateOutput', currentInput)
      outputs[i] = currentOutput
      if i == 1 then
         size = nn.utils.sizeTable(currentOutput)
      else
         size[self.outputDimension] = size[self.outputDimension] + currentOutput:size(self.outputDimension)
      end
   end
   self.output:resize(table.unpack(size))
   local offset = 1
   for i = 1, nModule do
      local currentOutput = outputs[i]
      local n = currentOutput:size(self.outputDimension)
      self.output:narrow(self.outputDimension, offset, n):copy(currentOutput)
      offset = offset + n
   end
   return self.output
end

function Parallel:updateGradInput(input, gradOutput)
   local nModule = input:size(self.inputDimension)
   self.gradInput:resizeAs(input)
   local offset = 1
   for i = 1, nModule do
      local module = self.modules[i]
      local currentInput = input:select(self.inputDimension, i)
      local n = module.output:size(self.outputDimension)
      local currentGradOutput = gradOutput:narrow(self.outputDimension, offset, n)
      local currentGradInput = self:rethrowErrors(module, i, 'updateGradInput', currentInput, currentGradOutput)
      self.gradInput:select(self.inputDimension, i):copy(currentGradInput)
      offset = offset + n
   end
   return self.gradInput
end

function Parallel:accGradParameters(input, gradOutput, scale)
   local nModule = input:size(self.inputDimension)
   local offset = 1
   for i = 1, nModule do
      local module = self.modules[i]
      local n = module.output:size(self.outputDimension)
      self:rethrowErrors(module, i, 'accGradParameters', input:select(self.inputDimension, i),
         gradOutput:narrow(self.outputDimension, offset, n), scale)
      offset = offset + n
   end
end

function Parallel:accUpdateGradParameters(input, gradOutput, lr)
   local nModule = input:size(self.inputDimension)
   local offset = 1
   for i = 1, nModule do
      local module = self.modules[i]
      local n = module.output:size(self.outputDimension)
      self:rethrowErrors(module, i, 'accUpdateGradParameters', input:select(self.inputDimension, i),
         gradOutput:narrow(self.outputDimension, offset, n), lr)
      offset = offset + n
   end
end

function Parallel:__tostring__()
   return self:_branchesString()
end

return Parallel
