-- nn.SpatialDivisiveNormalization(nInputPlane=1, kernel=ones(9,9),
-- threshold=1e-4, thresval=threshold): y = x / max'(local std), where the
-- local std is sqrt(sum over planes of kernel-weighted x^2), corrected at
-- the borders by `coef` (the mean estimator on ones); stds <= threshold are
-- replaced by thresval.  Estimators are built as in
-- nn.SpatialSubtractiveNormalization (same hidden random draws).
local SpatialDivisiveNormalization, parent =
   torch.class('nn.SpatialDivisiveNormalization', 'nn.Module')

function SpatialDivisiveNormalization:__init(nInputPlane, kernel, threshold, thresval)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   self.threshold = threshold or 1e-4
   self.thresval = thresval or threshold or 1e-4
   local kdim = self.kernel:nDimension()
   if kdim ~= 2 and kdim ~= 1 then
      error('<SpatialDivisiveNormalization> averaging kernel must be 2D or 1D')
   end
   if (self.kernel:size(1) % 2) == 0 or (kdim == 2 and (self.kernel:size(2) % 2) == 0) then
      error('<SpatialDivisiveNormalization> averaging kernel must have ODD dimensions')
   end

   local padH = math.floor(self.kernel:size(1) / 2)
   local padW = padH
   if kdim == 2 then
      padW = math.floor(self.kernel:size(2) / 2)
   end

   local function addConvs(seq)
      if kdim == 2 then
         seq:add(nn.SpatialConvolution(self.nInputPlane, 1, self.kernel:size(2), self.kernel:size(1)))
      else
         seq:add(nn.SpatialConvolutionMap(nn.tables.oneToOne(self.nInputPlane), self.kernel:size(1), 1))
         seq:add(nn.SpatialConvolution(self.nInputPlane, 1, 1, self.kernel:size(1)))
      end
   end

   self.meanestimator = nn.Sequential()
   self.meanestimator:add(nn.SpatialZeroPadding(padW, padW, padH, padH))
   addConvs(self.meanestimator)
   self.meanestimator:add(nn.Replicate(self.nInputPlane, 1, 3))

   self.stdestimator = nn.Sequential()
   self.stdestimator:add(nn.Square())
   self.stdestimator:add(nn.SpatialZeroPadding(padW, padW, padH, padH))
   addConvs(self.stdestimator)
   self.stdestimator:add(nn.Replicate(self.nInputPlane, 1, 3))
   self.stdestimator:add(nn.Sqrt())

   -- in place; a 1-D kernel is used twice (rows then columns), hence sqrt(n)
   if kdim == 2 then
      self.kernel:div(self.kernel:sum() * self.nInputPlane)
      for i = 1, self.nInputPlane do
         self.meanestimator.modules[2].weight[1][i]:copy(self.kernel)
         self.stdestimator.modules[3].weight[1][i]:copy(self.kernel)
      end
      self.meanestimator.modules[2].bias:zero()
      self.stdestimator.modules[3].bias:zero()
   else
      self.kernel:div(self.kernel:sum() * math.sqrt(self.nInputPlane))
      for i = 1, self.nInputPlane do
         self.meanestimator.modules[2].weight[i]:copy(self.kernel)
         self.meanestimator.modules[3].weight[1][i]:copy(self.kernel)
         self.stdestimator.modules[3].weight[i]:copy(self.kernel)
         self.stdestimator.modules[4].weight[1][i]:copy(self.kernel)
      end
      self.meanestimator.modules[2].bias:zero()
      self.meanestimator.modules[3].bias:zero()
      self.stdestimator.modules[3].bias:zero()
      self.stdestimator.modules[4].bias:zero()
   end

   self.normalizer = nn.CDivTable()
   self.divider = nn.CDivTable()
   self.thresholder = nn.Threshold(self.threshold, self.thresval)
   self.coef = torch.Tensor(1, 1, 1)
end

function SpatialDivisiveNormalization:updateOutput(input)
   local dim = input:dim()
   if dim ~= 3 and dim ~= 4 then
      error(string.format('%s: 3D or 4D input expected, got %dD', torch.type(self), dim), 2)
   end
   if input:size(dim - 2) ~= self.nInputPlane then
      error(string.format('%s: expected %d input planes, got input of size %s', torch.type(self),
         self.nInputPlane, nn.utils.sizeString(input)), 2)
   end
   self.localstds = self.stdestimator:updateOutput(input)

   -- border coefficients: recomputed when the image size or mode changes
   if self.localstds:dim() ~= self.coef:dim() or input:size(dim) ~= self.coef:size(dim + 1)
      or input:size(dim - 1) ~= self.coef:size(dim)
      or (dim == 4 and input:size(1) ~= self.coef:size(1)) then
      self.ones = self.ones or input.new()
      if dim == 4 then
         self.ones:resizeAs(input[1]):fill(1)
         local coef = self.meanestimator:updateOutput(self.ones)
         self._coef = self._coef or input.new()
         self._coef:resizeAs(coef):copy(coef) -- contiguous, so it can be viewed
         self.coef = self._coef:view(1, table.unpack(nn.utils.sizeTable(self._coef))):expandAs(self.localstds)
      else
         self.ones:resizeAs(input):fill(1)
         -- the mean estimator runs only here, so its output can serve as coef
         self.coef = self.meanestimator:updateOutput(self.ones)
      end
   end

   self.adjustedstds = self.divider:updateOutput{self.localstds, self.coef}
   self.thresholdedstds = self.thresholder:updateOutput(self.adjustedstds)
   self.output = self.normalizer:updateOutput{input, self.thresholdedstds}
   return self.output
end

function SpatialDivisiveNormalization:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   local gradnorm = self.normalizer:updateGradInput({input, self.thresholdedstds}, gradOutput)
   local gradadj = self.thresholder:updateGradInput(self.adjustedstds, gradnorm[2])
   local graddiv = self.divider:updateGradInput({self.localstds, self.coef}, gradadj)
   self.gradInput:add(self.stdestimator:updateGradInput(input, graddiv[1]))
   self.gradInput:add(gradnorm[1])
   return self.gradInput
end

function SpatialDivisiveNormalization:clearState()
   if self.ones then self.ones:set() end
   if self._coef then self._coef:set() end
   self.meanestimator:clearState()
   self.stdestimator:clearState()
   return parent.clearState(self)
end

return SpatialDivisiveNormalization
