-- optim.Logger: the file contents of tests/golden/logger.out byte for
-- byte, the error for a non-number, and the PNG chart written by plot()
-- (decoded here and checked pixel by pixel against the data).
local T = require 'testlib'
require 'optim'
local plot = require 'optim.plot'
local tests = T.suite()

local function readfile(path)
   local f = assert(io.open(path, 'rb'))
   local s = f:read('a')
   f:close()
   return s
end

local function capture(fn)
   local buf = {}
   local realwrite, realprint = io.write, print
   io.write = function(...)
      for _, s in ipairs({...}) do buf[#buf + 1] = tostring(s) end
   end
   print = function(...)
      local t = {}
      for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end
      buf[#buf + 1] = table.concat(t, '\t') .. '\n'
   end
   local ok, err = pcall(fn)
   io.write, print = realwrite, realprint
   if not ok then error(err, 0) end
   return table.concat(buf)
end

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

-- Minimal PNG decoder for the files plot.lua writes (palette, stored
-- deflate blocks); checks every CRC and the Adler-32.
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
   T.eq(z:sub(1, 2), '\x78\x01')
   local raw, p = {}, 3
   while true do
      local final, len, nlen = string.unpack('<BI2I2', z, p)
      T.eq(len ~ 0xFFFF, nlen)
      raw[#raw + 1] = z:sub(p + 5, p + 4 + len)
      p = p + 5 + len
      if final & 1 == 1 then break end
   end
   raw = table.concat(raw)
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
