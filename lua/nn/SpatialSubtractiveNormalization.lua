-- nn.SpatialSubtractiveNormalization(nInputPlane=1, kernel=ones(9,9)):
-- y = x - (local weighted mean over all planes), the mean taken with the
-- (normalised) kernel and corrected at the image borders by `coef`, the
-- same estimator applied to an image of ones.
--
-- The mean estimator is Sequential{SpatialZeroPadding, conv(s), Replicate}.
-- A 1-D kernel is applied separably: SpatialConvolutionMap(oneToOne) along
-- rows, then SpatialConvolution(n, 1, 1, K) down columns summing planes; a
-- 2-D kernel is one SpatialConvolution(n, 1, kW, kH).  Building those convs
-- runs their reset(), consuming random draws exactly as Torch7 does before
-- the weights are overwritten with the kernel.
local SpatialSubtractiveNormalization, parent =
   torch.class('nn.SpatialSubtractiveNormalization', 'nn.Module')

function SpatialSubtractiveNormalization:__init(nInputPlane, kernel)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   local kdim = self.kernel:nDimension()
   if kdim ~= 2 and kdim ~= 1 then
      error('<SpatialSubtractiveNormalization> averaging kernel must be 2D or 1D')
   end
   if (self.kernel:size(1) % 2) == 0 or (kdim == 2 and (self.kernel:size(2) % 2) == 0) then
      error('<SpatialSubtractiveNormalization> averaging kernel must have ODD dimensions')
   end

   -- in place, as in Torch7: a kernel shared by several layers is divided
   -- by each of them
   self.kernel:div(self.kernel:sum() * self.nInputPlane)

   local padH = math.floor(self.kernel:size(1) / 2)
   local padW = padH
   if kdim == 2 then
      padW = math.floor(self.kernel:size(2) / 2)
   end

   self.meanestimator = nn.Sequential()
   self.meanestimator:add(nn.SpatialZeroPadding(padW, padW, padH, padH))
   if kdim == 2 then
      self.meanestimator:add(nn.SpatialConvolution(self.nInputPlane, 1, self.kernel:size(2), self.kernel:size(1)))
   else
      self.meanestimator:add(nn.SpatialConvolutionMap(nn.tables.oneToOne(self.nInputPlane), self.kernel:size(1), 1))
      self.meanestimator:add(nn.SpatialConvolution(self.nInputPlane, 1, 1, self.kernel:size(1)))
   end
   self.meanestimator:add(nn.Replicate(self.nInputPlane, 1, 3))

   if kdim == 2 then
      for i = 1, self.nInputPlane do
         self.meanestimator.modules[2].weight[1][i]:copy(self.kernel)
      end
      self.meanestimator.modules[2].bias:zero()
   else
      for i = 1, self.nInputPlane do
         self.meanestimator.modules[2].weight[i]:copy(self.kernel)
         self.meanestimator.modules[3].weight[1][i]:copy(self.kernel)
      end
      self.meanestimator.modules[2].bias:zero()
      self.meanestimator.modules[3].bias:zero()
   end

   self.subtractor = nn.CSubTable()
   self.divider = nn.CDivTable()
   self.coef = torch.Tensor(1, 1, 1)
end

local function checkInput(self, input)
   local dim = input:dim()
   if dim ~= 3 and dim ~= 4 then
      error(string.format('%s: 3D or 4D input expected, got %dD', torch.type(self), dim), 3)
   end
   if input:size(dim - 2) ~= self.nInputPlane then
      error(string.format('%s: expected %d input planes, got input of size %s', torch.type(self),
         self.nInputPlane, nn.utils.sizeString(input)), 3)
   end
end

-- The fused kernel (torch._nnfast, src/nn_fused.c) computes the same mean
-- estimator in one pass over the plane sum instead of the sub-module chain;
-- results agree with the composition to rounding (tests/lua/test_nnfast.lua).
-- `m.fused = false` on an instance forces the composition, the reference.
local fusedTypes = {['torch.FloatTensor'] = true, ['torch.DoubleTensor'] = true}
-- The kernel passes the estimator's convolution weights (the taps it really
-- uses: self.kernel may have been divided again by another module sharing
-- it, as SpatialContrastiveNormalization's two halves do).
local function fusable(self, input)
   if self.fused == false then return false end
   local t = torch.type(input)
   return fusedTypes[t] and torch.type(self.meanestimator.modules[2].weight) == t
end

-- the cached coefficients as one contiguous block (clearState empties
-- _coef but leaves a batch-mode coef, a view of the old storage, in place)
local function coefficients(self)
   local c = self._coef
   if c and c:nElement() > 0 then return c end
   return self.coef
end

local function weights(self)
   local m = self.meanestimator.modules
   if self.kernel:dim() == 2 then return m[2].weight, nil end
   return m[2].weight, m[3].weight
end

function SpatialSubtractiveNormalization:updateOutput(input)
   checkInput(self, input)
   local dim = input:dim()
   -- border coefficients: recomputed when the image size or mode changes
   if dim + 1 ~= self.coef:dim() or input:size(dim) ~= self.coef:size(dim + 1)
      or input:size(dim - 1) ~= self.coef:size(dim)
      or (dim == 4 and input:size(1) ~= self.coef:size(1)) then
      self.ones = self.ones or input.new()
      self._coef = self._coef or self.coef.new()
      if dim == 4 then
         self.ones:resizeAs(input[1]):fill(1)
         local coef = self.meanestimator:updateOutput(self.ones)
         self._coef:resizeAs(coef):copy(coef) -- contiguous, so it can be viewed
         local size = nn.utils.sizeTable(coef)
         table.insert(size, 1, input:size(1))
         self.coef = self._coef:view(1, table.unpack(nn.utils.sizeTable(self._coef))):expand(table.unpack(size))
      else
         self.ones:resizeAs(input):fill(1)
         local coef = self.meanestimator:updateOutput(self.ones)
         self._coef:resizeAs(coef):copy(coef) -- the estimator's output is reused below
         self.coef = self._coef
      end
   end

   if fusable(self, input) then
      self._work = self._work or input.new()
      local w1, w2 = weights(self)
      torch._nnfast.SpatialSubtractiveNormalization_updateOutput(input, self.output,
         coefficients(self), w1, w2, self._work)
      return self.output
   end
   self.localsums = self.meanestimator:updateOutput(input)
   self.adjustedsums = self.divider:updateOutput{self.localsums, self.coef}
   self.output = self.subtractor:updateOutput{input, self.adjustedsums}
   return self.output
end

-- gx = g + meanestimator'(x)(-g / coef); coef is a constant
function SpatialSubtractiveNormalization:updateGradInput(input, gradOutput)
   if fusable(self, input) and gradOutput:isSameSizeAs(input) then
      self._work = self._work or input.new()
      local w1, w2 = weights(self)
      torch._nnfast.SpatialSubtractiveNormalization_updateGradInput(gradOutput, self.gradInput,
         coefficients(self), w1, w2, self._work)
      return self.gradInput
   end
   self.gradInput:resizeAs(input):zero()
   local gradsub = self.subtractor:updateGradInput({input, self.adjustedsums}, gradOutput)
   local graddiv = self.divider:updateGradInput({self.localsums, self.coef}, gradsub[2])
   self.gradInput:add(self.meanestimator:updateGradInput(input, graddiv[1]))
   self.gradInput:add(gradsub[1])
   return self.gradInput
end

function SpatialSubtractiveNormalization:clearState()
   if self.ones then self.ones:set() end
   if self._coef then self._coef:set() end
   if self._work then self._work:set() end
   self.meanestimator:clearState()
   return parent.clearState(self)
end

return SpatialSubtractiveNormalization
