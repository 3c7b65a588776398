-- The tutorial's two-layer MLP (1024 -> 512 tanh -> 10).
local build = dofile((debug.getinfo(1, 'S').source:match('^@(.*/)') or '') .. 'build.lua')
return function(opt) return build.mlp{} end
