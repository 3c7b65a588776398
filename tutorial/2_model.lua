----------------------------------------------------------------------
-- Builds the model named by -model: models/<name>.lua returns a function
-- that builds it (convnet is Torch7's tutorial ConvNet; the others are
-- the report's variants and the tutorial's linear and mlp models).
----------------------------------------------------------------------
require 'torch'
require 'nn'
require 'paths'

print '==> construct model'

local modelfile = paths.concat(tutorialdir, '..', 'models', opt.model .. '.lua')
if not paths.filep(modelfile) then
   local names = {}
   for f in paths.files(paths.concat(tutorialdir, '..', 'models')) do
      if f:match('%.lua$') and f ~= 'build.lua' then names[#names + 1] = f:sub(1, -5) end
   end
   table.sort(names)
   error('unknown -model ' .. opt.model .. ' (no ' .. modelfile .. '; known: ' .. table.concat(names, ', ') .. ')', 0)
end
model = dofile(modelfile)(opt)

print '==> here is the model:'
print(model)
