--[[ optim.polyinterp: position of the minimum of the cubic interpolating
two points given with their function values and derivatives (used by
optim.lswolfe).

ARGS:
- points    : a 2 x 3 tensor of rows {x, f(x), f'(x)}
- xminBound : lower end of the search interval (optional)
- xmaxBound : upper end (optional)

RETURN:
- minPos : without bounds, the cubic's minimiser clamped to the points'
           interval (their mean when the cubic has none); with bounds, the
           best of the bounds, the points and the cubic's real critical
           points inside the bounds (their midpoint if none qualifies)
- fmin   : (bounded form only) the cubic's value there

Torch solved the bounded case for any number of points with torch.gels and
the eigenvalues of a companion matrix; lswolfe only ever passes two points,
for which the cubic's coefficients come from a 4 x 4 linear solve and its
critical points from the quadratic formula.
]]

-- Solves the n x n system M p = r (tables, modified) by Gaussian
-- elimination with partial pivoting.
local function solve(M, r)
   local n = #r
   for k = 1, n do
      local piv = k
      for i = k + 1, n do
         if math.abs(M[i][k]) > math.abs(M[piv][k]) then piv = i end
      end
      M[k], M[piv] = M[piv], M[k]
      r[k], r[piv] = r[piv], r[k]
      for i = k + 1, n do
         local f = M[i][k] / M[k][k]
         for j = k, n do M[i][j] = M[i][j] - f * M[k][j] end
         r[i] = r[i] - f * r[k]
      end
   end
   local p = {}
   for i = n, 1, -1 do
      local s = r[i]
      for j = i + 1, n do s = s - M[i][j] * p[j] end
      p[i] = s / M[i][i]
   end
   return p
end

return function(points, xminBound, xmaxBound)
   local tn = torch.typename(points)
   if not (tn and tn:match('Tensor$')) or points:dim() ~= 2 or points:size(2) ~= 3 then
      error('optim.polyinterp: points must be an N x 3 tensor of {x, f, g} rows', 2)
   end
   if points:size(1) ~= 2 then
      error('optim.polyinterp: only 2 points are supported, got ' .. points:size(1), 2)
   end
   local x = {points[1][1], points[2][1]}
   local f = {points[1][2], points[2][2]}
   local g = {points[1][3], points[2][3]}

   if not xminBound and not xmaxBound then
      -- closed form, measured from the point with the smaller x
      local lo = x[2] < x[1] and 2 or 1
      local hi = 3 - lo
      local d1 = g[lo] + g[hi] - 3 * (f[lo] - f[hi]) / (x[lo] - x[hi])
      local d2 = math.sqrt(d1 ^ 2 - g[lo] * g[hi])
      if d2 == d2 then
         local t = x[hi] - (x[hi] - x[lo]) * ((g[hi] + d2 - d1) / (g[hi] - g[lo] + 2 * d2))
         return math.min(math.max(t, x[lo]), x[hi])
      end
      return (x[1] + x[2]) / 2
   end

   xminBound = xminBound or math.min(x[1], x[2])
   xmaxBound = xmaxBound or math.max(x[1], x[2])

   -- cubic p1 t^3 + p2 t^2 + p3 t + p4 through both values and slopes
   local M, r = {}, {}
   for i = 1, 2 do
      M[i] = {x[i] ^ 3, x[i] ^ 2, x[i], 1}
      r[i] = f[i]
      M[2 + i] = {3 * x[i] ^ 2, 2 * x[i], 1, 0}
      r[2 + i] = g[i]
   end
   local p = solve(M, r)
   for i = 1, 4 do
      if math.abs(p[i]) <= 1e-12 then p[i] = 0 end
   end
   local function polyval(t) return ((p[1] * t + p[2]) * t + p[3]) * t + p[4] end

   -- candidates: the bounds, the points, then the real critical points
   local cp = {xminBound, xmaxBound, x[1], x[2]}
   local a, b, c = 3 * p[1], 2 * p[2], p[3]
   local finite = true
   for _, v in ipairs({a, b, c}) do
      if v ~= v or v == math.huge or v == -math.huge then finite = false end
   end
   if finite then
      if a ~= 0 then
         local disc = b * b - 4 * a * c
         if disc >= 0 then
            local sq = math.sqrt(disc)
            cp[#cp + 1] = (-b + sq) / (2 * a)
            cp[#cp + 1] = (-b - sq) / (2 * a)
         end
      elseif b ~= 0 then
         cp[#cp + 1] = -c / b
      end
   end

   local fmin = math.huge
   local minPos = (xminBound + xmaxBound) / 2   -- bisection by default
   for _, t in ipairs(cp) do
      if t >= xminBound and t <= xmaxBound then
         local ft = polyval(t)
         if ft < fmin then
            minPos, fmin = t, ft
         end
      end
   end
   return minPos, fmin
end
