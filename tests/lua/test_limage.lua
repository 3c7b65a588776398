-- test_limage: the raw PNG and IDX helpers (torch._png_load/_png_save,
-- torch._idx_load) as the image and mnist packages call them.
local T = require 'testlib'
local tests = T.suite()

-- A fresh path in the temporary directory (os.tmpname creates the file
-- itself, which we remove: only the suffixed name is used).
local function tmpname(suffix)
   local base = os.tmpname()
   os.remove(base)
   return base .. suffix
end

local function write(path, bytes)
   local f = assert(io.open(path, 'wb'))
   f:write(bytes)
   f:close()
end

function tests.png_round_trip_rgb()
   local path = tmpname('.png')
   local t = torch.ByteTensor(3, 4, 5)
   for c = 1, 3 do
      for y = 1, 4 do
         for x = 1, 5 do t[c][y][x] = (c * 50 + y * 13 + x * 7) % 256 end
      end
   end
   torch._png_save(path, t)
   local back, depth = torch._png_load(path)
   os.remove(path)
   T.eq(torch.typename(back), 'torch.ByteTensor')
   T.eq(depth, 8)
   T.eq(back:dim(), 3)
   T.eq(back:size(1), 3); T.eq(back:size(2), 4); T.eq(back:size(3), 5)
   for c = 1, 3 do
      for y = 1, 4 do
         for x = 1, 5 do T.eq(back[c][y][x], t[c][y][x]) end
      end
   end
end

function tests.png_gray_double()
   -- 2-D tensors are gray; non-Byte values are clamped to [0,255] and truncated
   local path = tmpname('.png')
   local t = torch.DoubleTensor({{-3, 0.5, 127.9}, {255, 300, 64}})
   torch._png_save(path, t)
   local back = torch._png_load(path)
   os.remove(path)
   T.eq(back:size(1), 1); T.eq(back:size(2), 2); T.eq(back:size(3), 3)
   local want = {{0, 0, 127}, {255, 255, 64}}
   for y = 1, 2 do
      for x = 1, 3 do T.eq(back[1][y][x], want[y][x]) end
   end
end

function tests.png_errors()
   local path = tmpname('.png')
   T.errors('depth must be 1, 2, 3 or 4', function() torch._png_save(path, torch.ByteTensor(5, 2, 2)) end)
   T.errors('got 1D', function() torch._png_save(path, torch.ByteTensor(4)) end)
   T.errors('expected, got', function() torch._png_save(path, 'x') end)
   write(path, 'not a png at all')
   T.errors('not a PNG file', function() torch._png_load(path) end)
   os.remove(path)
   T.errors('cannot open', function() torch._png_load(path) end)
end

-- An IDX file made by hand: magic, big-endian sizes, data.
function tests.idx_load_ubyte()
   local path = tmpname('.idx')
   write(path, string.pack('>I4I4I4I4', 0x00000803, 2, 2, 3) .. string.char(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255))
   local t = torch._idx_load(path)
   os.remove(path)
   T.eq(torch.typename(t), 'torch.ByteTensor')
   T.eq(t:dim(), 3)
   T.eq(t:size(1), 2); T.eq(t:size(2), 2); T.eq(t:size(3), 3)
   T.eq(t[1][1][1], 1)
   T.eq(t[1][2][3], 6)
   T.eq(t[2][2][3], 255)
end

function tests.idx_load_types()
   local path = tmpname('.idx')
   write(path, string.pack('>I4I4i4i4', 0x00000C01, 2, -7, 65536))
   local t = torch._idx_load(path)
   T.eq(torch.typename(t), 'torch.IntTensor')
   T.eq(t[1], -7); T.eq(t[2], 65536)
   write(path, string.pack('>I4I4d', 0x00000E01, 1, 0.1))
   t = torch._idx_load(path)
   T.eq(torch.typename(t), 'torch.DoubleTensor')
   T.eq(t[1], 0.1)
   os.remove(path)
end

function tests.idx_errors()
   local path = tmpname('.idx')
   write(path, string.pack('>I4I4', 0x00000801, 10) .. string.char(1, 2, 3))
   T.errors('truncated IDX file (expected 10 bytes of data, got 3)', function() torch._idx_load(path) end)
   write(path, string.pack('>I4I4', 0x00000801, 1) .. string.char(1, 2))
   T.errors('bytes after the IDX data', function() torch._idx_load(path) end)
   write(path, string.pack('>I4I4', 0x12340801, 1) .. string.char(1))
   T.errors('not an IDX file', function() torch._idx_load(path) end)
   local err = T.errors('unknown IDX data type', function()
      write(path, string.pack('>I4I4', 0x00000701, 1) .. string.char(1))
      torch._idx_load(path)
   end)
   T.ok(err:find(path, 1, true), 'the message names the file')
   os.remove(path)
   T.errors('cannot open', function() torch._idx_load(path) end)
end

return tests
