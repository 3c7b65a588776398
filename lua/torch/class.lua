-- torch.class: Torch7's class system (luaT's metatables, rebuilt in Lua).
--
-- Every class has one metatable `mt`, registered like luaT does it:
--    registry[name] = mt   and   registry[mt] = name
-- so torch.getmetatable(name) and torch.typename(obj) work the same way for
-- classes made here and for the tensor/storage/file metatables the C binding
-- creates with luaL_newmetatable (which already sets registry[name]; the
-- reverse entry is added by adopt() below).
--
-- Layout of a Lua class `nn.Linear` with parent `nn.Module`:
--    mt                  methods, __typename, __version, __factory, new,
--                        forwarding metamethods (__tostring -> __tostring__ ...)
--    getmetatable(mt)    = parent's mt, so lookups fall through to the parent
--    mt.__constructor    = nn.Linear, the constructor table: calling it builds an
--                        instance, reading it reads mt, writing it writes mt.
-- Method lookup on an instance is a plain table chain (mt.__index = mt,
-- parent.__index = parent, ...), which the Lua VM walks without calling any
-- function.  Only a class that defines __index__ / __newindex__ gets function
-- metamethods (installed when an instance is made, see refresh()).
local registry = debug.getregistry()

local getmetatable, setmetatable, rawget, rawset = getmetatable, setmetatable, rawget, rawset
local debug_setmetatable = debug.setmetatable

-- class metatable -> function re-checking __index__/__newindex__ (weak keys:
-- nothing here keeps a class alive)
local refreshers = setmetatable({}, {__mode = 'k'})

-- Name of a registered class metatable, or nil.
local function mtname(mt)
   if type(mt) ~= 'table' then return nil end
   local name = registry[mt]
   if type(name) == 'string' then return name end
   name = rawget(mt, '__typename')
   if type(name) == 'string' then return name end
   return nil
end

-- Raw lookup of key through the class chain (mt, parent, grandparent...).
-- Metamethod forwarders use this rather than mt[key] so that a parent's
-- function __index (a class with __index__) is never called with a
-- metatable as `self`.
local function lookup(mt, key)
   while type(mt) == 'table' do
      local v = rawget(mt, key)
      if v ~= nil then return v end
      mt = getmetatable(mt)
   end
   return nil
end

-- Class name of obj (instance of a torch class, tensor, storage, file...),
-- nil for anything else.
function torch.typename(obj)
   local mt = getmetatable(obj)
   if mt == nil then return nil end
   return mtname(mt)
end

function torch.type(obj)
   return torch.typename(obj) or type(obj)
end

function torch.getmetatable(name)
   if type(name) ~= 'string' then
      error(string.format("bad argument #1 to 'getmetatable' (string expected, got %s)", type(name)), 2)
   end
   local mt = registry[name]
   if type(mt) == 'table' then return mt end
   return nil
end

-- Sets the metatable of tbl to the class `name` (used by constructors and
-- by torch.load).  debug.setmetatable: class metatables are protected by
-- their __metatable field, exactly as luaT's are.
function torch.setmetatable(tbl, name)
   if type(tbl) ~= 'table' then
      error(string.format("bad argument #1 to 'setmetatable' (table expected, got %s)", type(tbl)), 2)
   end
   if type(name) ~= 'string' then
      error(string.format("bad argument #2 to 'setmetatable' (string expected, got %s)", type(name)), 2)
   end
   local mt = registry[name]
   if type(mt) ~= 'table' then
      error('unknown typename ' .. name .. '\n', 2)
   end
   local refresh = refreshers[mt]
   if refresh then refresh() end
   debug_setmetatable(tbl, mt)
   return tbl
end

-- __version of obj's class (1 unless the class overrides it), nil for
-- objects without a metatable.
function torch.version(obj)
   local mt = getmetatable(obj)
   if type(mt) ~= 'table' then return nil end
   return rawget(mt, '__version')
end

-- The function making an empty instance of class `name` (no __init), as
-- torch.load uses it; nil for unknown classes.
function torch.factory(name)
   if type(name) ~= 'string' then
      error(string.format("bad argument #1 to 'factory' (string expected, got %s)", type(name)), 2)
   end
   local mt = registry[name]
   if type(mt) ~= 'table' then return nil end
   return rawget(mt, '__factory')
end

-- The constructor table of a class (torch.DoubleTensor, nn.Linear).  For a
-- metatable made by the C binding without __constructor, the table is found
-- by walking the dotted name through the globals.
function torch.getconstructortable(name)
   if type(name) ~= 'string' then
      error(string.format("bad argument #1 to 'getconstructortable' (string expected, got %s)", type(name)), 2)
   end
   local mt = registry[name]
   if type(mt) ~= 'table' then return nil end
   local c = rawget(mt, '__constructor')
   if c ~= nil then return c end
   local t = _G
   for part in name:gmatch('[^.]+') do
      if type(t) ~= 'table' then return nil end
      t = rawget(t, part)
   end
   if type(t) == 'table' then return t end
   return nil
end

-- Integer identity of an object: for tables, functions, threads and strings
-- the address Lua reports (lua_topointer).  Torch userdata are handled by the
-- binding's torch.pointer (the C object's address, so two boxes of one
-- tensor agree) when it provides one.
local cpointer = torch.pointer
local function addressof(v)
   local s = string.format('%p', v)
   return tonumber(s:match('^0x(%x+)$') or '0', 16) or 0
end
function torch.pointer(obj)
   local tp = type(obj)
   if tp == 'userdata' then
      if cpointer then return cpointer(obj) end
      if not torch.typename(obj) then
         error("bad argument #1 to 'pointer' (Torch object expected)", 2)
      end
      return addressof(obj)
   elseif tp == 'table' or tp == 'function' or tp == 'thread' or tp == 'string' then
      return addressof(obj)
   end
   error('Torch object, table, thread, cdata or function expected', 2)
end

-- Same C object (userdata) or the very same table.
function torch.isequal(a, b)
   if type(a) == 'userdata' and type(b) == 'userdata' then
      if not torch.typename(a) then error("bad argument #1 to 'isequal' (Torch object expected)", 2) end
      if not torch.typename(b) then error("bad argument #2 to 'isequal' (Torch object expected)", 2) end
      return torch.pointer(a) == torch.pointer(b)
   elseif type(a) == 'table' and type(b) == 'table' then
      return rawequal(a, b)
   end
   return false
end

-- True if obj's class or one of its ancestors has a name matching typeSpec
-- (a Lua pattern that must match the whole name when it is a plain name),
-- or the class of a given constructor table.
function torch.isTypeOf(obj, typeSpec)
   if type(typeSpec) ~= 'string' then
      local cmt = getmetatable(typeSpec)
      typeSpec = type(cmt) == 'table' and rawget(cmt, '__typename') or nil
      if type(typeSpec) ~= 'string' then
         error('type must be provided as [regexp] string, or factory', 2)
      end
   end
   local mt = getmetatable(obj)
   while type(mt) == 'table' do
      local name = mtname(mt)
      if name then
         local match = name:match(typeSpec)
         -- a plain name must match entirely ('nn.Linear' is not a
         -- 'nn.Line'); a real pattern may match part of the name
         if match and (match ~= typeSpec or match == name) then return true end
      end
      mt = getmetatable(mt)
   end
   return false
end

if not torch.isTensor then
   function torch.isTensor(obj)
      local name = torch.typename(obj)
      return name ~= nil and name:find('torch%..*Tensor') ~= nil
   end
end
if not torch.isStorage then
   function torch.isStorage(obj)
      local name = torch.typename(obj)
      return name ~= nil and name:find('torch%..*Storage') ~= nil
   end
end

------------------------------------------------------------------------------
-- Metamethods shared by every class: each forwards to the double-underscore
-- method the class (or an ancestor) defines, with luaT's fallbacks.

local function classof(a, b)
   local mt = getmetatable(a)
   if type(mt) ~= 'table' then mt = getmetatable(b) end
   return mt
end

local function binop(name, what)
   local key = '__' .. name .. '__'
   return function(a, b)
      local f = lookup(classof(a, b), key)
      if f == nil then
         error(string.format('both %s and %s have no %s operator',
            tostring(torch.typename(a)), tostring(torch.typename(b)), what), 2)
      end
      return f(a, b)
   end
end

local forwarders = {
   __add = binop('add', 'addition'),
   __sub = binop('sub', 'substraction'),
   __mul = binop('mul', 'multiplication'),
   __div = binop('div', 'division'),
   __mod = binop('mod', 'modulo'),
   __pow = binop('pow', 'power'),
   __concat = binop('concat', 'concat'),
   __lt = binop('lt', 'less-than'),
   __le = binop('le', 'less-equal'),
   __eq = function(a, b)
      local f = lookup(classof(a, b), '__eq__')
      if f == nil then return torch.isequal(a, b) end
      return f(a, b)
   end,
   -- print(criterion) shows the class name when no __tostring__ exists
   __tostring = function(self)
      local f = lookup(getmetatable(self), '__tostring__')
      if f == nil then return torch.typename(self) end
      if type(f) ~= 'function' then return f end
      return (f(self))
   end,
   __call = function(self, ...)
      local f = lookup(getmetatable(self), '__call__')
      if f == nil then error(string.format('%s has no call operator', torch.typename(self)), 2) end
      return f(self, ...)
   end,
   __unm = function(self)
      local f = lookup(getmetatable(self), '__unm__')
      if f == nil then error(string.format('%s has no negation operator', torch.typename(self)), 2) end
      return f(self)
   end,
   -- LuaJIT ignored __len on tables, so Torch code expects #obj to be the
   -- raw length when the class has no __len__.
   __len = function(self)
      local f = lookup(getmetatable(self), '__len__')
      if f == nil then return rawlen(self) end
      return f(self)
   end,
}

-- Points mt.__index/__newindex at functions only while the class (or an
-- ancestor) defines __index__/__newindex__; otherwise lookups stay a plain
-- table chain.  Called whenever an instance is made.
local function makerefresh(mt)
   local indexfn = function(self, k)
      local f = lookup(mt, '__index__')
      if f then
         local v, found = f(self, k)
         if found then return v end
      end
      return lookup(mt, k)
   end
   local newindexfn = function(self, k, v)
      local f = lookup(mt, '__newindex__')
      if f and f(self, k, v) then return end
      if type(self) ~= 'table' then
         error(string.format('the class %s cannot be indexed', tostring(torch.typename(self))), 2)
      end
      rawset(self, k, v)
   end
   return function()
      if lookup(mt, '__index__') then rawset(mt, '__index', indexfn)
      else rawset(mt, '__index', mt) end
      if lookup(mt, '__newindex__') then rawset(mt, '__newindex', newindexfn)
      else rawset(mt, '__newindex', nil) end
   end
end

-- The table a class named 'a.b.C' is stored in (a.b), found through the
-- globals; raises luaT's error when a part is missing.
local function moduleof(name)
   local parts = {}
   for part in name:gmatch('[^.]*') do parts[#parts + 1] = part end
   if #parts == 1 then return _G, name end
   local t = _G
   local prefix
   for i = 1, #parts - 1 do
      prefix = prefix and prefix .. '.' .. parts[i] or parts[i]
      t = type(t) == 'table' and rawget(t, parts[i]) or nil
      if type(t) ~= 'table' then
         error(string.format('while creating metatable %s: bad argument #1 (%s is an invalid module name)',
            name, prefix), 0)
      end
   end
   return t, parts[#parts]
end

-- torch.newmetatable(name, [parentName], [constructor], [destructor],
-- [factory], [moduleTable]): creates (or completes) the class metatable,
-- stores the constructor table as module[lastPartOfName] and returns mt.
function torch.newmetatable(name, parentName, constructor, destructor, factory, module)
   if type(name) ~= 'string' then
      error(string.format("bad argument #1 to 'newmetatable' (string expected, got %s)", type(name)), 2)
   end
   if parentName ~= nil and type(parentName) ~= 'string' then
      error("bad argument #2 to 'newmetatable' (parent class name or nil expected)", 2)
   end
   if module ~= nil and type(module) ~= 'table' then
      error("bad argument #6 to 'newmetatable' (module table or nil expected)", 2)
   end
   local key
   if module then
      key = name:match('([^.]*)$')
   else
      module, key = moduleof(name)
   end

   local mt = registry[name]
   if type(mt) ~= 'table' then
      mt = {}
      registry[name] = mt
      registry[mt] = name
      mt.__typename = name
      mt.__version = 1
      mt.__metatable = mt
      mt.__index = mt
      for k, f in pairs(forwarders) do mt[k] = f end
      refreshers[mt] = makerefresh(mt)
   end

   if parentName then
      if getmetatable(mt) ~= nil then
         error(string.format('class %s has been already assigned a parent class\n', name), 0)
      end
      local pmt = registry[parentName]
      if type(pmt) ~= 'table' then
         error(string.format('bad argument #2 (invalid parent class name %s)', parentName), 0)
      end
      debug_setmetatable(mt, pmt)
   end
   if destructor then
      if rawget(mt, '__gc') then error(name .. ' has been already assigned a destructor', 0) end
      rawset(mt, '__gc', destructor)
   end
   if factory then
      if rawget(mt, '__factory') then error(name .. ' has been already assigned a factory', 0) end
      rawset(mt, '__factory', factory)
   end

   local ctor = rawget(mt, '__constructor')
   if ctor == nil then
      local cmt = {}
      cmt.__index = mt
      -- nn.Linear.foo = f and function nn.Linear:foo() define methods
      cmt.__newindex = function(_, k, v) rawset(mt, k, v) end
      cmt.__call = function(_, ...)
         local new = rawget(cmt, '__new')
         if new == nil then error('no constructor available', 2) end
         return new(...)
      end
      cmt.__metatable = mt
      ctor = setmetatable({}, cmt)
      rawset(mt, '__constructor', ctor)
   end
   if constructor then
      local cmt = debug.getmetatable(ctor)
      if rawget(cmt, '__new') then error(name .. ' has been already assigned a constructor', 0) end
      rawset(cmt, '__new', constructor)
      rawset(mt, 'new', constructor)
   end
   rawset(module, key, ctor)
   return mt
end

-- mt, parentMt = torch.class(name, [parentName], [moduleTable])
function torch.class(...)
   local n = select('#', ...)
   local a, b, c = ...
   local name, parentName, module
   if n == 3 and type(a) == 'string' and type(b) == 'string' and type(c) == 'table' then
      name, parentName, module = a, b, c
   elseif n == 2 and type(a) == 'string' and type(b) == 'string' then
      name, parentName = a, b
   elseif n == 2 and type(a) == 'string' and type(b) == 'table' then
      name, module = a, b
   elseif n == 1 and type(a) == 'string' then
      name = a
   else
      error('<class name> [<parent class name>] [<module table>] expected', 2)
   end

   local mt, refresh
   local function constructor(...)
      refresh()
      local self = debug_setmetatable({}, mt)
      if self.__init then self:__init(...) end
      return self
   end
   -- an empty instance without __init (torch.load fills the fields)
   local function factory()
      refresh()
      return debug_setmetatable({}, mt)
   end
   mt = torch.newmetatable(name, parentName, constructor, nil, factory, module)
   refresh = refreshers[mt] or function() end
   local pmt
   if parentName then pmt = registry[parentName] end
   return mt, pmt
end

-- dofile of `file` from the folder package `pkg` was loaded from.
function torch.packageLuaPath(name)
   if not name then
      return (torch.packageLuaPath('torch'))
   end
   for path in package.path:gmatch('[^;]+') do
      path = path:gsub('%?', (name:gsub('%.', '/')))
      local f = io.open(path)
      if f then
         f:close()
         return path:match('(.*)/')
      end
   end
   return nil
end

function torch.include(pkg, file)
   local dir = torch.packageLuaPath(pkg)
   if not dir then error(string.format("torch.include: package '%s' not found on package.path", tostring(pkg)), 2) end
   return dofile(dir .. '/' .. file)
end

------------------------------------------------------------------------------
-- Adopt the metatables the C binding registered (torch.DoubleTensor,
-- torch.FloatStorage, torch.DiskFile, ...): add the reverse registry entry
-- and luaT's standard fields, so typename/getmetatable/isTypeOf/version/
-- factory treat them like any other class.
local found = {}
for k, mt in pairs(registry) do
   if type(k) == 'string' and k:find('^torch%.') and type(mt) == 'table' and rawget(mt, '__name') == k then
      found[k] = mt
   end
end
for k, mt in pairs(found) do
   registry[mt] = k
   if rawget(mt, '__typename') == nil then rawset(mt, '__typename', k) end
   if rawget(mt, '__version') == nil then rawset(mt, '__version', 1) end
   local new = rawget(mt, 'new')
   if rawget(mt, '__factory') == nil and type(new) == 'function'
      and (k:find('Tensor$') or k:find('Storage$')) then
      rawset(mt, '__factory', function() return new() end)
   end
end

return torch
