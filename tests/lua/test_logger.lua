-- optim.Logger: the file contents of tests/golden/logger.out byte for
-- byte, the error for a non-number, and the PNG chart written by plot()
-- (decoded here and checked pixel by pixel against the data).
local T = require 'testlib'
local readfile, capture = T.readfile, T.capture
require 'optim'
local plot = require 'optim.plot'
local tests = T.suite()

local function scratch()
   local d = os.tmpname()
   os.remove(d)
   return d
end

function tests.golden_file_contents()
   local out = capture(function() dofile('tests/golden/logger.lua') end)
   local want = readfile('tests/golden/logger.out')
   if out ~= want then
      local gl, wl = {}, {}
      for l in (out .. '\n'):gmatch('(.-)\n') do gl[#gl + 1] = l end
      for l in (want .. '\n'):gmatch('(.-)\n') do wl[#wl + 1] = l end
      for i = 1, math.max(#gl, #wl) do T.eq(gl[i], wl[i], 'line ' .. i) end
   end
   T.eq(out, want)
end

function tests.header_once_and_formats()
   local d = scratch()
   local l = optim.Logger(d .. '/a/b/x.log')       -- folders are created
   T.eq(torch.typename(l), 'optim.Logger')
   l:add{v = 0 / 0}
   l:add{v = math.huge}
   l:add{v = -1 / 3}
   l:add{v = 7}
   T.eq(readfile(d .. '/a/b/x.log'), 'v\t\n        nan\t\n        inf\t\n-3.3333e-01\t\n 7.0000e+00\t\n')
   T.errors('unknown symbol w', l.add, l, {w = 1})
   T.errors('table of values expected', l.add, l, 3)
   os.execute('rm -rf "' .. d .. '"')
end

function tests.timestamp_and_stdout()
   local d = scratch()
   local l = optim.Logger(d .. '/t.log', true)
   l:add{a = 1}
   local names = paths.dir(d)
   table.sort(names)
   T.eq(#names, 3)
   T.ok(names[3]:match('^t%.log%-%d%d%d%d_%d%d_%d%d_%d%d:%d%d:%d%d$'), names[3])
   T.eq(l.epsfile, d .. '/t.log.eps')
   os.execute('rm -rf "' .. d .. '"')
   local out = capture(function() optim.Logger() end)
   T.eq(out, '<Logger> warning: no path provided, logging to std out\n')
end

-- Inflate (RFC 1951) for stored and fixed-Huffman blocks, written from
-- the RFC independently of plot.lua's encoder.  Returns the bytes.
local LBASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
               67, 83, 99, 115, 131, 163, 195, 227, 258}
local LEXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
local DBASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
               1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
local DEXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}

local function inflate(z, pos)
   local bitpos = 0   -- bits already used in byte z[pos]
   local function bit()
      local b = (z:byte(pos) >> bitpos) & 1
      bitpos = bitpos + 1
      if bitpos == 8 then bitpos, pos = 0, pos + 1 end
      return b
   end
   local function bits(n)   -- an integer sent least significant bit first
      local v = 0
      for k = 0, n - 1 do v = v | (bit() << k) end
      return v
   end
   local function huff(n, code)   -- n more Huffman bits, most significant first
      for _ = 1, n do code = (code << 1) | bit() end
      return code
   end
   local out = {}
   repeat
      local final = bit()
      local btype = bits(2)
      if btype == 0 then
         if bitpos > 0 then bitpos, pos = 0, pos + 1 end
         local len, nlen = string.unpack('<I2I2', z, pos)
         T.eq(len ~ 0xFFFF, nlen, 'stored block length check')
         for k = 0, len - 1 do out[#out + 1] = z:byte(pos + 4 + k) end
         pos = pos + 4 + len
      else
         T.eq(btype, 1, 'block type (only stored and fixed are expected)')
         while true do
            local sym
            local c = huff(7, 0)
            if c <= 0x17 then sym = 256 + c
            else
               c = huff(1, c)
               if c >= 0x30 and c <= 0xBF then sym = c - 0x30
               elseif c >= 0xC0 and c <= 0xC7 then sym = 280 + c - 0xC0
               else sym = 144 + huff(1, c) - 0x190 end
            end
            if sym < 256 then
               out[#out + 1] = sym
            elseif sym == 256 then
               break
            else
               local len = LBASE[sym - 256] + bits(LEXTRA[sym - 256])
               local dsym = huff(5, 0)
               local dist = DBASE[dsym + 1] + bits(DEXTRA[dsym + 1])
               for _ = 1, len do out[#out + 1] = out[#out + 1 - dist] end
            end
         end
      end
   until final == 1
   if bitpos > 0 then pos = pos + 1 end
   local parts = {}
   for k = 1, #out, 4096 do parts[#parts + 1] = string.char(table.unpack(out, k, math.min(k + 4095, #out))) end
   return table.concat(parts), pos
end

-- PNG decoder for the files plot.lua writes (8-bit palette, filter 0);
-- checks every chunk CRC and the zlib Adler-32.
local function decode_png(s)
   T.eq(s:sub(1, 8), '\137PNG\r\n\26\n')
   local pos, w, h, plte, idat = 9, nil, nil, nil, {}
   while pos <= #s do
      local len = string.unpack('>I4', s, pos)
      local kind = s:sub(pos + 4, pos + 7)
      local data = s:sub(pos + 8, pos + 7 + len)
      T.eq(string.unpack('>I4', s, pos + 8 + len), plot.crc32(kind .. data), 'crc of ' .. kind)
      if kind == 'IHDR' then
         local depth, ctype
         w, h, depth, ctype = string.unpack('>I4I4BB', data)
         T.eq(depth, 8); T.eq(ctype, 3)
      elseif kind == 'PLTE' then plte = data
      elseif kind == 'IDAT' then idat[#idat + 1] = data end
      pos = pos + 12 + len
   end
   local z = table.concat(idat)
   T.eq((z:byte(1) * 256 + z:byte(2)) % 31, 0, 'zlib header check')
   local raw, p = inflate(z, 3)
   T.eq(string.unpack('>I4', z, p), plot.adler32(raw))
   T.eq(#raw, h * (w + 1))
   local function pixel(x, y)
      local off = y * (w + 1) + 1
      T.eq(raw:byte(off), 0, 'filter byte')
      local i = raw:byte(off + 1 + x)
      return plte:byte(3 * i + 1, 3 * i + 3)
   end
   return w, h, pixel
end

function tests.deflate_round_trips()
   local bytes = {}
   for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
   local noise = {}
   local v = 12345
   for i = 1, 5000 do
      v = (v * 1103515245 + 12345) % 2147483648
      noise[i] = string.char((v >> 16) % 7)   -- small alphabet: short runs
   end
   local cases = {'', 'a', 'aa', 'aaa', 'aaaa', string.rep('x', 258), string.rep('x', 259),
      string.rep('x', 261), string.rep('\0', 100000) .. 'z', table.concat(bytes),
      table.concat(bytes):rep(3), table.concat(noise)}
   for k, raw in ipairs(cases) do
      local z = plot.zlib(raw)
      T.eq((z:byte(1) * 256 + z:byte(2)) % 31, 0, 'zlib header check')
      local got, p = inflate(z, 3)
      T.eq(got, raw, 'case ' .. k)
      T.eq(string.unpack('>I4', z, p), plot.adler32(raw), 'adler of case ' .. k)
      T.eq(p + 3, #z, 'no trailing bytes, case ' .. k)
   end
   -- runs compress: 100000 zero bytes take well under 1 KB
   T.ok(#plot.zlib(string.rep('\0', 100000)) < 1000, 'runs are matched')
   -- known checksums
   T.eq(plot.crc32('IEND'), 0xAE426082)
   T.eq(plot.adler32('Wikipedia'), 0x11E60398)
end

function tests.plot_writes_png_of_the_series()
   local d = scratch()
   local l = optim.Logger(d .. '/p.log')
   l:setNames{'train', 'test'}
   local ys = {{0.5, 0.25, 1}, {0.75, 0.75, 0.75}}
   for i = 1, 3 do l:add{ys[1][i], ys[2][i]} end
   l:style{'-', '+'}
   T.eq(l:plot(), d .. '/p.log.png')
   local w, h, pixel = decode_png(readfile(d .. '/p.log.png'))
   T.eq(w, plot.size[1]); T.eq(h, plot.size[2])
   T.eq(select(1, pixel(0, 0)), 255)                   -- white background
   -- the data points, mapped like plot.render does (5% padding on y)
   local x0, y0, x1, y1 = table.unpack(plot.area)
   local lo, hi = 0.25 - 0.0375, 1 + 0.0375
   local legend_h = 10 + 14 * 2
   hi = hi + (hi - lo) * legend_h / (y1 - y0 - legend_h)
   local function at(i, v)
      return math.floor(x0 + (i - 1) / 2 * (x1 - x0) + 0.5), math.floor(y1 - (v - lo) / (hi - lo) * (y1 - y0) + 0.5)
   end
   local red = plot.palette[plot.series_color(1) + 1]
   local blue = plot.palette[plot.series_color(2) + 1]
   for i = 1, 3 do
      local x, y = at(i, ys[1][i])
      local r, g, b = pixel(x, y)
      T.eq(string.format('%d,%d,%d', r, g, b), table.concat(red, ','), 'train point ' .. i)
   end
   -- the line between the first two train points passes through the middle
   local xa, ya = at(1, 0.5)
   local xb, yb = at(2, 0.25)
   local xm, found = (xa + xb) // 2, false
   for y = (ya + yb) // 2 - 2, (ya + yb) // 2 + 2 do
      local r, g, b = pixel(xm, y)
      if r == red[1] and g == red[2] and b == red[3] then found = true end
   end
   T.ok(found, 'line through the middle of the first segment')
   local r, g, b
   -- '+' markers: test points have arms 3 px long, and no line between them
   local x, y = at(2, 0.75)
   r, g, b = pixel(x + 3, y)
   T.eq(string.format('%d,%d,%d', r, g, b), table.concat(blue, ','), 'plus arm')
   local xm = (at(1, 0.75) + x) // 2
   r = pixel(xm, y)
   T.ok(r ~= blue[1] or select(2, pixel(xm, y)) ~= blue[2], 'no line for style +')
   -- a tick mark under every entry number on the x axis
   for i = 1, 3 do
      local xt = at(i, 0.5)
      T.eq(string.format('%d,%d,%d', pixel(xt, y1 + 2)), '0,0,0', 'x tick ' .. i)
   end
   -- the same pixels through Ember's zlib-based PNG reader
   if torch._png_load then
      local img = torch._png_load(d .. '/p.log.png')
      T.eq(img:size(1), 3); T.eq(img:size(2), h); T.eq(img:size(3), w)
      for _, xy in ipairs({{0, 0}, {at(1, 0.5)}, {at(2, 0.75)}, {x0, y1}, {w - 1, h - 1}}) do
         local r2, g2, b2 = pixel(xy[1], xy[2])
         T.eq(string.format('%d,%d,%d', img[1][xy[2] + 1][xy[1] + 1], img[2][xy[2] + 1][xy[1] + 1],
            img[3][xy[2] + 1][xy[1] + 1]), string.format('%d,%d,%d', r2, g2, b2), 'pixel ' .. xy[1] .. ',' .. xy[2])
      end
   end
   -- only named series, and nothing to plot with < 2 points
   T.eq(l:plot('train'), d .. '/p.log.png')
   local l2 = optim.Logger(d .. '/q.log')
   l2:add{a = 1}
   T.eq(l2:plot(), nil)
   T.eq(paths.filep(d .. '/q.log.png'), false)
   os.execute('rm -rf "' .. d .. '"')
end

function tests.plot_to_stdout_warns_once()
   local l
   capture(function() l = optim.Logger() end)
   local out = capture(function() l:plot(); l:plot() end)
   T.eq(out, '<Logger> warning: cannot plot when logging to std out\n')
end

function tests.style_errors()
   local d = scratch()
   local l = optim.Logger(d .. '/s.log')
   T.eq(l:style{a = '-'}, l)
   T.errors('\27[1;31m<Logger> style should be a string or a table of strings\27[0m', l.style, l, {a = 3})
   os.execute('rm -rf "' .. d .. '"')
end

return tests
