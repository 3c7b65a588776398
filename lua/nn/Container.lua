-- nn.Container: base of modules made of sub-modules (self.modules).
-- Parameter, mode and state operations recurse into the children; errors
-- raised in a child are re-raised naming the child's index and container.
local Container, parent = torch.class('nn.Container', 'nn.Module')

function Container:__init(...)
   parent.__init(self, ...)
   self.modules = {}
end

function Container:add(module)
   table.insert(self.modules, module)
   return self
end

function Container:get(index)
   return self.modules[index]
end

function Container:size()
   return #self.modules
end

local TRACEBACK_WARNING = "WARNING: If you see a stack trace below, it doesn't point to the place where this error occurred. Please use only the one above."

-- Calls module[funcName](module, ...) and, on error, re-raises it as
-- "In <i> module of <Container>:\n<message>".  The innermost container adds
-- the traceback of the real failure point (the one Lua shows later is that
-- of the re-raise); outer containers only add their own prefix line.
-- The handler is one function for all calls (a closure per call made every
-- training step allocate); the container and index it reports are kept in
-- upvalues, saved and restored around each call so nested containers each
-- report their own.
local errSelf, errIndex
local function handleError(err)
   if type(err) ~= 'string' then return err end
   if not err:find(TRACEBACK_WARNING, 1, true) then
      local traceback = debug.traceback()
      -- drop this handler's own line from the traceback
      local _, firstEnd = traceback:find('^.-\n')
      local _, secondEnd = traceback:find('^.-\n.-\n')
      if firstEnd and secondEnd then
         traceback = traceback:sub(1, firstEnd) .. traceback:sub(secondEnd + 1)
      end
      err = err .. '\n' .. traceback .. '\n\n' .. TRACEBACK_WARNING
   else
      -- drop the position prefix the inner re-raise added
      local nl = err:find('\n')
      if nl then err = err:sub(nl + 1) end
   end
   -- leading newline: error() prepends this file's position
   return '\n' .. string.format('In %d module of %s:', errIndex, torch.type(errSelf)) .. '\n' .. err
end

function Container:rethrowErrors(module, moduleIndex, funcName, ...)
   assert(module == self.modules[moduleIndex],
          'mismatch between moduleIndex and self.modules in rethrowErrors')
   local prevSelf, prevIndex = errSelf, errIndex
   errSelf, errIndex = self, moduleIndex
   local ok, ret, noret = xpcall(module[funcName], handleError, module, ...)
   errSelf, errIndex = prevSelf, prevIndex
   assert(noret == nil, 'rethrowErrors supports only one return argument')
   if not ok then error(ret) end
   return ret
end

function Container:applyToModules(func)
   for _, module in ipairs(self.modules) do
      func(module)
   end
end

function Container:zeroGradParameters()
   self:applyToModules(function(module) module:zeroGradParameters() end)
end

function Container:updateParameters(learningRate)
   self:applyToModules(function(module) module:updateParameters(learningRate) end)
end

function Container:training()
   self:applyToModules(function(module) module:training() end)
   parent.training(self)
end

function Container:evaluate()
   self:applyToModules(function(module) module:evaluate() end)
   parent.evaluate(self)
end

function Container:share(mlp, ...)
   for i = 1, #self.modules do
      self.modules[i]:share(mlp.modules[i], ...)
   end
   return self
end

function Container:reset(stdv)
   self:applyToModules(function(module) module:reset(stdv) end)
end

-- The children's lists concatenated in module order.
function Container:parameters()
   local w, gw = {}, {}
   for i = 1, #self.modules do
      local mw, mgw = self.modules[i]:parameters()
      if mw then
         for j = 1, #mw do
            w[#w + 1] = mw[j]
            gw[#gw + 1] = mgw[j]
         end
      end
   end
   return w, gw
end

function Container:clearState()
   -- replace rather than set(): output/gradInput may be aliases of a
   -- child's tensors, which the child clears itself
   local function clear(f)
      if self[f] then
         if torch.isTensor(self[f]) then
            self[f] = self[f].new()
         elseif type(self[f]) == 'table' then
            self[f] = {}
         else
            self[f] = nil
         end
      end
   end
   clear('output')
   clear('gradInput')
   if self.modules then
      for _, module in pairs(self.modules) do
         module:clearState()
      end
   end
   return self
end

-- The printed form shared by Concat, ConcatTable and Parallel (nn.md 9):
-- one branch per child, each child's own lines indented under its branch.
function Container:_branchesString()
   local tab = '  '
   local line = '\n'
   local next = '  |`-> '
   local lastNext = '   `-> '
   local ext = '  |    '
   local extlast = '       '
   local last = '   ... -> '
   local str = torch.type(self)
   str = str .. ' {' .. line .. tab .. 'input'
   for i = 1, #self.modules do
      if i == #self.modules then
         str = str .. line .. tab .. lastNext .. '(' .. i .. '): ' ..
            (tostring(self.modules[i]):gsub(line, line .. tab .. extlast))
      else
         str = str .. line .. tab .. next .. '(' .. i .. '): ' ..
            (tostring(self.modules[i]):gsub(line, line .. tab .. ext))
      end
   end
   str = str .. line .. tab .. last .. 'output'
   str = str .. line .. '}'
   return str
end

return Container
