-- torch: Torch7's `torch` package on Lua 5.4.
-- Loads the C module (every binding lives in ember.core), publishes its
-- functions as torch.*, then the Lua parts in dependency order.  Like
-- Torch7, `require 'torch'` also sets the global `torch`.
local core = require 'ember.core'

torch = torch or {}
for k, v in pairs(core) do
   torch[k] = v
end

require 'torch.compat'      -- Lua 5.1 names ported scripts use (unpack, math.pow, ...)
require 'torch.class'       -- torch.class, typename, getmetatable, isTypeOf, ...
require 'torch.Tensor'      -- constructors, Lua-side tensor/storage methods, indexing helpers
require 'torch.TensorMath'  -- Lua-side math argument forms and torch.* function forms
require 'torch.print'       -- tostring of tensors and storages (Torch7's exact format)
require 'torch.Timer'
require 'torch.CmdLine'
require 'torch.TestSuite'
require 'torch.Tester'
require 'torch.File'        -- torch.save/load, serialize, DiskFile/MemoryFile objects

return torch
