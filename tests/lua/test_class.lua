-- torch.class and the class-system helpers (torch.md §7, §7.1).
local T = require 'testlib'
local tests = T.suite()

-- Each test makes its classes in a fresh module table so names never clash
-- with other tests (a class name can be registered only once per state).
local n = 0
local function fresh()
   n = n + 1
   local name = 'tc' .. n
   local m = {}
   _G[name] = m
   return name, m
end

function tests.class_returns_metatable_and_parent()
   local pkg, m = fresh()
   local A, pa = torch.class(pkg .. '.A')
   T.eq(type(A), 'table')
   T.eq(pa, nil)
   local B, pb = torch.class(pkg .. '.B', pkg .. '.A')
   T.ok(rawequal(pb, A), 'parent metatable returned second')
   T.eq(type(m.A), 'table', 'constructor table stored in the module')
   T.ok(rawequal(getmetatable(m.A), A), 'constructor table redirects getmetatable to the class')
   T.ok(rawequal(torch.getmetatable(pkg .. '.B'), B))
   T.ok(rawequal(getmetatable(B), A), "class metatable's metatable is the parent")
end

function tests.constructor_calls_init_and_methods_inherit()
   local pkg, m = fresh()
   local A = torch.class(pkg .. '.A')
   function A:__init(x) self.x = x; self.calls = (self.calls or 0) + 1 end
   function A:get() return self.x end
   function A:who() return 'A' end
   local B, parent = torch.class(pkg .. '.B', pkg .. '.A')
   function B:__init(x, y) parent.__init(self, x); self.y = y end
   function B:who() return 'B>' .. parent.who(self) end
   local b = m.B(3, 4)
   T.eq(b.x, 3); T.eq(b.y, 4); T.eq(b.calls, 1)
   T.eq(b:get(), 3)
   T.eq(b:who(), 'B>A')
   -- methods defined through the constructor table land in the metatable
   function m.B:extra() return self.y * 10 end
   T.eq(b:extra(), 40)
   T.eq(rawget(B, 'extra'), m.B.extra)
   -- reading the constructor table reads the class
   T.eq(m.B.get, A.get)
   T.eq(m.B.__typename, pkg .. '.B')
   -- a class without __init still constructs
   local C = torch.class(pkg .. '.C')
   T.eq(torch.typename(m.C()), pkg .. '.C')
   T.ok(C.new ~= nil, 'mt.new is the constructor')
   T.eq(torch.typename(C.new()), pkg .. '.C')
end

function tests.typename_type_and_non_torch_values()
   local pkg, m = fresh()
   torch.class(pkg .. '.A')
   local a = m.A()
   T.eq(torch.typename(a), pkg .. '.A')
   T.eq(torch.type(a), pkg .. '.A')
   T.eq(torch.typename({}), nil)
   T.eq(torch.typename(3), nil)
   T.eq(torch.typename(setmetatable({}, {})), nil)
   T.eq(torch.type(3), 'number')
   T.eq(torch.type('x'), 'string')
   T.eq(torch.type({}), 'table')
   T.eq(torch.type(nil), 'nil')
   T.eq(torch.type(io.stdout), 'userdata')
   T.eq(torch.typename(io.stdout), nil)
end

function tests.isTypeOf_walks_parents_and_patterns()
   local pkg, m = fresh()
   torch.class(pkg .. '.Module')
   torch.class(pkg .. '.Linear', pkg .. '.Module')
   torch.class(pkg .. '.LinearNoBias', pkg .. '.Linear')
   local l = m.LinearNoBias()
   T.eq(torch.isTypeOf(l, pkg .. '.LinearNoBias'), true)
   T.eq(torch.isTypeOf(l, pkg .. '.Linear'), true)
   T.eq(torch.isTypeOf(l, pkg .. '.Module'), true)
   T.eq(torch.isTypeOf(m.Module(), pkg .. '.Linear'), false)
   -- a plain name must match the whole class name
   T.eq(torch.isTypeOf(m.Linear(), pkg .. '.Line'), false)
   -- a pattern may match part of it
   T.eq(torch.isTypeOf(m.Linear(), pkg .. '%.Lin.*'), true)
   -- constructor tables instead of names
   T.eq(torch.isTypeOf(l, m.Module), true)
   T.eq(torch.isTypeOf(m.Module(), m.Linear), false)
   T.eq(torch.isTypeOf({}, pkg .. '.Module'), false)
   T.eq(torch.isTypeOf(5, pkg .. '.Module'), false)
   T.errors('type must be provided', torch.isTypeOf, l, {})
end

function tests.invalid_module_and_parent_errors()
   T.errors('while creating metatable nosuchpkg.Thing: bad argument #1 (nosuchpkg is an invalid module name)',
      torch.class, 'nosuchpkg.Thing')
   local pkg = fresh()
   T.errors(pkg .. '.x is an invalid module name', torch.class, pkg .. '.x.Y')
   T.errors('invalid parent class name nosuch.Parent', torch.class, pkg .. '.Z', 'nosuch.Parent')
   T.errors('<class name> [<parent class name>] [<module table>] expected', torch.class, 3)
   T.errors('<class name> [<parent class name>] [<module table>] expected', torch.class)
   local pkg2 = fresh()
   torch.class(pkg2 .. '.P')
   torch.class(pkg2 .. '.Q', pkg2 .. '.P')
   T.errors('has been already assigned a parent class', torch.class, pkg2 .. '.Q', pkg2 .. '.P')
end

function tests.explicit_module_table_and_global_classes()
   local mod = {}
   local mt = torch.class('tcmod.Thing', mod)   -- tcmod does not exist as a global
   T.ok(rawequal(getmetatable(mod.Thing), mt))
   T.eq(rawget(_G, 'tcmod'), nil)
   T.eq(torch.typename(mod.Thing()), 'tcmod.Thing')
   local pkg = fresh()
   torch.class(pkg .. '.Base')
   local mod2 = {}
   local _, parent = torch.class('tcmod.Child', pkg .. '.Base', mod2)
   T.ok(rawequal(parent, torch.getmetatable(pkg .. '.Base')))
   T.ok(torch.isTypeOf(mod2.Child(), pkg .. '.Base'))
   -- no dot: the constructor becomes a global
   torch.class('TcGlobalClass')
   T.eq(torch.typename(TcGlobalClass()), 'TcGlobalClass')
   TcGlobalClass = nil
end

function tests.metatable_fields_version_factory()
   local pkg, m = fresh()
   local A = torch.class(pkg .. '.A')
   function A:__init() self.inited = true end
   T.eq(A.__typename, pkg .. '.A')
   T.eq(A.__version, 1)
   T.eq(torch.version(m.A()), 1)
   A.__version = 2
   T.eq(torch.version(m.A()), 2)
   T.eq(torch.version({}), nil)
   local f = torch.factory(pkg .. '.A')
   T.eq(type(f), 'function')
   local e = f()
   T.eq(torch.typename(e), pkg .. '.A')
   T.eq(e.inited, nil, 'factory does not call __init')
   T.eq(torch.factory('no.such.Class'), nil)
   T.ok(rawequal(torch.getconstructortable(pkg .. '.A'), m.A))
   T.eq(torch.getconstructortable('no.such.Class'), nil)
   T.eq(torch.getmetatable('no.such.Class'), nil)
end

function tests.setmetatable_and_newmetatable()
   local pkg, m = fresh()
   local A = torch.class(pkg .. '.A')
   function A:hello() return 'hi ' .. self.name end
   local t = torch.setmetatable({name = 'x'}, pkg .. '.A')
   T.eq(t:hello(), 'hi x')
   T.eq(torch.typename(t), pkg .. '.A')
   T.errors('unknown typename no.Such', torch.setmetatable, {}, 'no.Such')
   T.errors('table expected, got number', torch.setmetatable, 1, pkg .. '.A')
   -- the Lua-level newmetatable (what torch.class is built on)
   local made = 0
   local mt = torch.newmetatable(pkg .. '.N', nil, function(v)
      made = made + 1
      return torch.setmetatable({v = v}, pkg .. '.N')
   end)
   T.ok(rawequal(torch.getmetatable(pkg .. '.N'), mt))
   local o = m.N(7)
   T.eq(o.v, 7); T.eq(made, 1)
   T.eq(torch.typename(o), pkg .. '.N')
   T.errors('no constructor available', function() return torch.newmetatable(pkg .. '.NoCtor') and m.NoCtor() end)
end

function tests.tostring_forwarding_and_fallback()
   local pkg, m = fresh()
   local A = torch.class(pkg .. '.A')
   T.eq(tostring(m.A()), pkg .. '.A')
   local B = torch.class(pkg .. '.B', pkg .. '.A')
   function A:__tostring__() return 'A<' .. tostring(self.v) .. '>' end
   local b = m.B(); b.v = 5
   T.eq(tostring(b), 'A<5>', 'inherited __tostring__')
   function B:__tostring__() return 'B!' end
   T.eq(tostring(b), 'B!')
end

function tests.call_len_eq_and_operators()
   local pkg, m = fresh()
   local A = torch.class(pkg .. '.A')
   local a = m.A()
   T.errors(pkg .. '.A has no call operator', function() return a(1) end)
   function A:__call__(x, y) return x + y, 'second' end
   local r1, r2 = a(2, 3)
   T.eq(r1, 5); T.eq(r2, 'second')
   -- # is the raw length unless __len__ exists (LuaJIT ignored __len)
   a[1] = 'p'; a[2] = 'q'
   T.eq(#a, 2)
   function A:__len__() return 99 end
   T.eq(#a, 99)
   -- == is identity unless __eq__ exists
   local b = m.A()
   T.eq(a == b, false)
   T.eq(a == a, true)
   function A:__eq__(o) return rawequal(self, o) or (self.k ~= nil and self.k == o.k) end
   a.k, b.k = 1, 1
   T.eq(a == b, true)
   T.errors('have no addition operator', function() return a + b end)
   T.errors('have no less-than operator', function() return a < b end)
   T.errors('have no concat operator', function() return a .. b end)
   T.errors('has no negation operator', function() return -a end)
   function A:__add__(o) return self.k + o.k + 10 end
   function A:__lt__(o) return self.k < o.k end
   function A:__unm__() return 'neg' end
   function A:__concat__(o) return 'cat' end
   T.eq(a + b, 12)
   T.eq(a < b, false)
   T.eq(-a, 'neg')
   T.eq(a .. b, 'cat')
   -- an operator with a number on the left uses the right operand's class
   function A:__mul__(o) return 'mul' end
   T.eq(2 * a, 'mul')
end

function tests.index_and_newindex_hooks()
   local pkg, m = fresh()
   local A = torch.class(pkg .. '.A')
   function A:method() return 'm' end
   local B = torch.class(pkg .. '.B', pkg .. '.A')
   function A:__index__(k)
      if type(k) == 'number' then return k * 2, true end
      return nil, false
   end
   local b = m.B()
   T.eq(b[21], 42)
   T.eq(b:method(), 'm', 'normal lookup after __index__ declines')
   T.eq(b.missing, nil)
   function B:__newindex__(k, v)
      if k == 'special' then rawset(self, 'seen', v); return true end
      return false
   end
   local b2 = m.B()
   b2.special = 5
   b2.other = 6
   T.eq(rawget(b2, 'special'), nil)
   T.eq(b2.seen, 5)
   T.eq(rawget(b2, 'other'), 6)
end

function tests.pointer_and_isequal()
   local t, u = {}, {}
   T.eq(math.type(torch.pointer(t)), 'integer')
   T.ok(torch.pointer(t) ~= 0)
   T.eq(torch.pointer(t), torch.pointer(t))
   T.ok(torch.pointer(t) ~= torch.pointer(u))
   T.eq(torch.pointer(print), tonumber(string.format('%p', print):sub(3), 16))
   T.errors('Torch object, table, thread, cdata or function expected', torch.pointer, 5)
   T.eq(torch.isequal(t, t), true)
   T.eq(torch.isequal(t, u), false)
   T.eq(torch.isequal(1, 1), false)
end

function tests.include_runs_a_package_file()
   local dir = os.tmpname()
   os.remove(dir)
   os.execute('mkdir -p ' .. dir .. '/tcincpkg')
   local f = assert(io.open(dir .. '/tcincpkg/init.lua', 'w'))
   f:write('return 1\n'); f:close()
   f = assert(io.open(dir .. '/tcincpkg/extra.lua', 'w'))
   f:write('TC_INCLUDED = (TC_INCLUDED or 0) + 1\nreturn "done"\n'); f:close()
   local saved = package.path
   package.path = dir .. '/?/init.lua;' .. package.path
   local ok, res = pcall(torch.include, 'tcincpkg', 'extra.lua')
   package.path = saved
   os.execute('rm -rf ' .. dir)
   T.ok(ok, tostring(res))
   T.eq(res, 'done')
   T.eq(TC_INCLUDED, 1)
   TC_INCLUDED = nil
   T.errors("package 'no_such_pkg_x' not found", torch.include, 'no_such_pkg_x', 'a.lua')
end

-- The tensor/storage classes the binding registers behave like torch classes.
function tests.binding_classes_are_torch_classes()
   if not torch.DoubleTensor then return end   -- binding not built in
   local t = torch.DoubleTensor()
   T.eq(torch.typename(t), 'torch.DoubleTensor')
   T.eq(torch.type(t), 'torch.DoubleTensor')
   T.ok(rawequal(torch.getmetatable('torch.DoubleTensor'), getmetatable(t)))
   T.eq(torch.isTypeOf(t, 'torch.DoubleTensor'), true)
   T.eq(torch.isTypeOf(t, 'torch.*Tensor'), true)
   T.eq(torch.isTypeOf(t, 'torch.FloatTensor'), false)
   T.eq(torch.isTensor(t), true)
   T.eq(torch.isStorage(t), false)
   T.eq(torch.isTensor({}), false)
   T.eq(torch.version(t), 1)
   T.ok(rawequal(torch.getconstructortable('torch.DoubleTensor'), torch.DoubleTensor))
   T.eq(torch.typename(torch.LongStorage()), 'torch.LongStorage')
   T.eq(torch.isStorage(torch.LongStorage()), true)
end

return tests
