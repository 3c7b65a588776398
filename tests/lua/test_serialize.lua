-- torch.save / load / serialize, DiskFile / MemoryFile (t7-format.md, torch.md §13).
-- Expected values come from the golden files written by real Torch7
-- (tests/golden/t7/, t7_objects.out) and from the byte layouts of the spec.
local T = require 'testlib'
local tests = T.suite()

local GOLDEN = 'tests/golden/t7/'
local nn_ok = pcall(require, 'nn')
local optim_ok = pcall(require, 'optim')

local function readall(path)
   local f = assert(io.open(path, 'rb'))
   local s = f:read('a')
   f:close()
   return s
end

local function tmpname(tag)
   return os.tmpname() .. '_' .. tag .. '.t7'
end

local function range(n)
   local t = torch.DoubleTensor(n)
   for i = 1, n do t[i] = i end
   return t
end

-- ------------------------------------------------------------------------
-- the summary printed by golden/t7_objects.lua, ported (LuaJIT prints every
-- nan as `nan`; glibc's %.17g would say `-nan`)

local function fmtv(v)
   if type(v) == 'number' then
      if v ~= v then return 'nan' end
      return string.format('%.17g', v)
   end
   return tostring(v)
end

local function summary(o, depth, seen)
   depth = depth or 0
   seen = seen or {}
   local tn = torch.typename(o)
   if tn and tn:find('Tensor$') then
      if o:dim() == 0 then return tn .. '[]' end
      local vals = {}
      local c = o:contiguous():view(-1)
      for i = 1, math.min(c:nElement(), 12) do vals[#vals + 1] = fmtv(c[i]) end
      return string.format('%s[%s] offset=%d stride=%s {%s}', tn, table.concat(o:size():totable(), 'x'),
         o:storageOffset(), table.concat(o:stride():totable(), ','), table.concat(vals, ' '))
   elseif tn and tn:find('Storage$') then
      local vals = {}
      for i = 1, math.min(o:size(), 12) do vals[#vals + 1] = fmtv(o[i]) end
      return string.format('%s(%d) {%s}', tn, o:size(), table.concat(vals, ' '))
   elseif type(o) == 'table' then
      if seen[o] then return '<cycle/shared ' .. seen[o] .. '>' end
      seen[o] = tn or 'table'
      if depth > 3 then return (tn or 'table') .. '{...}' end
      local keys = {}
      for k in pairs(o) do keys[#keys + 1] = k end
      table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
      local parts = {}
      for _, k in ipairs(keys) do
         local v = o[k]
         if type(v) == 'function' then
            parts[#parts + 1] = tostring(k) .. '=<function>'
         else
            parts[#parts + 1] = tostring(k) .. '=' .. summary(v, depth + 1, seen)
         end
      end
      return (tn or '') .. '{' .. table.concat(parts, ', ') .. '}'
   elseif type(o) == 'string' then
      return string.format('%q', o)
   else
      return fmtv(o)
   end
end

-- {path=..., size=..., mode=..., referenced=..., loaded=...} for each file of
-- t7_objects.out (a `loaded:` text may span lines: strings with newlines)
local function golden_entries()
   local entries, cur = {}, nil
   for line in (readall('tests/golden/t7_objects.out') .. '\n'):gmatch('(.-)\n') do
      local path, size, ref = line:match('^t7/([^:]+): (%d+) bytes, referenced=(%a+)')
      if path then
         cur = {path = path, size = tonumber(size), referenced = ref == 'true',
            mode = path:find('%.ascii%.t7$') and 'ascii' or 'binary'}
         entries[#entries + 1] = cur
      elseif line:match('^  loaded: ') and cur then
         cur.loaded = line:sub(11)
      elseif cur and cur.loaded and not line:match('^t7/') and not line:match(' reload') then
         cur.loaded = cur.loaded .. '\n' .. line
      else
         cur = nil
      end
   end
   return entries
end

local function needs(path)
   if path:match('^nn_') then return 'nn', nn_ok end
   if path:match('^confusion_matrix') then return 'optim', optim_ok end
   return nil, true
end

-- ------------------------------------------------------------------------
-- golden files: every one loads (or fails clearly) and holds what Torch7 saw

function tests.golden_files_load_with_torch7_content()
   local entries = golden_entries()
   T.eq(#entries, 60, 'entries parsed from t7_objects.out')
   local checked = 0
   for _, e in ipairs(entries) do
      local path = GOLDEN .. e.path
      T.eq(#readall(path), e.size, path .. ' size')
      local pkg, available = needs(e.path)
      if e.path:match('^function_closure') then
         -- LuaJIT bytecode (tag 8): refused with the file and offset named
         local err = T.errors('cannot load a serialized Lua function (type tag 8)', torch.load, path, e.mode)
         local at = e.mode == 'binary' and 21 or 12   -- after `{f = ` : table header + key
         T.ok(err:find('reading <' .. path .. '> at byte ' .. at .. ')', 1, true), err)
      elseif not available then
         T.errors('unknown Torch class <' .. pkg .. '.', torch.load, path, e.mode, e.referenced)
      else
         local obj = torch.load(path, e.mode, e.referenced)
         T.eq(summary(obj), e.loaded, path)
         checked = checked + 1
      end
   end
   T.ok(checked >= 40, 'checked ' .. checked)
end

function tests.golden_b32()
   local t = torch.load(GOLDEN .. 'double_2x2.b32.t7', 'b32')
   T.eq(summary(t), 'torch.DoubleTensor[2x2] offset=1 stride=2,1 {1 2 3 4}')
   -- read as native 8-byte longs it is garbage: a clear error, not a crash
   T.ok(not pcall(torch.load, GOLDEN .. 'double_2x2.b32.t7'))
end

function tests.golden_sharing_survives_reload()
   local sr = torch.load(GOLDEN .. 'shared_refs.bin.t7')
   T.ok(sr.list[1] == sr.list[2], 'list[1] == list[2]')
   T.ok(sr.a == sr.b, 'a == b')
   T.eq(torch.pointer(sr.view:storage()), torch.pointer(sr.list[1]:storage()))
   T.eq(torch.pointer(sr.s), torch.pointer(sr.list[1]:storage()))
   local su = torch.load(GOLDEN .. 'shared_refs_unreferenced.bin.t7', 'binary', false)
   T.ok(su[1] ~= su[2] and su[3] ~= su[4], 'unreferenced copies are distinct')
   local cy = torch.load(GOLDEN .. 'cyclic_table.ascii.t7', 'ascii')
   T.ok(cy.self == cy and cy.child.parent == cy, 'cycles')
   if nn_ok then
      local sf = torch.load(GOLDEN .. 'nn_sequential_flat.bin.t7')
      local w, b = sf.modules[1].weight, sf.modules[1].bias
      T.eq(torch.pointer(w:storage()), torch.pointer(b:storage()))
      T.eq(w:storageOffset(), 1)
      T.eq(b:storageOffset(), 7)
      T.eq(w:storage():size(), 8)
   end
end

function tests.loaded_numbers_are_integers_when_integral()
   local v = torch.load(GOLDEN .. 'number_integer.bin.t7')
   T.eq(math.type(v), 'integer')
   T.eq(v, 42)
   local z = torch.load(GOLDEN .. 'number_negzero.ascii.t7', 'ascii')
   T.eq(math.type(z), 'float')
   T.eq(1 / z, -math.huge)
   local a = torch.load(GOLDEN .. 'scalars_array.bin.t7')
   T.eq(math.type(a[11]), 'float')
   T.eq(a[9], 2^53)
end

-- ------------------------------------------------------------------------
-- byte-exact writes for everything whose bytes do not depend on key order

local reproducible = {
   byte_2x3 = function() return torch.ByteTensor{{1, 2, 3}, {250, 255, 0}} end,
   char_4 = function() return torch.CharTensor{-1, 2, 127, -128} end,
   short_3 = function() return torch.ShortTensor{-300, 2, 32767} end,
   int_2x2 = function() return torch.IntTensor{{-70000, 1}, {2, 3}} end,
   long_3 = function() return torch.LongTensor{-1, 2^40, 3} end,
   float_4 = function() return torch.FloatTensor{0.1, -2.5, 1/3, 1e30} end,
   double_2x2 = function() return torch.DoubleTensor{{1, 2}, {3, 4}} end,
   double_2x3x4 = function() return range(24):view(2, 3, 4) end,
   double_transposed_4x3 = function() return range(12):view(3, 4):t() end,
   double_narrow_3x2_offset = function() return range(12):view(3, 4):narrow(2, 2, 2) end,
   double_empty = function() return torch.Tensor() end,
   double_storage = function() return torch.DoubleStorage{1.5, -2, 3} end,
   byte_storage = function() return torch.ByteStorage{0, 10, 13, 255} end,
   scalars_array = function()
      return {1, 0, -0.0, 1e300, -1e-300, 0/0, 1/0, -1/0, 2^53, 123456789, 0.1, 1/3,
              true, false, 'hello', '', 'two\nlines and a \0 byte'}
   end,
   string = function() return 'just a string' end,
   number_integer = function() return 42 end,
   number_negzero = function() return -0.0 end,
   number_nan = function() return 0/0 end,
   boolean_false = function() return false end,
   ['nil'] = function() return nil end,
   nested_array = function() return {{1, {2, {3}}}, {}, {'x'}} end,
}

function tests.byte_exact_serialize_both_modes()
   local n = 0
   for name, build in pairs(reproducible) do
      for _, mode in ipairs({'binary', 'ascii'}) do
         local want = readall(GOLDEN .. name .. (mode == 'binary' and '.bin' or '.ascii') .. '.t7')
         T.eq(torch.serialize(build(), mode), want, name .. ' ' .. mode)
         n = n + 1
      end
   end
   T.eq(n, 42)
end

function tests.byte_exact_save_and_atomic_rename()
   local path = tmpname('save')
   for _, name in ipairs({'double_2x2', 'double_narrow_3x2_offset', 'scalars_array'}) do
      for _, mode in ipairs({'binary', 'ascii'}) do
         torch.save(path, reproducible[name](), mode)
         T.eq(readall(path), readall(GOLDEN .. name .. (mode == 'binary' and '.bin' or '.ascii') .. '.t7'))
      end
   end
   -- a failing save leaves the previous file untouched and no temp file
   local before = readall(path)
   T.errors('Unwritable object <thread> at <?>.x', torch.save, path, {1, 2, x = coroutine.create(print)})
   T.eq(readall(path), before)
   local dir, base = path:match('^(.*)/([^/]*)$')
   local p = io.popen('ls -a ' .. dir)
   local listing = p:read('a')
   p:close()
   T.ok(not listing:find(base:gsub('%p', '%%%0') .. '%..-%.tmp'), 'temp file left behind')
   os.remove(path)
end

function tests.byte_exact_b32_write()
   local path = tmpname('b32')
   local f = torch.DiskFile(path, 'w')
   f:binary()
   f:longSize(4)
   f:writeObject(torch.DoubleTensor{{1, 2}, {3, 4}})
   f:close()
   T.eq(readall(path), readall(GOLDEN .. 'double_2x2.b32.t7'))
   -- b64 is the native layout here
   torch.save(path, torch.DoubleTensor{{1, 2}, {3, 4}})
   T.eq(summary(torch.load(path, 'b64')), 'torch.DoubleTensor[2x2] offset=1 stride=2,1 {1 2 3 4}')
   os.remove(path)
end

function tests.spec_ascii_empty_tensor_and_shared_layout()
   -- t7-format.md §4.1 and §6.3
   T.eq(torch.serialize(torch.Tensor(), 'ascii'), '4\n1\n3\nV 1\n18\ntorch.DoubleTensor\n0\n1\n0\n')
   local t = torch.Tensor{{1, 2}, {3, 4}}
   local s = torch.serialize({t, t}, 'ascii')
   local tensor = '4\n2\n3\nV 1\n18\ntorch.DoubleTensor\n2\n2 2\n2 1\n1\n'
      .. '4\n3\n3\nV 1\n19\ntorch.DoubleStorage\n4\n1 2 3 4\n'
   T.eq(s, '3\n1\n2\n1\n1\n' .. tensor .. '1\n2\n4\n2\n')
   -- two tensors over one storage: the storage is written once
   local x = range(4)
   local u = torch.serialize({x, x:narrow(1, 2, 2)}, 'ascii')
   T.ok(u:find('3\nV 1\n19\ntorch.DoubleStorage\n4\n1 2 3 4\n', 1, true))
   -- the view: nDim 1, size 2, stride 1, offset 2, then only `4, 3` for the storage
   T.eq(u:sub(-12), '1\n2\n1\n2\n4\n3\n')
end

-- ------------------------------------------------------------------------
-- round trips

local function roundtrip(obj, mode, referenced)
   local path = tmpname('rt')
   torch.save(path, obj, mode, referenced)
   local back = torch.load(path, mode, referenced)
   os.remove(path)
   local viaString = torch.deserialize(torch.serialize(obj, mode), mode)
   return back, viaString
end

function tests.roundtrip_every_value_kind()
   local types = {'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'}
   for _, mode in ipairs({'binary', 'ascii'}) do
      for _, v in ipairs({0, 1, -1, 2^31, -2^63, 0.1, 1/3, 1e-310, math.huge, -math.huge, math.pi, 5e300}) do
         local a, b = roundtrip(v, mode)
         T.eq(a, v, 'number ' .. mode)
         T.eq(b, v, 'number ' .. mode)
      end
      local n = roundtrip(0/0, mode)
      T.ok(n ~= n, 'nan')
      for _, s in ipairs({'', 'x', '\n', '\0\1\2\255', string.rep('ab\n', 1000)}) do
         T.eq(roundtrip(s, mode), s)
      end
      T.eq(roundtrip(true, mode), true)
      T.eq(roundtrip(false, mode), false)
      T.eq(roundtrip(nil, mode), nil)
      local tbl = roundtrip({1, 2.5, 'three', [10] = true, k = {z = false}, [1.5] = 'f', [true] = 'bool key'}, mode)
      T.eq(tbl[1], 1)
      T.eq(tbl[2], 2.5)
      T.eq(tbl[3], 'three')
      T.eq(tbl[10], true)
      T.eq(tbl.k.z, false)
      T.eq(tbl[1.5], 'f')
      T.eq(tbl[true], 'bool key')
      for _, tn in ipairs(types) do
         local t = torch[tn .. 'Tensor'](2, 3)
         for i = 1, 2 do
            for j = 1, 3 do t[i][j] = (i * 7 + j * 13) % 100 - (tn == 'Byte' and 0 or 20) end
         end
         local a, b = roundtrip(t, mode)
         T.eq(torch.typename(a), 'torch.' .. tn .. 'Tensor')
         T.tensor_near(a, t, 0)
         T.tensor_near(b, t, 0)
         local s = roundtrip(t:storage(), mode)
         T.eq(torch.typename(s), 'torch.' .. tn .. 'Storage')
         T.eq(s:size(), 6)
         T.eq(s[6], t:storage()[6])
      end
      -- a non-contiguous view comes back as a view of the full storage
      local base = range(20):view(4, 5)
      local v = roundtrip(base:t():narrow(1, 2, 3), mode)
      T.eq(v:storage():size(), 20)
      T.eq(v:storageOffset(), 2)
      T.eq(table.concat(v:stride():totable(), ','), '1,5')
      T.tensor_near(v, base:t():narrow(1, 2, 3), 0)
      -- a 0-element storage and a Float precision case
      T.eq(roundtrip(torch.FloatStorage(), mode):size(), 0)
      T.eq(roundtrip(torch.FloatTensor{0.1}, mode)[1], torch.FloatTensor{0.1}[1])
   end
end

function tests.shared_and_cyclic_references()
   for _, mode in ipairs({'binary', 'ascii'}) do
      local t = range(6)
      local inner = {1}
      local obj = {a = inner, b = inner, t1 = t, t2 = t, v = t:narrow(1, 3, 2), s = t:storage()}
      obj.self = obj
      obj.c = {parent = obj}
      local r = roundtrip(obj, mode)
      T.ok(r.self == r and r.c.parent == r, 'cycles ' .. mode)
      T.ok(r.a == r.b, 'shared table ' .. mode)
      T.ok(r.t1 == r.t2, 'shared tensor ' .. mode)
      T.eq(torch.pointer(r.v:storage()), torch.pointer(r.t1:storage()))
      T.eq(torch.pointer(r.s), torch.pointer(r.t1:storage()))
      r.t1[1] = 99
      T.eq(r.s[1], 99)
      -- two Lua boxes of one C tensor are one object
      local x = range(3)
      local boxes = {x, torch.DoubleTensor():set(x)}
      local rb = roundtrip({x, x}, mode)
      T.ok(rb[1] == rb[2])
      local _ = boxes
      -- referenced = false duplicates (a tree: no cycles)
      local u = roundtrip({inner, inner, t, t}, mode, false)
      T.ok(u[1] ~= u[2] and u[3] ~= u[4], 'unreferenced ' .. mode)
      T.eq(u[3][2], 2)
   end
end

function tests.file_referenced_flag_and_multiple_objects()
   local f = torch.MemoryFile()
   f:binary()
   T.eq(f:isReferenced(), true)
   local t = {1}
   f:writeObject(t)
   f:writeObject(t)   -- second time: a reference only (tag, index)
   f:referenced(false)
   T.eq(f:isReferenced(), false)
   f:writeObject(t)   -- written in full again, with a fresh index
   local bytes = f:_contents()
   T.eq(#bytes, (4 + 4 + 4 + 4 + 8 + 4 + 8) + (4 + 4) + (4 + 4 + 4 + 4 + 8 + 4 + 8))
   T.eq(bytes:sub(45, 52), string.pack('<i4i4', 3, 2))
   f:seek(1)
   f:referenced(true)
   local a, b, c = f:readObject(), f:readObject(), f:readObject()
   T.ok(a == b and a ~= c)
   T.eq(c[1], 1)
   f:close()
end

-- ------------------------------------------------------------------------
-- torch classes (generic path) and unwritable values

local pkg = {}
torch.class('sertest.Point', pkg)
function pkg.Point:__init(x, y) self.x, self.y = x, y end
torch.class('sertest.Custom', pkg)
function pkg.Custom:__init() self.v = 1 end
function pkg.Custom:write(file) file:writeInt(self.v * 10) end
function pkg.Custom:read(file, version)
   self.v = file:readInt()
   self.version = version
end

function tests.torch_class_generic_path()
   local p = pkg.Point(3, 4.5)
   for _, mode in ipairs({'binary', 'ascii'}) do
      local r = roundtrip({p, p}, mode)
      T.eq(torch.typename(r[1]), 'sertest.Point')
      T.eq(r[1].x, 3)
      T.eq(r[1].y, 4.5)
      T.ok(r[1] == r[2])
      local c = roundtrip(pkg.Custom(), mode)
      T.eq(c.v, 10)
      T.eq(c.version, 1)
   end
   -- header: tag 4, index, `V 1`, class name, then the field table
   local s = torch.serialize(pkg.Point(1, 2), 'ascii')
   T.eq(s:sub(1, 33), '4\n1\n3\nV 1\n13\nsertest.Point\n3\n2\n2\n')
   -- a function field is skipped with Torch7's warning
   local q = pkg.Point(1, 2)
   q.f = print
   local lines = {}
   local oldprint = print
   print = function(...) lines[#lines + 1] = table.concat({...}, ' ') end
   local ok, out = pcall(torch.serialize, q)
   print = oldprint
   T.ok(ok, tostring(out))
   T.eq(lines[1], '$ Warning: cannot write object field <f> of <sertest.Point> <?>')
   T.eq(torch.deserialize(out).f, nil)
   -- legacy header (no `V 1`): version 0
   local legacy = '4\n1\n14\nsertest.Custom\n7\n'
   local c = torch.deserialize(legacy, 'ascii')
   T.eq(c.v, 7)
   T.eq(c.version, 0)
end

function tests.unwritable_objects()
   T.errors('Unwritable object <userdata> at <?>.x.y', torch.serialize, {x = {y = io.stdout}})
   T.errors('Unwritable object <thread> at <?>', torch.serialize, coroutine.create(print))
   local err = T.errors('Unwritable object <function> at <?>.f', torch.serialize, {f = function() end})
   T.ok(err:find('does not serialize functions', 1, true), err)
   T.errors('Unwritable object <function> at <?>.1', torch.serialize, {print})
   T.errors('Unwritable object <userdata> at <?>', torch.serialize, torch.MemoryFile())
   -- the name stack is reset after an error: the next write is clean
   local f = torch.MemoryFile()
   pcall(f.writeObject, f, {a = {b = print}})
   T.errors('Unwritable object <function> at <?>.z', f.writeObject, f, {z = print})
end

-- ------------------------------------------------------------------------
-- malformed input: clear errors with the file, the offset and what was expected

function tests.malformed_files()
   local bin = readall(GOLDEN .. 'double_2x2.bin.t7')
   -- truncated anywhere: an error naming the position, never a crash
   for cut = 0, #bin - 1 do
      local ok, err = pcall(torch.deserialize, bin:sub(1, cut))
      T.ok(not ok, 'cut at ' .. cut)
      T.ok(err:find('byte', 1, true) and err:find('<memory>', 1, true), err)
   end
   T.errors('read 0 blocks instead of 1', torch.deserialize, '')
   T.errors('read error: declared size 4 (Double) needs 32 bytes but only 31 are left at byte 127 of <memory>',
      torch.deserialize, bin:sub(1, -2))
   T.errors('read error: read 0 blocks instead of 1 (binary Int at byte 85 of <memory>',
      torch.deserialize, bin:sub(1, 87))
   -- bad type tag
   T.errors('unknown object: bad type tag 9 (expected 0..8) (reading <memory> at byte 0)',
      torch.deserialize, string.pack('<i4', 9))
   -- unknown class name
   T.errors('unknown Torch class <torch.NopeTensor!!> (reading <memory> at byte 0)',
      torch.deserialize, '4\n1\n3\nV 1\n18\ntorch.NopeTensor!!\n0\n', 'ascii')
   -- a reference to an object never read
   T.errors('reference index 5 points nowhere (0 objects read so far)',
      torch.deserialize, '3\n5\n0\n', 'ascii')
   T.errors('reference index 3 points nowhere (1 objects read so far) (reading <memory> at byte 6)',
      torch.deserialize, '3\n1\n1\n3\n3\n0\n1\n1\n', 'ascii')
   -- huge declared sizes are refused before allocating
   T.errors('declared size 2000000000 (Char)', torch.deserialize, '2\n2000000000\nabc\n', 'ascii')
   T.errors('declared size 4611686018427387904 (Double)', torch.deserialize,
      string.pack('<i4i4i4c3i4c19i8', 4, 1, 3, 'V 1', 19, 'torch.DoubleStorage', 2^62))
   T.errors('declared size 2000000000 (Int)', torch.deserialize, '3\n1\n1000000000\n', 'ascii')
   T.errors('table with -1 entries', torch.deserialize, '3\n1\n-1\n', 'ascii')
   -- malformed numbers in ascii
   T.errors('malformed number', torch.deserialize, '1\nzebra\n', 'ascii')
   T.errors('at byte 2 of <memory>', torch.deserialize, '1\nzebra\n', 'ascii')
   -- tensor geometry that does not fit its storage
   local head = '4\n1\n3\nV 1\n18\ntorch.DoubleTensor\n'
   local stor = '4\n2\n3\nV 1\n19\ntorch.DoubleStorage\n4\n1 2 3 4\n'
   T.errors('nDimension 17', torch.deserialize, head .. '17\n', 'ascii')
   T.errors('reach past the end', torch.deserialize, head .. '2\n2 3\n3 1\n1\n' .. stor, 'ascii')
   T.errors('reach past the end', torch.deserialize,
      head .. '2\n3 2\n4611686018427387904 1\n1\n' .. stor, 'ascii')
   -- (found by fuzzing: a zero-size dim next to a huge one overflowed the
   -- element count inside the tensor core)
   T.errors('sizes too large', torch.deserialize, head .. '2\n0 4611686018427387904\n1 1\n1\n' .. stor, 'ascii')
   T.errors('storage offset 4 out of range', torch.deserialize, head .. '1\n2\n1\n4\n' .. stor, 'ascii')
   T.errors('size -2 for dimension 1', torch.deserialize, head .. '1\n-2\n1\n1\n' .. stor, 'ascii')
   T.errors('torch.DoubleStorage expected for its storage, got torch.FloatStorage', torch.deserialize,
      head .. '1\n1\n1\n1\n4\n2\n3\nV 1\n18\ntorch.FloatStorage\n1\n1\n', 'ascii')
   T.errors('torch.DoubleStorage expected for its storage, got number', torch.deserialize,
      head .. '1\n1\n1\n1\n1\n5\n', 'ascii')
   -- a Lua class whose field table is not a table
   T.errors('the fields of <sertest.Point> expected (a table), got number', torch.deserialize,
      '4\n1\n3\nV 1\n13\nsertest.Point\n1\n3\n', 'ascii')
   -- nil table key
   T.errors('table key is nil', torch.deserialize, '3\n1\n1\n0\n1\n1\n', 'ascii')
end

function tests.load_errors_name_the_file()
   T.errors('cannot open </nonexistent/x.t7> in mode r ', torch.load, '/nonexistent/x.t7')
   T.errors('cannot open </nonexistent/dir/x.t7> in mode  w', torch.save, '/nonexistent/dir/x.t7', 1)
   local path = tmpname('bad')
   local f = io.open(path, 'wb')
   f:write(string.pack('<i4i4', 4, 1), '\255\255\255\127')
   f:close()
   local err = T.errors('declared size 2147483647 (Char)', torch.load, path)
   T.ok(err:find('<' .. path .. '>', 1, true), err)
   T.errors('"binary", "ascii", "b32" or "b64" (or nil) expected for mode', torch.load, path, 'text')
   T.errors('"binary" or "ascii" (or nil) expected for mode', torch.save, path, 1, 'b32')
   T.errors('true or false (or nil) expected for referenced', torch.save, path, 1, 'binary', 1)
   os.remove(path)
end

-- ------------------------------------------------------------------------
-- File objects

function tests.file_read_write_forms()
   for _, mode in ipairs({'binary', 'ascii'}) do
      local f = torch.MemoryFile()
      T.eq(f:isBinary(), false)
      f[mode](f)
      T.eq(torch.typename(f), 'torch.MemoryFile')
      f:writeInt(7)
      f:writeDouble(0.5)
      f:writeLong(2^40)
      f:writeByte(torch.ByteStorage{1, 2, 3})
      f:writeFloat(torch.FloatStorage{0.25, -1})
      f:writeShort(-5)
      f:writeChar(65)
      f:writeString('tail')
      f:seek(1)
      local i = f:readInt()
      T.eq(i, 7)
      T.eq(math.type(i), 'integer')
      T.eq(f:readDouble(), 0.5)
      T.eq(f:readLong(), 2^40)
      local b = f:readByte(3)
      T.eq(torch.typename(b), 'torch.ByteStorage')
      T.eq(b:size(), 3)
      T.eq(b[3], 3)
      local fs = torch.FloatStorage(2)
      T.eq(f:readFloat(fs), 2)
      T.eq(fs[2], -1)
      T.eq(f:readShort(), -5)
      T.eq(f:readChar(), 65)
      T.eq(f:readString('*a'), 'tail')
      T.errors('read error', f.readInt, f)
      T.errors('number of values must be non-negative', f.readInt, f, -1)
      f:close()
      T.errors('attempt to use a closed file', f.readInt, f)
   end
end

function tests.file_modes_and_methods()
   local path = tmpname('df')
   local f = torch.DiskFile(path, 'w')
   T.eq(torch.typename(f), 'torch.DiskFile')
   T.eq(f:isWritable(), true)
   T.eq(f:isReadable(), false)
   f:binary():bigEndianEncoding()
   f:writeInt(1)
   f:littleEndianEncoding():writeInt(1)
   f:ascii():writeString('a\nb\n')
   T.eq(f:position(), 13)
   f:close()
   T.eq(readall(path), '\0\0\0\1\1\0\0\0a\nb\n')
   T.errors('attempt to read in a write-only file', function()
      local g = torch.DiskFile(path .. '2', 'w')
      g:readInt()
   end)
   os.remove(path .. '2')
   f = torch.DiskFile(path, 'r')
   f:binary()
   T.eq(f:bigEndianEncoding():readInt(), 1)
   T.eq(f:nativeEndianEncoding():readInt(), 1)
   T.eq(f:readString('*l'), 'a')
   T.eq(f:readString('*l'), 'b')
   T.errors('read 0 blocks instead of 1', f.readString, f, '*l')
   f:quiet()
   T.eq(f:readInt(), 0)
   T.eq(f:hasError(), true)
   f:clearError()
   T.eq(f:hasError(), false)
   f:seek(9)
   T.eq(f:readString(), 'a\nb\n')
   f:seekEnd()
   T.eq(f:position(), 13)
   f:close()
   T.eq(torch.DiskFile('/nonexistent/x', 'r', true), nil)
   T.errors("file mode should be 'r','w' or 'rw'", torch.DiskFile, path, 'a')
   T.errors('Invalid long size', function() torch.DiskFile(path, 'r'):longSize(3) end)
   os.remove(path)

   -- MemoryFile over a CharStorage
   local m = torch.MemoryFile(torch.CharStorage():string('12 34\n'), 'r')
   T.eq(m:readInt(), 12)
   T.eq(m:readInt(), 34)
   T.errors('attempt to write in a read-only file', m.writeInt, m, 1)
   local w = torch.MemoryFile('w')
   w:writeDouble(torch.DoubleStorage{1, 0.1})
   T.eq(w:storage():string(), '1 0.10000000000000001\n')
   T.errors('torch.CharStorage expected', torch.MemoryFile, torch.ByteStorage(2))
end

function tests.serialize_to_storage()
   local obj = {x = range(3), name = 'n'}
   local s = torch.serializeToStorage(obj)
   T.eq(torch.typename(s), 'torch.CharStorage')
   T.eq(s:size(), #torch.serialize(obj))
   local back = torch.deserializeFromStorage(s)
   T.eq(back.name, 'n')
   T.tensor_near(back.x, {1, 2, 3}, 0)
   T.eq(torch.deserializeFromStorage(torch.serializeToStorage(5, 'ascii'), 'ascii'), 5)
   T.ok(torch.saveobj == torch.save and torch.loadobj == torch.load)
end

return tests
