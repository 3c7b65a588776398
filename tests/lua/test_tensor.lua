-- Tensors and storages: construction, geometry, views, indexing, copies.
-- Expected values are worked out by hand from Torch7's semantics (torch.md
-- §2-4); element-wise checks read elements one by one through __index.
local T = require 'testlib'
local tests = T.suite()

-- Row-major list of a tensor's elements, read with t[{i,j,...}] one by one.
local function elems(t)
   local out = {}
   local n = t:dim()
   if n == 0 then return out end
   local idx = {}
   for d = 1, n do idx[d] = 1 end
   while true do
      out[#out + 1] = t[idx]
      local d = n
      while d >= 1 do
         idx[d] = idx[d] + 1
         if idx[d] <= t:size(d) then break end
         idx[d] = 1
         d = d - 1
      end
      if d == 0 then return out end
   end
end

local function list_eq(got, want, msg)
   T.eq(#got, #want, (msg or '') .. ' length')
   for i = 1, #want do T.eq(got[i], want[i], (msg or '') .. ' element ' .. i) end
end

local function sizes(t) return t:size():totable() end

-- ---- types and constructors ------------------------------------------------

function tests.types_and_aliases()
   local names = {'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'}
   local esize = {1, 1, 2, 4, 8, 4, 8}
   for i, n in ipairs(names) do
      local t = torch[n .. 'Tensor'](2)
      T.eq(t:type(), 'torch.' .. n .. 'Tensor')
      T.eq(torch.typename(t), 'torch.' .. n .. 'Tensor')
      T.eq(t:elementSize(), esize[i])
      local s = torch[n .. 'Storage'](3)
      T.eq(s:size(), 3)
      T.eq(s:elementSize(), esize[i])
      T.ok(torch.isStorage(s) and not torch.isTensor(s))
      T.ok(torch.isTensor(t) and not torch.isStorage(t))
   end
   T.eq(torch.Tensor, torch.DoubleTensor)
   T.eq(torch.Storage, torch.DoubleStorage)
   T.eq(torch.getdefaulttensortype(), 'torch.DoubleTensor')
   T.ok(not torch.isTensor({}) and not torch.isTensor(3) and not torch.isStorage(nil))
end

function tests.constructor_tables()
   local ctor = torch.FloatTensor
   T.eq(getmetatable(ctor).__typename, 'torch.FloatTensor')
   T.eq(ctor.__typename, 'torch.FloatTensor')
   T.eq(type(ctor.new), 'function')
   T.eq(type(ctor.__factory), 'function')
   local e = ctor.__factory()
   T.eq(e:type(), 'torch.FloatTensor')
   T.eq(e:dim(), 0)
   T.eq(torch.LongStorage.__factory():size(), 0)
   T.eq(torch.getmetatable('torch.FloatTensor'), getmetatable(e))
   T.eq(getmetatable(ctor).__index, getmetatable(e))
   T.eq(getmetatable(e).__constructor, ctor)
   T.ok(torch.isTypeOf(e, ctor))
   T.ok(not torch.isTypeOf(e, torch.DoubleTensor))
end

function tests.setdefaulttensortype()
   torch.setdefaulttensortype('torch.FloatTensor')
   local ok, err = pcall(function()
      T.eq(torch.getdefaulttensortype(), 'torch.FloatTensor')
      T.eq(torch.Tensor, torch.FloatTensor)
      T.eq(torch.Storage, torch.FloatStorage)
      T.eq(torch.Tensor(2):type(), 'torch.FloatTensor')
      T.eq(torch.DoubleTensor(2):real():type(), 'torch.FloatTensor')
   end)
   torch.setdefaulttensortype('torch.DoubleTensor')
   assert(ok, err)
   T.eq(torch.Tensor(1):type(), 'torch.DoubleTensor')
end

function tests.empty_constructor()
   local t = torch.Tensor()
   T.eq(t:dim(), 0)
   T.eq(t:nElement(), 0)
   T.eq(t:storage(), nil)
   T.eq(#t:size():totable(), 0)
   T.eq((#t):size(), 0)
   T.eq(torch.Tensor(0):dim(), 0)
   T.eq(torch.Tensor({}):dim(), 0)
end

function tests.sizes_constructor()
   local t = torch.Tensor(2, 3, 4)
   list_eq(sizes(t), {2, 3, 4})
   list_eq(t:stride():totable(), {12, 4, 1})
   T.eq(t:nElement(), 24)
   T.eq(t:storage():size(), 24)
   T.eq(t:storageOffset(), 1)
   T.ok(t:isContiguous())
   -- a size <= 0 ends the size list (Torch7)
   list_eq(sizes(torch.Tensor(2, 0, 3)), {2})
   -- integral floats are accepted (512.0 from 1024/2)
   list_eq(sizes(torch.Tensor(4 / 2, 6 / 2)), {2, 3})
   local s = torch.LongStorage({3, 2})
   list_eq(sizes(torch.Tensor(s)), {3, 2})
   -- explicit strides: stride -1 means contiguous
   local u = torch.Tensor(torch.LongStorage({2, 3}), torch.LongStorage({1, 2}))
   list_eq(u:stride():totable(), {1, 2})
   T.eq(u:storage():size(), 6)   -- 1 + 1*1 + 2*2
   local v = torch.Tensor(torch.LongStorage({2, 3}), torch.LongStorage({-1, -1}))
   list_eq(v:stride():totable(), {3, 1})
   -- up to 8 sizes as numbers
   T.eq(torch.Tensor(1, 1, 1, 1, 1, 1, 1, 2):dim(), 8)
   -- fresh tensors are zero-filled in Ember
   for _, x in ipairs(elems(t)) do T.eq(x, 0) end
end

function tests.table_constructor()
   local t = torch.Tensor({{1, 2, 3}, {4, 5, 6}})
   list_eq(sizes(t), {2, 3})
   list_eq(elems(t), {1, 2, 3, 4, 5, 6})
   local b = torch.ByteTensor({1, 255, 256, -1})
   list_eq(elems(b), {1, 255, 0, 255})   -- C conversion wraps
   local l = torch.LongTensor({(1 << 53) + 1, -7})
   T.eq(l[1], 9007199254740993)          -- 64-bit integers stay exact
   T.eq(math.type(l[1]), 'integer')
   local f = torch.FloatTensor({0.1})
   T.eq(f[1], 0.100000001490116119384765625)  -- stored as a float
   local c = torch.CharTensor({-3, 130})
   list_eq(elems(c), {-3, -126})
   local d3 = torch.IntTensor({{{1, 2}}, {{3, 4}}})
   list_eq(sizes(d3), {2, 1, 2})
   list_eq(elems(d3), {1, 2, 3, 4})
   local ints = torch.IntTensor({2.9, -2.9})   -- truncation toward zero
   list_eq(elems(ints), {2, -2})
end

function tests.view_constructors()
   local a = torch.Tensor({{1, 2}, {3, 4}})
   local v = torch.Tensor(a)
   T.ok(v ~= a, 'a new C tensor')
   T.ok(v:isSetTo(a))
   v[1][1] = 9
   T.eq(a[1][1], 9)
   local s = torch.DoubleStorage({1, 2, 3, 4, 5, 6})
   local whole = torch.Tensor(s)
   list_eq(sizes(whole), {6})
   local m = torch.Tensor(s, 2, torch.LongStorage({2, 2}))
   list_eq(elems(m), {2, 3, 4, 5})
   local st = torch.Tensor(s, 1, torch.LongStorage({2, 2}), torch.LongStorage({1, 2}))
   list_eq(elems(st), {1, 3, 2, 4})
   -- numbers after the offset are (size, stride) pairs
   local p = torch.Tensor(s, 1, 2, 2)
   list_eq(sizes(p), {2})
   list_eq(elems(p), {1, 3})
   -- the last stride may be omitted (contiguous)
   local q = torch.Tensor(s, 1, 2, 3, 3)
   list_eq(sizes(q), {2, 3})
   list_eq(q:stride():totable(), {3, 1})
   list_eq(elems(q), {1, 2, 3, 4, 5, 6})
   s[1] = 10
   T.eq(whole[1], 10)
end

function tests.new_and_set()
   local f = torch.FloatTensor(2, 2):fill(3)
   local e = f.new()
   T.eq(e:type(), 'torch.FloatTensor')
   T.eq(e:dim(), 0)
   local g = f.new(3)
   T.eq(g:size(1), 3)
   T.eq(g:type(), 'torch.FloatTensor')
   local h = f:new()    -- passes f itself: a view of f
   T.ok(h:isSetTo(f))
   local t = torch.Tensor()
   T.eq(t:set(torch.Tensor({1, 2, 3})), t)
   list_eq(elems(t), {1, 2, 3})
   local s = torch.DoubleStorage({5, 6, 7, 8})
   t:set(s, 2, torch.LongStorage({3}))
   list_eq(elems(t), {6, 7, 8})
   t:set(s, 1, 2, 2)
   list_eq(elems(t), {5, 7})
   t:set()
   T.eq(t:dim(), 0)
   t:set(2, 3)
   list_eq(sizes(t), {2, 3})
end

-- ---- storages ------------------------------------------------------------

function tests.storage_basics()
   local s = torch.DoubleStorage(3)
   T.eq(#s, 3)
   s[1], s[2], s[3] = 1.5, 2, -3
   list_eq(s:totable(), {1.5, 2, -3})
   T.eq(s:fill(4), s)
   list_eq(s:totable(), {4, 4, 4})
   T.eq(s:resize(5), s)
   T.eq(s:size(), 5)
   T.eq(s[3], 4)
   s:resize(2)
   list_eq(s:totable(), {4, 4})
   local l = torch.LongStorage({1, 2, 3})
   T.eq(math.type(l[2]), 'integer')
   local d = torch.DoubleStorage(3):copy(l)
   list_eq(d:totable(), {1, 2, 3})
   T.eq(math.type(d[1]), 'float')
   T.eq(torch.ByteStorage():size(), 0)
end

function tests.storage_views()
   local s = torch.IntStorage({1, 2, 3, 4, 5})
   local v = torch.IntStorage(s, 2, 3)
   list_eq(v:totable(), {2, 3, 4})
   v[1] = 20
   T.eq(s[2], 20)
   local rest = torch.IntStorage(s, 4)
   list_eq(rest:totable(), {4, 5})
end

function tests.storage_string()
   local b = torch.ByteStorage()
   T.eq(b:string('hi!'), b)
   list_eq(b:totable(), {104, 105, 33})
   T.eq(b:string(), 'hi!')
   local c = torch.CharStorage({72, 105})
   T.eq(c:string(), 'Hi')
   T.eq(torch.DoubleStorage(1).string, nil)
end

-- ---- geometry ------------------------------------------------------------

function tests.size_stride_dim()
   local t = torch.Tensor(4, 5)
   T.eq(t:dim(), 2)
   T.eq(t:nDimension(), 2)
   T.eq(t:size(2), 5)
   T.eq(t:size(2.0), 5)
   T.eq(math.type(t:size(1)), 'integer')
   T.eq(t:stride(1), 5)
   T.eq(t:nElement(), 20)
   T.eq(t:numel(), 20)
   T.eq(torch.numel(t), 20)
   local sz = #t
   T.eq(torch.typename(sz), 'torch.LongStorage')
   T.eq(sz[1], 4)
   T.ok(t:size() ~= t:size(), 'a new LongStorage each call')
   T.ok(t:isSize(torch.LongStorage({4, 5})))
   T.ok(not t:isSize(torch.LongStorage({5, 4})))
   T.ok(t:isSameSizeAs(torch.FloatTensor(4, 5)))
   T.ok(not t:isSameSizeAs(torch.Tensor(20)))
end

function tests.is_contiguous()
   local t = torch.Tensor(3, 4)
   T.ok(t:isContiguous())
   T.ok(not t:t():isContiguous())
   T.ok(t:narrow(1, 2, 2):isContiguous())
   T.ok(not t:narrow(2, 2, 2):isContiguous())
   -- size-1 dims do not matter
   T.ok(t:narrow(1, 2, 1):narrow(2, 1, 1):t():isContiguous())
   T.ok(t:select(2, 1):dim() == 1 and not t:select(2, 1):isContiguous())
end

function tests.is_set_to_and_eq()
   local a = torch.Tensor(2, 2)
   local b = torch.Tensor(a)
   T.ok(a:isSetTo(b))
   T.ok(a == a)
   T.ok(a ~= b, 'different C tensors')
   T.ok(not a:isSetTo(a:t()))
   T.ok(not torch.Tensor():isSetTo(torch.Tensor()))
   local s = a:storage()
   T.ok(s == a:storage(), 'boxes of one storage compare equal')
   T.eq(torch.pointer(a:storage()), torch.pointer(s))
   T.ok(torch.pointer(a) ~= torch.pointer(b))
end

function tests.contiguous_and_clone()
   local a = torch.Tensor({{1, 2}, {3, 4}})
   local c = a:contiguous()
   T.ok(c ~= a)
   T.ok(c:isSetTo(a), 'contiguous input: shares the storage')
   local tc = a:t():contiguous()
   T.ok(tc:isContiguous())
   list_eq(elems(tc), {1, 3, 2, 4})
   T.ok(tc:storage() ~= a:storage())
   local cl = a:clone()
   T.ok(cl:storage() ~= a:storage())
   cl[1][1] = 7
   T.eq(a[1][1], 1)
   list_eq(elems(a:t():clone()), {1, 3, 2, 4})
end

function tests.copy_fill_zero()
   local a = torch.Tensor(2, 3)
   T.eq(a:fill(2.5), a)
   list_eq(elems(a), {2.5, 2.5, 2.5, 2.5, 2.5, 2.5})
   T.eq(a:zero(), a)
   list_eq(elems(a), {0, 0, 0, 0, 0, 0})
   -- copy from any type, only element counts must agree
   local src = torch.IntTensor({1, 2, 3, 4, 5, 6})
   T.eq(a:copy(src), a)
   list_eq(elems(a), {1, 2, 3, 4, 5, 6})
   local b = torch.ByteTensor(3, 2):copy(a:t())
   list_eq(elems(b), {1, 4, 2, 5, 3, 6})
   -- fill on a non-contiguous view touches only the view
   local m = torch.Tensor(3, 3):zero()
   m:select(2, 2):fill(1)
   list_eq(elems(m), {0, 1, 0, 0, 1, 0, 0, 1, 0})
   local l = torch.LongTensor(2):fill(2 ^ 40 | 0)
   T.eq(l[2], 1099511627776)
end

function tests.resize()
   local a = torch.Tensor(2, 3)
   a:copy(torch.Tensor({1, 2, 3, 4, 5, 6}))
   T.eq(a:resize(3, 2), a)
   list_eq(elems(a), {1, 2, 3, 4, 5, 6}, 'same storage, data kept')
   a:resize(torch.LongStorage({6}))
   list_eq(sizes(a), {6})
   local s = a:storage()
   a:resize(2)
   T.ok(a:storage() == s, 'never shrinks the storage')
   T.eq(s:size(), 6)
   a:resize(4, 4)
   T.eq(a:storage():size(), 16)
   local e = torch.Tensor():resize(2, 2)
   T.eq(e:nElement(), 4)
   -- explicit strides: the storage grows to cover them
   local w = torch.Tensor():resize(torch.LongStorage({2, 3}), torch.LongStorage({1, 2}))
   list_eq(w:stride():totable(), {1, 2})
   T.eq(w:storage():size(), 6)
   local w2 = torch.Tensor(2):resize(torch.LongStorage({2, 2}), torch.LongStorage({4, -1}))
   list_eq(w2:stride():totable(), {4, 1})
   T.eq(w2:storage():size(), 6)
   local r = torch.FloatTensor():resizeAs(torch.Tensor(3, 1))
   list_eq(sizes(r), {3, 1})
   T.eq(r:type(), 'torch.FloatTensor')
end

function tests.narrow_sub_select()
   local a = torch.Tensor({{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}})
   local n = a:narrow(2, 2, 2)
   list_eq(sizes(n), {3, 2})
   list_eq(elems(n), {2, 3, 6, 7, 10, 11})
   n[1][1] = 0
   T.eq(a[1][2], 0)
   a[1][2] = 2
   list_eq(elems(a:sub(2, 3)), {5, 6, 7, 8, 9, 10, 11, 12})
   list_eq(elems(a:sub(2, 3, 3, 4)), {7, 8, 11, 12})
   list_eq(elems(a:sub(-2, -1, -1, -1)), {8, 12})
   local r = a:select(1, 2)
   list_eq(sizes(r), {4})
   list_eq(elems(r), {5, 6, 7, 8})
   list_eq(elems(a:select(2, 4)), {4, 8, 12})
   -- select on a vector gives the number
   T.eq(r:select(1, 3), 7)
end

function tests.transpose_t_permute()
   local a = torch.Tensor({{1, 2, 3}, {4, 5, 6}})
   list_eq(sizes(a:t()), {3, 2})
   list_eq(elems(a:t()), {1, 4, 2, 5, 3, 6})
   list_eq(elems(a:transpose(1, 2)), {1, 4, 2, 5, 3, 6})
   list_eq(elems(a:transpose(2, 2)), {1, 2, 3, 4, 5, 6})
   local b = torch.Tensor(2, 3, 4)
   local k = 0
   b:apply(function() k = k + 1; return k end)
   local p = b:permute(3, 1, 2)
   list_eq(sizes(p), {4, 2, 3})
   -- p[i][j][l] = b[j][l][i]
   T.eq(p[{2, 1, 3}], b[{1, 3, 2}])
   T.eq(p[{4, 2, 1}], b[{2, 1, 4}])
   T.eq(torch.permute(b, 2, 3, 1):size(1), 3)
end

function tests.unfold()
   local a = torch.Tensor({1, 2, 3, 4, 5, 6, 7})
   local u = a:unfold(1, 3, 2)
   list_eq(sizes(u), {3, 3})   -- (7-3)/2+1
   list_eq(elems(u), {1, 2, 3, 3, 4, 5, 5, 6, 7})
   local m = torch.Tensor({{1, 2, 3, 4}, {5, 6, 7, 8}})
   local v = m:unfold(2, 2, 2)
   list_eq(sizes(v), {2, 2, 2})
   list_eq(elems(v), {1, 2, 3, 4, 5, 6, 7, 8})
   list_eq(v:stride():totable(), {4, 2, 1})
end

function tests.view_and_viewAs()
   local a = torch.Tensor({1, 2, 3, 4, 5, 6})
   local v = a:view(2, 3)
   list_eq(sizes(v), {2, 3})
   T.eq(v[2][1], 4)
   v[2][1] = 40
   T.eq(a[4], 40)
   list_eq(sizes(a:view(-1, 2)), {3, 2})
   list_eq(sizes(a:view(torch.LongStorage({3, -1}))), {3, 2})
   local res = torch.Tensor()
   T.eq(res:view(a, 6, 1), res)
   list_eq(sizes(res), {6, 1})
   T.ok(res:storage() == a:storage())
   list_eq(sizes(torch.view(a, 1, 6)), {1, 6})
   list_eq(sizes(a:viewAs(torch.Tensor(3, 2))), {3, 2})
   local r2 = torch.Tensor()
   r2:viewAs(a, torch.FloatTensor(2, 3))
   list_eq(sizes(r2), {2, 3})
   -- a narrowed view keeps its offset
   local w = a:narrow(1, 3, 4):view(2, 2)
   T.eq(w[1][1], 3)
   T.eq(w:storageOffset(), 3)
end

function tests.expand()
   local a = torch.Tensor({{1}, {2}})
   local e = a:expand(2, 3)
   list_eq(sizes(e), {2, 3})
   list_eq(e:stride():totable(), {1, 0})
   list_eq(elems(e), {1, 1, 1, 2, 2, 2})
   local row = torch.Tensor({{1, 2, 3}})
   list_eq(elems(row:expandAs(torch.Tensor(2, 3))), {1, 2, 3, 1, 2, 3})
   list_eq(sizes(row:expand(torch.LongStorage({4, 3}))), {4, 3})
   local res = torch.Tensor()
   res:expand(a, 2, 2)
   list_eq(elems(res), {1, 1, 2, 2})
   list_eq(sizes(torch.expand(a, 2, 4)), {2, 4})
   -- writing through an expanded view writes the shared element
   e[1][3] = 7
   T.eq(a[1][1], 7)
end

function tests.repeatTensor()
   local a = torch.Tensor({1, 2})
   local r = a:repeatTensor(3)
   list_eq(elems(r), {1, 2, 1, 2, 1, 2})
   local r2 = a:repeatTensor(2, 2)
   list_eq(sizes(r2), {2, 4})
   list_eq(elems(r2), {1, 2, 1, 2, 1, 2, 1, 2})
   local m = torch.Tensor({{1, 2}, {3, 4}})
   local r3 = m:repeatTensor(2, 1)
   list_eq(elems(r3), {1, 2, 3, 4, 1, 2, 3, 4})
   local r4 = m:t():repeatTensor(1, 2)   -- non-contiguous source
   list_eq(elems(r4), {1, 3, 1, 3, 2, 4, 2, 4})
   local res = torch.Tensor()
   T.eq(torch.repeatTensor(res, a, 2), res)
   list_eq(elems(res), {1, 2, 1, 2})
   r[1] = 9
   T.eq(a[1], 1, 'a copy')
   local x = torch.Tensor({{1}, {2}})
   T.eq(x:repeatTensor(x, 1, 2), x)      -- result aliasing the source
   list_eq(sizes(x), {2, 2})
   list_eq(elems(x), {1, 1, 2, 2})
end

function tests.squeeze()
   local a = torch.Tensor(2, 1, 3, 1)
   list_eq(sizes(a:squeeze()), {2, 3})
   list_eq(sizes(a), {2, 1, 3, 1}, 'a itself unchanged')
   list_eq(sizes(a:squeeze(2)), {2, 3, 1})
   list_eq(sizes(a:squeeze(1)), {2, 1, 3, 1}, 'size 2: kept')
   -- quirk: one element gives a number
   local one = torch.Tensor(1, 1, 1):fill(5)
   T.eq(one:squeeze(), 5)
   T.eq(torch.Tensor(1):fill(3):squeeze(1), 3)
   T.eq(torch.squeeze(torch.Tensor(1, 2)):dim(), 1)
   local res = torch.Tensor()
   res:squeeze(a)
   list_eq(sizes(res), {2, 3})
end

function tests.reshape()
   local a = torch.Tensor({{1, 2, 3}, {4, 5, 6}})
   local r = a:reshape(3, 2)
   list_eq(sizes(r), {3, 2})
   list_eq(sizes(a), {2, 3}, 'reshape does not modify a')
   T.ok(r:storage() ~= a:storage(), 'a copy')
   list_eq(elems(torch.reshape(a:t(), 6)), {1, 4, 2, 5, 3, 6})
   local res = torch.Tensor()
   T.eq(res:reshape(a, 1, 6), res)
   list_eq(elems(res), {1, 2, 3, 4, 5, 6})
end

function tests.split_chunk()
   local a = torch.Tensor({1, 2, 3, 4, 5})
   local parts = a:split(2)
   T.eq(#parts, 3)
   list_eq(elems(parts[3]), {5})
   parts[1][1] = 10
   T.eq(a[1], 10, 'views')
   local m = torch.Tensor(2, 6)
   local cols = torch.split(m, 4, 2)
   T.eq(#cols, 2)
   list_eq(sizes(cols[2]), {2, 2})
   local ch = torch.chunk(torch.Tensor(10), 3)
   T.eq(#ch, 3)
   list_eq({ch[1]:size(1), ch[2]:size(1), ch[3]:size(1)}, {4, 4, 2})
   local tbl = {'stale', 'x'}
   T.eq(torch.split(tbl, a, 5), tbl)
   T.eq(#tbl, 1)
   T.eq(#m:chunk(2, 2), 2)
end

-- ---- types ---------------------------------------------------------------

function tests.type_conversions()
   local d = torch.Tensor({1.7, -2.2, 300})
   T.eq(d:type('torch.DoubleTensor'), d, 'same type: same object')
   T.eq(d:double(), d)
   local f = d:float()
   T.eq(f:type(), 'torch.FloatTensor')
   T.ok(f:storage() ~= nil and f:storage() ~= d:storage())
   local b = d:byte()
   list_eq(elems(b), {1, 254, 44})   -- truncation then wrap: -2 -> 254, 300 -> 44
   list_eq(elems(d:int()), {1, -2, 300})
   list_eq(elems(d:long()), {1, -2, 300})
   list_eq(elems(d:short()), {1, -2, 300})
   list_eq(elems(d:char()), {1, -2, 44})
   T.eq(d:typeAs(torch.IntTensor()):type(), 'torch.IntTensor')
   T.eq(d:typeAs(d), d)
   T.eq(torch.Tensor():float():dim(), 0)
   T.ok(d:isTensor())
end

-- ---- element access and __index / __newindex ---------------------------------

function tests.number_index()
   local v = torch.Tensor({10, 20, 30})
   T.eq(v[1], 10)
   T.eq(v[-1], 30)
   T.eq(v[2.0], 20)
   v[3] = 33
   T.eq(v[3], 33)
   v[-3] = 11
   T.eq(v[1], 11)
   local m = torch.Tensor({{1, 2}, {3, 4}})
   local row = m[2]
   list_eq(sizes(row), {2})
   row[1] = 30
   T.eq(m[2][1], 30, 'row is a view')
   T.eq(m[-1][2], 4)
   m[1] = 7                -- fills row 1
   list_eq(elems(m), {7, 7, 30, 4})
   m[2] = torch.IntTensor({5, 6})   -- copies into row 2
   list_eq(elems(m), {7, 7, 5, 6})
   T.eq(math.type(torch.ShortTensor({3})[1]), 'integer')
   T.eq(math.type(torch.FloatTensor({3})[1]), 'float')
end

function tests.table_index()
   local t = torch.Tensor(4, 3, 5)
   local k = 0
   t:apply(function() k = k + 1; return k end)
   T.eq(t[{2, 3, 4}], 5 * 3 + 2 * 5 + 4)
   list_eq(sizes(t[{{}, 1}]), {4, 5})
   list_eq(sizes(t[{{}, 1, {}}]), {4, 5})
   list_eq(sizes(t[{{2, 3}}]), {2, 3, 5})
   list_eq(sizes(t[{{2}, {}, {2, -1}}]), {1, 3, 4})
   list_eq(sizes(t[{-1, {-2, -1}}]), {2, 5})
   list_eq(elems(t[{1, 1, {2, 4}}]), {2, 3, 4})
   list_eq(sizes(t[{}]), {4, 3, 5})
   T.eq(t[{4, 3, -1}], 60)
   -- __newindex with tables: element, fill, copy
   local m = torch.Tensor(3, 3):zero()
   m[{2, 3}] = 5
   T.eq(m[2][3], 5)
   m[{{}, 1}] = 1
   list_eq(elems(m), {1, 0, 0, 1, 0, 5, 1, 0, 0})
   m[{3, {2, 3}}] = torch.LongTensor({8, 9})
   list_eq(elems(m[3]), {1, 8, 9})
   -- the tutorial's one-hot idiom
   local labels = torch.Tensor(2, 10):zero()
   labels[{2, 7}] = 1
   T.eq(labels[2][7], 1)
end

function tests.longstorage_index()
   local m = torch.Tensor({{1, 2}, {3, 4}})
   T.eq(m[torch.LongStorage({2, 1})], 3)
   T.eq(m[torch.LongStorage({-1, -1})], 4)
   m[torch.LongStorage({1, 2})] = 20
   T.eq(m[1][2], 20)
end

function tests.mask_index()
   local t = torch.Tensor({{1, 2}, {3, 4}})
   local mask = torch.ByteTensor({{1, 0}, {0, 1}})
   local sel = t[mask]                  -- maskedSelect: a new 1-D tensor
   list_eq(sizes(sel), {2})
   list_eq(elems(sel), {1, 4})
   sel[1] = 100
   T.eq(t[1][1], 1, 'a copy')
   t[mask] = -1                          -- maskedFill
   list_eq(elems(t), {-1, 2, 3, -1})
   t[mask] = torch.Tensor({5, 6})        -- maskedCopy
   list_eq(elems(t), {5, 2, 3, 6})
   T.errors("bad argument #3 to '__newindex' (number or torch.*Tensor expected, got string)",
      function() t[mask] = 'x' end)
end

function tests.method_lookup()
   local t = torch.Tensor(2)
   T.eq(t.nosuchmethod, nil)
   T.eq(type(t.size), 'function')
   -- methods added through the constructor table reach every instance
   torch.DoubleTensor.__test_method = function(self) return self:dim() + 100 end
   T.eq(t:__test_method(), 101)
   T.eq(torch.FloatTensor(1).__test_method, nil)
   torch.DoubleTensor.__test_method = nil
   T.eq(t.__test_method, nil)
end

-- ---- apply / map / map2 / totable -----------------------------------------

function tests.apply_map()
   local a = torch.Tensor({{1, 2}, {3, 4}})
   local seen = {}
   local at = a:t()
   T.eq(at:apply(function(x) seen[#seen + 1] = x end), at)
   list_eq(seen, {1, 3, 2, 4}, 'row-major order of the view')
   a:apply(function(x) if x > 2 then return x * 10 end end)
   list_eq(elems(a), {1, 2, 30, 40})
   local b = torch.Tensor({1, 1, 1, 1})
   T.eq(a:map(b, function(x, y) return x + y end), a)
   list_eq(elems(a), {2, 3, 31, 41})
   a:map2(b, torch.IntTensor({1, 2, 3, 4}), function(x, y, z) return x - y * z end)
   list_eq(elems(a), {1, 1, 28, 37})
   local i = torch.IntTensor({1, 2})
   i:apply(function(x) return x + 0.9 end)
   list_eq(elems(i), {1, 2})
   T.eq(math.type(i[1]), 'integer')
end

function tests.totable()
   local a = torch.Tensor({{1, 2}, {3, 4}})
   local t = a:totable()
   T.eq(#t, 2)
   T.eq(t[2][1], 3)
   local tt = a:t():totable()
   T.eq(tt[1][2], 3)
   T.eq(#torch.Tensor():totable(), 0)
   local l = torch.LongTensor({5}):totable()
   T.eq(math.type(l[1]), 'integer')
   T.eq(torch.totable(a)[1][2], 2)
   T.eq(torch.totable(torch.IntStorage({4, 5}))[2], 5)
end

function tests.getenv_setenv()
   local t = torch.Tensor(2)
   local env = torch.getenv(t)
   T.eq(type(env), 'table')
   T.eq(torch.getenv(t), env, 'created once')
   env.memo = 1
   local u = torch.Tensor(t)   -- another box: its own environment
   T.eq(torch.getenv(u).memo, nil)
   local mine = {x = 2}
   torch.setenv(u, mine)
   T.eq(torch.getenv(u), mine)
   T.eq(torch.getenv(torch.LongStorage(1)).x, nil)
   T.errors("bad argument #1 to 'getenv' (userdata expected, got table)", torch.getenv, {})
   T.errors("bad argument #2 to 'setenv' (table expected, got number)", torch.setenv, t, 1)
end

function tests.storage_sharing()
   local a = torch.Tensor(3, 3):zero()
   local s = a:storage()
   s[5] = 9
   T.eq(a[2][2], 9)
   local b = torch.Tensor(s, 4, torch.LongStorage({3}))
   list_eq(elems(b), {0, 9, 0})
   T.eq(b:storageOffset(), 4)
   -- collecting the tensor leaves the storage alive
   a = nil
   collectgarbage()
   T.eq(s[5], 9)
   T.eq(b[2], 9)
end

return tests
