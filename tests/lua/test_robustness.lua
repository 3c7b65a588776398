-- Robustness sweep: every method of the 7 tensor and 7 storage metatables,
-- every function in `torch` (plus the tensor/storage constructors), in
-- `torch._nn` and `torch._nnfast`, and every File method is called inside
-- pcall with argument lists drawn from a pool of hostile values.  The
-- process must survive (a crash kills the whole file, so run.sh reports it),
-- every error must be a non-empty string that reads as a message, and no
-- tensor involved may be left inconsistent (sizes and strides pointing
-- outside the storage) after the call.
--
-- Deterministic: Lua's math.random, seeded per function from its name, so a
-- failure reproduces alone.  Environment:
--   EMBER_ROBUST_ITERS=n     argument lists per function (default 30)
--   EMBER_ROBUST_ONLY=name   only functions whose label contains name
--   EMBER_ROBUST_SKIP=a,b    leave out labels containing a or b (look past a crash)
--   EMBER_ROBUST_VERBOSE=1   print every call to stderr before making it
--                            (the last line before a crash names the culprit)
-- Long run under the sanitizers:
--   make sanitize; EMBER_ROBUST_ITERS=2000 \
--     build-asan/th tests/lua/run.lua tests/lua/test_robustness.lua
local T = require 'testlib'
local tests = T.suite()

local ITERS = tonumber(os.getenv('EMBER_ROBUST_ITERS')) or 30
local ONLY = os.getenv('EMBER_ROBUST_ONLY')
local VERBOSE = os.getenv('EMBER_ROBUST_VERBOSE')
-- Comma-separated labels to leave out (to look past a known crash).
local EXTRA_SKIP = {}
for l in (os.getenv('EMBER_ROBUST_SKIP') or ''):gmatch('[^,]+') do EXTRA_SKIP[l] = true end

local TYPES = {'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'}

-- Functions never called by the sweep, and why.  Everything else in the
-- metatables, `torch` and `torch._nn` is called.
local SKIP = {
   ['torch.load'] = 'opens files',
   ['torch.loadobj'] = 'opens files',
   ['torch.save'] = 'writes files',
   ['torch.saveobj'] = 'writes files',
   ['torch.DiskFile'] = 'opens files',
   ['torch.include'] = 'runs files from disk',
   ['torch._png_load'] = 'opens files',
   ['torch._png_save'] = 'writes files',
   ['torch._idx_load'] = 'opens files',
   ['torch._sys_dir'] = 'lists directories',
   ['torch._sys_mkdir'] = 'creates directories',
   ['torch._sys_rmdir'] = 'removes directories',
   ['torch._sys_usleep'] = 'sleeps',
   ['torch.setenv'] = 'changes the process environment',
   ['torch.class'] = 'registers global classes (checked by hand below)',
   ['torch.newmetatable'] = 'registers global types (checked by hand below)',
}

-- Functions whose numeric arguments may be sizes they allocate and fill:
-- a size like 2^31 is legitimate there (Torch7 would try to allocate 16 GB),
-- so the sweep does not pass them "plausibly huge" numbers (2^20 .. 2^41).
-- Sizes past the storage limit (2^53, -2^63, inf, nan) are still passed.
local ALLOCATES = {}
for _, n in ipairs{'zeros', 'ones', 'rand', 'randn', 'range', 'linspace', 'logspace',
   'randperm', 'eye', 'repeatTensor', 'reshape', 'histc', 'multinomial', 'resize',
   'new', '__factory', 'MemoryFile', 'setnumthreads', 'Storage', 'Tensor',
   'serializeToStorage', 'deserializeFromStorage', 'deserialize'} do
   ALLOCATES[n] = true
end
for _, t in ipairs(TYPES) do
   ALLOCATES[t .. 'Tensor'] = true
   ALLOCATES[t .. 'Storage'] = true
end

-- ------------------------------------------------------------------------
-- The pool: each entry is {name, make, huge}; make() builds a fresh value
-- per call, so a mutating call never changes what later calls receive.

-- Fills a fresh contiguous tensor with small deterministic values: 1..3 for
-- integer types (valid indices and masks), -2..2 with fractions for floats.
local function filled(tn, ...)
   local x = torch[tn .. 'Tensor'](...)
   local s = x:storage()
   if s then
      local float = tn == 'Float' or tn == 'Double'
      for i = 1, s:size() do
         s[i] = float and ((i * 7) % 9 - 4) / 2 or (i % 3) + 1
      end
   end
   return x
end

local function tensor_kinds(tn)
   local T_ = torch[tn .. 'Tensor']
   return {
      {tn .. ' empty', function() return T_() end},
      {tn .. ' size 0', function() return T_(0) end},
      {tn .. ' 1 element', function() return filled(tn, 1) end},
      {tn .. ' vector 5', function() return filled(tn, 5) end},
      {tn .. ' vector 3', function() return filled(tn, 3) end},
      {tn .. ' 3x4', function() return filled(tn, 3, 4) end},
      {tn .. ' 4x3', function() return filled(tn, 4, 3) end},
      {tn .. ' 2x2', function() return filled(tn, 2, 2) end},
      {tn .. ' 2x3x4', function() return filled(tn, 2, 3, 4) end},
      {tn .. ' 1x2x5x5', function() return filled(tn, 1, 2, 5, 5) end},
      {tn .. ' narrowed 4x3 of 4x6', function() return filled(tn, 4, 6):narrow(2, 2, 3) end},
      {tn .. ' transposed 4x3', function() return filled(tn, 3, 4):t() end},
      {tn .. ' expanded 3x4 (stride 0)', function() return filled(tn, 1, 4):expand(3, 4) end},
      {tn .. ' expanded 5 of 1', function() return filled(tn, 1):expand(5) end},
      {tn .. ' strided 3 of 6', function() return filled(tn, 6):unfold(1, 1, 2):select(2, 1) end},
   }
end

local function fn_pool()
   return {
      {'fn noop', function() return function() end end},
      {'fn returns string', function() return function() return 'abc' end end},
      {'fn returns table', function() return function() return {} end end},
      {'fn errors', function() return function() error('boom') end end},
      {'fn collects garbage', function() return function() collectgarbage() return 1 end end},
   }
end

local SCALARS = {
   {'nil', function() return nil end},
   {'true', function() return true end},
   {'false', function() return false end},
   {'0', function() return 0 end},
   {'-1', function() return -1 end},
   {'1', function() return 1 end},
   {'2', function() return 2 end},
   {'3', function() return 3 end},
   {'1.5', function() return 1.5 end},
   {'2.0', function() return 2.0 end},
   {'2^31', function() return 2^31 end, true},
   {'2^31 integer', function() return 1 << 31 end, true},
   {'1e12', function() return 1e12 end, true},
   {'2^53', function() return 2^53 end},
   {'-2^63', function() return -2^63 end},
   {'math.mininteger', function() return math.mininteger end},
   {'math.maxinteger', function() return math.maxinteger end},
   {'math.huge', function() return math.huge end},
   {'-math.huge', function() return -math.huge end},
   {'nan', function() return 0 / 0 end},
   {"''", function() return '' end},
   {"'abc'", function() return 'abc' end},
   {"'2'", function() return '2' end},
   {"'torch.DoubleTensor'", function() return 'torch.DoubleTensor' end},
   {'{}', function() return {} end},
   {'{{}}', function() return {{}} end},
   {'{1,{2}}', function() return {1, {2}} end},
   {'{1,2,3}', function() return {1, 2, 3} end},
   {'{{1,2},{3,4}}', function() return {{1, 2}, {3, 4}} end},
   {"{'a'}", function() return {'a'} end},
   {'io.stdout (foreign userdata)', function() return io.stdout end},
   {'coroutine', function() return coroutine.create(function() end) end},
   {'Generator', function() return torch.Generator() end},
   {'LongStorage{2,3}', function() return torch.LongStorage{2, 3} end},
   {'LongStorage{-1,2}', function() return torch.LongStorage{-1, 2} end},
   {'LongStorage{0}', function() return torch.LongStorage{0} end},
   {'LongStorage{}', function() return torch.LongStorage() end},
   {'LongStorage{1e6,1e6}', function() return torch.LongStorage{1e6, 1e6} end, true},
   {'LongStorage{2^40,2^40}', function() return torch.LongStorage{2^40, 2^40} end},
   {'Long indices {0,99,-5}', function() return torch.LongTensor{0, 99, -5} end},
   {'Double {nan,inf,-inf}', function() return torch.DoubleTensor{0 / 0, math.huge, -math.huge} end},
}

local POOL, PLAUSIBLE, BY_TYPE = {}, {}, {}
for _, e in ipairs(SCALARS) do POOL[#POOL + 1] = e end
for _, e in ipairs(fn_pool()) do POOL[#POOL + 1] = e end
for _, tn in ipairs(TYPES) do
   BY_TYPE[tn] = tensor_kinds(tn)
   for _, e in ipairs(BY_TYPE[tn]) do POOL[#POOL + 1] = e end
   local S = torch[tn .. 'Storage']
   POOL[#POOL + 1] = {tn .. 'Storage(4)', function() return S(4) end}
   POOL[#POOL + 1] = {tn .. 'Storage()', function() return S() end}
end
-- Values likely to get past the first argument checks, so the sweep also
-- reaches the deeper code: small dims and counts, index and mask tensors.
for _, e in ipairs(SCALARS) do
   if ({['1'] = 1, ['2'] = 1, ['3'] = 1, ['0'] = 1, ['nil'] = 1})[e[1]] then
      PLAUSIBLE[#PLAUSIBLE + 1] = e
   end
end
for _, e in ipairs(BY_TYPE.Long) do PLAUSIBLE[#PLAUSIBLE + 1] = e end
for _, e in ipairs(BY_TYPE.Byte) do PLAUSIBLE[#PLAUSIBLE + 1] = e end

local function pick(list) return list[math.random(#list)] end

-- ------------------------------------------------------------------------
-- Checks.

-- An error must be a string with a message after the `file:line:` prefix,
-- printable, with no unexpanded printf directive or "(null)".
local function bad_message(err)
   if type(err) ~= 'string' then return 'error value is a ' .. type(err) end
   local body = err:gsub('^[^\n]-:%d+: ', '')
   if body:match('^%s*$') then return 'empty error message' end
   if body:find('(null)', 1, true) then return 'message contains (null)' end
   if body:find('%%[dsfgiul]') then return 'message contains a printf directive' end
   if body:find('[%z\1-\8\11-\31\127]') then return 'message contains control bytes' end
   return nil
end

-- A tensor must stay self-consistent: sizes >= 0, every element inside its
-- storage, and readable (clone walks every element, so ASan sees overruns).
local function bad_tensor(x)
   local ok, err = pcall(function()
      local n, dim = x:nElement(), x:dim()
      if dim < 0 or dim > 16 then return 'dim ' .. dim end
      local count, last = 1, x:storageOffset()
      for d = 1, dim do
         local sz, st = x:size(d), x:stride(d)
         if sz < 0 then return 'negative size ' .. sz end
         count = count * sz
         if sz > 0 then last = last + (sz - 1) * st end
      end
      if dim > 0 and count ~= n then return 'nElement ' .. n .. ' but sizes give ' .. count end
      if n > 0 then
         local s = x:storage()
         if not s then return 'non-empty tensor without storage' end
         if x:storageOffset() < 1 or last > s:size() then
            return string.format('elements up to %d in a storage of %d', last, s:size())
         end
         if n <= 10000 then x:clone() end
      end
   end)
   if not ok then return 'inspecting it failed: ' .. tostring(err) end
   return err
end

-- ------------------------------------------------------------------------
-- The sweep.

local stats = {functions = 0, calls = 0, errors = 0}

local function seed_of(label)
   local h = 5381
   for i = 1, #label do h = (h * 33 + label:byte(i)) % 2147483647 end
   return h
end

-- Calls fn ITERS times with random argument lists; self_kinds (or nil) is
-- the list the first argument is usually drawn from.  Returns a list of
-- problems found (strings).
local function sweep(label, fn, self_kinds, name)
   if ONLY and not label:find(ONLY, 1, true) then return {} end
   for l in pairs(EXTRA_SKIP) do if label:find(l, 1, true) then return {} end end
   local problems = {}
   local allocates = ALLOCATES[name]
   math.randomseed(seed_of(label))
   stats.functions = stats.functions + 1
   for _ = 1, ITERS do
      local nargs = math.random(0, 5)
      local entries = {}
      local i = 1
      while i <= nargs do
         local e
         if i == 1 and self_kinds and math.random() < 0.8 then
            e = pick(self_kinds)
         elseif self_kinds and math.random() < 0.35 then
            e = pick(self_kinds)
         elseif math.random() < 0.3 then
            e = pick(PLAUSIBLE)
         else
            e = pick(POOL)
         end
         if not (allocates and e[3]) then
            entries[i] = e
            i = i + 1
         end
      end
      local args, names = {}, {}
      for k = 1, nargs do
         args[k] = entries[k][2]()
         names[k] = entries[k][1]
      end
      local desc = label .. '(' .. table.concat(names, ', ') .. ')'
      if VERBOSE then io.stderr:write(desc, '\n'); io.stderr:flush() end
      local default = torch.getdefaulttensortype()
      local threads = torch.getnumthreads()
      torch.manualSeed(1)
      local res = table.pack(pcall(fn, table.unpack(args, 1, nargs)))
      torch.setdefaulttensortype(default)
      torch.setnumthreads(threads)
      stats.calls = stats.calls + 1
      if not res[1] then
         stats.errors = stats.errors + 1
         local why = bad_message(res[2])
         if why then problems[#problems + 1] = desc .. ': ' .. why .. ': ' .. tostring(res[2]) end
      end
      -- Arguments and results must be consistent whether the call failed or not.
      local function check(v, what)
         if torch.isTensor(v) then
            local why = bad_tensor(v)
            if why then problems[#problems + 1] = desc .. ': ' .. what .. ' inconsistent: ' .. why end
         end
      end
      for k = 1, nargs do check(args[k], 'argument #' .. k) end
      if res[1] then for k = 2, res.n do check(res[k], 'result #' .. (k - 1)) end end
   end
   return problems
end

local function report(problems)
   if #problems > 0 then
      local shown = {}
      for k = 1, math.min(#problems, 15) do shown[k] = problems[k] end
      error(string.format('%d problems:\n%s', #problems, table.concat(shown, '\n')), 0)
   end
end

local function sorted_keys(t)
   local keys = {}
   for k in pairs(t) do if type(k) == 'string' then keys[#keys + 1] = k end end
   table.sort(keys)
   return keys
end

function tests.sweep_tensor_methods()
   local problems = {}
   for _, tn in ipairs(TYPES) do
      local mt = torch.getmetatable('torch.' .. tn .. 'Tensor')
      for _, k in ipairs(sorted_keys(mt)) do
         local label = 'torch.' .. tn .. 'Tensor.' .. k
         if type(mt[k]) == 'function' and not SKIP[label] then
            for _, p in ipairs(sweep(label, mt[k], BY_TYPE[tn], k)) do problems[#problems + 1] = p end
         end
      end
   end
   report(problems)
end

function tests.sweep_storage_methods()
   local problems = {}
   for _, tn in ipairs(TYPES) do
      local name = 'torch.' .. tn .. 'Storage'
      local mt = torch.getmetatable(name)
      local kinds = {
         {tn .. 'Storage(4)', function() return torch[tn .. 'Storage'](4) end},
         {tn .. 'Storage()', function() return torch[tn .. 'Storage']() end},
         {tn .. 'Storage{1,2,3}', function() return torch[tn .. 'Storage']{1, 2, 3} end},
      }
      for _, k in ipairs(sorted_keys(mt)) do
         local label = name .. '.' .. k
         if type(mt[k]) == 'function' and not SKIP[label] then
            for _, p in ipairs(sweep(label, mt[k], kinds, k)) do problems[#problems + 1] = p end
         end
      end
   end
   report(problems)
end

function tests.sweep_torch_functions()
   local problems = {}
   for _, k in ipairs(sorted_keys(torch)) do
      local label = 'torch.' .. k
      local v = torch[k]
      local callable = type(v) == 'function'
         or (type(v) == 'table' and getmetatable(v) and getmetatable(v).__call
             and (k:match('Tensor$') or k:match('Storage$')))
      if callable and k ~= '_nn' and not SKIP[label] then
         for _, p in ipairs(sweep(label, v, nil, k)) do problems[#problems + 1] = p end
      end
   end
   report(problems)
end

function tests.sweep_nn_kernels()
   local problems = {}
   -- Float and Double tensors of every shape as the likely first argument.
   local kinds = {}
   for _, e in ipairs(BY_TYPE.Double) do kinds[#kinds + 1] = e end
   for _, e in ipairs(BY_TYPE.Float) do kinds[#kinds + 1] = e end
   -- torch._nnfast: the fused fast paths some nn modules call
   for _, tname in ipairs{'_nn', '_nnfast'} do
      local tbl = torch[tname] or {}
      for _, k in ipairs(sorted_keys(tbl)) do
         local label = 'torch.' .. tname .. '.' .. k
         if type(tbl[k]) == 'function' and not SKIP[label] then
            for _, p in ipairs(sweep(label, tbl[k], kinds, k)) do problems[#problems + 1] = p end
         end
      end
   end
   report(problems)
end

-- Objects to serialize: tensors, a storage shared by two tensors, nested
-- and self-referencing tables, every scalar type.
local function serializable()
   local shared = torch.DoubleTensor(4):fill(2)
   local t = {1.5, 'abc', true, {x = torch.FloatTensor(2, 3):fill(1)}, shared, shared:narrow(1, 2, 2)}
   t.self = t
   return {torch.DoubleTensor(2, 3):fill(3), torch.LongStorage{1, 2, 3}, t,
      torch.ByteTensor(1, 4):fill(9):expand(3, 4)}
end

-- Methods of the File class (MemoryFile and its parents).
local function file_methods()
   local m, seen, methods = getmetatable(torch.MemoryFile()), {}, {}
   while type(m) == 'table' and not seen[m] do
      seen[m] = true
      for k, v in pairs(m) do
         if type(k) == 'string' and type(v) == 'function' and not methods[k] then methods[k] = v end
      end
      local mm = getmetatable(m)
      m = mm and mm.__index
   end
   return methods
end

function tests.sweep_file_methods()
   local blobs = {}
   for _, o in ipairs(serializable()) do
      blobs[#blobs + 1] = torch.serializeToStorage(o)
      blobs[#blobs + 1] = torch.serializeToStorage(o, 'ascii')
   end
   local kinds = {
      {'MemoryFile() for writing', function() return torch.MemoryFile() end},
      {'MemoryFile() ascii', function() return torch.MemoryFile():ascii() end},
      {'MemoryFile closed', function() local f = torch.MemoryFile() f:close() return f end},
      {'MemoryFile of random bytes', function()
         local s = torch.CharStorage(64)
         for i = 1, 64 do s[i] = math.random(-128, 127) end
         return torch.MemoryFile(s, 'r')
      end},
   }
   for i, b in ipairs(blobs) do
      kinds[#kinds + 1] = {'MemoryFile reading serialized object ' .. i, function()
         return torch.MemoryFile(b, 'r')
      end}
   end
   local problems = {}
   local methods = file_methods()
   for _, k in ipairs(sorted_keys(methods)) do
      local label = 'torch.MemoryFile.' .. k
      for _, p in ipairs(sweep(label, methods[k], kinds, k)) do problems[#problems + 1] = p end
   end
   report(problems)
end

-- Corrupt serialized data: truncations, byte changes, huge counts written
-- over 4 or 8 bytes, random garbage.  Each must load or fail with a
-- message, and anything loaded must be consistent.
function tests.corrupt_serialized_data()
   if ONLY and not ('deserialize'):find(ONLY, 1, true) then return end
   math.randomseed(seed_of('deserialize'))
   local problems = {}
   local function try(desc, str, mode)
      if VERBOSE then io.stderr:write(desc, '\n'); io.stderr:flush() end
      stats.calls = stats.calls + 1
      local ok, res = pcall(torch.deserialize, str, mode)
      if not ok then
         -- <...> quotes bytes from the file, which may well contain '%g'
         local why = bad_message(type(res) == 'string' and res:gsub('<[^>]*>', '<>') or res)
         if why then problems[#problems + 1] = desc .. ': ' .. why .. ': ' .. tostring(res) end
      elseif torch.isTensor(res) then
         local why = bad_tensor(res)
         if why then problems[#problems + 1] = desc .. ': result inconsistent: ' .. why end
      end
   end
   local huge = {'\255\255\255\127', '\255\255\255\255', '\0\0\0\128',
      '\255\255\255\255\255\255\255\127', '\0\0\0\0\0\0\0\128', '\0\0\0\0'}
   stats.functions = stats.functions + 1
   for oi, o in ipairs(serializable()) do
      for _, mode in ipairs{'binary', 'ascii'} do
         local good = torch.serialize(o, mode)
         for it = 1, ITERS * 4 do
            local s, how = good, nil
            local r = math.random(4)
            local at = math.random(#good)
            if r == 1 then
               s, how = good:sub(1, at - 1), 'truncated at ' .. (at - 1)
            elseif r == 2 then
               local c = math.random(0, 255)
               s, how = good:sub(1, at - 1) .. string.char(c) .. good:sub(at + 1), 'byte ' .. at .. ' = ' .. c
            elseif r == 3 then
               local h = huge[math.random(#huge)]
               s, how = good:sub(1, at - 1) .. h .. good:sub(at + #h), 'huge count at ' .. at
            else
               local junk = {}
               for k = 1, math.random(1, 16) do junk[k] = string.char(math.random(0, 255)) end
               s, how = good:sub(1, at - 1) .. table.concat(junk) .. good:sub(at), 'junk inserted at ' .. at
            end
            try(string.format('deserialize(object %d %s, %s #%d)', oi, mode, how, it), s, mode)
         end
      end
   end
   for it = 1, ITERS do
      local junk = {}
      for k = 1, math.random(0, 64) do junk[k] = string.char(math.random(0, 255)) end
      try('deserialize(random bytes #' .. it .. ')', table.concat(junk), 'binary')
   end
   report(problems)
end

-- File.lua: a class name with control bytes was quoted raw in the message.
function tests.regression_class_name_control_bytes()
   local s = torch.serialize(torch.DoubleTensor(1))
   local at = s:find('DoubleTensor', 1, true)
   local bad = s:sub(1, at + 3) .. '\1' .. s:sub(at + 5)
   T.errors('unknown Torch class <torch.Doub\\1eTensor>', torch.deserialize, bad)
end

-- torch.load of a file of random bytes fails with a message naming it.
function tests.load_random_bytes_file()
   math.randomseed(seed_of('load'))
   local path = os.tmpname()
   local f = assert(io.open(path, 'wb'))
   for _ = 1, 100 do f:write(string.char(math.random(0, 255))) end
   f:close()
   local ok, err = pcall(torch.load, path)
   os.remove(path)
   T.eq(ok, false)
   T.eq(bad_message(err), nil)
end

-- ------------------------------------------------------------------------
-- Regressions: each call once crashed; it must now raise this error.

local function tmt(tn) return torch.getmetatable('torch.' .. (tn or 'Double') .. 'Tensor') end
local function smt(tn) return torch.getmetatable('torch.' .. (tn or 'Double') .. 'Storage') end

local REGRESSIONS = {
   -- lmath.c: the operators assumed one operand was a tensor
   {'__mul with one number', "bad argument #2 to '__mul' (torch.*Tensor expected, got no value)",
    function() return tmt('Byte').__mul(3) end},
   {'__add of two numbers', "bad argument #2 to '__add' (torch.*Tensor expected, got number)",
    function() return tmt().__add(1, 2) end},
   {'__sub with one number', "bad argument #2 to '__sub' (torch.*Tensor expected, got no value)",
    function() return tmt().__sub(2) end},
   -- ltensor.c: __index looked up a method in the metatable of a value with none
   {'tensor __index with a string key on a number', "bad argument #1 to '__index' (torch.*Tensor expected, got number)",
    function() return tmt().__index(5, 'add') end},
   {'storage __index with a string key on a thread', "bad argument #1 to '__index' (torch.*Storage expected, got thread)",
    function() return smt('Char').__index(coroutine.create(print), 'size') end},
   -- lmath.c: dimensions were cast to int (2^31 overflowed, 2^32+1 became 1)
   {'cat along dim 2^31', "bad argument #3 to 'cat' (invalid dimension 2147483648)",
    function() return torch.cat(torch.Tensor(2), torch.Tensor(2), 2^31) end},
   {'sum along dim 2^32+1', 'sum: dimension 4294967297 out of range',
    function() return torch.Tensor(2, 2):sum(2^32 + 1) end},
   -- tensor_math.c: diag computed n + |k| and -k with overflow
   {'diag of a vector at k = maxinteger', 'diag: diagonal 9223372036854775807 out of range',
    function() return torch.CharTensor(1):diag(math.maxinteger) end},
   {'diag of a matrix at k = mininteger', 'diag: diagonal -9223372036854775808 out of range',
    function() return torch.DoubleTensor(3, 3):diag(math.mininteger) end},
   -- tensor.c: a view's extent wrapped with huge strides and passed the bounds check
   {'view with stride 2^62', 'view out of storage bounds',
    function() return torch.DoubleTensor(torch.DoubleStorage(4), 1, torch.LongStorage{3},
       torch.LongStorage{2^62}) end},
   {'view with two strides 2^62', 'view out of storage bounds',
    function() return torch.DoubleTensor(torch.DoubleStorage(4), 1, torch.LongStorage{3, 2},
       torch.LongStorage{2^62, 2^62}) end},
   -- ltensor.c: reshape multiplied the sizes before checking them
   {'reshape to 2^40 x 2^40', 'tensor of size 1099511627776x1099511627776 is too large to allocate',
    function() return torch.reshape(torch.LongTensor(2, 3, 4), torch.LongStorage{2^40, 2^40}) end},
   -- ltensor.c/tensor.c: view's size product wrapped: to 0 (x % 0, SIGFPE) or to nElement
   {'view 2^32 x 2^32 x -1', 'Wrong size for view. Input size: 12. Output size: 4294967296x4294967296x-1',
    function() return torch.Tensor(12):view(2^32, 2^32, -1) end},
   {'view 4 x (2^62+3)', 'Wrong size for view. Input size: 12. Output size: 4x4611686018427387907',
    function() return torch.Tensor(12):view(4, (1 << 62) + 3) end},
   -- tensor.c: expand accepted sizes whose product overflows nElement
   {'expand to 2^32 x 2^32', "bad argument #2 to 'expand' (expand: too many elements (the sizes multiply beyond 2^63))",
    function() return torch.DoubleTensor(1, 1):expand(2^32, 2^32) end},
   -- lnn.c: the norm p was cast to int (2^32+1 became 1)
   {'MultiMarginCriterion p = 2^32+1',
    "bad argument #5 to 'MultiMarginCriterion_updateOutput' (number 4294967297 out of range)",
    function() return torch._nn.MultiMarginCriterion_updateOutput(torch.Tensor(2, 3):fill(1),
       torch.LongTensor{1, 2}, torch.Tensor(1), true, 2^32 + 1) end},
   -- lfile.c: longSize was cast to int (2^32+4 became a valid 4)
   {'longSize 2^32+4', 'Invalid long size specified: expected 0, 4 or 8, got 4294967300',
    function() local f = torch.MemoryFile() return f:longSize(2^32 + 4) end},
}

for _, r in ipairs(REGRESSIONS) do
   tests['regression: ' .. r[1]] = function() T.errors(r[2], r[3]) end
end

-- __gc called by hand with a foreign value released it as a tensor/storage.
function tests.regression_gc_foreign_values()
   local s = torch.ByteStorage(3)
   tmt('Byte').__gc(s)                 -- a storage is not a tensor box: ignored
   tmt().__gc(io.stdout)               -- nor is a FILE*
   smt().__gc(torch.DoubleTensor(2))   -- nor a tensor for the storage __gc
   smt('Byte').__gc(io.stdout)
   s:fill(7)
   T.eq(s[3], 7)
   io.stdout:write('')                 -- still open
   -- A tensor released by hand is no longer a tensor, and says so.
   local x = torch.DoubleTensor(3)
   tmt().__gc(x)
   tmt().__gc(x)                       -- twice is harmless
   T.errors("bad argument #1 to 'size' (torch.*Tensor expected, got torch.DoubleTensor)",
      function() return x:size() end)
end

-- The th running this file (build/th or build-asan/th).
local function th_path()
   for i = -1, 0 do
      if arg and type(arg[i]) == 'string' and arg[i]:match('th$') then return arg[i] end
   end
   return 'build/th'
end

-- The REPL keeps reading after an error, also one whose message cannot be
-- printed (a __tostring that raises once killed the session).
function tests.repl_survives_errors()
   local input = table.concat({
      'x = torch.Tensor(2,2)',
      'x:narrow(5,1,1)',
      'error(setmetatable({}, {__tostring=function() error("x") end}))',
      'setmetatable({}, {__tostring=function() error("y") end})',
      'torch.Tensor(2):add(torch.Tensor(3))',
      "print('still' .. ' alive')",
   }, '\n') .. '\n'
   local path = os.tmpname()
   local f = assert(io.open(path, 'w'))
   f:write(input)
   f:close()
   local p = assert(io.popen(th_path() .. ' < ' .. path .. ' 2>&1', 'r'))
   local out = p:read('a')
   local _, _, code = p:close()
   os.remove(path)
   T.ok(out:find("bad argument #2 to 'narrow' (dimension 5 out of range of 2D tensor)", 1, true),
      'narrow error not shown: ' .. out)
   T.ok(out:find('still alive', 1, true), 'REPL died before the last line: ' .. out)
   T.eq(code, 0)
end

-- lsys.c: a huge fd was cast from double to int (undefined behaviour).
function tests.regression_isatty_huge_fd()
   T.eq(torch._sys_isatty(2^40), false)
   T.eq(torch._sys_isatty(-1), false)
end

-- ltensor.c: apply/map callbacks that resize the tensors made the loop
-- write past the (reallocated) storage: heap corruption.
function tests.regression_apply_callback_resizes()
   local x = torch.DoubleTensor(1000):fill(1)
   T.errors("bad argument #2 to 'apply' (the function resized the storage of tensor #1 during the call)",
      function() x:apply(function() x:storage():resize(1) return 2 end) end)
   local y = torch.DoubleTensor(1000):fill(1)
   x = torch.DoubleTensor(1000):fill(1)
   T.errors("bad argument #3 to 'map' (the function resized the storage of tensor #2 during the call)",
      function() x:map(y, function() y:storage():resize(1) return 2 end) end)
   -- re-setting or resizing the tensor itself: the loop keeps the old view
   x = torch.DoubleTensor(100):fill(1)
   x:apply(function() x:resize(0) collectgarbage() return 3 end)
   T.eq(x:dim(), 0)
   x = torch.DoubleTensor(100):fill(1)
   local old = x:storage()
   x:apply(function() x:set(torch.DoubleStorage(1)) collectgarbage() return 2 end)
   T.eq(old[100], 2)
end

-- storage.c: resizing a storage that a storage view points into left the
-- view's data pointer dangling (use after free).
function tests.regression_resize_viewed_storage()
   local s = torch.DoubleStorage(10):fill(1)
   local v = torch.DoubleStorage(s, 2, 3)
   T.errors("bad argument #1 to 'resize' (cannot resize a storage while 1 storage view(s) point into it)",
      function() s:resize(1000000) end)
   local t = torch.DoubleTensor(s)
   T.errors('cannot resize a storage while 1 storage view(s) point into it',
      function() t:resize(1000) end)
   v[1] = 5
   T.eq(s[2], 5)
   v = nil
   collectgarbage()
   s:resize(20)   -- no view left
   T.eq(s:size(), 20)
end

-- tensor_math.c: range's element count was cast from a double unchecked
-- and n * 8 wrapped to a small buffer that the loop overran.
function tests.regression_range_huge()
   T.errors('range: cannot make a range of 2.30584e+18 elements (from 0 to 2.30584e+18 by 1)',
      torch.range, 0, 2^61)
   T.errors('range: cannot make a range of inf elements', torch.range, -math.huge, 1)
   T.errors('range: cannot make a range of', torch.range, 0 / 0, 1)
   T.tensor_near(torch.range(3, 1, -1), {3, 2, 1})
end

-- lmath.c: setnumthreads cast its argument to int (2^32 + 2 became 2).
function tests.regression_setnumthreads_huge()
   local before = torch.getnumthreads()
   torch.setnumthreads(100000)
   local most = torch.getnumthreads()   -- OpenBLAS's own maximum
   torch.setnumthreads(2^32 + 2)
   T.eq(torch.getnumthreads(), most)
   torch.setnumthreads(before)
end

-- lmath.c: an empty LongStorage of sizes memcpy'd from NULL (UBSan).
function tests.regression_zeros_empty_sizes()
   T.eq(torch.zeros(torch.LongStorage()):dim(), 0)
   T.eq(torch.ByteTensor(3):zeros(torch.LongStorage()):dim(), 0)
end

-- torch.class / torch.newmetatable (left out of the sweep because they
-- register global names): bad arguments are clear errors.
function tests.class_registration_misuse()
   for _, args in ipairs{{}, {1}, {{}}} do
      T.errors('<class name> [<parent class name>] [<module table>] expected',
         function() return torch.class(table.unpack(args)) end)
   end
   T.errors("bad argument #1 to 'newmetatable' (string expected, got nil)", torch.newmetatable)
   T.errors("bad argument #1 to 'newmetatable' (string expected, got table)",
      torch.newmetatable, {})
   T.errors('invalid parent class name nope', torch.newmetatable, 'robustnessT', 'nope')
end

function tests.sweep_coverage()
   -- Printed so the run shows how much was exercised.
   print(string.format('robustness sweep: %d functions, %d calls (%d raised errors), %d per function',
      stats.functions, stats.calls, stats.errors, ITERS))
   if not ONLY then T.ok(stats.functions > 1000, 'expected >1000 functions swept, got ' .. stats.functions) end
end

return tests
