-- optim.plot: the small chart renderer behind Logger:plot().
--
-- Torch7's Logger drew through gnuplot (screen + .eps file).  Ember has no
-- gnuplot, so the series are rasterised here, in plain Lua, and written as
-- a palette PNG: white background, framed axes with numbered ticks and a
-- light grid, one colour per series, a legend and a title in a built-in
-- 3x5 pixel font (drawn at 2x).  The PNG's zlib stream is one deflate
-- block with the fixed Huffman codes, whose only matches are runs of a
-- repeated byte (distance 1): a chart is mostly runs of background, so
-- this small encoder gets most of what zlib would (about 10 KB instead of
-- 270 KB raw).
local plot = {}

local W, H = 640, 420                       -- image size
local LEFT, RIGHT, TOP, BOTTOM = 80, 20, 34, 46   -- plot-area margins
local SCALE = 2                             -- font pixel size

-- palette: background, ink, grid, then the series colours
local PALETTE = {
   {255, 255, 255}, {0, 0, 0}, {215, 215, 215},
   {228, 26, 28}, {55, 126, 184}, {77, 175, 74}, {152, 78, 163},
   {255, 127, 0}, {0, 170, 170}, {166, 86, 40}, {247, 129, 191},
}
local BG, INK, GRID, FIRST_SERIES = 0, 1, 2, 3
plot.palette = PALETTE
plot.series_color = function(i) return FIRST_SERIES + (i - 1) % (#PALETTE - FIRST_SERIES) end

----------------------------------------------------------------------
-- 3x5 font: one octal digit per row (4 = left pixel, 1 = right pixel)
----------------------------------------------------------------------
local FONT = {
   ['0'] = '75557', ['1'] = '26227', ['2'] = '71747', ['3'] = '71317', ['4'] = '55711',
   ['5'] = '74717', ['6'] = '74757', ['7'] = '71122', ['8'] = '75757', ['9'] = '75717',
   A = '25755', B = '65656', C = '34443', D = '65556', E = '74647', F = '74644',
   G = '34553', H = '55755', I = '72227', J = '11152', K = '55655', L = '44447',
   M = '57755', N = '65555', O = '25552', P = '65644', Q = '25563', R = '65655',
   S = '34216', T = '72222', U = '55557', V = '55552', W = '55775', X = '55255',
   Y = '55222', Z = '71247',
   ['.'] = '00002', ['-'] = '00700', ['+'] = '02720', ['%'] = '51245', ['('] = '12221',
   [')'] = '42224', ['_'] = '00007', [':'] = '02020', ['/'] = '11244', [','] = '00024',
   ['<'] = '12421', ['>'] = '42124', ['='] = '07070', ['['] = '64446', [']'] = '31113',
   [' '] = '00000',
}
local CHAR_W = 4 * SCALE   -- advance per character

----------------------------------------------------------------------
-- canvas
----------------------------------------------------------------------
local Canvas = {}
Canvas.__index = Canvas

local function canvas(w, h)
   local px = {}
   for i = 1, w * h do px[i] = BG end
   return setmetatable({w = w, h = h, px = px}, Canvas)
end

function Canvas:set(x, y, c)
   x, y = math.floor(x + 0.5), math.floor(y + 0.5)
   if x >= 0 and x < self.w and y >= 0 and y < self.h then
      self.px[y * self.w + x + 1] = c
   end
end

function Canvas:get(x, y)
   return self.px[y * self.w + x + 1]
end

-- Bresenham line between integer-rounded end points.
function Canvas:line(x0, y0, x1, y1, c)
   x0, y0 = math.floor(x0 + 0.5), math.floor(y0 + 0.5)
   x1, y1 = math.floor(x1 + 0.5), math.floor(y1 + 0.5)
   local dx, dy = math.abs(x1 - x0), -math.abs(y1 - y0)
   local sx, sy = x0 < x1 and 1 or -1, y0 < y1 and 1 or -1
   local err = dx + dy
   while true do
      self:set(x0, y0, c)
      if x0 == x1 and y0 == y1 then break end
      local e2 = 2 * err
      if e2 >= dy then err = err + dy; x0 = x0 + sx end
      if e2 <= dx then err = err + dx; y0 = y0 + sy end
   end
end

function Canvas:fill(xa, ya, xb, yb, c)
   for y = ya, yb do
      for x = xa, xb do self:set(x, y, c) end
   end
end

function Canvas:text(x, y, s, c)
   s = tostring(s):upper()
   for k = 1, #s do
      local g = FONT[s:sub(k, k)] or FONT[' ']
      for row = 1, 5 do
         local bits = tonumber(g:sub(row, row), 8)
         for col = 0, 2 do
            if bits & (4 >> col) ~= 0 then
               for a = 0, SCALE - 1 do
                  for b = 0, SCALE - 1 do
                     self:set(x + col * SCALE + a, y + (row - 1) * SCALE + b, c)
                  end
               end
            end
         end
      end
      x = x + CHAR_W
   end
end

local function text_width(s) return #tostring(s) * CHAR_W end

----------------------------------------------------------------------
-- axes
----------------------------------------------------------------------

-- About n "nice" tick values (1, 2, 5 times a power of ten, at least
-- `minstep`) covering [lo, hi]; each is k * step, so no rounding drift.
local function ticks(lo, hi, n, minstep)
   local span = hi - lo
   local raw = span / n
   local mag = 10 ^ math.floor(math.log(raw, 10))
   local step = mag
   for _, m in ipairs({1, 2, 5, 10}) do
      step = m * mag
      if span / step <= n then break end
   end
   if minstep and step < minstep then step = minstep end
   local out = {}
   for k = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9) do
      out[#out + 1] = k * step
   end
   return out
end

local function ticklabel(v)
   local s = string.format('%.4g', v)
   return s
end

----------------------------------------------------------------------
-- render
----------------------------------------------------------------------

-- series: array of {name=, y={...}, style=}; opts: title, logscale.
-- Returns the canvas (w, h, px = palette indices, row-major, 0-based rows).
function plot.render(series, opts)
   opts = opts or {}
   local c = canvas(W, H)
   local x0, x1, y0, y1 = LEFT, W - RIGHT, TOP, H - BOTTOM

   -- data ranges (log scale drops non-positive values)
   local function yval(v)
      if opts.logscale then
         if v > 0 then return math.log(v, 10) end
         return nil
      end
      if v ~= v or v == math.huge or v == -math.huge then return nil end
      return v
   end
   local ymin, ymax, nmax = math.huge, -math.huge, 1
   for _, s in ipairs(series) do
      nmax = math.max(nmax, #s.y)
      for _, v in ipairs(s.y) do
         local y = yval(v)
         if y then ymin = math.min(ymin, y); ymax = math.max(ymax, y) end
      end
   end
   if ymin > ymax then ymin, ymax = 0, 1 end
   if ymin == ymax then ymin, ymax = ymin - 1, ymax + 1 end
   local pad = (ymax - ymin) * 0.05
   ymin, ymax = ymin - pad, ymax + pad
   -- headroom so that no data lies under the legend box
   local legend_h = 10 + 14 * #series
   ymax = ymax + (ymax - ymin) * legend_h / (y1 - y0 - legend_h)
   local xmin, xmax = 1, math.max(nmax, 2)

   local function px(i) return x0 + (i - xmin) / (xmax - xmin) * (x1 - x0) end
   local function py(v) return y1 - (v - ymin) / (ymax - ymin) * (y1 - y0) end

   -- grid and tick labels
   for _, v in ipairs(ticks(ymin, ymax, 6)) do
      local y = py(v)
      c:line(x0, y, x1, y, GRID)
      c:line(x0 - 4, y, x0, y, INK)
      local label = ticklabel(opts.logscale and 10 ^ v or v)
      c:text(x0 - 8 - text_width(label), y - 5, label, INK)
   end
   -- x ticks on whole entry numbers
   for _, v in ipairs(ticks(xmin, xmax, 8, 1)) do
      local x = px(v)
      c:line(x, y0, x, y1, GRID)
      c:line(x, y1, x, y1 + 4, INK)
      local label = ticklabel(v)
      c:text(x - text_width(label) / 2, y1 + 8, label, INK)
   end
   -- frame
   c:line(x0, y0, x1, y0, INK); c:line(x0, y1, x1, y1, INK)
   c:line(x0, y0, x0, y1, INK); c:line(x1, y0, x1, y1, INK)

   -- series
   for k, s in ipairs(series) do
      local col = plot.series_color(k)
      local style = s.style or '+'
      local lines = style:find('-', 1, true)
      local plus = style:find('+', 1, true) or not (lines or style:find('.', 1, true))
      local dots = style:find('.', 1, true)
      local prevx, prevy
      for i, v in ipairs(s.y) do
         local y = yval(v)
         if y then
            local x, yy = px(i), py(y)
            if lines and prevx then c:line(prevx, prevy, x, yy, col) end
            if plus then
               c:line(x - 3, yy, x + 3, yy, col)
               c:line(x, yy - 3, x, yy + 3, col)
            end
            if dots then
               c:set(x, yy, col); c:set(x + 1, yy, col); c:set(x, yy + 1, col); c:set(x + 1, yy + 1, col)
            end
            prevx, prevy = x, yy
         else
            prevx = nil
         end
      end
   end

   -- legend (top right, inside the frame, on a framed white box so the
   -- data under it does not hide the names) and title
   local widest = 0
   for _, s in ipairs(series) do widest = math.max(widest, text_width(tostring(s.name))) end
   local bx0, by0 = x1 - 8 - widest - 32, y0 + 2
   local bx1, by1 = x1 - 2, y0 + 8 + 14 * #series
   c:fill(bx0, by0, bx1, by1, BG)
   c:line(bx0, by0, bx1, by0, INK); c:line(bx0, by1, bx1, by1, INK)
   c:line(bx0, by0, bx0, by1, INK); c:line(bx1, by0, bx1, by1, INK)
   local ly = y0 + 6
   for k, s in ipairs(series) do
      local name = tostring(s.name)
      local lx = x1 - 8 - text_width(name) - 26
      c:line(lx, ly + 4, lx + 18, ly + 4, plot.series_color(k))
      c:line(lx, ly + 5, lx + 18, ly + 5, plot.series_color(k))
      c:text(lx + 24, ly, name, INK)
      ly = ly + 14
   end
   if opts.title then
      local t = tostring(opts.title)
      local maxchars = math.floor((W - 20) / CHAR_W)
      if #t > maxchars then t = '...' .. t:sub(-(maxchars - 3)) end
      c:text((W - text_width(t)) / 2, 10, t, INK)
   end
   return c
end

----------------------------------------------------------------------
-- PNG encoding
----------------------------------------------------------------------
local CRC_TABLE = {}
for i = 0, 255 do
   local v = i
   for _ = 1, 8 do
      if v & 1 ~= 0 then v = 0xEDB88320 ~ (v >> 1) else v = v >> 1 end
   end
   CRC_TABLE[i] = v
end

local function crc32(s)
   local crc = 0xFFFFFFFF
   for i = 1, #s do
      crc = CRC_TABLE[(crc ~ s:byte(i)) & 0xFF] ~ (crc >> 8)
   end
   return crc ~ 0xFFFFFFFF
end
plot.crc32 = crc32

local function adler32(s)
   local a, b = 1, 0
   for i = 1, #s do
      a = (a + s:byte(i)) % 65521
      b = (b + a) % 65521
   end
   return (b << 16) | a
end
plot.adler32 = adler32

local function chunk(kind, data)
   return string.pack('>I4', #data) .. kind .. data .. string.pack('>I4', crc32(kind .. data))
end

-- Fixed Huffman code of each literal/length symbol (RFC 1951, 3.2.6),
-- bit-reversed because deflate sends Huffman codes most significant bit
-- first into a least-significant-bit-first stream.
local FIXED_CODE, FIXED_LEN = {}, {}
local function reverse(v, n)
   local r = 0
   for _ = 1, n do
      r = (r << 1) | (v & 1)
      v = v >> 1
   end
   return r
end
for sym = 0, 287 do
   local code, len
   if sym <= 143 then code, len = 0x30 + sym, 8
   elseif sym <= 255 then code, len = 0x190 + sym - 144, 9
   elseif sym <= 279 then code, len = sym - 256, 7
   else code, len = 0xC0 + sym - 280, 8 end
   FIXED_CODE[sym], FIXED_LEN[sym] = reverse(code, len), len
end

-- Match length (3..258) -> symbol, number of extra bits, extra value.
local LEN_SYM, LEN_EXTRA, LEN_VALUE = {}, {}, {}
do
   local base = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
   local extra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                  3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
   for k = 1, #base do
      local hi = k < #base and base[k + 1] - 1 or 258
      if k == #base - 1 then hi = 257 end
      for len = base[k], hi do
         LEN_SYM[len], LEN_EXTRA[len], LEN_VALUE[len] = 256 + k, extra[k], len - base[k]
      end
   end
end

-- zlib stream of `raw`: one final fixed-Huffman block of literals and
-- distance-1 runs.
local function zlib_fixed(raw)
   local out, acc, nbits = {}, 0, 0
   local function bits(v, n)
      acc = acc | (v << nbits)
      nbits = nbits + n
      while nbits >= 8 do
         out[#out + 1] = acc & 0xFF
         acc = acc >> 8
         nbits = nbits - 8
      end
   end
   local function sym(v) bits(FIXED_CODE[v], FIXED_LEN[v]) end

   bits(1, 1)   -- BFINAL
   bits(1, 2)   -- BTYPE = 01, fixed codes
   local n, i = #raw, 1
   while i <= n do
      local b = raw:byte(i)
      sym(b)
      i = i + 1
      -- the bytes repeating b, as copies from distance 1 (at most 258
      -- per match; shorter than 3 stays literal)
      while true do
         local j = i
         while j <= n and j - i < 258 and raw:byte(j) == b do j = j + 1 end
         local len = j - i
         if len < 3 then break end
         sym(LEN_SYM[len])
         if LEN_EXTRA[len] > 0 then bits(LEN_VALUE[len], LEN_EXTRA[len]) end
         bits(0, 5)   -- distance code 0 = distance 1
         i = j
      end
   end
   sym(256)   -- end of block
   if nbits > 0 then out[#out + 1] = acc & 0xFF end

   local parts = {'\x78\x01'}
   for k = 1, #out, 4096 do
      parts[#parts + 1] = string.char(table.unpack(out, k, math.min(k + 4095, #out)))
   end
   parts[#parts + 1] = string.pack('>I4', adler32(raw))
   return table.concat(parts)
end

plot.zlib = zlib_fixed

-- The PNG bytes of canvas c (8-bit palette image, no filtering).
function plot.png(c)
   local rows = {}
   local px, w = c.px, c.w
   for y = 0, c.h - 1 do
      local base = y * w
      local parts = {'\0'}
      -- string.char takes the row in pieces to stay within C stack limits
      for x = 1, w, 256 do
         parts[#parts + 1] = string.char(table.unpack(px, base + x, base + math.min(x + 255, w)))
      end
      rows[#rows + 1] = table.concat(parts)
   end
   local plte = {}
   for i, rgb in ipairs(PALETTE) do plte[i] = string.char(rgb[1], rgb[2], rgb[3]) end
   return '\137PNG\r\n\26\n'
      .. chunk('IHDR', string.pack('>I4I4BBBBB', c.w, c.h, 8, 3, 0, 0, 0))
      .. chunk('PLTE', table.concat(plte))
      .. chunk('IDAT', zlib_fixed(table.concat(rows)))
      .. chunk('IEND', '')
end

-- Renders the series and writes the PNG to path; returns true or nil, err.
function plot.write(path, series, opts)
   local c = plot.render(series, opts)
   local f, err = io.open(path, 'wb')
   if not f then return nil, err end
   f:write(plot.png(c))
   f:close()
   return true
end

plot.size = {W, H}
plot.area = {LEFT, TOP, W - RIGHT, H - BOTTOM}

return plot
