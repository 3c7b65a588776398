-- mnist: MNIST in the layout of Torch7's tutorial (mnist.t7): images
-- N x 1 x 32 x 32 (the 28 x 28 digit centred in a zero border of 2), labels
-- 1..10 (digit + 1).  Reads the four official gzip'd IDX files through the
-- C reader, makes the 80:20 train/validation split for a seed, normalises
-- with the training part's mean and std, and writes Torch7's
-- mnist.t7/{train,test}_32x32.t7 so the original tutorial's 1_data.lua runs.
require 'torch'

mnist = mnist or {}
local mnist = mnist

mnist.files = {
   train = {images = 'train-images-idx3-ubyte.gz', labels = 'train-labels-idx1-ubyte.gz', n = 60000},
   test = {images = 't10k-images-idx3-ubyte.gz', labels = 't10k-labels-idx1-ubyte.gz', n = 10000},
}

-- The data folder: $EMBER_MNIST, else data/mnist beside lua/ (build tree or
-- installed share/ember/data/mnist).
function mnist.datadir()
   local env = os.getenv('EMBER_MNIST')
   if env then return env end
   local here = debug.getinfo(1, 'S').source:match('^@(.*)/lua/mnist/init%.lua$')
   if here then return here .. '/data/mnist' end
   return 'data/mnist'
end

local function load_idx(path, want_dims, what)
   local f = io.open(path, 'rb')
   if not f then error('mnist: cannot open ' .. path .. ' (' .. what .. ' file missing)', 3) end
   f:close()
   local ok, t = pcall(torch._idx_load, path)
   if not ok then error('mnist: ' .. path .. ': ' .. tostring(t), 3) end
   if t:dim() ~= want_dims then
      error(string.format('mnist: %s: expected a %dD IDX array of %s, got %dD', path, want_dims, what, t:dim()), 3)
   end
   return t
end

-- mnist.load('train'|'test', [dir]) -> {data = ByteTensor N x 1 x 32 x 32,
-- labels = ByteTensor N (1..10)}, exactly what Torch7's mnist.t7 holds.
function mnist.load(set, dir)
   local spec = mnist.files[set]
   if not spec then error("mnist.load: set must be 'train' or 'test', got " .. tostring(set), 2) end
   dir = dir or mnist.datadir()
   local images = load_idx(dir .. '/' .. spec.images, 3, 'images')
   local labels = load_idx(dir .. '/' .. spec.labels, 1, 'labels')
   local n = images:size(1)
   if images:size(2) ~= 28 or images:size(3) ~= 28 then
      error(string.format('mnist: %s: expected 28x28 images, got %dx%d', spec.images, images:size(2), images:size(3)), 2)
   end
   if labels:size(1) ~= n then
      error(string.format('mnist: %s has %d images but %s has %d labels', spec.images, n, spec.labels, labels:size(1)), 2)
   end
   if labels:max() > 9 then error('mnist: ' .. spec.labels .. ': label ' .. labels:max() .. ' outside 0..9', 2) end
   local data = torch.ByteTensor(n, 1, 32, 32):zero()
   data:select(2, 1):narrow(2, 3, 28):narrow(3, 3, 28):copy(images)
   return {data = data, labels = labels:clone():add(1)}
end

-- Splits indices 1..n into a training part (the first `ratio` of a random
-- permutation drawn after torch.manualSeed(seed)) and a validation part.
-- The generator's state is saved and restored, so the split does not
-- change the draws that follow (model initialisation stays Torch7's).
function mnist.split(n, ratio, seed)
   local state = torch.getRNGState()
   torch.manualSeed(seed)
   local perm = torch.randperm(n):long()
   torch.setRNGState(state)
   local ntrain = math.floor(n * ratio + 0.5)
   return perm:narrow(1, 1, ntrain), perm:narrow(1, ntrain + 1, n - ntrain)
end

-- Gathers a subset {data, labels} of a set by a LongTensor of indices.
function mnist.subset(set, idx)
   return {data = set.data:index(1, idx), labels = set.labels:index(1, idx)}
end

-- The image img (..., H, W) moved by dx columns right and dy rows down
-- (negative: left, up) into dst (resized like img); what moves in from
-- outside is the background value: img's first element (MNIST's 32x32
-- frame leaves a blank border of 2 pixels around each digit).  Returns dst.
function mnist.shift(img, dx, dy, dst)
   local d = img:dim()
   if d < 2 then error('mnist.shift: an image of 2 or more dimensions expected, got ' .. d, 2) end
   local H, W = img:size(d - 1), img:size(d)
   dst = dst or img.new()
   if dst == img then error('mnist.shift: dst must not be the image itself', 2) end
   dst:resizeAs(img):fill(img:storage()[img:storageOffset()])
   local ax, ay = math.abs(dx), math.abs(dy)
   if ax < W and ay < H then
      dst:narrow(d - 1, math.max(1, 1 + dy), H - ay):narrow(d, math.max(1, 1 + dx), W - ax)
         :copy(img:narrow(d - 1, math.max(1, 1 - dy), H - ay):narrow(d, math.max(1, 1 - dx), W - ax))
   end
   return dst
end

-- Writes mnist.t7/train_32x32.t7 and test_32x32.t7 under `outdir` in
-- Torch7's ascii format (what the original tutorial downloads).
function mnist.convert(outdir, dir)
   outdir = outdir or 'mnist.t7'
   os.execute('mkdir -p "' .. outdir .. '"')
   for _, set in ipairs({'train', 'test'}) do
      local s = mnist.load(set, dir)
      torch.save(outdir .. '/' .. set .. '_32x32.t7', {data = s.data, labels = s.labels}, 'ascii')
   end
end

return mnist
