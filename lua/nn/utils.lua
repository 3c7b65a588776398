-- nn.utils: helpers shared by modules (type conversion that keeps storage
-- sharing, clearing buffers, recursive ops on tensors or tables of them).
nn.utils = {}

-- An empty tensor of the named type ('torch.FloatTensor' -> torch.FloatTensor()).
local function newTensor(typename)
   local ctor = torch[typename:match('^torch%.(.+)$') or '']
   if not ctor then error('unknown tensor type ' .. tostring(typename), 3) end
   return ctor()
end
nn.utils.newTensor = newTensor

-- Converts one storage to another tensor type.  Goes through 1-D tensor views
-- because a tensor copy between types is the one conversion every type has.
local function convertStorage(storage, typename)
   local t = newTensor(typename)
   if storage:size() > 0 then
      local src = newTensor(torch.typename(storage):gsub('Storage$', 'Tensor')):set(storage)
      t:resize(storage:size()):copy(src)
      return t:storage()
   end
   return torch[typename:match('^torch%.(.+)Tensor$') .. 'Storage']()
end

-- recursiveType(param, typename, [tensorCache]): converts tensors (and the
-- tensors inside tables, modules and criterions) to `typename`.  tensorCache
-- maps source tensors and source storages (by pointer) to their conversions,
-- so views that shared one storage still share one afterwards, with their
-- offsets, sizes and strides kept.  Passing the same cache to several calls
-- keeps sharing across networks.
function nn.utils.recursiveType(param, typename, tensorCache)
   tensorCache = tensorCache or {}
   if torch.type(param) == 'table' then
      for k, v in pairs(param) do
         param[k] = nn.utils.recursiveType(v, typename, tensorCache)
      end
   elseif torch.isTypeOf(param, 'nn.Module') or torch.isTypeOf(param, 'nn.Criterion') then
      param:type(typename, tensorCache)
   elseif torch.isTensor(param) then
      if torch.typename(param) ~= typename then
         local newparam = tensorCache[param]
         if not newparam then
            newparam = newTensor(typename)
            local storage = param:storage()
            if storage then
               local key = torch.pointer(storage)
               if not tensorCache[key] then
                  tensorCache[key] = convertStorage(storage, typename)
               end
               newparam:set(tensorCache[key], param:storageOffset(), param:size(), param:stride())
            end
            tensorCache[param] = newparam
         end
         param = newparam
      end
   end
   return param
end

-- clear(self, 'a', 'b', ...) or clear(self, {'a', 'b'}): empties the named
-- fields: tensors are emptied in place (set()), tables replaced by {}, other
-- values removed.  Returns self.
function nn.utils.clear(self, ...)
   local names = {...}
   if #names > 0 and type(names[1]) == 'table' then names = names[1] end
   for _, f in ipairs(names) do
      local v = self[f]
      if v then
         if torch.isTensor(v) then
            v:set()
         elseif type(v) == 'table' then
            self[f] = {}
         else
            self[f] = nil
         end
      end
   end
   return self
end

-- t1 gets t2's shape (tensors or nested tables of them); returns t1, t2.
function nn.utils.recursiveResizeAs(t1, t2)
   if torch.type(t2) == 'table' then
      t1 = (torch.type(t1) == 'table') and t1 or {t1}
      for key, _ in pairs(t2) do
         t1[key], t2[key] = nn.utils.recursiveResizeAs(t1[key], t2[key])
      end
      for key, _ in pairs(t1) do
         if not t2[key] then t1[key] = nil end
      end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:resizeAs(t2)
   else
      error('expecting nested tensors or tables. Got ' ..
            torch.type(t1) .. ' and ' .. torch.type(t2) .. ' instead')
   end
   return t1, t2
end

function nn.utils.recursiveFill(t2, val)
   if torch.type(t2) == 'table' then
      for key, _ in pairs(t2) do
         t2[key] = nn.utils.recursiveFill(t2[key], val)
      end
   elseif torch.isTensor(t2) then
      t2:fill(val)
   else
      error('expecting tensor or table thereof. Got ' .. torch.type(t2) .. ' instead')
   end
   return t2
end

-- t1 = t1 + val * t2 (recursively); recursiveAdd(t1, t2) uses val = 1.
function nn.utils.recursiveAdd(t1, val, t2)
   if not t2 then
      assert(val, 'expecting at least two arguments')
      t2 = val
      val = 1
   end
   if torch.type(t2) == 'table' then
      t1 = (torch.type(t1) == 'table') and t1 or {t1}
      for key, _ in pairs(t2) do
         t1[key], t2[key] = nn.utils.recursiveAdd(t1[key], val, t2[key])
      end
   elseif torch.isTensor(t1) and torch.isTensor(t2) then
      t1:add(val, t2)
   else
      error('expecting nested tensors or tables. Got ' ..
            torch.type(t1) .. ' and ' .. torch.type(t2) .. ' instead')
   end
   return t1, t2
end

function nn.utils.recursiveCopy(t1, t2)
   if torch.type(t2) == 'table' then
      t1 = (torch.type(t1) == 'table') and t1 or {t1}
      for key, _ in pairs(t2) do
         t1[key], t2[key] = nn.utils.recursiveCopy(t1[key], t2[key])
      end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:resizeAs(t2):copy(t2)
   else
      error('expecting nested tensors or tables. Got ' ..
            torch.type(t1) .. ' and ' .. torch.type(t2) .. ' instead')
   end
   return t1, t2
end

-- Sizes of a tensor as a Lua array (integers), for messages and resize().
function nn.utils.sizeTable(t)
   local s = {}
   for i = 1, t:dim() do s[i] = t:size(i) end
   return s
end

-- 'AxBxC' for error messages.
function nn.utils.sizeString(t)
   return table.concat(nn.utils.sizeTable(t), 'x')
end

-- Formats a number the way LuaJIT's tostring does (3 rather than 3.0), for
-- messages that Torch7 built by concatenation.
function nn.utils.num2str(v)
   if math.type(v) == 'float' and v == math.floor(v) and math.abs(v) < 2^53 then
      return string.format('%d', v)
   end
   return tostring(v)
end

-- Checks that x is an integral number (Lua 5.4 integer or integral float)
-- and returns it as an integer; `what` names the argument in the error.
function nn.utils.checkInt(x, what, level)
   local i = type(x) == 'number' and math.tointeger(x)
   if not i then
      error(string.format('%s: integer expected, got %s', what,
         type(x) == 'number' and tostring(x) or type(x)), (level or 1) + 1)
   end
   return i
end

return nn.utils
