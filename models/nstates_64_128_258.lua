-- The ConvNet with nstates 64,128,258, as written in the report.
local build = dofile((debug.getinfo(1, 'S').source:match('^@(.*/)') or '') .. 'build.lua')
return function(opt) return build.convnet{nstates = {64, 128, 258}} end
