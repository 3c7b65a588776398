-- test_lnn.lua: the torch._nn bindings (src/lnn.c): Torch's golden numbers
-- through the THNN-style calls, Float vs Double, non-contiguous inputs,
-- buffer reuse, in-place modes and the error texts.
local T = require 'testlib'
require 'torch'
local tests = T.suite()
local N = torch._nn

-- golden file reader: values of `name` in the case whose title starts with `title`
local function golden(title, name)
   local inCase = false
   for line in io.lines('tests/golden/nn_modules.out') do
      if line:sub(1, 3) == '## ' then
         if inCase then break end
         inCase = line:sub(4, 3 + #title) == title
      elseif inCase then
         local key, rest = line:match('^  (%w+)[ :](.*)$')
         if key == name then
            local list = rest:match('all: (.*)$') or rest:match('first16: (.*)$') or rest
            local vals = {}
            for v in list:gmatch('%S+') do vals[#vals + 1] = tonumber(v) end
            return vals
         end
      end
   end
   error('golden value ' .. title .. ' / ' .. name .. ' not found')
end

-- Torch's test inputs: sinT = 2 sin(0.37 k), cosT = cos(0.23 k), k = 1..n
local function filled(ctor, f, ...)
   local t = ctor(...)
   local s = t:storage()
   for k = 1, t:nElement() do s[k] = f(k) end
   return t
end
local function sinT(ctor, ...) return filled(ctor, function(k) return 2 * math.sin(0.37 * k) end, ...) end
local function cosT(ctor, ...) return filled(ctor, function(k) return math.cos(0.23 * k) end, ...) end
local function fromList(ctor, list, ...)
   return filled(ctor, function(k) return list[k] end, ...)
end

-- compares the first #want elements (row-major) of t with want
local function near(t, want, tol, msg)
   local flat = t:contiguous():view(t:nElement())
   for i = 1, #want do T.near(flat[i], want[i], tol, (msg or '') .. '[' .. i .. ']') end
end

local ctors = {
   {torch.DoubleTensor, 1e-12},
   {torch.FloatTensor, 2e-5},
}

function tests.conv_mm_golden()
   local title = 'SpatialConvolutionMM(2,3,3,2,2,1,1,0)'
   for _, c in ipairs(ctors) do
      local ctor, tol = c[1], c[2]
      local w = fromList(ctor, golden(title, 'param1'), 3, 12)
      local b = fromList(ctor, golden(title, 'param2'), 3)
      local x, g = sinT(ctor, 2, 6, 7), cosT(ctor, 3, 5, 4)
      local out, fin, fgin, gi = ctor(), ctor(), ctor(), ctor()
      local gw, gb = ctor(3, 12):zero(), ctor(3):zero()
      N.SpatialConvolutionMM_updateOutput(x, out, w, b, fin, fgin, 3, 2, 2, 1, 1, 0)
      T.eq(out:dim(), 3); T.eq(out:size(1), 3); T.eq(out:size(2), 5); T.eq(out:size(3), 4)
      T.eq(fin:dim(), 1); T.eq(fin:size(1), 12 * 20)
      near(out, golden(title, 'output'), tol, 'output')
      N.SpatialConvolutionMM_updateGradInput(x, g, gi, w, fin, fgin, 3, 2, 2, 1, 1, 0)
      near(gi, golden(title, 'gradInput'), tol, 'gradInput')
      N.SpatialConvolutionMM_accGradParameters(x, g, gw, gb, fin, fgin, 3, 2, 2, 1, 1, 0, 1)
      near(gw, golden(title, 'gradParam1'), tol, 'gradWeight')
      near(gb, golden(title, 'gradParam2'), tol, 'gradBias')
      -- accumulation with a scale: gradBias becomes (1 + 0.5) times the golden one
      N.SpatialConvolutionMM_accGradParameters(x, g, gw, gb, fin, fgin, 3, 2, 2, 1, 1, 0, 0.5)
      local gb1 = golden(title, 'gradParam2')
      for i = 1, 3 do T.near(gb[i], 1.5 * gb1[i], tol) end
   end
end

function tests.conv_mm_batch_4d_weight_and_reuse()
   local title = 'SpatialConvolutionMM(2,3,3,3) batch 2x2x6x7'
   local w = fromList(torch.DoubleTensor, golden(title, 'param1'), 3, 2, 3, 3)   -- 4-D layout
   local b = fromList(torch.DoubleTensor, golden(title, 'param2'), 3)
   local x = sinT(torch.DoubleTensor, 2, 2, 6, 7)
   local out, fin, fgin = torch.DoubleTensor(), torch.DoubleTensor(), torch.DoubleTensor()
   N.SpatialConvolutionMM_updateOutput(x, out, w, b, fin, fgin, 3, 3, 1, 1, 0, 0)
   -- finput is the kernels' scratch, 1-D: the columns (K = 18, P = 20) of both samples
   T.eq(out:dim(), 4); T.eq(fin:dim(), 1); T.eq(fin:size(1), 2 * 18 * 20)
   near(out, golden(title, 'output'), 1e-12)
   -- steady state: same storages on the second call
   local so, sf = out:storage(), fin:storage()
   N.SpatialConvolutionMM_updateOutput(x, out, w, b, fin, fgin, 3, 3, 1, 1, 0, 0)
   T.ok(out:storage() == so and fin:storage() == sf, 'buffers reallocated')
   -- a non-contiguous input gives the same numbers
   local xt = x:transpose(3, 4):clone():transpose(3, 4)
   T.ok(not xt:isContiguous())
   local out2 = torch.DoubleTensor()
   N.SpatialConvolutionMM_updateOutput(xt, out2, w, b, fin, fgin, 3, 3, 1, 1, 0, 0)
   near(out2, out:contiguous():view(out:nElement()):totable(), 0)
end

function tests.conv_mm_errors()
   local w, b = torch.DoubleTensor(3, 18), torch.DoubleTensor(3)
   local o, f, fg = torch.DoubleTensor(), torch.DoubleTensor(), torch.DoubleTensor()
   local up = N.SpatialConvolutionMM_updateOutput
   T.errors('3D or 4D input tensor expected but got: [5 x 5]', up, torch.DoubleTensor(5, 5), o, w, b, f, fg, 3, 3, 1, 1, 0, 0)
   T.errors('Need input of dimension 3 and input.size[0] == 2 but got input to be of shape: [1 x 5 x 5]',
      up, torch.DoubleTensor(1, 5, 5), o, w, b, f, fg, 3, 3, 1, 1, 0, 0)
   T.errors('Given input size: (2 x 2 x 2). Calculated output size: (3 x 0 x 0). Output size is too small',
      up, torch.DoubleTensor(2, 2, 2), o, w, b, f, fg, 3, 3, 1, 1, 0, 0)
   T.errors('torch.DoubleTensor expected, got torch.FloatTensor', up, torch.DoubleTensor(2, 5, 5), o,
      torch.FloatTensor(3, 18), b, f, fg, 3, 3, 1, 1, 0, 0)
   T.errors('SpatialConvolutionMM_updateOutput', up, torch.DoubleTensor(2, 5, 5), o,
      torch.FloatTensor(3, 18), b, f, fg, 3, 3, 1, 1, 0, 0)
   T.errors('torch.FloatTensor or torch.DoubleTensor expected', up, torch.LongTensor(2, 5, 5), o,
      w, b, f, fg, 3, 3, 1, 1, 0, 0)
   -- integral floats are accepted as integers
   up(torch.DoubleTensor(2, 5, 5):fill(1), o, w:fill(1), b:fill(0), f, fg, 3.0, 3.0, 1.0, 1.0, 0.0, 0.0)
   T.eq(o[1][1][1], 18)
   -- one tensor as two results (would be resized for one, written as both)
   T.errors('output and finput must be different tensors', up, torch.DoubleTensor(2, 5, 5), o, w, b, o, fg,
      3, 3, 1, 1, 0, 0)
   local xo = torch.DoubleTensor(2, 5, 5)
   T.errors('output and input must be different tensors', up, xo, xo, w, b, f, fg, 3, 3, 1, 1, 0, 0)
   -- accGradParameters without a matching finput
   T.errors('call updateOutput first', N.SpatialConvolutionMM_accGradParameters,
      torch.DoubleTensor(2, 6, 6), torch.DoubleTensor(3, 4, 4), w, b, torch.DoubleTensor(2),
      fg, 3, 3, 1, 1, 0, 0, 1)
end

function tests.conv_map_matches_dense_mm()
   -- table {(1,1), (2,1), (2,2)} on 2 -> 2 planes, 3x2 kernels, stride (2, 1)
   for _, c in ipairs(ctors) do
      local ctor, tol = c[1], c[2]
      local conn = torch.Tensor{{1, 1}, {2, 1}, {2, 2}}
      local w = sinT(ctor, 3, 2, 3)
      local b = ctor{0.25, -0.5}
      local dense = ctor(2, 2, 2, 3):zero()
      for k = 1, 3 do dense[conn[k][2]][conn[k][1]]:copy(w[k]) end
      local x, g = cosT(ctor, 2, 2, 7, 8), sinT(ctor, 2, 2, 6, 3)
      local out, gi, fin, fg = ctor(), ctor(), ctor(), ctor()
      N.SpatialConvolutionMap_updateOutput(x, out, w, b, conn, 2, 2, 2, 1)
      local want, wgi = ctor(), ctor()
      N.SpatialConvolutionMM_updateOutput(x, want, dense, b, fin, fg, 3, 2, 2, 1, 0, 0)
      T.eq(out:dim(), 4); T.eq(out:size(3), 6); T.eq(out:size(4), 3)
      near(out, want:contiguous():view(want:nElement()):totable(), tol, 'output')
      N.SpatialConvolutionMap_updateGradInput(x, g, gi, w, b, conn, 2, 2, 2, 1)
      N.SpatialConvolutionMM_updateGradInput(x, g, wgi, dense, fin, fg, 3, 2, 2, 1, 0, 0)
      near(gi, wgi:contiguous():view(wgi:nElement()):totable(), tol, 'gradInput')
      local gw, gb = ctor(3, 2, 3):zero(), ctor(2):zero()
      local dgw, dgb = ctor(2, 2, 2, 3):zero(), ctor(2):zero()
      N.SpatialConvolutionMap_accGradParameters(x, g, gw, gb, conn, 2, 2, 2, 1, 1)
      N.SpatialConvolutionMM_accGradParameters(x, g, dgw, dgb, fin, fg, 3, 2, 2, 1, 0, 0, 1)
      for k = 1, 3 do
         near(gw[k], dgw[conn[k][2]][conn[k][1]]:contiguous():view(6):totable(), tol, 'gradWeight')
      end
      near(gb, dgb:totable(), tol, 'gradBias')
   end
   local conn = torch.Tensor{{1, 1}, {3, 1}}
   T.errors('out of range', N.SpatialConvolutionMap_updateOutput, torch.DoubleTensor(2, 5, 5),
      torch.DoubleTensor(), torch.DoubleTensor(2, 2, 2), torch.DoubleTensor(1), conn, 2, 1, 1, 1)
   T.errors('input image smaller than kernel size', N.SpatialConvolutionMap_updateOutput,
      torch.DoubleTensor(2, 1, 5), torch.DoubleTensor(), torch.DoubleTensor(2, 2, 2),
      torch.DoubleTensor(1), torch.Tensor{{1, 1}, {2, 1}}, 2, 1, 1, 1)
end

function tests.maxpool_golden_and_errors()
   local title = 'SpatialMaxPooling(3,3,2,2,1,1) on 2x6x7'
   for _, c in ipairs(ctors) do
      local ctor, tol = c[1], c[2]
      local x, g = sinT(ctor, 2, 6, 7), cosT(ctor, 2, 3, 4)
      local out, ind, gi = ctor(), torch.LongTensor(), ctor()
      N.SpatialDilatedMaxPooling_updateOutput(x, out, ind, 3, 3, 2, 2, 1, 1, 1, 1, false)
      near(out, golden(title, 'output'), tol)
      near(ind, golden(title, 'indices'), 0)
      N.SpatialDilatedMaxPooling_updateGradInput(x, g, gi, ind, 3, 3, 2, 2, 1, 1, 1, 1, false)
      near(gi, golden(title, 'gradInput'), tol)
   end
   title = 'SpatialMaxPooling(2,2,2,2):ceil() on 2x5x7'
   local out, ind = torch.DoubleTensor(), torch.LongTensor()
   N.SpatialMaxPooling_updateOutput(sinT(torch.DoubleTensor, 2, 5, 7), out, ind, 2, 2, 2, 2, 0, 0, true)
   T.eq(out:size(2), 3); T.eq(out:size(3), 4)
   near(ind, golden(title, 'indices'), 0)
   T.errors('pad should be smaller than half of kernel size, but got padW = 2, padH = 2, kW = 2, kH = 2',
      N.SpatialDilatedMaxPooling_updateOutput, torch.DoubleTensor(1, 5, 5), out, ind, 2, 2, 2, 2, 2, 2, 1, 1, false)
   T.errors('Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small',
      N.SpatialDilatedMaxPooling_updateOutput, torch.DoubleTensor(1, 2, 2), out, ind, 3, 3, 1, 1, 0, 0, 1, 1, false)
   T.errors('3D or 4D input tensor expected but got: [5 x 5]',
      N.SpatialDilatedMaxPooling_updateOutput, torch.DoubleTensor(5, 5), out, ind, 2, 2, 2, 2, 0, 0, 1, 1, false)
   -- corrupted indices are an error, not a stray write
   local x = torch.DoubleTensor(1, 4, 4):fill(1)
   N.SpatialDilatedMaxPooling_updateOutput(x, out, ind, 2, 2, 2, 2, 0, 0, 1, 1, false)
   ind[1][1][1] = 99
   T.errors('out of range', N.SpatialDilatedMaxPooling_updateGradInput, x, out, torch.DoubleTensor(),
      ind, 2, 2, 2, 2, 0, 0, 1, 1, false)
end

function tests.avgpool_golden()
   local title = 'SpatialAveragePooling(3,3,2,2,1,1):setCountExcludePad()'
   for _, c in ipairs(ctors) do
      local ctor, tol = c[1], c[2]
      local x, g = sinT(ctor, 2, 6, 7), cosT(ctor, 2, 3, 4)
      local out, gi = ctor(), ctor()
      N.SpatialAveragePooling_updateOutput(x, out, 3, 3, 2, 2, 1, 1, false, false)
      near(out, golden(title, 'output'), tol)
      N.SpatialAveragePooling_updateGradInput(x, g, gi, 3, 3, 2, 2, 1, 1, false, false)
      near(gi, golden(title, 'gradInput'), tol)
   end
end

function tests.transfer_golden()
   for _, c in ipairs(ctors) do
      local ctor, tol = c[1], c[2]
      for _, m in ipairs{{'Tanh', 'Tanh on 3x4'}, {'Sigmoid', 'Sigmoid on 3x4'},
                         {'SoftMax', 'SoftMax 2-D'}, {'LogSoftMax', 'LogSoftMax 2-D'}} do
         local x, g = sinT(ctor, 3, 4), cosT(ctor, 3, 4)
         local out, gi = ctor(), ctor()
         N[m[1] .. '_updateOutput'](x, out)
         near(out, golden(m[2], 'output'), tol, m[1])
         N[m[1] .. '_updateGradInput'](x, g, gi, out)
         near(gi, golden(m[2], 'gradInput'), tol, m[1])
      end
   end
   local x = sinT(torch.DoubleTensor, 3, 2, 2)
   local out = torch.DoubleTensor()
   N.SoftMax_updateOutput(x, out)
   near(out, golden('SoftMax 3-D', 'output'), 1e-14)
   T.errors('1D, 2D, 3D or 4D tensor expected', N.SoftMax_updateOutput, torch.DoubleTensor(1, 1, 1, 1, 2), out)
end

function tests.transfer_noncontiguous_and_inplace()
   local x = sinT(torch.DoubleTensor, 4, 3):t()   -- 3x4 view, not contiguous
   local y = torch.DoubleTensor()
   N.Tanh_updateOutput(x, y)
   T.ok(y:isContiguous())
   for i = 1, 3 do for j = 1, 4 do T.near(y[i][j], math.tanh(x[i][j]), 1e-15) end end
   -- Threshold in place writes into the input and makes output a view of it
   local z = torch.DoubleTensor(5)
   for i = 1, 5 do z[i] = i - 3 end
   local o = torch.DoubleTensor()
   N.Threshold_updateOutput(z, o, 0, -7, true)
   T.ok(o:isSetTo(z), 'output is the input')
   T.eq(z[1], -7); T.eq(z[3], -7); T.eq(z[4], 1)
   local g, gi = torch.DoubleTensor(5):fill(2), torch.DoubleTensor()
   N.Threshold_updateGradInput(z, g, gi, 0, -7, true)
   T.ok(gi:isSetTo(g))
   T.eq(g[3], 0); T.eq(g[4], 2)
   -- in place on a non-contiguous input: the values land in the input itself
   local h = sinT(torch.DoubleTensor, 4, 3):t()
   N.HardTanh_updateOutput(h, o, -1, 1, true)
   for i = 1, 3 do for j = 1, 4 do T.ok(h[i][j] >= -1 and h[i][j] <= 1) end end
   T.eq(h[1][2], 1)   -- 2 sin(0.37 * 4) = 1.99... clamped
end

function tests.criterions()
   local x = sinT(torch.DoubleTensor, 4, 5)
   local tg = torch.LongTensor{2, 5, 1, 3}
   local out, tw, gi = torch.DoubleTensor(), torch.DoubleTensor(), torch.DoubleTensor()
   local w = torch.DoubleTensor{1, 2, 0.5, 1, 3}
   local title = 'ClassNLLCriterion(weights={1,2,0.5,1,3}) 2-D'
   local loss, total = N.ClassNLLCriterion_updateOutput(x, tg, out, true, w, tw, -100)
   T.near(loss, golden(title, 'loss')[1], 1e-14)
   T.near(out[1], loss, 0); T.near(total, 6.5, 0); T.near(tw[1], 6.5, 0)
   N.ClassNLLCriterion_updateGradInput(x, tg, gi, true, w, tw, -100)
   near(gi, golden(title, 'gradInput'), 1e-14)
   -- a DoubleTensor target works too (converted)
   local l2 = N.ClassNLLCriterion_updateOutput(x, torch.DoubleTensor{2, 5, 1, 3}, out, true, w, tw)
   T.near(l2, loss, 0)
   T.errors('target out of range', N.ClassNLLCriterion_updateOutput, x, torch.LongTensor{2, 6, 1, 3}, out, true, nil, tw)
   T.errors('input tensor should be 1D or 2D', N.ClassNLLCriterion_updateOutput, torch.DoubleTensor(2, 2, 2), tg, out, true, nil, tw)
   T.errors('multi-target not supported', N.ClassNLLCriterion_updateOutput, x, torch.LongTensor(4, 1), out, true, nil, tw)

   title = 'MultiMarginCriterion(2) (p=2)'
   local xm = sinT(torch.DoubleTensor, 4, 5)
   for i = 1, 4 do for j = 1, 5 do xm[i][j] = xm[i][j] * 0.3 end end
   loss = N.MultiMarginCriterion_updateOutput(xm, tg, out, true, 2, nil, 1)
   T.near(loss, golden(title, 'loss')[1], 1e-14)
   N.MultiMarginCriterion_updateGradInput(xm, tg, gi, true, 2, nil, 1)
   near(gi, golden(title, 'gradInput'), 1e-14)
   T.errors('only p=1 and p=2 supported', N.MultiMarginCriterion_updateOutput, xm, tg, out, true, 3, nil, 1)
   T.errors('target out of range', N.MultiMarginCriterion_updateOutput, xm, torch.LongTensor{2, 5, 1, 9}, out, true, 1, nil, 1)

   title = 'MSECriterion sizeAverage=false'
   local xs, ts = sinT(torch.FloatTensor, 3, 4), cosT(torch.FloatTensor, 3, 4)
   local fo, fg = torch.FloatTensor(), torch.FloatTensor()
   loss = N.MSECriterion_updateOutput(xs, ts, fo, false)
   T.near(loss, golden(title, 'loss')[1], 1e-6)
   N.MSECriterion_updateGradInput(xs, ts, fg, false)
   near(fg, golden(title, 'gradInput'), 1e-6)
   T.errors('input and target have different number of elements: input[3 x 4] has 12 elements, while target[5] has 5 elements',
      N.MSECriterion_updateOutput, xs, torch.FloatTensor(5), fo, true)
end

return tests
