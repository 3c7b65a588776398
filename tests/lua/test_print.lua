-- tostring() of tensors and storages (torch.md §9) against Torch7's own
-- output, tests/golden/tensor_print.out.  The tensors are the golden
-- script's, built here from Lua tables (values computed with the same
-- double operations range/div/mul/pow/add perform) so this file needs only
-- the tensor binding.
local T = require 'testlib'
local tests = T.suite()

-- name -> exact tostring() output, from the golden file
local golden = {}
do
   local f = assert(io.open('tests/golden/tensor_print.out', 'rb'))
   local text = f:read('a')
   f:close()
   for name, body in text:gmatch('== ([^\n]*)\n(.-)<END>\n') do golden[name] = body end
end

-- torch.range(1, n) with f applied to each value, viewed as sizes
local function range(n, f, ...)
   local v = {}
   for i = 1, n do v[i] = f and f(i + 0.0) or i + 0.0 end
   local t = torch.DoubleTensor(v)
   if select('#', ...) > 0 then t = t:view(...) end
   return t
end

local cases = {
   {'1-D DoubleTensor integers', function() return torch.Tensor{1, 2, 3} end},
   {'1-D DoubleTensor fractions', function() return torch.Tensor{0.5, -1.25, 3} end},
   {'1-D scale factor (small)', function() return torch.Tensor{0.001, 0.0025} end},
   {'1-D scale factor (large)', function() return torch.Tensor{123456.5, 200000} end},
   {'1-D exponent format (range > 4 decades)', function() return torch.Tensor{1e-5, 1} end},
   {'1-D exponent format (|exp| > 99 widens to 12)', function() return torch.Tensor{1e-100, 1} end},
   {'1-D with nan (format falls back to %f)', function() return torch.Tensor{0/0, 1} end},
   {'1-D with inf', function() return torch.Tensor{1/0, -1/0, 1} end},
   {'1-D negative numbers', function() return torch.Tensor{-1, -2.5, 0} end},
   {'1-D zeros', function() return torch.Tensor(3):fill(0) end},
   {'1-D large integers (> 9 digits -> %11.4e)', function() return torch.Tensor{1e10, 1} end},
   {'2-D DoubleTensor integers', function() return torch.Tensor{{1, 2, 3}, {4, 5, 6}} end},
   {'2-D DoubleTensor fractions', function() return torch.Tensor{{0.5, 1.25, -3}, {10, 0.001, 2}} end},
   {'2-D scale factor', function() return torch.Tensor{{0.001, 0.002}, {0.003, 0.0045}} end},
   {'2-D exponent format', function() return torch.Tensor{{123456.5, 2}, {3, 4}} end},
   {'2-D 2x20 integers (fits in 80 columns)', function() return range(40, nil, 2, 20) end},
   {'2-D 2x20 fractions (column blocks)', function() return range(40, function(x) return x / 3 end, 2, 20) end},
   {'2-D 2x12 scale factor with column blocks', function() return range(24, function(x) return x * 1e-3 end, 2, 12) end},
   {'2-D 3x30 exponent format with column blocks', function() return range(90, function(x) return x ^ 3 + 0.5 end, 3, 30) end},
   {'3-D 2x2x2', function() return range(8, nil, 2, 2, 2) end},
   {'3-D 2x2x2 with scale factor', function() return range(8, function(x) return x * 1e-3 end, 2, 2, 2) end},
   {'3-D 1x2x12 fractions with column blocks', function() return range(24, function(x) return x / 7 end, 1, 2, 12) end},
   {'4-D 2x3x2x2 (first index varies fastest)', function() return range(24, nil, 2, 3, 2, 2) end},
   {'empty DoubleTensor', function() return torch.Tensor() end},
   {'ByteTensor', function() return torch.ByteTensor{{0, 7, 255}, {1, 2, 3}} end},
   {'CharTensor', function() return torch.CharTensor{-128, 5, 127} end},
   {'ShortTensor', function() return torch.ShortTensor{{-300, 2}, {32767, 0}} end},
   {'IntTensor', function() return torch.IntTensor{-70000, 1, 2} end},
   {'LongTensor (9 digits)', function() return torch.LongTensor{123456789, -2} end},
   {'LongTensor (10 digits -> %11.4e)', function() return torch.LongTensor{1234567890, 2} end},
   {'FloatTensor', function() return torch.FloatTensor{{0.1, 0.2}, {1/3, -4}} end},
   {'non-contiguous (transpose of 2x3)', function() return torch.Tensor{{1, 2, 3}, {4, 5, 6}}:t() end},
   {'DoubleStorage', function() return torch.DoubleStorage{0.5, 1.5, -2} end},
   {'DoubleStorage with scale', function() return torch.DoubleStorage{0.001, 0.0025} end},
   {'ByteStorage', function() return torch.ByteStorage{1, 2, 250} end},
   {'LongStorage from #t (t = 2x3x4)', function() return #torch.Tensor(2, 3, 4) end},
   {'LongStorage from #torch.Tensor() (empty)', function() return #torch.Tensor() end},
   {'empty DoubleStorage', function() return torch.DoubleStorage() end},
}

function tests.golden_has_every_case()
   local n = 0
   for _ in pairs(golden) do n = n + 1 end
   T.eq(n, #cases)
   for _, c in ipairs(cases) do T.ok(golden[c[1]], 'no golden output for ' .. c[1]) end
end

-- one test per golden case, named after it
for _, c in ipairs(cases) do
   tests['golden: ' .. c[1]] = function()
      T.eq(tostring(c[2]()), golden[c[1]])
   end
end

-- Torch7's own script (torch.range, div, mul, pow, ...) run through th.
function tests.golden_script_byte_exact()
   local p = assert(io.popen(T.th .. ' tests/golden/tensor_print.lua 2>&1', 'r'))
   local got = p:read('a')
   p:close()
   local f = assert(io.open('tests/golden/tensor_print.out', 'rb'))
   local want = f:read('a')
   f:close()
   T.eq(got, want)
end

function tests.spec_examples()
   T.eq(tostring(torch.Tensor{{0.5, 1.25}, {3.5, -2}}),
      ' 0.5000  1.2500\n 3.5000 -2.0000\n[torch.DoubleTensor of size 2x2]\n')
   T.eq(tostring(torch.Tensor{{0.5, 1.25, -3}, {10, 0.001, 2}}),
      '  0.5000   1.2500  -3.0000\n 10.0000   0.0010   2.0000\n[torch.DoubleTensor of size 2x3]\n')
end

function tests.every_type_and_method_form()
   for _, name in ipairs({'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'}) do
      local t = torch[name .. 'Tensor']({{1, 2}, {3, 4}})
      T.eq(tostring(t), ' 1  2\n 3  4\n[torch.' .. name .. 'Tensor of size 2x2]\n')
      T.eq(t:__tostring__(), tostring(t))
      local s = torch[name .. 'Storage']({5, 6})
      T.eq(tostring(s), ' 5\n 6\n[torch.' .. name .. 'Storage of size 2]\n')
   end
end

-- Wide scaled matrices: every chunk repeats the scale line, rows get one
-- extra space (so a scaled row may be 80 characters).
function tests.scaled_column_chunks_and_row_width()
   local t = range(22, function(x) return x * 1e-4 end, 1, 22)
   local s = tostring(t)
   local lines = {}
   for l in s:gmatch('([^\n]*)\n') do lines[#lines + 1] = l end
   T.eq(lines[1], 'Columns 1 to 10')
   T.eq(lines[2], '0.001 *')
   T.eq(#lines[3], 80)
   T.eq(lines[3]:sub(1, 9), '  0.1000 ')
   T.eq(lines[5], 'Columns 11 to 20')
   T.eq(lines[#lines], '[torch.DoubleTensor of size 1x22]')
end

-- n-D blocks: the first leading index varies fastest; the number format
-- is chosen once over all elements.
function tests.nd_block_order_and_shared_format()
   local t = range(2 * 3 * 1 * 1, nil, 2, 3, 1, 1)
   T.eq(tostring(t), '(1,1,.,.) = \n  1\n\n(2,1,.,.) = \n  4\n\n(1,2,.,.) = \n  2\n\n' ..
      '(2,2,.,.) = \n  5\n\n(1,3,.,.) = \n  3\n\n(2,3,.,.) = \n  6\n[torch.DoubleTensor of size 2x3x1x1]\n')
   local u = torch.Tensor{{{1, 2}}, {{3, 1000}}}
   T.eq(tostring(u), '(1,.,.) = \n     1     2\n\n(2,.,.) = \n     3  1000\n[torch.DoubleTensor of size 2x1x2]\n')
end

function tests.print_uses_tostring()
   local buf = {}
   local w = io.write
   io.write = function(...) for _, s in ipairs({...}) do buf[#buf + 1] = tostring(s) end end
   local ok, err = pcall(print, torch.Tensor{1, 2})
   io.write = w
   T.ok(ok, tostring(err))
   T.eq(table.concat(buf), ' 1\n 2\n[torch.DoubleTensor of size 2]\n\n')
end

return tests
