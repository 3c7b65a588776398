-- nn.ConcatTable: every child gets the same input; the output is the Lua
-- table of their outputs.  gradInput is the sum of the children's
-- gradInputs (element-wise, recursively when the input is a table).
local ConcatTable, parent = torch.class('nn.ConcatTable', 'nn.Container')

function ConcatTable:__init()
   parent.__init(self)
   self.output = {}
end

function ConcatTable:updateOutput(input)
   for i = 1, #self.modules do
      self.output[i] = self:rethrowErrors(self.modules[i], i, 'updateOutput', input)
   end
   for i = #self.modules + 1, #self.output do
      self.output[i] = nil
   end
   return self.output
end

-- Applies f(t, k, v) to every tensor leaf v of `tbl`, with t[k] the matching
-- slot of `res` (created as needed).
local function retable(res, tbl, f)
   for k, v in ipairs(tbl) do
      if torch.type(v) == 'table' then
         res[k] = retable(res[k] or {}, v, f)
      else
         f(res, k, v)
      end
   end
   for i = #tbl + 1, #res do
      res[i] = nil
   end
   return res
end

local function backwardPass(self, method, input, gradOutput, scale)
   local isTable = torch.type(input) == 'table'
   local wasTable = torch.type(self.gradInput) == 'table'
   if isTable then
      for i, module in ipairs(self.modules) do
         local currentGradInput = self:rethrowErrors(module, i, method, input, gradOutput[i], scale)
         if torch.type(currentGradInput) ~= 'table' then
            error('currentGradInput is not a table!')
         end
         if #input ~= #currentGradInput then
            error('table size mismatch: ' .. #input .. ' ~= ' .. #currentGradInput)
         end
         if i == 1 then
            self.gradInput = wasTable and self.gradInput or {}
            retable(self.gradInput, currentGradInput, function(t, k, v)
               t[k] = t[k] or v:clone()
               t[k]:resizeAs(v)
               t[k]:copy(v)
            end)
         else
            retable(self.gradInput, currentGradInput, function(t, k, v)
               if t[k] then t[k]:add(v) else t[k] = v:clone() end
            end)
         end
      end
   else
      self.gradInput = (not wasTable) and self.gradInput or input:clone()
      for i, module in ipairs(self.modules) do
         local currentGradInput = self:rethrowErrors(module, i, method, input, gradOutput[i], scale)
         if i == 1 then
            self.gradInput:resizeAs(currentGradInput):copy(currentGradInput)
         else
            self.gradInput:add(currentGradInput)
         end
      end
   end
   return self.gradInput
end

function ConcatTable:updateGradInput(input, gradOutput)
   return backwardPass(self, 'updateGradInput', input, gradOutput)
end

function ConcatTable:backward(input, gradOutput, scale)
   return backwardPass(self, 'backward', input, gradOutput, scale or 1)
end

function ConcatTable:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   for i, module in ipairs(self.modules) do
      self:rethrowErrors(module, i, 'accGradParameters', input, gradOutput[i], scale)
   end
end

function ConcatTable:accUpdateGradParameters(input, gradOutput, lr)
   for i, module in ipairs(self.modules) do
      self:rethrowErrors(module, i, 'accUpdateGradParameters', input, gradOutput[i], lr)
   end
end

function ConcatTable:__tostring__()
   return self:_branchesString()
end

return ConcatTable
