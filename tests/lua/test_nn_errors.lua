-- Bad input to nn modules and criterions gives a clear Lua error (never a
-- crash or garbage): wrong input dim, wrong plane count, input smaller than
-- the kernel, target out of range, mismatched criterion sizes, impossible
-- views, bad constructor arguments.
local T = require 'testlib'
require 'nn'
local tests = T.suite()

torch.setdefaulttensortype('torch.DoubleTensor')

function tests.wrong_input_dim()
   T.errors('input must be vector or matrix', function() nn.Linear(3, 2):forward(torch.rand(2, 2, 3)) end)
   T.errors('3D or 4D input tensor expected but got: [5 x 5]',
      function() nn.SpatialConvolutionMM(1, 2, 3, 3):forward(torch.rand(5, 5)) end)
   T.errors('3D or 4D input tensor expected but got',
      function() nn.SpatialConvolution(1, 2, 3, 3):forward(torch.rand(5)) end)
   T.errors('1D, 2D, 3D or 4D tensor expected', function() nn.SoftMax():forward(torch.rand(2, 2, 2, 2, 2)) end)
   T.errors('1D, 2D, 3D or 4D tensor expected', function() nn.LogSoftMax():forward(torch.rand(2, 2, 2, 2, 2)) end)
   T.errors('input must be 3 or 4-dimensional', function() nn.SpatialZeroPadding(1):forward(torch.rand(4, 4)) end)
   T.errors('3D or 4D', function() nn.SpatialMaxPooling(2, 2):forward(torch.rand(4)) end)
   T.errors('3D or 4D', function() nn.SpatialAveragePooling(2, 2):forward(torch.rand(4)) end)
   T.errors('input tensor should be 1D or 2D',
      function() nn.ClassNLLCriterion():forward(torch.rand(2, 3, 4), torch.LongTensor({1, 2})) end)
end

function tests.wrong_plane_count()
   T.errors('Need input of dimension 3 and input.size[0] == 2 but got input to be of shape: [1 x 5 x 5]',
      function() nn.SpatialConvolutionMM(2, 3, 3, 3):forward(torch.rand(1, 5, 5)) end)
   T.errors('input.size[1] == 2',
      function() nn.SpatialConvolution(2, 3, 3, 3):forward(torch.rand(4, 3, 5, 5)) end)
   T.errors('expected 2 input planes',
      function() nn.SpatialSubtractiveNormalization(2, torch.ones(3, 3)):forward(torch.rand(3, 5, 5)) end)
end

function tests.input_smaller_than_kernel()
   T.errors('Given input size: (1 x 2 x 2). Calculated output size: (1 x 0 x 0). Output size is too small',
      function() nn.SpatialConvolutionMM(1, 1, 3, 3):forward(torch.rand(1, 2, 2)) end)
   T.errors('Output size is too small', function() nn.SpatialMaxPooling(3, 3):forward(torch.rand(1, 2, 2)) end)
   T.errors('Output size is too small', function() nn.SpatialAveragePooling(4, 4):forward(torch.rand(1, 3, 3)) end)
   T.errors('pad should be smaller than half of kernel size, but got padW = 2, padH = 2, kW = 2, kH = 2',
      function() nn.SpatialMaxPooling(2, 2, 2, 2, 2, 2):forward(torch.rand(1, 6, 6)) end)
   T.errors('smaller than kernel',
      function() nn.SpatialConvolutionMap(nn.tables.oneToOne(1), 5, 5):forward(torch.rand(1, 3, 3)) end)
end

function tests.target_out_of_range()
   T.errors('target out of range', function() nn.ClassNLLCriterion():forward(torch.rand(5), 6) end)
   T.errors('target out of range', function() nn.ClassNLLCriterion():forward(torch.rand(5), 0) end)
   T.errors('target out of range',
      function() nn.ClassNLLCriterion():forward(torch.rand(2, 5), torch.LongTensor({1, 7})) end)
   T.errors('target out of range', function() nn.MultiMarginCriterion():forward(torch.rand(5), 9) end)
   T.errors('target out of range', function() nn.CrossEntropyCriterion():forward(torch.rand(3, 5), torch.LongTensor({1, 2, 6})) end)
   T.errors('multi-target not supported',
      function() nn.ClassNLLCriterion():forward(torch.rand(2, 5), torch.LongTensor(2, 2):fill(1)) end)
end

function tests.mismatched_criterion_sizes()
   T.errors('number of elements', function() nn.MSECriterion():forward(torch.rand(3, 4), torch.rand(5)) end)
   T.errors('input and target size mismatch (3 vs 4)',
      function() nn.AbsCriterion():forward(torch.rand(3), torch.rand(4)) end)
   T.errors('input and target size mismatch (3 vs 4)',
      function() nn.BCECriterion():forward(torch.rand(3), torch.rand(4)) end)
   T.errors('target has 2 elements but the input has 3 sample(s)',
      function() nn.ClassNLLCriterion():forward(torch.rand(3, 5), torch.LongTensor({1, 2})) end)
   T.errors('inconsistent target size',
      function() nn.MultiMarginCriterion():forward(torch.rand(3, 5), torch.LongTensor({1, 2})) end)
end

function tests.impossible_view()
   T.errors('input view (4) and desired view (3) do not match', function() nn.View(3):forward(torch.rand(4)) end)
   T.errors('cannot be viewed', function() nn.Reshape(5):forward(torch.rand(2, 3)) end)
end

function tests.bad_constructor_arguments()
   T.errors('<Dropout> illegal percentage, must be 0 <= p < 1', function() nn.Dropout(1) end)
   T.errors('<Dropout> illegal percentage, must be 0 <= p < 1', function() nn.Dropout(-0.1) end)
   T.errors('in-place processing requires value (1) not exceed threshold (0)', function() nn.Threshold(0, 1, true) end)
   T.errors('nn.Threshold(threshold, value)', function() nn.Threshold('a') end)
   T.errors('max_value must be larger than min_value', function() nn.HardTanh(1, -1) end)
   T.errors('only p=1 and p=2 supported', function() nn.MultiMarginCriterion(3) end)
   T.errors('input is not scalar!', function() nn.MulConstant('x') end)
   T.errors('<SpatialSubtractiveNormalization> averaging kernel must be 2D or 1D',
      function() nn.SpatialSubtractiveNormalization(1, torch.ones(3, 3, 3)) end)
   T.errors('<SpatialSubtractiveNormalization> averaging kernel must have ODD dimensions',
      function() nn.SpatialSubtractiveNormalization(1, torch.ones(4)) end)
   T.errors('<SpatialDivisiveNormalization> averaging kernel must have ODD dimensions',
      function() nn.SpatialDivisiveNormalization(1, torch.ones(3, 4)) end)
   T.errors('integer expected', function() nn.Linear(2.5, 3) end)
   T.errors('integer expected', function() nn.SpatialConvolutionMM(1, 2, 'x', 3) end)
end

function tests.errors_leave_modules_usable()
   local m = nn.SpatialConvolutionMM(1, 2, 3, 3)
   pcall(function() m:forward(torch.rand(2, 5, 5)) end)
   T.eq(m:forward(torch.rand(1, 5, 5)):size(1), 2)
end

return tests
