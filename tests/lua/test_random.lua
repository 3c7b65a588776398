-- test_random: torch's random functions against Torch7's own output.
-- The golden blocks re-run tests/golden/random_streams.lua's statements and
-- compare every printed line, byte for byte (numbers as %.17g), with
-- tests/golden/random_streams.out, which real Torch7 printed.
local T = require 'testlib'
local tests = T.suite()

local here = debug.getinfo(1, 'S').source:match('^@(.*/)') or './'
local golden_path = here .. '../golden/random_streams.out'

-- The golden file as {lines..., index = {first line of each block}}.
local function golden_lines()
   local f = assert(io.open(golden_path, 'r'))
   local lines = {}
   for l in f:lines() do lines[#lines + 1] = l end
   f:close()
   return lines
end

-- The golden script's helpers.
local function fmt(v) return string.format('%.17g', v) end
local function line(out, label, vals)
   local t = {}
   for i, v in ipairs(vals) do t[i] = fmt(v) end
   out[#out + 1] = label .. ': ' .. table.concat(t, ' ')
end
local function rep(n, f) local t = {} for i = 1, n do t[i] = f() end return t end
local function tens(x)
   local t = {}
   x = x:contiguous():view(-1)
   for i = 1, x:nElement() do t[i] = x[i] end
   return t
end

-- The lines random_streams.lua prints for one seed.
local function seed_block(seed)
   local out = {'## seed ' .. seed}
   torch.manualSeed(seed); line(out, 'torch.random() x5', rep(5, function() return torch.random() end))
   torch.manualSeed(seed); line(out, 'torch.uniform() x5', rep(5, function() return torch.uniform() end))
   torch.manualSeed(seed); line(out, 'torch.normal() x5', rep(5, function() return torch.normal() end))
   torch.manualSeed(seed); line(out, 'torch.uniform(-2,3) x5', rep(5, function() return torch.uniform(-2, 3) end))
   torch.manualSeed(seed); line(out, 'torch.normal(10,0.5) x5', rep(5, function() return torch.normal(10, 0.5) end))
   torch.manualSeed(seed); line(out, 'torch.random(10) x5', rep(5, function() return torch.random(10) end))
   torch.manualSeed(seed); line(out, 'torch.random(5,9) x5', rep(5, function() return torch.random(5, 9) end))
   torch.manualSeed(seed); line(out, 'torch.bernoulli(0.3) x5', rep(5, function() return torch.bernoulli(0.3) end))
   torch.manualSeed(seed); line(out, 'torch.bernoulli() x5', rep(5, function() return torch.bernoulli() end))
   torch.manualSeed(seed); line(out, 'torch.randperm(10)', tens(torch.randperm(10)))
   torch.manualSeed(seed); line(out, 'torch.randperm(1)', tens(torch.randperm(1)))
   torch.manualSeed(seed); line(out, 'torch.rand(4)', tens(torch.rand(4)))
   torch.manualSeed(seed); line(out, 'torch.randn(4)', tens(torch.randn(4)))
   torch.manualSeed(seed); line(out, 'torch.rand(2,3) (row-major)', tens(torch.rand(2, 3)))
   torch.manualSeed(seed); line(out, 'DoubleTensor(5):uniform(-0.1,0.1)', tens(torch.DoubleTensor(5):uniform(-0.1, 0.1)))
   torch.manualSeed(seed); line(out, 'FloatTensor(5):uniform(-0.1,0.1)', tens(torch.FloatTensor(5):uniform(-0.1, 0.1)))
   torch.manualSeed(seed); line(out, 'DoubleTensor(5):normal(1,2)', tens(torch.DoubleTensor(5):normal(1, 2)))
   torch.manualSeed(seed); line(out, 'DoubleTensor(5):bernoulli(0.7)', tens(torch.DoubleTensor(5):bernoulli(0.7)))
   torch.manualSeed(seed); line(out, 'DoubleTensor(5):random()', tens(torch.DoubleTensor(5):random()))
   torch.manualSeed(seed); line(out, 'FloatTensor(5):random()', tens(torch.FloatTensor(5):random()))
   torch.manualSeed(seed); line(out, 'ByteTensor(5):random()', tens(torch.ByteTensor(5):random()))
   torch.manualSeed(seed); line(out, 'IntTensor(5):random()', tens(torch.IntTensor(5):random()))
   torch.manualSeed(seed); line(out, 'LongTensor(5):random()', tens(torch.LongTensor(5):random()))
   torch.manualSeed(seed); line(out, 'DoubleTensor(5):random(10)', tens(torch.DoubleTensor(5):random(10)))
   torch.manualSeed(seed); line(out, 'DoubleTensor(5):random(5,9)', tens(torch.DoubleTensor(5):random(5, 9)))
   torch.manualSeed(seed); line(out, 'DoubleTensor(5):exponential(2)', tens(torch.DoubleTensor(5):exponential(2)))
   torch.manualSeed(seed); line(out, 'DoubleTensor(5):geometric(0.3)', tens(torch.DoubleTensor(5):geometric(0.3)))
   torch.manualSeed(seed); line(out, 'DoubleTensor(5):cauchy(0,1)', tens(torch.DoubleTensor(5):cauchy(0, 1)))
   torch.manualSeed(seed); line(out, 'DoubleTensor(5):logNormal(0,1)', tens(torch.DoubleTensor(5):logNormal(0, 1)))
   torch.manualSeed(seed)
   local v = {}
   v[#v + 1] = torch.normal()
   v[#v + 1] = torch.uniform()
   v[#v + 1] = torch.normal()
   for _, x in ipairs(tens(torch.randn(3))) do v[#v + 1] = x end
   v[#v + 1] = torch.normal()
   v[#v + 1] = torch.random()
   line(out, 'stream normal,uniform,normal,randn(3),normal,random', v)
   torch.manualSeed(seed); torch.normal(); torch.manualSeed(seed)
   line(out, 'manualSeed clears normal cache: normal() x2', rep(2, function() return torch.normal() end))
   line(out, 'torch.initialSeed()', {torch.initialSeed()})
   return out
end

-- The lines after the four seed blocks.
local function tail_block()
   local out = {}
   torch.manualSeed(4294967296 + 42)
   line(out, 'manualSeed(2^32+42): initialSeed, random() x3',
        {torch.initialSeed(), torch.random(), torch.random(), torch.random()})
   torch.manualSeed(1)
   local last
   for i = 1, 1250 do
      last = torch.random()
      if i == 624 or i == 625 or i == 1248 or i == 1249 or i == 1250 then
         out[#out + 1] = 'seed 1 draw #' .. i .. ': ' .. fmt(last)
      end
   end
   torch.manualSeed(7); local st = torch.getRNGState(); local a = torch.uniform()
   torch.setRNGState(st); local b = torch.uniform()
   line(out, 'getRNGState/setRNGState replay (seed 7): uniform twice, equal', {a, b})
   out[#out + 1] = 'getRNGState() type and size: ' .. torch.typename(st) .. ' ' .. st:nElement()
   return out
end

-- Compares produced lines with the golden lines from `first` on.
local function same_lines(got, want, first)
   for i, l in ipairs(got) do
      T.eq(l, want[first + i - 1], 'golden line ' .. (first + i - 1))
   end
end

-- The golden file is 4 blocks of 33 lines, then 8 lines.
local BLOCK = 33

for b, seed in ipairs({0, 1, 42, 123456789}) do
   tests['golden_seed_' .. seed] = function()
      local want = golden_lines()
      T.eq(want[(b - 1) * BLOCK + 1], '## seed ' .. seed)
      local got = seed_block(seed)
      T.eq(#got, BLOCK)
      same_lines(got, want, (b - 1) * BLOCK + 1)
   end
end

function tests.golden_tail()
   local want = golden_lines()
   local got = tail_block()
   T.eq(#want, 4 * BLOCK + #got, 'golden file length')
   same_lines(got, want, 4 * BLOCK + 1)
end

-- tutorial_convnet.out: after manualSeed(1), building the tutorial ConvNet
-- consumes 312,268 uniform draws (nn.md §6 lists them: conv1 1600+64,
-- each normalization 448+64+448+1, conv2 102400+64, Linear 204800+128 and
-- 1280+10); Torch7's next torch.random() is printed on the first line.
function tests.golden_tutorial_draw_count()
   local f = assert(io.open(here .. '../golden/tutorial_convnet.out', 'r'))
   local first = f:read('l')
   f:close()
   local want = tonumber(first:match('^next torch.random%(%) after construction: (%d+)$'))
   T.ok(want, 'unexpected first line ' .. first)
   local n = (1600 + 64) + 2 * (448 + 64 + 448 + 1) + (102400 + 64) + (204800 + 128) + (1280 + 10)
   T.eq(n, 312268)
   torch.manualSeed(1)
   torch.DoubleTensor(n):uniform()
   T.eq(torch.random(), want)
end

-- ---- beyond the golden file ---------------------------------------------

function tests.number_types()
   torch.manualSeed(3)
   T.eq(math.type(torch.random()), 'integer')
   T.eq(math.type(torch.random(7)), 'integer')
   T.eq(math.type(torch.random(-3, 3)), 'integer')
   T.eq(math.type(torch.bernoulli()), 'integer')
   T.eq(math.type(torch.geometric(0.5)), 'integer')
   T.eq(math.type(torch.uniform()), 'float')
   T.eq(math.type(torch.initialSeed()), 'integer')
   -- integral floats are accepted where Torch7 took a C long
   torch.manualSeed(3.0)
   local a = torch.random(10.0)
   torch.manualSeed(3)
   T.eq(a, torch.random(10))
end

function tests.random_ranges()
   torch.manualSeed(5)
   for _ = 1, 200 do
      local v = torch.random(-3, 3)
      T.ok(v >= -3 and v <= 3, 'random(-3,3) gave ' .. v)
      local w = torch.random(4)
      T.ok(w >= 1 and w <= 4, 'random(4) gave ' .. w)
   end
   T.eq(torch.random(6, 6), 6)
   local function within(t, lo, hi)
      for i = 1, t:nElement() do
         if t[i] < lo or t[i] > hi then return false end
      end
      return true
   end
   T.ok(within(torch.IntTensor(100):random(-5, 5), -5, 5))
   T.ok(within(torch.CharTensor(50):random(), 0, 127))
   T.ok(within(torch.ShortTensor(50):random(), 0, 32767))
   T.ok(within(torch.ByteTensor(50):random(3, 4), 3, 4))
end

function tests.seed_forms()
   local s = torch.seed()
   T.eq(math.type(s), 'integer')
   T.eq(torch.initialSeed(), s)
   local a = torch.random()
   torch.manualSeed(s)
   T.eq(torch.random(), a)
   -- fractional seeds truncate like Torch7's (long) conversion
   torch.manualSeed(42.9)
   T.eq(torch.random(), 1608637542)
   T.eq(torch.initialSeed(), 42)
   -- negative seeds keep their low 32 bits; initialSeed gives them back
   torch.manualSeed(-1)
   T.eq(torch.initialSeed(), -1)
   local b = torch.random()
   torch.manualSeed(4294967295)
   T.eq(torch.random(), b)
end

function tests.methods_return_self()
   local d = torch.DoubleTensor(3)
   for _, call in ipairs({
      function() return d:uniform() end, function() return d:normal() end,
      function() return d:cauchy() end, function() return d:logNormal() end,
      function() return d:exponential(1) end, function() return d:geometric(0.5) end,
      function() return d:bernoulli() end, function() return d:random() end,
      function() return d:random(3) end, function() return d:random(1, 3) end,
      function() return torch.uniform(d, 0, 1) end, function() return torch.random(d, 4) end,
      function() return torch.bernoulli(d, torch.DoubleTensor(3):fill(0.5)) end,
   }) do
      T.ok(rawequal(call(), d) or call() == d, 'method did not return self')
   end
   local b = torch.ByteTensor(4)
   T.eq(b:bernoulli(0.5), b)
   T.eq(b:geometric(0.5), b)
   -- Torch7 declares uniform & co. for Float and Double only
   T.eq(b.uniform, nil)
   T.eq(torch.IntTensor(2).normal, nil)
end

function tests.defaults_match_explicit()
   torch.manualSeed(9); local a = torch.DoubleTensor(4):logNormal()
   torch.manualSeed(9); local b = torch.DoubleTensor(4):logNormal(1, 2)
   T.tensor_near(a, b, 0)
   torch.manualSeed(9); a = torch.normal()
   torch.manualSeed(9); T.eq(torch.normal(0, 1), a)
   torch.manualSeed(9); a = torch.cauchy()
   torch.manualSeed(9); T.eq(torch.cauchy(0, 1), a)
   torch.manualSeed(9); a = torch.DoubleTensor(6):bernoulli()
   torch.manualSeed(9); T.tensor_near(torch.DoubleTensor(6):bernoulli(0.5), a, 0)
end

-- Fills walk the view in row-major order, whatever its strides.
function tests.fill_transposed()
   local base = torch.DoubleTensor(3, 4):zero()
   local t = base:t()
   torch.manualSeed(11)
   t:uniform()
   torch.manualSeed(11)
   for i = 1, 4 do
      for j = 1, 3 do
         T.eq(base[j][i], torch.uniform())
      end
   end
end

function tests.bernoulli_tensor()
   local p = torch.FloatTensor({0, 1, 0.25, 0.5, 0.75, 1})
   torch.manualSeed(21)
   local t = torch.ByteTensor(6):bernoulli(p)
   torch.manualSeed(21)
   for i = 1, 6 do
      T.eq(t[i], torch.uniform() <= p[i] and 1 or 0)
   end
   -- only the element counts must agree
   torch.manualSeed(21)
   local m = torch.DoubleTensor(2, 3):bernoulli(p:double())
   T.eq(m[1][1], 0)
   T.eq(m[1][2], 1)
   T.errors('inconsistent tensor size', function() torch.DoubleTensor(5):bernoulli(p) end)
   T.errors('FloatTensor or DoubleTensor', function() torch.DoubleTensor(6):bernoulli(torch.LongTensor(6)) end)
end

function tests.rand_forms()
   torch.manualSeed(2); local a = torch.rand(2, 3)
   T.eq(a:dim(), 2); T.eq(a:size(1), 2); T.eq(a:size(2), 3)
   T.eq(torch.typename(a), 'torch.DoubleTensor')
   torch.manualSeed(2); local b = torch.rand(torch.LongStorage({2, 3}))
   T.tensor_near(b, a, 0)
   local r = torch.FloatTensor()
   torch.manualSeed(2)
   T.eq(torch.rand(r, 2, 3), r)
   T.eq(r:dim(), 2)
   T.tensor_near(r, a:float(), 0)
   torch.manualSeed(2)
   local c = torch.rand(2, 3, 'torch.FloatTensor')
   T.eq(torch.typename(c), 'torch.FloatTensor')
   T.tensor_near(c, r, 0)
   -- method form resizes self
   local x = torch.DoubleTensor()
   torch.manualSeed(2)
   T.eq(x:rand(2, 3), x)
   T.tensor_near(x, a, 0)
   torch.manualSeed(2); local n = torch.randn(2.0, 2)
   torch.manualSeed(2)
   local want = {torch.normal(), torch.normal(), torch.normal(), torch.normal()}
   T.tensor_near(n:view(-1), want, 0)
   T.errors('does not implement the torch.rand() function', function() torch.rand(torch.IntTensor(), 3) end)
   T.errors('does not implement the torch.randn() function', function() torch.randn(3, 'torch.LongTensor') end)
   T.errors('non-negative', function() torch.rand(-1) end)
end

function tests.randperm_forms()
   torch.manualSeed(42)
   local p = torch.randperm(10, 'torch.LongTensor')
   T.eq(torch.typename(p), 'torch.LongTensor')
   T.tensor_near(p, {3, 7, 2, 9, 5, 6, 1, 10, 4, 8}, 0)
   local r = torch.IntTensor()
   torch.manualSeed(42)
   T.eq(torch.randperm(r, 10), r)
   T.tensor_near(r, {3, 7, 2, 9, 5, 6, 1, 10, 4, 8}, 0)
   -- a permutation: every value once
   local q = torch.randperm(500)
   local seen = {}
   for i = 1, 500 do
      local v = q[i]
      T.ok(v >= 1 and v <= 500 and not seen[v])
      seen[v] = true
   end
   T.errors('must be strictly positive', function() torch.randperm(0) end)
   T.errors('must be strictly positive', function() torch.randperm(-3) end)
end

function tests.multinomial()
   local p = torch.DoubleTensor({0.1, 0.2, 0.3, 0.4})
   torch.manualSeed(31)
   local s = torch.multinomial(p, 50, true)
   T.eq(torch.typename(s), 'torch.LongTensor')
   T.eq(s:nElement(), 50)
   -- reference: linear search over the cumulative sums, one uniform each
   torch.manualSeed(31)
   for i = 1, 50 do
      local u, acc, k = torch.uniform(), 0, 4
      for j = 1, 3 do
         acc = acc + p[j]
         if acc >= u then k = j break end
      end
      T.eq(s[i], k, 'sample ' .. i)
   end
   local d = torch.multinomial(p, 4)
   local seen = {}
   for i = 1, 4 do seen[d[i]] = true end
   T.ok(seen[1] and seen[2] and seen[3] and seen[4], 'without replacement gives each category once')
   local res = torch.LongTensor()
   T.eq(torch.multinomial(res, torch.FloatTensor({{0, 5, 0}, {1, 0, 0}}), 3, true), res)
   T.eq(res:size(1), 2); T.eq(res:size(2), 3)
   for j = 1, 3 do T.eq(res[1][j], 2); T.eq(res[2][j], 1) end
   T.errors('without replacement', function() torch.multinomial(p, 5) end)
   T.errors('sum of probabilities <= 0', function() torch.multinomial(torch.DoubleTensor({0, 0, 0}), 1, true) end)
end

function tests.rng_state()
   torch.manualSeed(7)
   torch.normal()                       -- a cached normal is part of the state
   local st = torch.getRNGState()
   T.eq(st:nElement(), 5048)
   local a = {torch.normal(), torch.uniform(), torch.random()}
   torch.manualSeed(100)
   T.eq(torch.setRNGState(st), st)
   T.eq(torch.normal(), a[1]); T.eq(torch.uniform(), a[2]); T.eq(torch.random(), a[3])
   T.eq(torch.initialSeed(), 7)
   -- result-first form writes into the given tensor
   local into = torch.ByteTensor()
   T.eq(torch.getRNGState(into), into)
   T.eq(into:nElement(), 5048)
   local strided = torch.ByteTensor(2 * 5048):zero():unfold(1, 1, 2):select(2, 1)
   T.eq(strided:nElement(), 5048)
   T.errors('needs to be contiguous', function() torch.setRNGState(strided) end)
   -- getRNGState resizes its result, which makes it contiguous
   torch.manualSeed(7)
   T.eq(torch.getRNGState(strided), strided)
   T.ok(strided:isContiguous())
   local u = torch.uniform()
   torch.setRNGState(strided)
   T.eq(torch.uniform(), u)
   T.errors('wrong size', function() torch.setRNGState(torch.ByteTensor(10)) end)
   T.errors('Invalid RNG state', function() torch.setRNGState(torch.ByteTensor(5048):zero()) end)
   T.errors('ByteTensor', function() torch.setRNGState(torch.DoubleTensor(5048)) end)
   -- a refused state leaves the generator alone
   torch.manualSeed(8); local x = torch.random()
   torch.manualSeed(8); pcall(torch.setRNGState, torch.ByteTensor(5048):zero())
   T.eq(torch.random(), x)
end

-- torch.Generator objects: separate streams, passed first (after the tensor).
function tests.generator_objects()
   local gen = torch.Generator()
   T.eq(torch.typename(gen), 'torch.Generator')
   torch.manualSeed(gen, 42)
   torch.manualSeed(0)
   T.eq(torch.initialSeed(gen), 42)
   T.eq(torch.initialSeed(), 0)
   -- the golden seed-42 stream, untouched by draws from the global generator
   T.eq(torch.random(gen), 1608637542)
   T.eq(torch.random(), 2357136044)        -- global, seed 0
   T.eq(torch.random(gen), 3421126067)
   torch.manualSeed(gen, 42)
   T.eq(torch.uniform(gen), 0.37454011430963874)
   torch.manualSeed(gen, 42)
   T.eq(torch.normal(gen), -1.2582124295117618)
   torch.manualSeed(gen, 42)
   T.eq(torch.random(gen, 10), 3)
   T.eq(torch.random(gen, 5, 9), 7)        -- second draw of seed 42 (3421126067 % 5 + 5)
   torch.manualSeed(gen, 42)
   local x = torch.DoubleTensor(3):uniform(gen, -2, 3)
   T.eq(x[1], -0.12729942845180631)
   torch.manualSeed(gen, 42)
   T.tensor_near(torch.randperm(gen, 10), {3, 7, 2, 9, 5, 6, 1, 10, 4, 8}, 0)
   torch.manualSeed(gen, 42)
   T.tensor_near(torch.rand(gen, 4), {0.37454011430963874, 0.79654298420064151,
                                      0.95071431156247854, 0.18343478767201304}, 0)
   torch.manualSeed(gen, 0)
   T.tensor_near(torch.ByteTensor(5):random(gen), {172, 47, 117, 192, 67}, 0)
   torch.manualSeed(gen, 0)
   T.tensor_near(torch.DoubleTensor(5):bernoulli(gen, 0.7), {1, 1, 0, 0, 1}, 0)
   torch.manualSeed(gen, 1)
   local m = torch.multinomial(gen, torch.DoubleTensor({1, 1}), 2)
   T.eq(m:nElement(), 2)
   -- state of one generator only
   torch.manualSeed(gen, 7)
   local st = torch.getRNGState(gen)
   local a = torch.uniform(gen)
   torch.setRNGState(gen, st)
   T.eq(torch.uniform(gen), a)
   T.eq(a, 0.076308291172608733)           -- golden: seed 7's first uniform
   T.eq(torch.random(), 2546248239)        -- the global stream went on undisturbed
   -- two fresh generators are seeded differently
   T.ok(torch.initialSeed(torch.Generator()) ~= torch.initialSeed(torch.Generator()))
   T.ok(tostring(gen):find('torch.Generator', 1, true))
end

function tests.argument_errors()
   T.errors('standard deviation must be strictly positive', function() torch.normal(0, 0) end)
   T.errors('standard deviation must be strictly positive', function() torch.DoubleTensor(2):normal(0, -1) end)
   T.errors('standard deviation must be strictly positive', function() torch.logNormal(1, -2) end)
   T.errors('must be > 0 and < 1', function() torch.geometric(1) end)
   T.errors('must be > 0 and < 1', function() torch.DoubleTensor(2):geometric(0) end)
   T.errors('must be >= 0 and <= 1', function() torch.bernoulli(1.5) end)
   T.errors('must be >= 0 and <= 1', function() torch.ByteTensor(2):bernoulli(-0.5) end)
   T.errors('upper bound must be strictly positive', function() torch.random(0) end)
   T.errors('upper bound must be larger than lower bound', function() torch.random(5, 4) end)
   T.errors('upper bound must be larger than lower bound', function() torch.IntTensor(3):random(5, 4) end)
   T.errors('number has no integer representation', function() torch.random(2.5) end)
   T.errors('number expected', function() torch.uniform('a') end)
   T.errors('number expected', function() torch.exponential() end)
   -- errors draw nothing
   torch.manualSeed(12); local x = torch.random()
   torch.manualSeed(12); pcall(torch.normal, 0, -1); pcall(torch.random, 3, 1)
   T.eq(torch.random(), x)
end

return tests
