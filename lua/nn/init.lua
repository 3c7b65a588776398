-- nn: Torch7's neural-network package on Ember.  `require 'nn'` loads every
-- module class (parents before children) and, like Torch7, also sets the
-- global `nn`, which ported scripts use right after the require.
require 'torch'

nn = nn or {}

local files = {
   'utils',
   -- base classes and containers
   'Module', 'Container', 'Sequential', 'Concat', 'ConcatTable', 'Parallel',
   -- tables and simple shape/arithmetic modules
   'JoinTable', 'CAddTable', 'CSubTable', 'CDivTable', 'Identity', 'Reshape', 'View',
   'Replicate', 'Sum', 'Mean', 'Square', 'Sqrt', 'Power', 'MulConstant',
   -- transfer functions
   'Tanh', 'Sigmoid', 'Threshold', 'ReLU', 'HardTanh', 'SoftMax', 'LogSoftMax', 'SoftMin',
   'Dropout',
   -- layers (the normalizations build convolutions, padding and tables)
   'Linear', 'SpatialZeroPadding', 'SpatialConvolutionMM', 'SpatialConvolution',
   'SpatialConvolutionMap', 'SpatialMaxPooling', 'SpatialAveragePooling', 'SpatialLPPooling',
   'SpatialSubtractiveNormalization', 'SpatialDivisiveNormalization',
   'SpatialContrastiveNormalization',
   -- criterions
   'Criterion', 'ClassNLLCriterion', 'MSECriterion', 'MultiMarginCriterion',
   'CrossEntropyCriterion', 'BCECriterion', 'AbsCriterion',
   -- gradient checks and the test suite (nn.test)
   'Jacobian', 'test',
}

for _, f in ipairs(files) do
   require('nn.' .. f)
end

return nn
