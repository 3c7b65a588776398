-- The tutorial's ConvNet: nstates 64,64,128, tanh, L2 pooling, subtractive normalization.
local build = dofile((debug.getinfo(1, 'S').source:match('^@(.*/)') or '') .. 'build.lua')
return function(opt) return build.convnet{} end
