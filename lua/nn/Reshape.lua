-- nn.Reshape(d1, ..., [batchMode]) / nn.Reshape(longStorage): a view of the
-- (contiguous) input with sizes d1 x ... .  Without batchMode, the input is
-- taken as a single sample only when its element count matches AND its
-- first size is not 1; otherwise dim 1 is a batch dim that is kept.  So a
-- 1x32x32 input to nn.Reshape(1024) gives 1x1024 (Torch7 does the same).
local Reshape, parent = torch.class('nn.Reshape', 'nn.Module')

function Reshape:__init(...)
   parent.__init(self)
   local arg = {...}
   self.size = torch.LongStorage()
   self.batchsize = torch.LongStorage()
   if torch.type(arg[#arg]) == 'boolean' then
      self.batchMode = arg[#arg]
      table.remove(arg, #arg)
   end
   local n = #arg
   if n == 1 and torch.typename(arg[1]) == 'torch.LongStorage' then
      self.size:resize(#arg[1]):copy(arg[1])
   else
      self.size:resize(n)
      for i = 1, n do
         self.size[i] = nn.utils.checkInt(arg[i], 'nn.Reshape: size ' .. i, 2)
      end
   end
   self.nelement = 1
   self.batchsize:resize(#self.size + 1)
   for i = 1, #self.size do
      self.nelement = self.nelement * self.size[i]
      self.batchsize[i + 1] = self.size[i]
   end
   -- copies used only for non-contiguous input or gradOutput
   self._input = torch.Tensor()
   self._gradOutput = torch.Tensor()
end

function Reshape:updateOutput(input)
   if not input:isContiguous() then
      self._input:resizeAs(input)
      self._input:copy(input)
      input = self._input
   end
   if (self.batchMode == false) or
      ((self.batchMode == nil) and (input:nElement() == self.nelement and input:size(1) ~= 1)) then
      if input:nElement() ~= self.nelement then
         error(string.format('nn.Reshape: input of size %s (%d elements) cannot be viewed as %s',
            nn.utils.sizeString(input), input:nElement(), table.concat(self.size:totable(), 'x')), 2)
      end
      self.output:view(input, self.size)
   else
      self.batchsize[1] = input:size(1)
      if input:nElement() ~= self.nelement * input:size(1) then
         error(string.format('nn.Reshape: input of size %s cannot be viewed as a batch of %d x %s',
            nn.utils.sizeString(input), input:size(1), table.concat(self.size:totable(), 'x')), 2)
      end
      self.output:view(input, self.batchsize)
   end
   return self.output
end

function Reshape:updateGradInput(input, gradOutput)
   if not gradOutput:isContiguous() then
      self._gradOutput:resizeAs(gradOutput)
      self._gradOutput:copy(gradOutput)
      gradOutput = self._gradOutput
   end
   self.gradInput:viewAs(gradOutput, input)
   return self.gradInput
end

function Reshape:__tostring__()
   return torch.type(self) .. '(' .. table.concat(self.size:totable(), 'x') .. ')'
end

function Reshape:clearState()
   nn.utils.clear(self, '_input', '_gradOutput')
   return parent.clearState(self)
end

return Reshape
