-- The tutorial's linear model (View 1024 -> Linear 1024 -> 10).
local build = dofile((debug.getinfo(1, 'S').source:match('^@(.*/)') or '') .. 'build.lua')
return function(opt) return build.linear{} end
