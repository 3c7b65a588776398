-- Runs the scripts that produced the golden files (tests/golden/*.lua,
-- written for real Torch7) unchanged on Ember and compares their whole
-- output with Torch7's: text exactly, numbers within 1e-12 (relative, or
-- absolute near 0: BLAS summation order is the only source of difference).
local T = require 'testlib'
local tests = T.suite()

-- the script's io.write output as one string
local function run(path)
   local buf = {}
   local write = io.write
   io.write = function(...)
      for _, v in ipairs({...}) do buf[#buf + 1] = tostring(v) end
   end
   local ok, err = pcall(dofile, path)
   io.write = write
   if not ok then error(path .. ': ' .. tostring(err), 2) end
   return table.concat(buf)
end

local function lines(s)
   local t = {}
   for l in (s:sub(-1) == '\n' and s or s .. '\n'):gmatch('(.-)\n') do t[#t + 1] = l end
   return t
end

local function compare(name, got, want, tol)
   T.eq(#got, #want, name .. ': number of lines')
   for i = 1, #want do
      local gt, wt = {}, {}
      for tok in got[i]:gmatch('[^%s=]+') do gt[#gt + 1] = tok end
      for tok in want[i]:gmatch('[^%s=]+') do wt[#wt + 1] = tok end
      T.eq(#gt, #wt, name .. ' line ' .. i .. ': token count')
      for k = 1, #wt do
         local a, b = tonumber(gt[k]), tonumber(wt[k])
         if a and b then
            if not (math.abs(a - b) <= tol * math.max(1, math.abs(b))) then
               error(string.format('%s line %d token %d: expected %s, got %s', name, i, k, wt[k], gt[k]), 2)
            end
         else
            T.eq(gt[k], wt[k], name .. ' line ' .. i)
         end
      end
   end
end

local function golden(name)
   local f = assert(io.open('tests/golden/' .. name .. '.out'))
   local s = f:read('a')
   f:close()
   return lines(s)
end

function tests.nn_modules_script()
   compare('nn_modules', lines(run('tests/golden/nn_modules.lua')), golden('nn_modules'), 1e-12)
end

function tests.tutorial_convnet_script()
   local got = lines(run('tests/golden/tutorial_convnet.lua'))
   local want = golden('tutorial_convnet')
   -- construction, printing, initial weights and flattening are exact
   for i = 1, 39 do T.eq(got[i], want[i], 'tutorial_convnet line ' .. i) end
   -- the forward/backward sums go through OpenBLAS, whose kernels depend on
   -- the core it picks: with OPENBLAS_CORETYPE=Haswell (set on some of these
   -- machines) one sum (20.1707664769...) moves by 1.1e-12 relative against
   -- Torch7's; SkylakeX and the auto-detected kernel match within 1e-12
   compare('tutorial_convnet', got, want, 1e-11)
end

return tests
