-- mnist: checksums of the shipped files, the loader against bytes read
-- independently (zcat), the 32x32 layout, labels, the split, and clear
-- errors for missing or corrupt files.
local T = require 'testlib'
require 'mnist'
local tests = T.suite()

function tests.checksums()
   local ok = os.execute('cd data/mnist && sha256sum --quiet -c SHA256SUMS')
   T.ok(ok, 'data/mnist does not match data/mnist/SHA256SUMS')
end

-- byte `offset` (0-based) of the decompressed file, read with zcat
local function raw_bytes(file, offset, n)
   local p = io.popen(string.format('zcat data/mnist/%s | tail -c +%d | head -c %d', file, offset + 1, n))
   local s = p:read('*a')
   p:close()
   return s
end

function tests.loader_matches_raw_bytes()
   local test = mnist.load('test')
   T.eq(torch.typename(test.data), 'torch.ByteTensor')
   T.eq(test.data:dim(), 4)
   T.eq(test.data:size(1), 10000)
   T.eq(test.data:size(2), 1)
   T.eq(test.data:size(3), 32)
   T.eq(test.data:size(4), 32)
   -- IDX images: 16-byte header, then 28x28 bytes per image
   for _, pick in ipairs({{1, 8, 10}, {1, 15, 15}, {2, 20, 14}, {10000, 14, 16}, {5000, 1, 1}}) do
      local n, r, c = pick[1], pick[2], pick[3]
      local b = raw_bytes('t10k-images-idx3-ubyte.gz', 16 + (n - 1) * 784 + (r - 1) * 28 + (c - 1), 1)
      T.eq(test.data[n][1][r + 2][c + 2], b:byte(), string.format('image %d pixel (%d,%d)', n, r, c))
   end
   -- the 2-pixel border is zero
   T.eq(test.data[{ {}, 1, {1, 2}, {} }]:sum(), 0)
   T.eq(test.data[{ {}, 1, {}, {31, 32} }]:sum(), 0)
   -- first test labels of MNIST are 7 2 1 0 4 1 4 9 5 9; stored as digit + 1
   local want = {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}
   for i = 1, 10 do T.eq(test.labels[i], want[i] + 1, 'label ' .. i) end
   local lb = raw_bytes('t10k-labels-idx1-ubyte.gz', 8 + 9999, 1)
   T.eq(test.labels[10000], lb:byte() + 1)
end

function tests.train_labels()
   local train = mnist.load('train')
   T.eq(train.data:size(1), 60000)
   local want = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}
   for i = 1, 10 do T.eq(train.labels[i], want[i] + 1) end
   T.eq(train.labels:min(), 1)
   T.eq(train.labels:max(), 10)
end

function tests.split_disjoint_repeatable()
   torch.manualSeed(7)
   local before = torch.random()
   torch.manualSeed(7)
   local a, b = mnist.split(1000, 0.8, 1)
   T.eq(torch.random(), before, 'the split leaves the generator as it was')
   T.eq(a:size(1), 800)
   T.eq(b:size(1), 200)
   local seen = {}
   for i = 1, 800 do seen[a[i]] = true end
   for i = 1, 200 do T.ok(not seen[b[i]], 'index in both parts') seen[b[i]] = true end
   local n = 0
   for k in pairs(seen) do T.ok(k >= 1 and k <= 1000) n = n + 1 end
   T.eq(n, 1000, 'the parts cover 1..n')
   local a2 = mnist.split(1000, 0.8, 1)
   T.ok(torch.equal(a, a2), 'same seed, same split')
   local a3 = mnist.split(1000, 0.8, 2)
   T.ok(not torch.equal(a, a3), 'another seed, another split')
end

-- mnist.shift against pixels worked out by hand: a 1x3x4 image whose first
-- element (the background) is 0.5
function tests.shift_by_hand()
   local img = torch.Tensor{{{0.5, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}}
   local b = 0.5
   -- one column right, one row up
   T.tensor_near(mnist.shift(img, 1, -1), torch.Tensor{{{b, 4, 5, 6}, {b, 8, 9, 10}, {b, b, b, b}}}, 0)
   -- two columns left, one row down
   T.tensor_near(mnist.shift(img, -2, 1), torch.Tensor{{{b, b, b, b}, {2, 3, b, b}, {6, 7, b, b}}}, 0)
   T.tensor_near(mnist.shift(img, 0, 0), img, 0)
   -- as far as the image or beyond: background only
   T.tensor_near(mnist.shift(img, 4, 0), torch.Tensor(1, 3, 4):fill(b), 0)
   T.tensor_near(mnist.shift(img, 0, -7), torch.Tensor(1, 3, 4):fill(b), 0)
   -- into a given buffer (resized), of another type too; a view as input
   local dst = torch.FloatTensor(7)
   T.ok(mnist.shift(img:float(), 1, 0, dst) == dst)
   T.tensor_near(dst, torch.FloatTensor{{{b, 0.5, 1, 2}, {b, 4, 5, 6}, {b, 8, 9, 10}}}, 0)
   local big = torch.Tensor(2, 1, 3, 4):zero()
   big[2]:copy(img)
   T.tensor_near(mnist.shift(big[2], 0, 1), torch.Tensor{{{b, b, b, b}, {0.5, 1, 2, 3}, {4, 5, 6, 7}}}, 0)
   T.errors('dst must not be the image itself', function() mnist.shift(img, 1, 1, img) end)
   T.errors('an image of 2 or more dimensions expected, got 1', function() mnist.shift(torch.Tensor(3), 1, 1) end)
end

function tests.missing_and_corrupt_files()
   local dir = os.tmpname()
   os.remove(dir)
   os.execute('mkdir -p ' .. dir)
   T.errors('cannot open ' .. dir .. '/t10k-images-idx3-ubyte.gz', mnist.load, 'test', dir)
   -- a truncated copy of the label file, and garbage as the image file
   os.execute(string.format('zcat data/mnist/t10k-labels-idx1-ubyte.gz | head -c 100 | gzip > %s/t10k-labels-idx1-ubyte.gz', dir))
   local f = io.open(dir .. '/t10k-images-idx3-ubyte.gz', 'wb')
   f:write('this is not a gzip file')
   f:close()
   local err = T.errors(dir .. '/t10k-images-idx3-ubyte.gz', mnist.load, 'test', dir)
   os.execute(string.format('cp data/mnist/t10k-images-idx3-ubyte.gz %s/', dir))
   T.errors('t10k-labels-idx1-ubyte.gz', mnist.load, 'test', dir)
   T.errors("set must be 'train' or 'test'", mnist.load, 'valid')
   os.execute('rm -rf ' .. dir)
   return err
end

return tests
