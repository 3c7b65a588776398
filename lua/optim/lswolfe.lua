--[[ optim.lswolfe: a line search satisfying the strong Wolfe conditions
(bracketing with cubic extrapolation, then zooming with cubic
interpolation), as in minFunc; pass it to optim.lbfgs as
config.lineSearch = optim.lswolfe.

ARGS:
- opfunc  : a function of x returning f(x) and df/dx
- x       : the starting point; left at x + t * d on return
- t       : initial step size
- d       : descent direction
- f, g    : function value and gradient at x
- gtd     : directional derivative g . d (negative)
- options : c1 (1e-4, sufficient decrease), c2 (0.9, curvature), tolX
            (1e-9, smallest bracket), maxIter (20), verbose (false)

RETURN:
- f_new      : f at x + t * d
- g_new      : the gradient there (a tensor of its own)
- x          : the same tensor, moved to x + t * d
- t          : the step taken
- lsFuncEval : the number of function evaluations
]]
local polyinterp = require 'optim.polyinterp'

return function(opfunc, x, t, d, f, g, gtd, options)
   options = options or {}
   local c1 = options.c1 or 1e-4
   local c2 = options.c2 or 0.9
   local tolX = options.tolX or 1e-9
   local maxIter = options.maxIter or 20
   local isverbose = options.verbose or false
   local abs, min, max = math.abs, math.min, math.max

   local function verbose(...)
      if isverbose then print('<optim.lswolfe> ', ...) end
   end

   -- first trial step
   local x_init = x:clone()
   x:add(t, d)
   local f_new, g_new = opfunc(x)
   local lsFuncEval = 1
   local gtd_new = g_new:dot(d)

   -- bracket an interval containing a point satisfying the conditions;
   -- brackets hold step sizes, values and (copies of) gradients
   local LSiter, t_prev, done = 0, 0, false
   local f_prev, g_prev, gtd_prev = f, g:clone(), gtd
   local bracket, bracketFval, bracketGval
   while LSiter < maxIter do
      if (f_new > (f + c1 * t * gtd)) or (LSiter > 1 and f_new >= f_prev) then
         bracket, bracketFval = {t_prev, t}, {f_prev, f_new}
         bracketGval = {g_prev:clone(), g_new:clone()}
         break
      elseif abs(gtd_new) <= -c2 * gtd then
         bracket, bracketFval, bracketGval = {t}, {f_new}, {g_new:clone()}
         done = true
         break
      elseif gtd_new >= 0 then
         bracket, bracketFval = {t_prev, t}, {f_prev, f_new}
         bracketGval = {g_prev:clone(), g_new:clone()}
         break
      end

      -- extrapolate: a longer step, between 1.01 t and 10 t
      local tmp = t_prev
      t_prev = t
      local minStep = t + 0.01 * (t - tmp)
      local maxStep = t * 10
      t = polyinterp(torch.Tensor{{tmp, f_prev, gtd_prev}, {t, f_new, gtd_new}}, minStep, maxStep)

      f_prev = f_new
      g_prev = g_new:clone()
      gtd_prev = gtd_new
      x:copy(x_init)
      x:add(t, d)
      f_new, g_new = opfunc(x)
      lsFuncEval = lsFuncEval + 1
      gtd_new = g_new:dot(d)
      LSiter = LSiter + 1
   end

   if LSiter == maxIter then
      bracket, bracketFval = {0, t}, {f, f_new}
      bracketGval = {g:clone(), g_new:clone()}
   end

   -- index of the lower value (the first on a tie, as Tensor:min)
   local function lowest()
      if #bracketFval == 1 or bracketFval[1] <= bracketFval[2] then return 1 end
      return 2
   end

   -- zoom: shrink the bracket until a point satisfies the conditions
   local insufProgress = false
   while not done and LSiter < maxIter do
      local LOpos = lowest()
      local f_LO = bracketFval[LOpos]
      local HIpos = 3 - LOpos

      t = polyinterp(torch.Tensor{{bracket[1], bracketFval[1], bracketGval[1]:dot(d)},
                                  {bracket[2], bracketFval[2], bracketGval[2]:dot(d)}})

      -- stay away from the bracket's ends when progress is slow
      local bmax, bmin = max(bracket[1], bracket[2]), min(bracket[1], bracket[2])
      if min(bmax - t, t - bmin) / (bmax - bmin) < 0.1 then
         if insufProgress or t >= bmax or t <= bmin then
            if abs(t - bmax) < abs(t - bmin) then
               t = bmax - 0.1 * (bmax - bmin)
            else
               t = bmin + 0.1 * (bmax - bmin)
            end
            insufProgress = false
         else
            insufProgress = true
         end
      else
         insufProgress = false
      end

      x:copy(x_init)
      x:add(t, d)
      f_new, g_new = opfunc(x)
      lsFuncEval = lsFuncEval + 1
      gtd_new = g_new:dot(d)
      LSiter = LSiter + 1
      if f_new > f + c1 * t * gtd or f_new >= f_LO then
         -- no sufficient decrease, or not below the low end: new high end
         bracket[HIpos] = t
         bracketFval[HIpos] = f_new
         bracketGval[HIpos] = g_new:clone()
      else
         if abs(gtd_new) <= -c2 * gtd then
            done = true   -- Wolfe conditions hold
         elseif gtd_new * (bracket[HIpos] - bracket[LOpos]) >= 0 then
            -- the old low end becomes the high end
            bracket[HIpos] = bracket[LOpos]
            bracketFval[HIpos] = bracketFval[LOpos]
            bracketGval[HIpos] = bracketGval[LOpos]
         end
         bracket[LOpos] = t
         bracketFval[LOpos] = f_new
         bracketGval[LOpos] = g_new:clone()
      end

      if not done and abs((bracket[1] - bracket[2]) * gtd_new) < tolX then
         break
      end
   end

   if LSiter == maxIter then
      verbose('reached max number of iterations')
   end

   local LOpos = lowest()
   t = bracket[LOpos]
   f_new = bracketFval[LOpos]
   g_new = bracketGval[LOpos]
   x:copy(x_init)
   x:add(t, d)
   return f_new, g_new, x, t, lsFuncEval
end
