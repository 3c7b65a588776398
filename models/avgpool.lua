-- The ConvNet with 2x2 average pooling instead of L2 pooling.
local build = dofile((debug.getinfo(1, 'S').source:match('^@(.*/)') or '') .. 'build.lua')
return function(opt) return build.convnet{pool = 'avg'} end
