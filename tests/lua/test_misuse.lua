-- Misuse of tensors and storages: every bad call must raise a Lua error
-- that names the function, says what was expected and what came, and keeps
-- Torch7's key phrase.  Each case is {name, {fragments...}, fn}: all
-- fragments must appear in the message.  After the errors, the objects
-- involved must still be usable (nothing half-modified).
local T = require 'testlib'
local tests = T.suite()

local function m23() return torch.Tensor(2, 3) end

local cases = {
   -- size / stride / dims
   {'size dim too big', {"bad argument #2 to 'size'", 'dimension 3 out of range of 2D tensor'},
    function() return m23():size(3) end},
   {'size dim zero', {"'size'", 'dimension 0 out of range of 2D tensor'},
    function() return m23():size(0) end},
   {'size dim not a number', {"bad argument #2 to 'size'", 'number expected, got string'},
    function() return m23():size('a') end},
   {'size dim not integral', {"'size'", 'number has no integer representation'},
    function() return m23():size(1.5) end},
   {'stride dim out of range', {"'stride'", 'dimension 3 out of range of 2D tensor'},
    function() return m23():stride(3) end},
   {'size of empty tensor', {"'size'", 'dimension 1 out of range of 0D tensor'},
    function() return torch.Tensor():size(1) end},
   -- narrow / sub / select
   {'narrow bad dim', {"bad argument #2 to 'narrow'", 'dimension 3 out of range of 2D tensor'},
    function() return m23():narrow(3, 1, 1) end},
   {'narrow index zero', {"bad argument #3 to 'narrow'", 'index 0 out of range', 'size 3'},
    function() return m23():narrow(2, 0, 1) end},
   {'narrow too long', {"bad argument #4 to 'narrow'", 'out of range', 'indices 2..4'},
    function() return m23():narrow(2, 2, 3) end},
   {'narrow negative size', {"bad argument #4 to 'narrow'", 'size -1 out of range'},
    function() return m23():narrow(2, 2, -1) end},
   {'narrow missing size', {"bad argument #4 to 'narrow'", 'number expected, got no value'},
    function() return m23():narrow(2, 2) end},
   {'narrow on nil self', {"bad argument #1 to 'narrow'", 'torch.*Tensor expected, got nil'},
    function() return m23().narrow(nil, 1, 1, 1) end},
   {'sub start out of range', {"bad argument #2 to 'sub'", 'out of range', '3 for dimension 1 of size 2'},
    function() return m23():sub(3, 3) end},
   {'sub end before start', {"bad argument #3 to 'sub'", 'end smaller than beginning'},
    function() return m23():sub(2, 1) end},
   {'sub too many dims', {"bad argument #6 to 'sub'", 'invalid dimension 3 for a 2D tensor'},
    function() return m23():sub(1, 2, 1, 2, 1, 1) end},
   {'select bad dim', {"bad argument #2 to 'select'", 'dimension 3 out of range'},
    function() return m23():select(3, 1) end},
   {'select index out of range', {"bad argument #3 to 'select'", 'index 3 out of range for dimension 1 of size 2'},
    function() return m23():select(1, 3) end},
   {'select on empty', {"bad argument #1 to 'select'", 'empty tensor'},
    function() return torch.Tensor():select(1, 1) end},
   -- transpose / t / permute / unfold
   {'t on 3D', {"bad argument #1 to 't'", 'Tensor must have 2 dimensions, got 3D'},
    function() return torch.Tensor(2, 3, 4):t() end},
   {'transpose bad dim', {"bad argument #3 to 'transpose'", 'dimension 3 out of range of 2D tensor'},
    function() return m23():transpose(1, 3) end},
   {'permute too short', {"bad argument #2 to 'permute'", 'Invalid permutation', '1 dimensions given for a 2D tensor'},
    function() return m23():permute(1) end},
   {'permute repeated', {"bad argument #3 to 'permute'", 'Invalid permutation', 'repeated'},
    function() return m23():permute(1, 1) end},
   {'unfold too big', {"bad argument #3 to 'unfold'", 'size 6 out of range for dimension 1 of size 5'},
    function() return torch.Tensor(5):unfold(1, 6, 1) end},
   {'unfold zero step', {"bad argument #4 to 'unfold'", 'invalid step 0'},
    function() return torch.Tensor(5):unfold(1, 2, 0) end},
   {'unfold empty', {"bad argument #1 to 'unfold'", 'cannot unfold an empty tensor'},
    function() return torch.Tensor():unfold(1, 1, 1) end},
   -- view / expand
   {'view non-contiguous', {"'view'", 'expecting a contiguous tensor'},
    function() return m23():t():view(6) end},
   {'view wrong count', {"bad argument #2 to 'view'", 'Wrong size for view. Input size: 2x3. Output size: 4'},
    function() return m23():view(4) end},
   {'view two -1', {"'view'", 'only one dimension can be at -1'},
    function() return m23():view(-1, -1) end},
   {'view -1 not divisible', {"'view'", 'Wrong size for view. Input size: 2x3. Output size: -1x4'},
    function() return m23():view(-1, 4) end},
   {'view zero size', {"'view'", 'invalid size 0 for dimension 1'},
    function() return m23():view(0, 6) end},
   {'view negative size', {"'view'", 'invalid size -3 for dimension 2'},
    function() return m23():view(2, -3) end},
   {'view no sizes', {"'view'", 'sizes expected', 'got none'},
    function() return m23():view() end},
   {'view too many dims', {"'view'", 'too many dimensions: 17 (at most 16)'},
    function() return m23():view(2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1) end},
   {'view with a FloatStorage', {"'view'", 'torch.LongStorage or numbers expected, got torch.FloatStorage'},
    function() return m23():view(torch.FloatStorage({6})) end},
   {'viewAs wrong count', {"bad argument #2 to 'viewAs'", 'Wrong size for view. Input size: 2x3. Output size: 5'},
    function() return m23():viewAs(torch.Tensor(5)) end},
   {'view into other type', {"bad argument #2 to 'view'", 'torch.FloatTensor expected, got torch.DoubleTensor'},
    function() return torch.FloatTensor():view(m23(), 6) end},
   {'expand dims mismatch', {"'expand'", 'the number of dimensions provided must equal tensor:dim()'},
    function() return torch.Tensor(2, 1):expand(2, 3, 4) end},
   {'expand non-singleton', {"'expand'", 'incorrect size: only supporting singleton expansion (size=1)'},
    function() return torch.Tensor(2, 1):expand(3, 3) end},
   {'expandAs non-singleton', {"'expandAs'", 'only supporting singleton expansion', 'dimension 1 has size 2, asked 3'},
    function() return torch.Tensor(2, 1):expandAs(torch.Tensor(3, 3)) end},
   -- copies, fills, resizes
   {'copy count mismatch', {"bad argument #2 to 'copy'", 'inconsistent tensor size', '6 elements', '4 has 4'},
    function() return m23():copy(torch.Tensor(4)) end},
   {'copy from a table', {"bad argument #2 to 'copy'", 'torch.*Tensor expected, got table'},
    function() return m23():copy({1, 2}) end},
   {'fill with a string', {"bad argument #2 to 'fill'", 'number expected, got string'},
    function() return m23():fill('x') end},
   {'resizeAs a number', {"bad argument #2 to 'resizeAs'", 'torch.*Tensor expected, got number'},
    function() return m23():resizeAs(5) end},
   {'resize huge', {"bad argument #2 to 'resize'", 'too large to allocate'},
    function() return torch.Tensor(2):resize(1e13) end},
   {'resize with a table', {"bad argument #2 to 'resize'", 'number expected, got table'},
    function() return torch.Tensor(2):resize({2, 2}) end},
   {'resize stride count mismatch', {"bad argument #3 to 'resize'", 'provided stride and size are inconsistent'},
    function() return torch.Tensor():resize(torch.LongStorage({2, 2}), torch.LongStorage({1})) end},
   {'resize stride of wrong type', {"bad argument #3 to 'resize'", 'torch.LongStorage expected, got number'},
    function() return torch.Tensor():resize(torch.LongStorage({2, 2}), 1) end},
   {'reshape count mismatch', {"'reshape'", 'inconsistent tensor size', 'cannot reshape 2x3 (6 elements) into 4'},
    function() return m23():reshape(4) end},
   {'squeeze bad dim', {"bad argument #2 to 'squeeze'", 'dimension 3 out of range of 2D tensor'},
    function() return m23():squeeze(3) end},
   {'isSize with a table', {"bad argument #2 to 'isSize'", 'torch.LongStorage expected, got table'},
    function() return m23():isSize({2, 3}) end},
   {'repeatTensor too few reps', {"'repeatTensor'", 'can not be smaller than number of dimensions of tensor'},
    function() return m23():repeatTensor(2) end},
   {'repeatTensor zero reps', {"'repeatTensor'", 'positive integer expected, got 0'},
    function() return m23():repeatTensor(2, 0) end},
   {'split size zero', {"'split'", 'positive integer split size expected, got 0'},
    function() return m23():split(0) end},
   {'chunk bad dim', {"'chunk'", 'dimension 3 out of range of 2D tensor'},
    function() return m23():chunk(2, 3) end},
   {'set from another type', {"bad argument #2 to 'set'", 'torch.DoubleTensor expected, got torch.FloatTensor'},
    function() return m23():set(torch.FloatTensor(2)) end},
   {'type unknown name', {"bad argument #2 to 'type'", "got 'torch.Foo'"},
    function() return torch.Tensor(2):type('torch.Foo') end},
   {'type with a number', {"bad argument #2 to 'type'", 'string expected, got number'},
    function() return torch.Tensor(2):type(3) end},
   {'apply returns a string', {"bad argument #2 to 'apply'", 'given function should return a number or nil, got string'},
    function() return torch.Tensor(2):apply(function() return 'x' end) end},
   {'apply without function', {"bad argument #2 to 'apply'", 'function expected, got number'},
    function() return torch.Tensor(2):apply(3) end},
   {'map count mismatch', {"bad argument #2 to 'map'", 'inconsistent tensor size'},
    function() return torch.Tensor(2):map(torch.Tensor(3), function() end) end},
   {'map2 count mismatch', {"bad argument #3 to 'map2'", 'inconsistent tensor size'},
    function() return torch.Tensor(2):map2(torch.Tensor(2), torch.Tensor(1), function() end) end},
   -- constructors
   {'huge tensor', {"bad argument #1 to 'torch.DoubleTensor'", 'tensor of size 10000000x10000000 is too large to allocate'},
    function() return torch.Tensor(1e7, 1e7) end},
   {'overflowing sizes', {"'torch.FloatTensor'", 'too large to allocate'},
    function() return torch.FloatTensor(2 ^ 62, 4) end},
   {'non-integral size', {"'torch.DoubleTensor'", 'number has no integer representation'},
    function() return torch.Tensor(2.5) end},
   {'ragged table', {"'torch.DoubleTensor'", 'invalid tensor sizes', 'has 1 elements, expected 2'},
    function() return torch.Tensor({{1, 2}, {3}}) end},
   {'number instead of row', {"'torch.DoubleTensor'", 'invalid tensor definition'},
    function() return torch.Tensor({{1, 2}, 3}) end},
   {'string element', {"'torch.IntTensor'", 'invalid element (not a number)', 'string'},
    function() return torch.IntTensor({1, 'a'}) end},
   {'too deep element', {"'torch.DoubleTensor'", 'invalid element (not a number)', 'table'},
    function() return torch.Tensor({{1}, {{2}}}) end},
   {'view of another type', {"'torch.DoubleTensor'", 'expecting number or torch.DoubleTensor or torch.DoubleStorage, got torch.FloatTensor'},
    function() return torch.Tensor(torch.FloatTensor(2)) end},
   {'string argument', {"bad argument #1 to 'torch.DoubleTensor'", 'got string'},
    function() return torch.Tensor('abc') end},
   {'boolean argument', {"bad argument #1 to 'torch.LongTensor'", 'got boolean'},
    function() return torch.LongTensor(true) end},
   {'storage offset zero', {"bad argument #2 to 'torch.DoubleTensor'", 'storage offset 0 out of range [1, 4]'},
    function() return torch.Tensor(torch.DoubleStorage(4), 0) end},
   {'view past the storage', {"'torch.DoubleTensor'", 'out of storage bounds'},
    function() return torch.Tensor(torch.DoubleStorage(4), 2, 4) end},
   {'stride count mismatch', {"bad argument #4 to 'torch.DoubleTensor'", 'provided stride and size are inconsistent'},
    function() return torch.Tensor(torch.DoubleStorage(4), 1, torch.LongStorage({2, 2}), torch.LongStorage({1})) end},
   {'stride of wrong type', {"bad argument #2 to 'torch.DoubleTensor'", 'torch.LongStorage expected, got torch.DoubleStorage'},
    function() return torch.Tensor(torch.LongStorage({2}), torch.DoubleStorage({1})) end},
   {'bad second size', {"bad argument #2 to 'torch.DoubleTensor'", 'number expected, got string'},
    function() return torch.Tensor(2, 'x') end},
   {'bad size after a storage offset', {"bad argument #3 to 'torch.DoubleTensor'", 'number expected, got string'},
    function() return torch.Tensor(torch.DoubleStorage(3), 1, 'x') end},
   {'set with a bad size', {"bad argument #3 to 'set'", 'number expected, got string'},
    function() return m23():set(2, 'x') end},
   {'non-integral table index', {"bad argument #2 to '__index'", 'index entries must be integers, got 1.5'},
    function() return m23()[{1.5}] end},
   {'non-integral range bound', {"'__index'", 'index entries must be integers'},
    function() return m23()[{{1.5, 2}}] end},
   {'new with a string', {"'torch.FloatTensor'", 'got string'},
    function() return torch.FloatTensor(2).new('x') end},
   -- __index
   {'index past the end', {"bad argument #2 to '__index'", 'index 3 out of range for dimension 1 of size 2'},
    function() return m23()[3] end},
   {'index zero', {"'__index'", 'index 0 out of range'},
    function() return m23()[0] end},
   {'index negative past the start', {"'__index'", 'index -3 out of range'},
    function() return m23()[-3] end},
   {'index an empty tensor', {"'__index'", 'empty tensor'},
    function() return torch.Tensor()[1] end},
   {'index non-integral', {"'__index'", 'number has no integer representation'},
    function() return m23()[1.5] end},
   {'too many indices', {"'__index'", 'too many indices provided: 3 for a 2D tensor'},
    function() return m23()[{1, 2, 3}] end},
   {'range start out of bound', {"'__index'", 'start index out of bound: 3 for dimension 1 of size 2'},
    function() return m23()[{{3, 3}}] end},
   {'range end out of bound', {"'__index'", 'end index out of bound: 4'},
    function() return m23()[{{1, 4}}] end},
   {'range reversed', {"'__index'", 'end index must be greater or equal to start index'},
    function() return m23()[{{2, 1}}] end},
   {'table index out of bound', {"'__index'", 'index out of bound: 5 for dimension 1 of size 3'},
    function() return m23()[{1, 5}] end},
   {'LongStorage key too short', {"'__index'", 'invalid size: 1 indices for a 2D tensor'},
    function() return m23()[torch.LongStorage({1})] end},
   {'LongStorage key out of bound', {"'__index'", 'index out of bound: 4 for dimension 2 of size 3'},
    function() return m23()[torch.LongStorage({1, 4})] end},
   -- __newindex
   {'field assignment', {'the class torch.DoubleTensor cannot be indexed'},
    function() local t = m23(); t.foo = 1 end},
   {'assign a string to a row', {"bad argument #3 to '__newindex'", 'number or torch.*Tensor expected, got string'},
    function() local t = m23(); t[1] = 'x' end},
   {'assign a string to an element', {"bad argument #3 to '__newindex'", 'number expected, got string'},
    function() local t = m23(); t[{1, 1}] = 'x' end},
   {'assign a tensor of wrong count', {"'__newindex'", 'inconsistent tensor size'},
    function() local t = m23(); t[1] = torch.Tensor(4) end},
   {'assign out of range', {"bad argument #2 to '__newindex'", 'index 3 out of range'},
    function() local t = m23(); t[3] = 1 end},
   {'assign through a LongStorage a table', {"'__newindex'", 'number expected, got table'},
    function() local t = m23(); t[torch.LongStorage({1, 1})] = {} end},
   -- storages
   {'storage index past the end', {"bad argument #2 to '__index'", 'index 4 out of bounds for a storage of size 3'},
    function() return torch.DoubleStorage(3)[4] end},
   {'storage index zero', {"'__index'", 'index 0 out of bounds'},
    function() return torch.DoubleStorage(3)[0] end},
   {'storage assign past the end', {"'__newindex'", 'index 4 out of bounds'},
    function() local s = torch.DoubleStorage(3); s[4] = 1 end},
   {'storage assign a string', {"bad argument #3 to '__newindex'", 'number expected, got string'},
    function() local s = torch.DoubleStorage(3); s[1] = 'x' end},
   {'storage field assignment', {'the class torch.DoubleStorage cannot be indexed'},
    function() local s = torch.DoubleStorage(3); s.x = 1 end},
   {'negative storage size', {"bad argument #1 to 'torch.DoubleStorage'", 'invalid storage size -1'},
    function() return torch.DoubleStorage(-1) end},
   {'huge storage', {"'torch.DoubleStorage'", 'too large to allocate'},
    function() return torch.DoubleStorage(1e15) end},
   {'storage from bad table', {"'torch.DoubleStorage'", 'element at index 2 is not a number'},
    function() return torch.DoubleStorage({1, 'x'}) end},
   {'storage view offset', {"bad argument #2 to 'torch.DoubleStorage'", 'offset out of bounds'},
    function() return torch.DoubleStorage(torch.DoubleStorage(3), 4) end},
   {'storage view size', {"bad argument #3 to 'torch.DoubleStorage'", 'size out of bounds'},
    function() return torch.DoubleStorage(torch.DoubleStorage(3), 2, 3) end},
   {'storage view with a bad offset', {"bad argument #2 to 'torch.DoubleStorage'", 'number expected, got string'},
    function() return torch.DoubleStorage(torch.DoubleStorage(3), 'x') end},
   {'storage view of another type', {"'torch.DoubleStorage'", 'got torch.FloatStorage'},
    function() return torch.DoubleStorage(torch.FloatStorage(3)) end},
   {'storage copy size mismatch', {"bad argument #2 to 'copy'", 'size mismatch'},
    function() return torch.DoubleStorage(3):copy(torch.DoubleStorage(2)) end},
   {'storage copy from a tensor', {"bad argument #2 to 'copy'", 'torch.*Storage expected, got torch.DoubleTensor'},
    function() return torch.DoubleStorage(3):copy(torch.Tensor(3)) end},
   {'storage resize negative', {"bad argument #2 to 'resize'", 'invalid storage size -2'},
    function() return torch.DoubleStorage(3):resize(-2) end},
   {'storage view resize', {"'resize'", 'cannot resize a storage that views another storage'},
    function() return torch.DoubleStorage(torch.DoubleStorage(3), 1):resize(5) end},
   {'storage fill nothing', {"bad argument #2 to 'fill'", 'number expected, got no value'},
    function() return torch.DoubleStorage(3):fill() end},
   {'string with a number', {"bad argument #2 to 'string'", 'string expected, got number'},
    function() return torch.ByteStorage():string(5) end},
   -- default type
   {'default type not a string', {"'setdefaulttensortype'", 'string expected, got number'},
    function() torch.setdefaulttensortype(1) end},
   {'default type unknown', {'<torch.Foo> is not a string describing a torch object'},
    function() torch.setdefaulttensortype('torch.Foo') end},
}

function tests.misuse_cases()
   T.ok(#cases >= 60, 'at least 60 cases')
   local seen = {}
   for _, c in ipairs(cases) do
      local name, frags, fn = c[1], c[2], c[3]
      assert(not seen[name], 'duplicate case ' .. name)
      seen[name] = true
      local ok, err = pcall(fn)
      if ok then error(name .. ': expected an error, got none', 0) end
      err = tostring(err)
      for _, f in ipairs(frags) do
         if not err:find(f, 1, true) then
            error(string.format('%s: expected %q in %q', name, f, err), 0)
         end
      end
   end
end

-- Failed calls leave their arguments untouched.
function tests.errors_do_not_modify()
   local t = torch.Tensor({{1, 2, 3}, {4, 5, 6}})
   T.errors('inconsistent tensor size', function() t:copy(torch.Tensor(4)) end)
   T.errors('inconsistent tensor size', function() t:reshape(t, 4) end)
   T.errors('too large to allocate', function() t:resize(1e13) end)
   T.errors('out of range', function() t[{2, 3}] = t[5] end)
   T.eq(t:dim(), 2)
   T.eq(t:size(1), 2)
   T.eq(t[2][3], 6)
   T.eq(t:storage():size(), 6)
   T.errors('is not a string describing', function() torch.setdefaulttensortype('torch.Foo') end)
   T.eq(torch.getdefaulttensortype(), 'torch.DoubleTensor')
   local s = torch.DoubleStorage({1, 2})
   T.errors('size mismatch', function() s:copy(torch.DoubleStorage(3)) end)
   T.eq(s[2], 2)
end

-- The lt_* checks other bindings use: integral floats pass, others fail.
function tests.integral_floats_accepted()
   local t = torch.Tensor(4.0, 2.0)
   T.eq(t:size(1), 4)
   T.eq(t:narrow(1.0, 2.0, 2.0):size(1), 2)
   T.eq(t[{2.0, 1.0}], 0)
   T.eq(torch.DoubleStorage(3.0):size(), 3)
   T.errors('number has no integer representation', function() return t:narrow(1, 1.5, 1) end)
end

return tests
