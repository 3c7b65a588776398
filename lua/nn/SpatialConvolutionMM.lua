-- nn.SpatialConvolutionMM(nIn, nOut, kW, kH, [dW=1], [dH=1], [padW=0], [padH=padW]):
-- 2-D cross-correlation of a C x H x W (or B x C x H x W) input, computed as
-- matrix products with the unfolded input ("im2col" columns), one per chunk
-- of samples (src/nn_conv.h); a one-plane input with a small kernel (the
-- first layer) runs register-blocked loops instead.  finput and fgradInput
-- are the kernels' scratch, sized by them (2-D, bounded by the chunk, not the
-- batch); Torch7's (N, K, P) buffers in a loaded file are simply resized.
-- weight is 2-D: nOut x (nIn*kH*kW), columns ordered (plane, row, col).
local SpatialConvolutionMM, parent = torch.class('nn.SpatialConvolutionMM', 'nn.Module')

local checkInt = nn.utils.checkInt

function SpatialConvolutionMM:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   local name = torch.type(self)
   self.nInputPlane = checkInt(nInputPlane, name .. ': nInputPlane', 2)
   self.nOutputPlane = checkInt(nOutputPlane, name .. ': nOutputPlane', 2)
   self.kW = checkInt(kW, name .. ': kW', 2)
   self.kH = checkInt(kH, name .. ': kH', 2)
   self.dW = checkInt(dW or 1, name .. ': dW', 2)
   self.dH = checkInt(dH or 1, name .. ': dH', 2)
   self.padW = checkInt(padW or 0, name .. ': padW', 2)
   self.padH = checkInt(padH or self.padW, name .. ': padH', 2)
   self:_makeParameters()
   self:reset()
end

function SpatialConvolutionMM:_makeParameters()
   local n = self.nInputPlane * self.kH * self.kW
   self.weight = torch.Tensor(self.nOutputPlane, n)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(self.nOutputPlane, n)
   self.gradBias = torch.Tensor(self.nOutputPlane)
end

function SpatialConvolutionMM:noBias()
   self.bias = nil
   self.gradBias = nil
   return self
end

-- U(-stdv, stdv), stdv = 1/sqrt(kW*kH*nIn): weight (row-major), then bias.
function SpatialConvolutionMM:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.kW * self.kH * self.nInputPlane)
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then
      self.bias:uniform(-stdv, stdv)
   end
end

-- The kernel wants contiguous tensors; copies are kept for reuse.
local function makeContiguous(self, input, gradOutput)
   if not input:isContiguous() then
      self._input = self._input or input.new()
      self._input:resizeAs(input):copy(input)
      input = self._input
   end
   if gradOutput and not gradOutput:isContiguous() then
      self._gradOutput = self._gradOutput or gradOutput.new()
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      gradOutput = self._gradOutput
   end
   return input, gradOutput
end

local function shapeString(t)
   return table.concat(nn.utils.sizeTable(t), ' x ')
end

-- Input checks with THNN's wording, made before the kernel runs.
function SpatialConvolutionMM:_checkInput(input)
   local ndim = input:dim()
   if ndim ~= 3 and ndim ~= 4 then
      error(string.format('bad argument #2 to \'%s\' (3D or 4D input tensor expected but got: [%s])',
         torch.type(self), shapeString(input)), 3)
   end
   local off = ndim - 3
   if input:size(off + 1) ~= self.nInputPlane then
      error(string.format('Need input of dimension %d and input.size[%d] == %d but got input to be of shape: [%s]',
         ndim, off, self.nInputPlane, shapeString(input)), 3)
   end
   local iH, iW = input:size(off + 2), input:size(off + 3)
   local oH = (iH + 2 * self.padH - self.kH) // self.dH + 1
   local oW = (iW + 2 * self.padW - self.kW) // self.dW + 1
   if oH < 1 or oW < 1 then
      error(string.format('Given input size: (%d x %d x %d). Calculated output size: (%d x %d x %d). Output size is too small',
         self.nInputPlane, iH, iW, self.nOutputPlane, oH, oW), 3)
   end
end

function SpatialConvolutionMM:updateOutput(input)
   self:_checkInput(input)
   self.finput = self.finput or input.new()
   self.fgradInput = self.fgradInput or input.new()
   input = makeContiguous(self, input)
   torch._nn.SpatialConvolutionMM_updateOutput(input, self.output, self.weight, self.bias,
      self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
   return self.output
end

function SpatialConvolutionMM:updateGradInput(input, gradOutput)
   if self.gradInput then
      self:_checkInput(input)
      input, gradOutput = makeContiguous(self, input, gradOutput)
      torch._nn.SpatialConvolutionMM_updateGradInput(input, gradOutput, self.gradInput, self.weight,
         self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
      return self.gradInput
   end
end

-- gradWeight += scale * gradOutput . columns^T, gradBias += scale * sum(g);
-- reads finput from updateOutput on the same input (as Torch)
function SpatialConvolutionMM:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self:_checkInput(input)
   input, gradOutput = makeContiguous(self, input, gradOutput)
   assert((self.bias and self.gradBias) or (self.bias == nil and self.gradBias == nil))
   torch._nn.SpatialConvolutionMM_accGradParameters(input, gradOutput, self.gradWeight, self.gradBias,
      self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, scale)
end

-- Module's backward (updateGradInput, then accGradParameters) as one kernel
-- call, whose two products can run side by side on 2 threads; the results
-- are the same bits.  A subclass overriding either half gets Module's two calls.
function SpatialConvolutionMM:backward(input, gradOutput, scale)
   if self.updateGradInput ~= SpatialConvolutionMM.updateGradInput
      or self.accGradParameters ~= SpatialConvolutionMM.accGradParameters then
      return parent.backward(self, input, gradOutput, scale)
   end
   scale = scale or 1
   self:_checkInput(input)
   input, gradOutput = makeContiguous(self, input, gradOutput)
   assert((self.bias and self.gradBias) or (self.bias == nil and self.gradBias == nil))
   torch._nn.SpatialConvolutionMM_backward(input, gradOutput, self.gradInput, self.weight,
      self.gradWeight, self.gradBias, self.finput, self.fgradInput, self.kW, self.kH, self.dW,
      self.dH, self.padW, self.padH, scale)
   return self.gradInput
end

-- the column buffers are rebuilt in the new type on the next forward
function SpatialConvolutionMM:type(typename, tensorCache)
   if typename then
      self.finput = self.finput and torch.Tensor()
      self.fgradInput = self.fgradInput and torch.Tensor()
   end
   return parent.type(self, typename, tensorCache)
end

function SpatialConvolutionMM:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d', torch.type(self),
      self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
   if self.dW ~= 1 or self.dH ~= 1 or self.padW ~= 0 or self.padH ~= 0 then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0) then
      s = s .. string.format(', %d,%d', self.padW, self.padH)
   end
   if self.bias then
      return s .. ')'
   end
   return s .. ') without bias'
end

function SpatialConvolutionMM:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
   return parent.clearState(self)
end

return SpatialConvolutionMM
