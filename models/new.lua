-- The report's chosen model: nstates 64,128,128 with Dropout(0.5) before the classifier.
local build = dofile((debug.getinfo(1, 'S').source:match('^@(.*/)') or '') .. 'build.lua')
return function(opt) return build.convnet{nstates = {64, 128, 128}, dropout = 0.5} end
