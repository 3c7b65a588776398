-- torch.compat: the Lua 5.1 names that Torch7 code (written for LuaJIT)
-- uses, provided on Lua 5.4 so ported scripts run unchanged.
unpack = unpack or table.unpack
loadstring = loadstring or load
math.pow = math.pow or function(a, b) return a ^ b end
math.log10 = math.log10 or function(x) return math.log(x, 10) end
math.ldexp = math.ldexp or function(m, e) return m * 2.0 ^ e end
math.frexp = math.frexp or function(x)
   if x == 0 or x ~= x or x == math.huge or x == -math.huge then return x, 0 end
   local e = math.floor(math.log(math.abs(x), 2)) + 1
   local m = x / 2.0 ^ e
   if math.abs(m) >= 1 then m, e = m / 2, e + 1 elseif math.abs(m) < 0.5 then m, e = m * 2, e - 1 end
   return m, e
end
math.mod = math.mod or math.fmod
table.getn = table.getn or function(t) return #t end
table.maxn = table.maxn or function(t)
   local n = 0
   for k in pairs(t) do if type(k) == 'number' and k > n then n = k end end
   return n
end
string.gfind = string.gfind or string.gmatch
setfenv = setfenv or function(f, env)
   local i = 1
   while true do
      local name = debug.getupvalue(f, i)
      if name == '_ENV' then debug.upvaluejoin(f, i, function() return env end, 1) break
      elseif not name then break end
      i = i + 1
   end
   return f
end
getfenv = getfenv or function(f)
   f = f or 2
   if type(f) == 'number' then f = debug.getinfo(f + 1, 'f').func end
   local i = 1
   while true do
      local name, val = debug.getupvalue(f, i)
      if name == '_ENV' then return val elseif not name then break end
      i = i + 1
   end
   return _G
end
