-- torch.File: the object graph of Torch7's .t7 format (t7-format.md §3-5) on
-- top of the primitive File methods of src/lfile.c, and the entry points
-- torch.save / load / serialize / deserialize (torch.md §13).
--
-- Reading is defensive: every error names the file, the byte offset of the
-- object being read and what was expected, and sizes declared by the file are
-- checked against the data left before anything is allocated for them.
local S = require('ember.core')._serialization
torch._serialization = nil   -- private to this file

local File = S.File

local TYPE_NIL = 0
local TYPE_NUMBER = 1
local TYPE_STRING = 2
local TYPE_TABLE = 3
local TYPE_TORCH = 4
local TYPE_BOOLEAN = 5
local TYPE_FUNCTION = 6
local TYPE_LEGACY_RECUR_FUNCTION = 7
local TYPE_RECUR_FUNCTION = 8

function File:writeBool(value)
   self:writeInt(value and 1 or 0)
end

-- Torch7 treats exactly 1 as true
function File:readBool()
   return self:readInt() == 1
end

-- Per-file state (Torch7 keeps it in torch.getenv(file)): the write memo
-- (identity -> index, plus strong references so a written temporary cannot be
-- collected and its address reused), the read memo (index -> object), the
-- counters, the debug-name stack and the `force` flag (referenced = false).
local function env(self)
   local e = self:_env()
   if not e.writeObjects then
      e.writeObjects = {}
      e.writeObjectsRef = {}
      e.readObjects = {}
      e.objectNameStack = {}
      e.nWriteObject = 0
      e.nReadObject = 0
   end
   return e
end

function File:referenced(ref)
   env(self).force = not ref
   return self
end

function File:isReferenced()
   return not env(self).force
end

-- ------------------------------------------------------------------------
-- class helpers: tensors and storages are known here directly (through
-- lfile.c); Lua classes go through the class system (torch.class).

local function typename(obj)
   local name = S.class(obj)
   if name then return name end
   if torch.typename then return torch.typename(obj) end
   local mt = getmetatable(obj)
   return type(mt) == 'table' and rawget(mt, '__typename') or nil
end

local function classmeta(name)
   if torch.getmetatable then
      local ok, mt = pcall(torch.getmetatable, name)
      if ok and type(mt) == 'table' then return mt end
   end
end

-- does the class have a factory (an empty instance without __init)?
local function hasfactory(name)
   if torch.factory then
      local ok, f = pcall(torch.factory, name)
      if ok and f then return true end
      return false
   end
   return classmeta(name) ~= nil
end

local function newinstance(name, file)
   local obj = S.new(name)
   if obj ~= nil then return obj end
   if torch.factory then
      local ok, f = pcall(torch.factory, name)
      if ok and f then return f(file) end
      return nil
   end
   local mt = classmeta(name)
   if mt then return setmetatable({}, mt) end
end

-- `write`/`read` of a class or an ancestor (Torch7's `__write` first),
-- found with raw lookups up the class chain: a class's own __index may be a
-- function expecting an instance, never a metatable
local function lookup(mt, key)
   while type(mt) == 'table' do
      local v = rawget(mt, key)
      if v ~= nil then return v end
      mt = debug.getmetatable(mt)
   end
end

local function getmetamethod(obj, name)
   local mt = classmeta(typename(obj)) or debug.getmetatable(obj)
   local fn = lookup(mt, '__' .. name) or lookup(mt, name)
   if type(fn) == 'function' then return fn end
end

local function versionstring(obj)
   local v
   if torch.version then
      local ok, r = pcall(torch.version, obj)
      if ok then v = r end
   end
   if v == nil then
      local mt = getmetatable(obj)
      v = type(mt) == 'table' and mt.__version or 1
   end
   -- `V 1`, never `V 1.0` (Lua 5.4 prints integral floats with .0)
   if math.type(v) == 'float' and v == math.floor(v) and math.abs(v) < 2^53 then
      v = math.tointeger(v)
   end
   return 'V ' .. tostring(v)
end

-- ------------------------------------------------------------------------
-- writing

function File:isWritableObject(object)
   local t = type(object)
   if object == nil then
      return TYPE_NIL
   end
   local name = (t == 'table' or t == 'userdata') and typename(object)
   if name and (S.class(object) or hasfactory(name)) then
      return TYPE_TORCH
   elseif t == 'table' then
      return TYPE_TABLE
   elseif t == 'number' then
      return TYPE_NUMBER
   elseif t == 'string' then
      return TYPE_STRING
   elseif t == 'boolean' then
      return TYPE_BOOLEAN
   end
   -- functions are not writable in Ember: see the error in writeObject
end

local function stackstring(stack)
   return table.concat(stack, '.')
end

local function unwind(stack, depth)
   for i = #stack, depth, -1 do stack[i] = nil end
end

function File:writeObject(object, debugname)
   local e = env(self)
   local force = e.force
   if object == nil then
      self:writeInt(TYPE_NIL)
      return
   end
   local stack = e.objectNameStack
   local depth = #stack + 1
   stack[depth] = debugname or '<?>'

   local typeidx = self:isWritableObject(object)
   if not typeidx then
      local msg = string.format('Unwritable object <%s> at %s', type(object), stackstring(stack))
      if type(object) == 'function' then
         -- Torch7 wrote string.dump bytecode (tag 8): LuaJIT's bytecode and
         -- Lua 5.4's cannot load in each other, so Ember refuses instead of
         -- writing a file only Ember could read back
         msg = msg .. ' (Ember does not serialize functions: Lua bytecode is not portable)'
      end
      unwind(stack, 1)
      error(msg, 0)
   end
   self:writeInt(typeidx)

   if typeidx == TYPE_NUMBER then
      self:writeDouble(object)
   elseif typeidx == TYPE_BOOLEAN then
      self:writeBool(object)
   elseif typeidx == TYPE_STRING then
      self:writeInt(#object)
      self:_writeChars(object)
   else
      -- tables and torch objects carry a reference index (§3.3)
      local id = S.identity(object)
      local index = e.writeObjects[id]
      if index and not force then
         self:writeInt(index)
      else
         index = e.nWriteObject + 1
         e.nWriteObject = index
         if not force then
            e.writeObjects[id] = index
            e.writeObjectsRef[object] = index
         end
         self:writeInt(index)
         if typeidx == TYPE_TORCH then
            local name = typename(object)
            local version = versionstring(object)
            self:writeInt(#version)
            self:_writeChars(version)
            self:writeInt(#name)
            self:_writeChars(name)
            local builtin = S.class(object)
            if builtin then
               if builtin:find('Tensor$') then
                  self:writeObject(self:_writeTensor(object))
               else
                  self:_writeStorage(object)
               end
            else
               local write = getmetamethod(object, 'write')
               if write then
                  write(object, self)
               elseif type(object) == 'table' then
                  -- generic class path (§5.2): the writable fields as a table
                  local var = {}
                  for k, v in pairs(object) do
                     if self:isWritableObject(v) then
                        var[k] = v
                     else
                        print(string.format('$ Warning: cannot write object field <%s> of <%s> %s',
                           tostring(k), name, stackstring(stack)))
                     end
                  end
                  self:writeObject(var, name)
               else
                  local msg = string.format('<%s> is a non-serializable Torch object %s', name, stackstring(stack))
                  unwind(stack, 1)
                  error(msg, 0)
               end
            end
         else
            local size = 0
            for _ in pairs(object) do size = size + 1 end
            self:writeInt(size)
            for k, v in pairs(object) do
               self:writeObject(k)
               local kname = (type(k) == 'string' or type(k) == 'number') and tostring(k) or nil
               self:writeObject(v, kname)
            end
         end
      end
   end
   stack[depth] = nil
end

-- ------------------------------------------------------------------------
-- reading

local function readfail(self, at, msg)
   -- class names and keys come from the file: show its control bytes escaped
   msg = msg:gsub('[%c\127]', function(c) return string.format('\\%d', c:byte()) end)
   error(string.format('%s (reading <%s> at byte %s)', msg, self:_name(), tostring(at)), 0)
end

-- Numbers come back as doubles; integral ones within 2^53 become Lua
-- integers, so `print(m.kW)` shows 5 as in Torch7 (t7-format.md §5.4).  -0.0
-- stays a float to keep its sign.
local function number(v)
   if v == math.floor(v) and v >= -2^53 and v <= 2^53 and (v ~= 0 or 1 / v > 0) then
      return math.tointeger(v)
   end
   return v
end

function File:readObject()
   local e = env(self)
   local force = e.force
   local at = self:_offset()
   local typeidx = self:readInt()

   if typeidx == TYPE_NIL then
      return nil
   elseif typeidx == TYPE_NUMBER then
      return number(self:readDouble())
   elseif typeidx == TYPE_BOOLEAN then
      return self:readBool()
   elseif typeidx == TYPE_STRING then
      return self:_readChars(self:readInt())
   elseif typeidx == TYPE_FUNCTION or typeidx == TYPE_LEGACY_RECUR_FUNCTION
      or typeidx == TYPE_RECUR_FUNCTION then
      readfail(self, at, string.format('cannot load a serialized Lua function (type tag %d): Ember does not '
         .. 'load Lua bytecode (Torch7 files hold LuaJIT bytecode, which Lua 5.4 cannot run)', typeidx))
   elseif typeidx ~= TYPE_TABLE and typeidx ~= TYPE_TORCH then
      readfail(self, at, string.format('unknown object: bad type tag %s (expected 0..8)', tostring(typeidx)))
   end

   local index = self:readInt()
   local objects = e.readObjects
   if not force and objects[index] ~= nil then
      return objects[index]
   end
   -- a new object always takes the next index (depth-first pre-order), so
   -- anything else is a reference to an object that was never read
   if index ~= e.nReadObject + 1 then
      readfail(self, at, string.format('reference index %d points nowhere (%d objects read so far)',
         index, e.nReadObject))
   end
   e.nReadObject = index

   if typeidx == TYPE_TORCH then
      local version = self:_readChars(self:readInt())
      local versionNumber = tonumber(string.match(version, '^V (.*)$'))
      local className
      if not versionNumber then
         -- files written before versioning: that string is the class name
         className = version
         versionNumber = 0
      else
         className = self:_readChars(self:readInt())
      end
      local object = newinstance(className, self)
      if object == nil then
         readfail(self, at, string.format('unknown Torch class <%s>', className))
      end
      if not force then objects[index] = object end
      local builtin = S.class(object)
      if builtin then
         if builtin:find('Tensor$') then
            self:_readTensor(object)
         else
            self:_readStorage(object)
         end
         return object
      end
      local read = getmetamethod(object, 'read')
      if read then
         read(object, self, versionNumber)
      elseif type(object) == 'table' then
         local var = self:readObject()
         if type(var) ~= 'table' then
            readfail(self, at, string.format('the fields of <%s> expected (a table), got %s', className, type(var)))
         end
         for k, v in pairs(var) do
            object[k] = v
         end
      else
         readfail(self, at, string.format('Cannot load object class <%s>', className))
      end
      return object
   end

   local size = self:readInt()
   if size < 0 then
      readfail(self, at, string.format('table with %d entries', size))
   end
   -- each pair takes at least two type tags: refuse absurd counts up front
   self:_checkAvailable(2 * size, 'Int')
   local object = {}
   if not force then objects[index] = object end
   for _ = 1, size do
      local kat = self:_offset()
      local k = self:readObject()
      local v = self:readObject()
      if k == nil or k ~= k then
         readfail(self, kat, 'table key is ' .. tostring(k))
      end
      object[k] = v
   end
   return object
end

-- ------------------------------------------------------------------------
-- entry points

local function checkmode(mode, extra)
   if mode == nil or mode == 'binary' or mode == 'ascii' then return mode or 'binary' end
   if extra and (mode == 'b32' or mode == 'b64') then return mode end
   error(extra and '"binary", "ascii", "b32" or "b64" (or nil) expected for mode'
      or '"binary" or "ascii" (or nil) expected for mode', 3)
end

local function checkreferenced(referenced)
   if referenced == nil then return true end
   if referenced ~= true and referenced ~= false then
      error('true or false (or nil) expected for referenced', 3)
   end
   return referenced
end

local function setmode(file, mode)
   if mode == 'b32' or mode == 'b64' then
      file:binary()
      file:longSize(mode == 'b32' and 4 or 8)
   else
      file[mode](file)
   end
end

-- torch.save writes to a temporary file in the destination folder and renames
-- it over `filename` at the end: a crash or an unwritable object never leaves
-- a truncated model behind (an Ember addition, invisible in the bytes).
function torch.save(filename, object, mode, referenced)
   if type(filename) ~= 'string' then
      error('bad argument #1 to \'save\' (string expected, got ' .. type(filename) .. ')', 2)
   end
   mode = checkmode(mode)
   referenced = checkreferenced(referenced)
   local tmp = string.format('%s.%s.tmp', filename, tostring({}):match('0x(%x+)') or 'x')
   local file = torch.DiskFile(tmp, 'w', true)
   if not file then
      error(string.format('cannot open <%s> in mode  w', filename), 2)
   end
   file:pedantic()   -- quiet was only for the open
   file[mode](file)
   file:referenced(referenced)
   local ok, err = pcall(file.writeObject, file, object)
   if ok then
      ok, err = pcall(file.close, file)
   else
      pcall(file.close, file)
   end
   if not ok then
      os.remove(tmp)
      error(err, 0)
   end
   local renamed, rerr = os.rename(tmp, filename)
   if not renamed then
      os.remove(tmp)
      error(string.format('cannot open <%s> in mode  w (%s)', filename, tostring(rerr)), 2)
   end
end

function torch.load(filename, mode, referenced)
   mode = checkmode(mode, true)
   referenced = checkreferenced(referenced)
   local file = torch.DiskFile(filename, 'r')
   setmode(file, mode)
   file:referenced(referenced)
   local ok, object = pcall(file.readObject, file)
   file:close()
   if not ok then error(object, 0) end
   return object
end

local function memorywrite(object, mode)
   mode = checkmode(mode)
   local f = torch.MemoryFile()
   f[mode](f)
   f:writeObject(object)
   return f
end

function torch.serialize(object, mode)
   local f = memorywrite(object, mode)
   local s = f:_contents()
   f:close()
   return s
end

function torch.serializeToStorage(object, mode)
   local f = memorywrite(object, mode)
   local storage = f:storage()
   f:close()
   return storage
end

local function memoryread(f, mode)
   setmode(f, checkmode(mode, true))
   local ok, object = pcall(f.readObject, f)
   f:close()
   if not ok then error(object, 0) end
   return object
end

function torch.deserialize(str, mode)
   if type(str) ~= 'string' then
      error('bad argument #1 to \'deserialize\' (string expected, got ' .. type(str) .. ')', 2)
   end
   return memoryread(S.memoryFromString(str, 'r'), mode)
end

function torch.deserializeFromStorage(storage, mode)
   return memoryread(torch.MemoryFile(storage, 'r'), mode)
end

-- public API (saveobj/loadobj are safe for global import)
torch.saveobj = torch.save
torch.loadobj = torch.load

return File
