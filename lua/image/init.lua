-- image: the parts of Torch7's image package that the tutorial and its
-- experiments use: Gaussian kernels, min-max scaling, grids of feature maps,
-- PNG save/load (through the C codec), bilinear scaling, crop and flips.
-- Every function accepts positional arguments or one table of named ones,
-- as Torch7's (dok.unpack) did: image.gaussian1D{size=7, sigma=0.25}.
require 'torch'

image = image or {}
local image = image

-- Reads arguments given either positionally or as one table of named
-- fields.  `spec` lists {name, default} pairs in positional order; a default
-- that is a string starting with '=' copies another argument's value.
local function unpack_args(args, spec)
   local named = #args == 1 and type(args[1]) == 'table' and not torch.isTensor(args[1])
   local out = {}
   for i, s in ipairs(spec) do
      local v
      if named then v = args[1][s[1]] else v = args[i] end
      out[s[1]] = v
   end
   for _, s in ipairs(spec) do
      if out[s[1]] == nil then
         local d = s[2]
         if type(d) == 'string' and d:sub(1, 1) == '=' then d = out[d:sub(2)] end
         out[s[1]] = d
      end
   end
   return out
end

local function check_number(fname, name, v)
   if type(v) ~= 'number' then
      error(string.format("bad argument '%s' to '%s' (number expected, got %s)", name, fname, type(v)), 3)
   end
end

-- ======================================================================
-- kernels
-- ======================================================================

-- 1-D Gaussian: g[i] = amplitude * exp(-((i - center) / (sigma * size))^2 / 2),
-- center = mean * size + 0.5; sigma is relative to the size (Torch7).
function image.gaussian1D(...)
   local a = unpack_args({...}, {{'size', 3}, {'sigma', 0.25}, {'amplitude', 1},
                                 {'normalize', false}, {'mean', 0.5}, {'tensor'}})
   local tensor = a.tensor
   local size = a.size
   if tensor then size = tensor:size(1) else
      check_number('image.gaussian1D', 'size', size)
      tensor = torch.Tensor(size)
   end
   local center = a.mean * size + 0.5
   for i = 1, size do
      tensor[i] = a.amplitude * math.exp(-(math.pow((i - center) / (a.sigma * size), 2) / 2))
   end
   if a.normalize then tensor:div(tensor:sum()) end
   return tensor
end

local gaussian_spec = {{'size', 3}, {'sigma', 0.25}, {'amplitude', 1}, {'normalize', false},
   {'width', '=size'}, {'height', '=size'}, {'sigma_horz', '=sigma'}, {'sigma_vert', '=sigma'},
   {'mean_horz', 0.5}, {'mean_vert', 0.5}, {'tensor'}}

-- 2-D Gaussian (height x width), in the order of Torch7's C code so results
-- match bit for bit: reciprocals precomputed, normalization multiplies by
-- 1/sum with the sum taken in row-major order.
function image.gaussian(...)
   local a = unpack_args({...}, gaussian_spec)
   local g = a.tensor or torch.Tensor(a.height, a.width)
   local height, width = g:size(1), g:size(2)
   local mean_u = a.mean_horz * width + 0.5
   local mean_v = a.mean_vert * height + 0.5
   local over_u = 1.0 / (a.sigma_horz * width)
   local over_v = 1.0 / (a.sigma_vert * height)
   for v = 1, height do
      local row = g[v]
      for u = 1, width do
         local du = (u - mean_u) * over_u
         local dv = (v - mean_v) * over_v
         row[u] = a.amplitude * math.exp(-0.5 * (du * du + dv * dv))
      end
   end
   if a.normalize then
      local sum = 0
      for v = 1, height do
         for u = 1, width do sum = sum + g[v][u] end
      end
      g:mul(1.0 / sum)
   end
   return g
end

-- Laplacian of Gaussian ("Mexican hat") kernel, as Torch7's Lua version.
function image.laplacian(...)
   local a = unpack_args({...}, gaussian_spec)
   local center_x = a.mean_horz * a.width + 0.5
   local center_y = a.mean_vert * a.height + 0.5
   local l = torch.Tensor(a.height, a.width)
   for i = 1, a.height do
      for j = 1, a.width do
         local xsq = math.pow((i - center_x) / (a.sigma_horz * a.width), 2) / 2
         local ysq = math.pow((j - center_y) / (a.sigma_vert * a.height), 2) / 2
         l[i][j] = (1 - (xsq + ysq)) * a.amplitude * math.exp(-(xsq + ysq))
      end
   end
   if a.normalize then l:div(l:sum()) end
   return l
end

-- ======================================================================
-- scaling for display
-- ======================================================================

-- Rescales to [0,1] as Torch7: subtracts min (given, the data's, or
-- -max|x| when symm), divides by the range (given max is shifted by min; symm
-- uses 2*max|x|); saturate clamps to [0,1], but only when min or max was given.
function image.minmax(args)
   local t = args.tensor
   if not torch.isTensor(t) then
      error("bad argument 'tensor' to 'image.minmax' (tensor expected, got " .. torch.type(t) .. ")", 2)
   end
   local min, max = args.min, args.max
   local saturate = args.saturate or false
   local out = args.tensorOut or (args.inplace and t) or t:clone()
   if args.tensorOut then out:resize(t:size()):copy(t) end
   if min == nil and max == nil then saturate = false end
   local fmin = 0
   if min == nil then
      if args.symm then
         fmin = math.max(math.abs(out:min()), math.abs(out:max()))
         min = -fmin
      else
         min = out:min()
      end
   end
   if min ~= 0 then out:add(-min) end
   if max == nil then
      if args.symm then max = fmin * 2 else max = out:max() end
   else
      max = max - min
   end
   if max ~= 0 then out:div(max) end
   if saturate then out:clamp(0, 1) end
   return out
end

-- Lays out maps (K x H x W, K x C x H x W with C in {1,3}, or a list of
-- images) in a grid of min(nrow, K) columns of cells (H+padding) x
-- (W+padding), filled first with the data's maximum, then rescaled with
-- minmax (Torch7's image.combine).  2-D and 1- or 3-channel images are only
-- rescaled.
function image.toDisplayTensor(...)
   local a = unpack_args({...}, {{'input'}, {'padding', 0}, {'nrow', 6}, {'scaleeach', false},
                                 {'min'}, {'max'}, {'symmetric', false}, {'saturate', true}})
   local input = a.input
   local function mm(t) return image.minmax{tensor = t, min = a.min, max = a.max,
                                            symm = a.symmetric, saturate = a.saturate} end
   if type(input) == 'table' and not torch.isTensor(input) then
      local nd = input[1]:dim()
      local chans = nd == 2 and 1 or input[1]:size(1)
      local packed = torch.Tensor(#input, chans, input[1]:size(nd - 1), input[1]:size(nd))
      for i, img in ipairs(input) do
         if a.scaleeach then packed[i] = mm(img) else packed[i]:copy(img) end
      end
      input = packed
   end
   if not torch.isTensor(input) then
      error("bad argument 'input' to 'image.toDisplayTensor' (tensor or table of tensors expected, got "
            .. torch.type(input) .. ")", 2)
   end
   local dim = input:dim()
   if dim == 2 or (dim == 3 and (input:size(1) == 1 or input:size(1) == 3)) then return mm(input) end
   local four = dim == 4 and (input:size(2) == 1 or input:size(2) == 3)
   if not four and dim ~= 3 then
      error('image.toDisplayTensor: input must be a HxW or KxHxW or Kx3xHxW tensor, or a list of tensors', 2)
   end
   local nmaps = input:size(1)
   local h, w = input:size(dim - 1), input:size(dim)
   local pad = a.padding
   local xmaps = math.min(a.nrow, nmaps)
   local ymaps = math.ceil(nmaps / xmaps)
   local height, width = h + pad, w + pad
   local grid
   if four then grid = torch.Tensor(input:size(2), height * ymaps, width * xmaps)
   else grid = torch.Tensor(height * ymaps, width * xmaps) end
   grid:fill(input:max())
   local dy = grid:dim() - 1
   local k = 1
   for y = 1, ymaps do
      for x = 1, xmaps do
         if k > nmaps then break end
         grid:narrow(dy, math.floor((y - 1) * height + 1 + pad / 2), h)
             :narrow(dy + 1, math.floor((x - 1) * width + 1 + pad / 2), w):copy(input[k])
         k = k + 1
      end
   end
   return mm(grid)
end

-- ======================================================================
-- geometry
-- ======================================================================

-- Resamples one line of n values into m (Torch7's scale_rowcol): linear
-- interpolation with the end points aligned when enlarging, area averaging
-- when shrinking, a copy when equal.
local function scale_line(src, dst, n, m)
   if m > n then
      local scale = (n - 1) / (m - 1)
      for di = 0, m - 2 do
         local f = di * scale
         local i = math.floor(f)
         f = f - i
         local right = i + 2 <= n and src[i + 2] or 0
         dst[di + 1] = (1 - f) * src[i + 1] + f * right
      end
      dst[m] = src[n]
   elseif m < n then
      local scale = n / m
      local i0, f0 = 0, 0
      for di = 0, m - 1 do
         local f1 = (di + 1) * scale
         local i1 = math.floor(f1)
         f1 = f1 - i1
         local acc, cnt = (1 - f0) * src[i0 + 1], 1 - f0
         for si = i0 + 1, i1 - 1 do
            acc = acc + src[si + 1]
            cnt = cnt + 1
         end
         if i1 < n then
            acc = acc + f1 * src[i1 + 1]
            cnt = cnt + f1
         end
         dst[di + 1] = acc / cnt
         i0, f0 = i1, f1
      end
   else
      for i = 1, n do dst[i] = src[i] end
   end
end

-- image.scale(src, width, height, [mode]) / image.scale(dst, src, [mode]) /
-- image.scale(src, size) (longest side); bilinear as Torch7's
-- scaleBilinear (mode 'simple' = nearest).
function image.scale(...)
   local args = {...}
   local src, dst, width, height, mode
   if torch.isTensor(args[1]) and torch.isTensor(args[2]) then
      dst, src, mode = args[1], args[2], args[3]
      width, height = dst:size(dst:dim()), dst:size(dst:dim() - 1)
   else
      src, width, height, mode = args[1], args[2], args[3], args[4]
      if not torch.isTensor(src) then
         error('bad argument #1 to \'image.scale\' (tensor expected, got ' .. torch.type(src) .. ')', 2)
      end
      local sh, sw = src:size(src:dim() - 1), src:size(src:dim())
      if type(height) ~= 'number' then   -- scale(src, size): the longest side becomes size
         mode = height
         local size = width
         if sh > sw then height, width = size, math.floor(sw * size / sh)
         else width, height = size, math.floor(sh * size / sw) end
      end
      check_number('image.scale', 'width', width)
      check_number('image.scale', 'height', height)
      if src:dim() == 3 then dst = src.new(src:size(1), height, width)
      else dst = src.new(height, width) end
   end
   mode = mode or 'bilinear'
   local s3 = src:dim() == 3 and src or src:view(1, src:size(1), src:size(2))
   local d3 = dst:dim() == 3 and dst or dst:view(1, dst:size(1), dst:size(2))
   local sh, sw = s3:size(2), s3:size(3)
   if mode == 'simple' then
      -- nearest: source index (long)(0.5 + i * src/dst), clamped (Torch7's scaleSimple)
      local scx, scy = sw / width, sh / height
      for k = 1, s3:size(1) do
         local sk, dk = s3[k], d3[k]
         for j = 0, height - 1 do
            local jj = math.min(math.floor(0.5 + j * scy), sh - 1)
            for i = 0, width - 1 do
               dk[j + 1][i + 1] = sk[jj + 1][math.min(math.floor(0.5 + i * scx), sw - 1) + 1]
            end
         end
      end
      return dst
   end
   -- bilinear (Torch7's scaleBilinear): rows to the new width, then columns
   -- to the new height, each with scale_line
   local tmp = torch.DoubleTensor(sh, width)
   for k = 1, s3:size(1) do
      local sk, dk = s3[k], d3[k]
      for j = 1, sh do scale_line(sk[j], tmp[j], sw, width) end
      for i = 1, width do scale_line(tmp:select(2, i), dk:select(2, i), sh, height) end
   end
   return dst
end

-- image.crop(src, x1, y1, x2, y2) (0-based corners, x2/y2 exclusive) or
-- image.crop(src, format, width, height) with format 'c','tl','tr','bl','br'.
function image.crop(src, a, b, c, d)
   local h, w = src:size(src:dim() - 1), src:size(src:dim())
   local x1, y1, x2, y2
   if type(a) == 'string' then
      local cw, ch = b, c
      if a == 'c' then x1, y1 = math.floor((w - cw) / 2), math.floor((h - ch) / 2)
      elseif a == 'tl' then x1, y1 = 0, 0
      elseif a == 'tr' then x1, y1 = w - cw, 0
      elseif a == 'bl' then x1, y1 = 0, h - ch
      elseif a == 'br' then x1, y1 = w - cw, h - ch
      else error("image.crop: format must be 'c', 'tl', 'tr', 'bl' or 'br', got '" .. a .. "'", 2) end
      x2, y2 = x1 + cw, y1 + ch
   else
      x1, y1, x2, y2 = a, b, c, d
   end
   if not (x1 and y1 and x2 and y2) or x1 < 0 or y1 < 0 or x2 > w or y2 > h or x2 <= x1 or y2 <= y1 then
      error(string.format('image.crop: crop (%s,%s)-(%s,%s) outside the %dx%d image',
         tostring(x1), tostring(y1), tostring(x2), tostring(y2), w, h), 2)
   end
   local d1 = src:dim()
   return src:narrow(d1 - 1, y1 + 1, y2 - y1):narrow(d1, x1 + 1, x2 - x1):clone()
end

local function flip(src, dim)
   local dst = src:clone()
   local n = src:size(dim)
   for i = 1, n do dst:select(dim, i):copy(src:select(dim, n - i + 1)) end
   return dst
end

function image.hflip(a, b)
   local dst, src = a, b
   if not b then dst, src = nil, a end
   local r = flip(src, src:dim())
   if dst then dst:resizeAs(r):copy(r) return dst end
   return r
end

function image.vflip(a, b)
   local dst, src = a, b
   if not b then dst, src = nil, a end
   local r = flip(src, src:dim() - 1)
   if dst then dst:resizeAs(r):copy(r) return dst end
   return r
end

-- ======================================================================
-- files
-- ======================================================================

local function ext_of(filename)
   return (filename:match('%.([^./]+)$') or ''):lower()
end

-- image.save(filename, tensor): PNG (H x W gray, C x H x W with C = 1, 3, 4).
-- Non-byte tensors are clamped to [0,1] and scaled by 255, then truncated
-- to bytes (Torch7).  Written to a temporary file then renamed.
function image.save(filename, tensor)
   if type(filename) ~= 'string' then
      error("bad argument #1 to 'image.save' (string expected, got " .. type(filename) .. ')', 2)
   end
   if not torch.isTensor(tensor) then
      error("bad argument #2 to 'image.save' (tensor expected, got " .. torch.type(tensor) .. ')', 2)
   end
   local ext = ext_of(filename)
   if ext ~= 'png' then error('unknown image type: ' .. ext, 2) end
   local t = tensor
   if t:dim() == 2 then t = t:view(1, t:size(1), t:size(2)) end
   if t:dim() ~= 3 or not (t:size(1) == 1 or t:size(1) == 3 or t:size(1) == 4) then
      error('[write_png_file] Depth must be 1, 3 or 4', 2)
   end
   if torch.type(t) ~= 'torch.ByteTensor' then
      t = t:double():clone():clamp(0, 1):mul(255):byte()
   end
   local tmp = filename .. '.tmp'
   local ok, err = pcall(torch._png_save, tmp, t:contiguous())
   if not ok then os.remove(tmp) error(err, 2) end
   local okr, errr = os.rename(tmp, filename)
   if not okr then os.remove(tmp) error('image.save: cannot write ' .. filename .. ': ' .. tostring(errr), 2) end
end

-- image.load(filename, [depth], ['byte'|'float'|'double']): C x H x W,
-- floats in [0,1] unless 'byte'.
function image.load(filename, depth, ttype)
   if type(filename) ~= 'string' then
      error("bad argument #1 to 'image.load' (string expected, got " .. type(filename) .. ')', 2)
   end
   local ext = ext_of(filename)
   if ext ~= 'png' then error('unknown image type: ' .. ext, 2) end
   local img = torch._png_load(filename)     -- ByteTensor C x H x W
   if depth == 1 and img:size(1) >= 3 then
      local g = torch.DoubleTensor(1, img:size(2), img:size(3))
      g[1]:copy(img[1]:double():mul(0.299):add(0.587, img[2]:double()):add(0.114, img[3]:double()))
      img = g:round():byte()
   elseif depth == 3 and img:size(1) == 1 then
      img = img:expand(3, img:size(2), img:size(3)):clone()
   end
   ttype = ttype or 'double'
   if ttype == 'byte' then return img end
   if ttype == 'float' then return img:float():div(255) end
   return img:double():div(255)
end

-- No display in Ember: a clear message rather than a silent no-op.
function image.display()
   error('image.display needs a window system (qt), which Ember does not provide; '
         .. 'use image.save(filename, image.toDisplayTensor{...}) instead', 2)
end

return image
