-- torch.numfmt: numbers formatted the way Torch7's LuaJIT formatted them.
--
-- Lua 5.4's string.format hands %e/%f/%g to the C library, which rounds an
-- exact decimal tie to even (printf('%.4e', 32768.5) = 3.2768e+04).
-- LuaJIT 2.1 formats numbers itself and rounds ties away from zero
-- (3.2769e+04, what Torch7 printed: tests/golden/tensor_print.out), and its
-- tostring() of any number is %.14g with 'nan' for every NaN
-- (123456789012345 -> 1.2345678901235e+14, -0.0 -> -0).
--    numfmt.format(spec, x)   one conversion like '%11.4e', '%7.4f', '%.14g'
--    numfmt.tostring(v)       LuaJIT's tostring for numbers, tostring otherwise
local M = {}

local format = string.format

-- True if ax (> 0, finite) lies exactly halfway between two neighbours at
-- `k` decimals (ax*10^k has fractional part .5): the only case where C and
-- LuaJIT round differently.  With ax = m*2^e (m odd), 2*ax*10^k =
-- m*5^k*2^(e+k+1) is an odd integer iff ax*2^(k+1) is an odd integer M
-- (and, for k < 0, 5^-k divides M).  Scaling by a power of two is exact.
local function halfway(ax, k)
   local M = ax * 2.0 ^ (k + 1)
   if M ~= math.floor(M) or M % 2 ~= 1 then return false end
   if k < 0 then return M % (5.0 ^ -k) == 0 end
   return true
end

-- Decimal exponent of ax (> 0): ax = d.ddd * 10^E, 1 <= d < 10.
local function exponent(ax)
   return tonumber(format('%.16e', ax):match('e([-+]%d+)$'))
end

-- string.format(spec, x) for one numeric conversion, with LuaJIT's
-- rounding of ties and 'nan' for every NaN.
function M.format(spec, x)
   if x ~= x then
      local width = spec:match('^%%(%-?%d+)')
      return width and format('%' .. width .. 's', 'nan') or 'nan'
   end
   local prec, conv = spec:match('%.(%d+)([efg])$')
   if not conv then
      conv = spec:match('([efg])$')
      prec = 6
   end
   if not conv or x == 0 or x == math.huge or x == -math.huge then
      return format(spec, x)
   end
   prec = tonumber(prec)
   local ax = x < 0 and -x or x
   local tie
   if conv == 'f' then
      tie = halfway(ax, prec)
   else
      -- %e keeps prec digits after the first significant one; %g keeps
      -- prec significant digits
      if conv == 'g' then prec = math.max(prec, 1) - 1 end
      tie = halfway(ax, prec - exponent(ax))
   end
   if tie then
      -- one or two ulps away from zero: past the tie, nowhere near the next
      -- decimal rounding boundary
      x = x * (1 + 2 ^ -52)
   end
   return format(spec, x)
end

function M.tostring(v)
   if type(v) ~= 'number' then return tostring(v) end
   if v ~= v then return 'nan' end
   if math.type(v) == 'integer' and v > -1e14 and v < 1e14 then return format('%d', v) end
   return M.format('%.14g', v)
end

return M
