-- image: Gaussian kernels against real Torch7's values (tests/golden/
-- image_gaussian.out, which also holds the calls), minmax and grids by
-- hand, PNG round trips, crop/flip/scale by hand.
local T = require 'testlib'
require 'image'
local tests = T.suite()

-- Parses the golden file into {title = {values}} (title = the call).
local function golden()
   local f = assert(io.open('tests/golden/image_gaussian.out'))
   local out, title = {}, nil
   for line in f:lines() do
      local t = line:match('^== (.-) %[')
      if t then
         title = t
      elseif title then
         local v = {}
         for x in line:gmatch('%S+') do v[#v + 1] = tonumber(x) end
         out[title] = v
         title = nil
      end
   end
   f:close()
   return out
end

local function exact(t, want, what)
   local c = t:contiguous():view(-1)
   T.eq(c:nElement(), #want, what .. ' size')
   for i = 1, #want do
      if c[i] ~= want[i] then
         error(string.format('%s: element %d: expected %.17g, got %.17g', what, i, want[i], c[i]), 2)
      end
   end
end

function tests.gaussian1D_matches_torch7()
   local g = golden()
   exact(image.gaussian1D(7), g['image.gaussian1D(7)'], 'gaussian1D(7)')
   exact(image.gaussian1D(5), g['image.gaussian1D(5)'], 'gaussian1D(5)')
   exact(image.gaussian1D(), g['image.gaussian1D(3)'], 'gaussian1D()')
   exact(image.gaussian1D(7, 0.5), g['image.gaussian1D(7, 0.5)'], 'gaussian1D(7, 0.5)')
   exact(image.gaussian1D{size = 7, normalize = true}, g['image.gaussian1D{size=7, normalize=true}'], 'normalized')
   exact(image.gaussian1D{size = 6, sigma = 0.25, amplitude = 2, mean = 0.3},
      g['image.gaussian1D{size=6, sigma=0.25, amplitude=2, mean=0.3}'], 'amplitude/mean')
   local k = image.gaussian1D(7)
   k:div(k:sum() * 64)
   exact(k, g['image.gaussian1D(7) divided in place by sum*64 (what SpatialSubtractiveNormalization(64, k) does to k)'], 'divided')
end

function tests.gaussian2D_matches_torch7()
   local g = golden()
   exact(image.gaussian(5), g['image.gaussian(5)'], 'gaussian(5)')
   exact(image.gaussian(), g['image.gaussian(3)'], 'gaussian()')
   exact(image.gaussian{size = 5, normalize = true}, g['image.gaussian{size=5, normalize=true}'], 'normalized')
   exact(image.gaussian{width = 5, height = 3, sigma_horz = 0.3, sigma_vert = 0.2},
      g['image.gaussian{width=5, height=3, sigma_horz=0.3, sigma_vert=0.2}'], 'width/height')
   exact(image.gaussian{size = 4, mean_horz = 0.25, mean_vert = 0.75, amplitude = 3},
      g['image.gaussian{size=4, mean_horz=0.25, mean_vert=0.75, amplitude=3}'], 'means')
end

function tests.minmax()
   local t = torch.Tensor{{-1, 0}, {1, 3}}
   T.tensor_near(image.minmax{tensor = t}, {{0, 0.25}, {0.5, 1}})
   T.eq(t[1][1], -1, 'not in place by default')
   -- symmetric: range [-3, 3]
   T.tensor_near(image.minmax{tensor = t, symm = true}, {{1 / 3, 0.5}, {2 / 3, 1}})
   -- given bounds saturate: (x - 0) / 2, clamped
   T.tensor_near(image.minmax{tensor = t, min = 0, max = 2, saturate = true}, {{0, 0}, {0.5, 1}})
   local r = image.minmax{tensor = t, inplace = true}
   T.ok(r == t, 'inplace returns the tensor itself')
end

function tests.toDisplayTensor_grid()
   -- five 2x2 maps with values k, in 2 columns, padding 2: cells 4x4 with
   -- the map at offset 2 (1 + padding/2); the grid starts at the max (5)
   -- and is rescaled to (v - 1) / 4.  (Three maps would be one RGB image.)
   local maps = torch.Tensor(5, 2, 2)
   for k = 1, 5 do maps[k]:fill(k) end
   local g = image.toDisplayTensor{input = maps, padding = 2, nrow = 2}
   T.eq(g:dim(), 2)
   T.eq(g:size(1), 12)
   T.eq(g:size(2), 8)
   T.eq(g[2][2], 0)          -- map 1: rows 2-3, cols 2-3
   T.eq(g[3][7], 0.25)       -- map 2: rows 2-3, cols 6-7
   T.eq(g[7][3], 0.5)        -- map 3: rows 6-7, cols 2-3
   T.eq(g[11][2], 1)         -- map 5: rows 10-11, cols 2-3
   T.eq(g[1][1], 1)          -- padding keeps the maximum
   T.eq(g[10][6], 1)         -- the empty sixth cell too
   T.eq(image.toDisplayTensor{input = torch.Tensor(3, 2, 2):fill(2)}:dim(), 3, 'K=3 is an RGB image')
   local rgb = image.toDisplayTensor{input = torch.Tensor(4, 3, 2, 2):fill(1), nrow = 4}
   T.eq(rgb:dim(), 3)
   T.eq(rgb:size(1), 3)
   T.eq(rgb:size(3), 8)
end

function tests.png_round_trip()
   local file = os.tmpname() .. '.png'
   local gray = torch.ByteTensor(1, 5, 7)
   for i = 1, 5 do for j = 1, 7 do gray[1][i][j] = (i * 37 + j * 11) % 256 end end
   image.save(file, gray)
   local back = image.load(file, nil, 'byte')
   T.eq(back:dim(), 3)
   T.eq(back:size(1), 1)
   T.eq(back:size(2), 5)
   T.eq(back:size(3), 7)
   for i = 1, 5 do for j = 1, 7 do T.eq(back[1][i][j], gray[1][i][j]) end end
   -- floats are clamped to [0,1] and truncated to bytes (Torch7)
   local rgb = torch.Tensor(3, 2, 2)
   rgb[1]:fill(1.5)
   rgb[2]:fill(0.5)
   rgb[3]:fill(-1)
   image.save(file, rgb)
   local f = image.load(file)
   T.near(f[1][1][1], 1, 0)
   T.near(f[2][2][2], 127 / 255, 1e-15)
   T.near(f[3][1][2], 0, 0)
   os.remove(file)
   T.errors('Depth must be 1, 3 or 4', image.save, file, torch.Tensor(2, 3, 3))
   T.errors('unknown image type: bmp', image.save, 'x.bmp', gray)
end

function tests.crop_flip_scale()
   local t = torch.Tensor{{1, 2, 3}, {4, 5, 6}}
   T.tensor_near(image.crop(t, 1, 0, 3, 2), {{2, 3}, {5, 6}})
   T.tensor_near(image.crop(t, 'tl', 2, 1), {{1, 2}})
   T.tensor_near(image.hflip(t), {{3, 2, 1}, {6, 5, 4}})
   T.tensor_near(image.vflip(t), {{4, 5, 6}, {1, 2, 3}})
   T.errors('outside', image.crop, t, 0, 0, 4, 1)
   -- bilinear 2x2 -> 3x3: corners kept, centre the mean
   local s = image.scale(torch.Tensor{{0, 2}, {4, 6}}, 3, 3)
   T.tensor_near(s, {{0, 1, 2}, {2, 3, 4}, {4, 5, 6}})
   -- nearest: source index (long)(0.5 + i/2), clamped: 0 1 1 1 (Torch7)
   local n = image.scale(torch.Tensor{{1, 2}, {3, 4}}, 4, 4, 'simple')
   T.tensor_near(n[1], {1, 2, 2, 2})
   T.tensor_near(n[4], {3, 4, 4, 4})
   -- shrinking averages areas: 4 -> 2 takes pairs, 3 -> 2 weighs by overlap
   T.tensor_near(image.scale(torch.Tensor{{1, 3, 5, 7}}, 2, 1), {{2, 6}})
   T.tensor_near(image.scale(torch.Tensor{{3, 6, 9}}, 2, 1), {{(3 + 0.5 * 6) / 1.5, (0.5 * 6 + 9) / 1.5}})
end

return tests
