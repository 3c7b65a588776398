-- Reproduces every case of tests/golden/nn_modules.out (printed by real
-- Torch7): the cases of tests/golden/nn_modules.lua are rebuilt here, their
-- report lines produced in the same format and compared with the golden
-- lines: text exactly, numbers exactly for element-wise modules and within
-- 1e-12 (relative, absolute near 0) where BLAS sums are involved.
local T = require 'testlib'
require 'nn'
local tests = T.suite()

torch.setdefaulttensortype('torch.DoubleTensor')

-- ---------------------------------------------------------------------------
-- golden file: sections keyed by their '## title' line

local function readSections(path)
   local sections, order, cur = {}, {}, nil
   for line in io.lines(path) do
      local title = line:match('^## (.*)$')
      if title then
         cur = {}
         sections[title] = cur
         order[#order + 1] = title
      elseif cur then
         cur[#cur + 1] = line
      end
   end
   return sections, order
end

local golden, goldenOrder = readSections('tests/golden/nn_modules.out')

-- image.gaussian1D(5) as printed by Torch7 (the golden script builds its
-- normalization kernels with it)
local function gaussian1D5()
   local take = false
   for line in io.lines('tests/golden/image_gaussian.out') do
      if take then
         local vals = {}
         for v in line:gmatch('%S+') do vals[#vals + 1] = tonumber(v) end
         return torch.Tensor(vals)
      end
      take = line:find('== image.gaussian1D(5) ', 1, true) == 1
   end
   error('gaussian1D(5) not found in image_gaussian.out')
end

-- ---------------------------------------------------------------------------
-- the report format of nn_modules.lua

local function fmt(v) return string.format('%.17g', v) end
local function sizestr(t)
   local s = {}
   for i = 1, t:dim() do s[i] = t:size(i) end
   return table.concat(s, 'x')
end

local function tline(out, name, t)
   if t == nil then out[#out + 1] = '  ' .. name .. ': nil' return end
   if type(t) == 'number' then out[#out + 1] = '  ' .. name .. ': ' .. fmt(t) return end
   local c = t:contiguous():view(-1)
   local n = c:nElement()
   local vals = {}
   for i = 1, math.min(n, n <= 64 and 64 or 16) do vals[#vals + 1] = fmt(c[i]) end
   out[#out + 1] = '  ' .. name .. ' [' .. torch.typename(t) .. ' ' .. sizestr(t) .. '] sum=' ..
      fmt(t:sum()) .. (n <= 64 and ' all: ' or ' first16: ') .. table.concat(vals, ' ')
end

-- sinT(n1, ...) = 2 sin(0.37 i), cosT(n1, ...) = cos(0.23 i), i = 1..N, as
-- torch.range(1, N):mul(c):sin() computes them (one double product, libm)
local function filled(f, ...)
   local sz = {...}
   local n = 1
   for _, s in ipairs(sz) do n = n * s end
   local vals = {}
   for i = 1, n do vals[i] = f(i) end
   return torch.Tensor(vals):view(table.unpack(sz))
end
local function sinT(...) return filled(function(i) return math.sin(i * 0.37) * 2 end, ...) end
local function cosT(...) return filled(function(i) return math.cos(i * 0.23) end, ...) end

local function case(out, seed, build, input, gradOutput)
   out[#out + 1] = '  manualSeed(' .. seed .. ')'
   torch.manualSeed(seed)
   local m = build()
   out[#out + 1] = '  module: ' .. (tostring(m):gsub('\n', '\n  '))
   local params, grads = m:parameters()
   if params then
      for i, p in ipairs(params) do tline(out, 'param' .. i, p) end
   else
      out[#out + 1] = '  parameters(): none'
   end
   if grads then for _, g in ipairs(grads) do g:zero() end end
   tline(out, 'input', input)
   local o = m:forward(input)
   tline(out, 'output', o)
   if gradOutput then
      tline(out, 'gradOutput', gradOutput)
      local gi = m:backward(input, gradOutput)
      tline(out, 'gradInput', gi)
      if grads then for i, g in ipairs(grads) do tline(out, 'gradParam' .. i, g) end end
   end
   return m
end

local function crit(out, c, input, target)
   out[#out + 1] = '  criterion: ' .. tostring(c) .. ' sizeAverage=' .. tostring(c.sizeAverage)
   tline(out, 'input', input)
   if type(target) == 'number' then out[#out + 1] = '  target: ' .. fmt(target) else tline(out, 'target', target) end
   local loss = c:forward(input, target)
   tline(out, 'loss', loss)
   local gi = c:backward(input, target)
   tline(out, 'gradInput', gi)
end

-- Compares produced lines with the golden section: non-numeric tokens
-- exactly, numeric ones within tol.
local function compare(title, produced, tol)
   local want = golden[title]
   assert(want, 'no golden section ' .. title)
   local text = table.concat(produced, '\n')
   local got = {}
   for l in (text .. '\n'):gmatch('(.-)\n') do got[#got + 1] = l end
   T.eq(#got, #want, title .. ': number of lines')
   for i = 1, #want do
      local gt, wt = {}, {}
      for tok in got[i]:gmatch('%S+') do gt[#gt + 1] = tok end
      for tok in want[i]:gmatch('%S+') do wt[#wt + 1] = tok end
      T.eq(#gt, #wt, title .. ' line ' .. i .. ' token count (' .. want[i]:sub(1, 60) .. ')')
      for k = 1, #wt do
         local a, b = tonumber((gt[k]:gsub('^sum=', ''))), tonumber((wt[k]:gsub('^sum=', '')))
         if a and b then
            if not (math.abs(a - b) <= tol * math.max(1, math.abs(b))) then
               error(string.format('%s line %d (%s) token %d: expected %s, got %s (tol %g)',
                  title, i, want[i]:match('^%s*(%S+)'), k, wt[k], gt[k], tol), 2)
            end
         else
            T.eq(gt[k], wt[k], title .. ' line ' .. i)
         end
      end
   end
end

-- ---------------------------------------------------------------------------
-- the cases; each test reproduces some sections

local EXACT, BLAS = 0, 1e-12
local done = {}

local function module(title, tol, seed, build, input, gradOutput, extra)
   local out = {}
   local m = case(out, seed, build, input, gradOutput)
   if extra then extra(out, m) end
   compare(title, out, tol)
   done[title] = true
end

local function criterion(title, tol, c, input, target)
   local out = {}
   crit(out, c, input, target)
   compare(title, out, tol)
   done[title] = true
end

local function indices(out, m) tline(out, 'indices', m.indices) end

function tests.linear()
   module('Linear(5,3) 1-D input', BLAS, 1, function() return nn.Linear(5, 3) end, sinT(5), cosT(3))
   module('Linear(5,3) 2-D input (batch 4)', BLAS, 1, function() return nn.Linear(5, 3) end, sinT(4, 5), cosT(4, 3))
   module('Linear(5,3):noBias() 1-D input', BLAS, 1, function() return nn.Linear(5, 3):noBias() end, sinT(5), cosT(3))
end

function tests.convolution()
   module('SpatialConvolutionMM(2,3,3,3) on 2x6x7', BLAS, 2,
      function() return nn.SpatialConvolutionMM(2, 3, 3, 3) end, sinT(2, 6, 7), cosT(3, 4, 5))
   module('SpatialConvolutionMM(2,3,3,2,2,1,1,0) (kW=3,kH=2,dW=2,dH=1,padW=1,padH=0) on 2x6x7', BLAS, 2,
      function() return nn.SpatialConvolutionMM(2, 3, 3, 2, 2, 1, 1, 0) end, sinT(2, 6, 7), cosT(3, 5, 4))
   module('SpatialConvolutionMM(2,3,3,3) batch 2x2x6x7', BLAS, 2,
      function() return nn.SpatialConvolutionMM(2, 3, 3, 3) end, sinT(2, 2, 6, 7), cosT(2, 3, 4, 5))
   module('SpatialConvolution(2,3,3,3) on 2x6x7 (4-D weight layout, same draws)', BLAS, 2,
      function() return nn.SpatialConvolution(2, 3, 3, 3) end, sinT(2, 6, 7), cosT(3, 4, 5))
end

function tests.max_pooling()
   module('SpatialMaxPooling(2,2) on 2x6x7 (floor: 3x3)', EXACT, 3,
      function() return nn.SpatialMaxPooling(2, 2) end, sinT(2, 6, 7), cosT(2, 3, 3), indices)
   module('SpatialMaxPooling(3,3,2,2,1,1) on 2x6x7', EXACT, 3,
      function() return nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1) end, sinT(2, 6, 7), cosT(2, 3, 4), indices)
   module('SpatialMaxPooling(2,2,2,2):ceil() on 2x5x7 (ceil: 3x4)', EXACT, 3,
      function() return nn.SpatialMaxPooling(2, 2, 2, 2):ceil() end, sinT(2, 5, 7), cosT(2, 3, 4), indices)
end

function tests.average_pooling()
   module('SpatialAveragePooling(2,2) (default stride 1) on 2x4x5', EXACT, 4,
      function() return nn.SpatialAveragePooling(2, 2) end, sinT(2, 4, 5), cosT(2, 3, 4))
   module('SpatialAveragePooling(2,2,2,2) on 2x6x7', EXACT, 4,
      function() return nn.SpatialAveragePooling(2, 2, 2, 2) end, sinT(2, 6, 7), cosT(2, 3, 3))
   module('SpatialAveragePooling(3,3,2,2,1,1) count_include_pad=true on 2x6x7', EXACT, 4,
      function() return nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1) end, sinT(2, 6, 7), cosT(2, 3, 4))
   module('SpatialAveragePooling(3,3,2,2,1,1):setCountExcludePad() on 2x6x7', EXACT, 4,
      function() return nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1):setCountExcludePad() end,
      sinT(2, 6, 7), cosT(2, 3, 4))
end

function tests.lp_pooling()
   module('SpatialLPPooling(2, 2, 2, 2) (p=2) on 2x6x7', EXACT, 5,
      function() return nn.SpatialLPPooling(2, 2, 2, 2) end, sinT(2, 6, 7), cosT(2, 3, 3))
   module('SpatialLPPooling(2, 2, 2, 2) (p=2) on batch 2x2x4x4', EXACT, 5,
      function() return nn.SpatialLPPooling(2, 2, 2, 2) end, sinT(2, 2, 4, 4), cosT(2, 2, 2, 2))
end

function tests.normalizations()
   module('SpatialSubtractiveNormalization(2, image.gaussian1D(5)) on 2x7x8', BLAS, 6,
      function() return nn.SpatialSubtractiveNormalization(2, gaussian1D5()) end, sinT(2, 7, 8), cosT(2, 7, 8))
   module('SpatialSubtractiveNormalization(2, torch.ones(3,3)) on 2x7x8', BLAS, 6,
      function() return nn.SpatialSubtractiveNormalization(2, torch.ones(3, 3)) end, sinT(2, 7, 8), cosT(2, 7, 8))
   module('SpatialSubtractiveNormalization(2, image.gaussian1D(5)) on batch 2x2x5x6', BLAS, 6,
      function() return nn.SpatialSubtractiveNormalization(2, gaussian1D5()) end, sinT(2, 2, 5, 6), cosT(2, 2, 5, 6))
   module('SpatialContrastiveNormalization(2, image.gaussian1D(5)) on 2x7x8', BLAS, 7,
      function() return nn.SpatialContrastiveNormalization(2, gaussian1D5()) end, sinT(2, 7, 8), cosT(2, 7, 8))
   module('SpatialDivisiveNormalization(2, image.gaussian1D(5)) on 2x7x8', BLAS, 7,
      function() return nn.SpatialDivisiveNormalization(2, gaussian1D5()) end, sinT(2, 7, 8), cosT(2, 7, 8))
end

function tests.transfer()
   module('Tanh on 3x4', EXACT, 8, function() return nn.Tanh() end, sinT(3, 4), cosT(3, 4))
   module('Sigmoid on 3x4', EXACT, 8, function() return nn.Sigmoid() end, sinT(3, 4), cosT(3, 4))
   local x = sinT(3, 4)
   x[1][1] = 0
   module('ReLU on 3x4 (x[1][1]=0)', EXACT, 8, function() return nn.ReLU() end, x, cosT(3, 4))
   module('SoftMax 1-D (7)', EXACT, 8, function() return nn.SoftMax() end, sinT(7), cosT(7))
   module('SoftMax 2-D (3x4, per row)', EXACT, 8, function() return nn.SoftMax() end, sinT(3, 4), cosT(3, 4))
   module('SoftMax 3-D (3x2x2, over dim 1)', EXACT, 8, function() return nn.SoftMax() end, sinT(3, 2, 2), cosT(3, 2, 2))
   module('LogSoftMax 1-D (7)', EXACT, 8, function() return nn.LogSoftMax() end, sinT(7), cosT(7))
   module('LogSoftMax 2-D (3x4, per row)', EXACT, 8, function() return nn.LogSoftMax() end, sinT(3, 4), cosT(3, 4))
end

function tests.dropout()
   module('Dropout(0.5) after :evaluate() on 3x4', EXACT, 9,
      function() local m = nn.Dropout(0.5); m:evaluate(); return m end, sinT(3, 4), cosT(3, 4))
   module('Dropout(0.5, true) (v1) after :evaluate() on 3x4', EXACT, 9,
      function() local m = nn.Dropout(0.5, true); m:evaluate(); return m end, sinT(3, 4), cosT(3, 4))
   module('Dropout(0.3) training mode on 3x4 (noise:bernoulli(0.7) after the seed)', EXACT, 9,
      function() return nn.Dropout(0.3) end, sinT(3, 4), cosT(3, 4),
      function(out, m) tline(out, 'noise', m.noise) end)
end

function tests.criterions()
   local w = function() return torch.Tensor({1, 2, 0.5, 1, 3}) end
   local targets = function() return torch.Tensor({2, 5, 1, 3}) end
   criterion('ClassNLLCriterion 1-D input, target 3', EXACT, nn.ClassNLLCriterion(), sinT(5), 3)
   criterion('ClassNLLCriterion 2-D input (4x5), targets {2,5,1,3}', EXACT, nn.ClassNLLCriterion(),
      sinT(4, 5), targets())
   criterion('ClassNLLCriterion(weights={1,2,0.5,1,3}) 2-D input (4x5), targets {2,5,1,3}', EXACT,
      nn.ClassNLLCriterion(w()), sinT(4, 5), targets())
   local c = nn.ClassNLLCriterion(w())
   c.sizeAverage = false
   criterion('ClassNLLCriterion(weights={1,2,0.5,1,3}) sizeAverage=false 1-D input, target 5', EXACT, c, sinT(5), 5)
   criterion('MSECriterion 3x4 vs cos target', EXACT, nn.MSECriterion(), sinT(3, 4), cosT(3, 4))
   c = nn.MSECriterion()
   c.sizeAverage = false
   criterion('MSECriterion sizeAverage=false 3x4 vs cos target', EXACT, c, sinT(3, 4), cosT(3, 4))
   criterion('MultiMarginCriterion (p=1) 1-D input (5), target 2', EXACT, nn.MultiMarginCriterion(),
      sinT(5):mul(0.3), 2)
   criterion('MultiMarginCriterion (p=1) 2-D input (4x5), targets {2,5,1,3}', EXACT, nn.MultiMarginCriterion(),
      sinT(4, 5):mul(0.3), targets())
   criterion('MultiMarginCriterion(2) (p=2) 2-D input (4x5), targets {2,5,1,3}', EXACT, nn.MultiMarginCriterion(2),
      sinT(4, 5):mul(0.3), targets())
   criterion('MultiMarginCriterion(1, weights={1,2,0.5,1,3}, margin=0.5) 2-D input (4x5), targets {2,5,1,3}', EXACT,
      nn.MultiMarginCriterion(1, w(), 0.5), sinT(4, 5):mul(0.3), targets())
end

-- runs last: every golden section must have been reproduced above
function tests.all_sections_covered()
   for _, title in ipairs(goldenOrder) do
      T.ok(done[title], 'golden section not reproduced: ' .. title)
   end
end

return tests
