-- The ConvNet with Dropout(0.5) before the classifier.
local build = dofile((debug.getinfo(1, 'S').source:match('^@(.*/)') or '') .. 'build.lua')
return function(opt) return build.convnet{dropout = 0.5} end
