-- The ConvNet with 128 maps in the second stage (nstates 64,128,128).
local build = dofile((debug.getinfo(1, 'S').source:match('^@(.*/)') or '') .. 'build.lua')
return function(opt) return build.convnet{nstates = {64, 128, 128}} end
