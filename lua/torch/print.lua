-- torch.print: tostring() of every tensor and storage type, in Torch7's
-- exact format (torch.md §9; tests/golden/tensor_print.out):
--   * one number format for all elements, chosen from the range of |x|:
--     integers '%<w>d', '%<w>.4f', '%<w>.4e', or '%7.4f' with a common scale
--     factor printed as a '<scale> *' line;
--   * 1-D: one element per line; 2-D: rows, split into 'Columns a to b'
--     chunks that fit 80 columns; n-D: one '(i,j,.,.) = ' block per
--     leading index (first index fastest), rows indented one space;
--   * a final '[torch.<Type>Tensor of size AxB]' line.
-- Installed as __tostring (and the __tostring__ method) of the binding's
-- tensor and storage metatables.

local numfmt = require 'torch.numfmt'
local floor, log, abs = math.floor, math.log, math.abs
local format = string.format

-- floor(log10(x)) + 1, with 1 for x == 0 (the number of integer digits)
local function digits(x)
   if x == 0 then return 1 end
   return floor(log(x, 10)) + 1
end

-- Chooses the format for the values vals[1..n]: returns the format string,
-- the scale (nil when none) and the field width.  Any NaN makes Torch7's
-- width computation yield 'nan', which it catches by falling back to '%f'.
local function printformat(vals, n)
   if n == 0 then return '', nil, 0 end
   local intMode = true
   local amin, amax = math.huge, -1
   for i = 1, n do
      local v = vals[i]
      if v ~= v then return '%f', nil, 0 end
      if intMode and v ~= math.ceil(v) then intMode = false end
      local a = abs(v)
      if a < amin then amin = a end
      if a > amax then amax = a end
   end
   local expMin, expMax = digits(amin), digits(amax)
   local fmt, scale, sz
   if intMode then
      if expMax > 9 then
         fmt, sz = '%11.4e', 11
      else
         sz = expMax + 1
         fmt = format('%%%dd', sz)
      end
   elseif expMax - expMin > 4 then
      sz = 11
      if abs(expMax) > 99 or abs(expMin) > 99 then sz = 12 end
      fmt = format('%%%d.4e', sz)
   elseif expMax > 5 or expMax < 0 then
      sz = 7
      fmt = '%7.4f'
      scale = 10 ^ (expMax - 1)
   else
      sz = expMax == 0 and 7 or expMax + 6
      fmt = format('%%%d.4f', sz)
   end
   if scale == 1 then scale = nil end
   return fmt, scale, sz
end

-- One element, rounded as LuaJIT did (ties away from zero; NaN is 'nan'
-- whatever its sign bit).
local fmtval = numfmt.format

-- Rows of the nrows x ncols matrix stored row-major in vals from offset+1,
-- in Column chunks; indent is '' (2-D) or ' ' (inside an n-D block).
local function printMatrix(out, vals, offset, nrows, ncols, fmt, scale, sz, indent)
   scale = scale or 1
   out[#out + 1] = indent
   local perLine = floor((80 - #indent) / (sz + 1))
   local first = 1
   while first <= ncols do
      local last = math.min(first + perLine - 1, ncols)
      if perLine < ncols then
         if first ~= 1 then out[#out + 1] = '\n' end
         out[#out + 1] = 'Columns ' .. first .. ' to ' .. last .. '\n' .. indent
      end
      if scale ~= 1 then
         out[#out + 1] = format('%g', scale) .. ' *\n ' .. indent
      end
      for r = 1, nrows do
         local base = offset + (r - 1) * ncols
         for c = first, last do
            out[#out + 1] = fmtval(fmt, vals[base + c] / scale)
            if c == last then
               out[#out + 1] = '\n'
               if r ~= nrows then
                  out[#out + 1] = scale ~= 1 and indent .. ' ' or indent
               end
            else
               out[#out + 1] = ' '
            end
         end
      end
      first = last + 1
   end
end

-- One element per line (1-D tensors and storages).
local function printVector(out, vals, n, fmt, scale)
   if scale then
      out[#out + 1] = format('%g', scale) .. ' *\n'
      for i = 1, n do out[#out + 1] = fmtval(fmt, vals[i] / scale) .. '\n' end
   else
      for i = 1, n do out[#out + 1] = fmtval(fmt, vals[i]) .. '\n' end
   end
end

local function storage_tostring(self)
   local n = self:size()
   local vals = n > 0 and self:totable() or {}
   local fmt, scale = printformat(vals, n)
   local out = {}
   printVector(out, vals, n, fmt, scale)
   out[#out + 1] = '[' .. torch.typename(self) .. ' of size ' .. n .. ']\n'
   return table.concat(out)
end

local function tensor_tostring(self)
   local name = torch.typename(self)
   local nd = self:nDimension()
   if nd == 0 then
      return '[' .. name .. ' with no dimension]\n'
   end
   -- every element as a double, contiguous, row-major
   local d = torch.DoubleTensor():resize(self:size()):copy(self)
   local n = d:nElement()
   local vals = d:storage():totable()
   local sizes = {}
   for i = 1, nd do sizes[i] = self:size(i) end
   local fmt, scale, sz = printformat(vals, n)
   local out = {}
   if nd == 1 then
      printVector(out, vals, n, fmt, scale)
   elseif nd == 2 then
      printMatrix(out, vals, 0, sizes[1], sizes[2], fmt, scale, sz, '')
   else
      -- blocks over the leading nd-2 indices, the first varying fastest
      local rows, cols = sizes[nd - 1], sizes[nd]
      local strides = {}
      local st = rows * cols
      for i = nd - 2, 1, -1 do strides[i] = st; st = st * sizes[i] end
      local counter = {}
      for i = 1, nd - 2 do counter[i] = 1 end
      local blocks = rows * cols > 0 and n // (rows * cols) or 0
      for b = 1, blocks do
         if b > 1 then out[#out + 1] = '\n' end
         local offset = 0
         out[#out + 1] = '('
         for i = 1, nd - 2 do
            out[#out + 1] = counter[i] .. ','
            offset = offset + (counter[i] - 1) * strides[i]
         end
         out[#out + 1] = '.,.) = \n'
         printMatrix(out, vals, offset, rows, cols, fmt, scale, sz, ' ')
         for i = 1, nd - 2 do
            counter[i] = counter[i] + 1
            if counter[i] <= sizes[i] then break end
            counter[i] = 1
         end
      end
   end
   out[#out + 1] = '[' .. name .. ' of size ' .. table.concat(sizes, 'x') .. ']\n'
   return table.concat(out)
end

for _, T in ipairs({'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'}) do
   local tmt = torch.getmetatable('torch.' .. T .. 'Tensor')
   if tmt then
      rawset(tmt, '__tostring', tensor_tostring)
      rawset(tmt, '__tostring__', tensor_tostring)
   end
   local smt = torch.getmetatable('torch.' .. T .. 'Storage')
   if smt then
      rawset(smt, '__tostring', storage_tostring)
      rawset(smt, '__tostring__', storage_tostring)
   end
end

return {tensor_tostring = tensor_tostring, storage_tostring = storage_tostring}
