--[[ optim.cg: nonlinear conjugate gradients (Polack-Ribiere) with
Rasmussen's line search, a port of minimize.m by Carl E. Rasmussen (via
Koray Kavukcuoglu's Torch version): cubic/quadratic interpolation and
extrapolation along s until the strong Wolfe conditions hold.

ARGS:
- opfunc : a function of x returning f(x) and df/dx (the gradient is copied
           right away, so opfunc may reuse one tensor)
- x      : the starting point, updated in place
- config : rho (0.01), sig (0.5), int (0.1), ext (3.0), maxIter (20),
           ratio (100), maxEval (1.25 * maxIter): the number of function
           evaluations is what is limited
- state  : df0, df1, df2, df3, x0, s (reused buffers); defaults to config

RETURN:
- x  : the same tensor, at the best point found
- fx : f at the start and after each successful line search
- i  : the number of function evaluations
]]
local util = require 'optim.util'

return function(opfunc, x, config, state)
   util.check_x('optim.cg', x)
   config = config or {}
   state = state or config
   local rho = config.rho or 0.01
   local sig = config.sig or 0.5
   local int = config.int or 0.1
   local ext = config.ext or 3.0
   local maxIter = config.maxIter or 20
   local ratio = config.ratio or 100
   local maxEval = config.maxEval or maxIter * 1.25
   local red = 1

   local i = 0
   -- Torch starts ls_failed at the number 0, which is true in Lua: the
   -- loop below therefore stops at the first failed line search.  Kept.
   local ls_failed = 0
   local fx = {}

   -- three points for the interpolation: step z, value f, slope d
   local z1, z2, z3 = 0, 0, 0
   local d1, d2, d3 = 0, 0, 0
   local f1, f2, f3 = 0, 0, 0

   local df1 = state.df1 or x.new()
   local df2 = state.df2 or x.new()
   local df3 = state.df3 or x.new()
   df1:resizeAs(x)
   df2:resizeAs(x)
   df3:resizeAs(x)

   local s = state.s or x.new()    -- search direction
   s:resizeAs(x)

   local x0 = state.x0 or x.new()  -- point before the line search
   local f0 = 0
   local df0 = state.df0 or x.new()
   x0:resizeAs(x)
   df0:resizeAs(x)

   local tdf
   f1, tdf = opfunc(x)
   util.check_eval('optim.cg', f1, tdf)
   fx[#fx + 1] = f1
   df1:copy(tdf)
   i = i + 1

   -- steepest descent first
   s:copy(df1):mul(-1)
   d1 = -s:dot(s)
   z1 = red / (1 - d1)

   while i < math.abs(maxEval) do
      x0:copy(x)
      f0 = f1
      df0:copy(df1)

      x:add(z1, s)
      f2, tdf = opfunc(x)
      df2:copy(tdf)
      i = i + 1
      d2 = df2:dot(s)
      f3, d3, z3 = f1, d1, -z1   -- point 3 starts equal to point 1
      local m = math.min(maxIter, maxEval - i)
      local success = 0
      local limit = -1

      while true do
         -- interpolate back while the step is too long (Wolfe violated)
         while (f2 > f1 + z1 * rho * d1 or d2 > -sig * d1) and m > 0 do
            limit = z1
            if f2 > f1 then
               z2 = z3 - (0.5 * d3 * z3 * z3) / (d3 * z3 + f2 - f3)   -- quadratic
            else
               local A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)           -- cubic
               local B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
               z2 = (math.sqrt(B * B - A * d2 * z3 * z3) - B) / A
            end
            if z2 ~= z2 or z2 == math.huge or z2 == -math.huge then
               z2 = z3 / 2   -- bisect when the fit is numerically useless
            end
            z2 = math.max(math.min(z2, int * z3), (1 - int) * z3)
            z1 = z1 + z2
            x:add(z2, s)
            f2, tdf = opfunc(x)
            df2:copy(tdf)
            i = i + 1
            m = m - 1
            d2 = df2:dot(s)
            z3 = z3 - z2
         end
         if f2 > f1 + z1 * rho * d1 or d2 > -sig * d1 then
            break                 -- failure
         elseif d2 > sig * d1 then
            success = 1           -- strong Wolfe conditions hold
            break
         elseif m == 0 then
            break                 -- out of evaluations
         end
         -- extrapolate with a cubic, limited by ext and int
         local A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)
         local B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
         z2 = -d2 * z3 * z3 / (B + math.sqrt(B * B - A * d2 * z3 * z3))

         if z2 ~= z2 or z2 == math.huge or z2 == -math.huge or z2 < 0 then
            if limit < -0.5 then
               z2 = z1 * (ext - 1)
            else
               z2 = (limit - z1) / 2
            end
         elseif (limit > -0.5) and (z2 + z1) > limit then
            z2 = (limit - z1) / 2
         elseif limit < -0.5 and (z2 + z1) > z1 * ext then
            z2 = z1 * (ext - 1)
         elseif z2 < -z3 * int then
            z2 = -z3 * int
         elseif limit > -0.5 and z2 < (limit - z1) * (1 - int) then
            z2 = (limit - z1) * (1 - int)
         end
         f3 = f2; d3 = d2; z3 = -z2
         z1 = z1 + z2
         x:add(z2, s)

         f2, tdf = opfunc(x)
         df2:copy(tdf)
         i = i + 1
         m = m - 1
         d2 = df2:dot(s)
      end

      if success == 1 then
         f1 = f2
         fx[#fx + 1] = f1
         -- Polack-Ribiere direction
         local ss = (df2:dot(df2) - df2:dot(df1)) / df1:dot(df1)
         s:mul(ss)
         s:add(-1, df2)
         local tmp = df1:clone()
         df1:copy(df2)
         df2:copy(tmp)
         d2 = df1:dot(s)
         if d2 > 0 then   -- not a descent direction: steepest descent
            s:copy(df1)
            s:mul(-1)
            d2 = -s:dot(s)
         end
         z1 = z1 * math.min(ratio, d1 / (d2 - 1e-320))
         d1 = d2
         ls_failed = 0
      else
         -- restore the point before the failed search
         x:copy(x0)
         f1 = f0
         df1:copy(df0)
         if ls_failed or i > maxEval then
            break
         end
         local tmp = df1:clone()
         df1:copy(df2)
         df2:copy(tmp)
         s:copy(df1)
         s:mul(-1)
         d1 = -s:dot(s)
         z1 = 1 / (1 - d1)
         ls_failed = 1
      end
   end
   state.df0 = df0
   state.df1 = df1
   state.df2 = df2
   state.df3 = df3
   state.x0 = x0
   state.s = s
   return x, fx, i
end
