-- The ConvNet with sigmoid instead of tanh.
local build = dofile((debug.getinfo(1, 'S').source:match('^@(.*/)') or '') .. 'build.lua')
return function(opt) return build.convnet{act = 'sigmoid'} end
