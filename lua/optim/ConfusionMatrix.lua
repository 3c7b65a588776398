--[[ optim.ConfusionMatrix: counts of (target, prediction) pairs and the
accuracies derived from them, printed exactly as Torch7 prints them.

   conf = optim.ConfusionMatrix({'cat', 'dog', 'person'})  -- or (3) / (3, names)
   conf:zero()
   for i = 1, N do conf:add(net:forward(sample), label) end
   print(conf)   -- tostring runs updateValids(), filling totalValid & co.

mat is a LongTensor n x n (row = target, column = prediction); valids and
unionvalids are FloatTensors, so the per-class rates pass through float32
exactly as in Torch.
]]
local ConfusionMatrix = torch.class('optim.ConfusionMatrix')

function ConfusionMatrix:__init(nclasses, classes)
   if type(nclasses) == 'table' then
      classes = nclasses
      nclasses = #classes
   end
   if type(nclasses) ~= 'number' or nclasses < 1 or nclasses % 1 ~= 0 then
      error('optim.ConfusionMatrix: number of classes (a positive integer) or table of class names expected, got '
         .. tostring(nclasses), 3)
   end
   self.mat = torch.LongTensor(nclasses, nclasses):zero()
   self.valids = torch.FloatTensor(nclasses):zero()
   self.unionvalids = torch.FloatTensor(nclasses):zero()
   self.nclasses = nclasses
   self.totalValid = 0
   self.averageValid = 0
   self.classes = classes or {}
   -- buffers (the same fields as Torch's, so serialized objects match)
   self._mat_flat = self.mat:view(-1)
   self._target = torch.FloatTensor()
   self._prediction = torch.FloatTensor()
   self._max = torch.FloatTensor()
   self._pred_idx = torch.LongTensor()
   self._targ_idx = torch.LongTensor()
end

-- Index of the first maximum of the 1-D float tensor v, where a NaN wins
-- as in TH's max.  The comparison is done on the float32 copy, as in
-- Torch, so doubles that round to the same float tie.  (A Lua loop: for one
-- score vector it is faster than a call to max.)
local function argmax(v)
   local n = v:size(1)
   local best, idx = v[1], 1
   for i = 2, n do
      if best ~= best then break end
      local x = v[i]
      if not (x <= best) then best, idx = x, i end
   end
   return idx
end

-- Counts one (prediction, target) pair given as class numbers; a target
-- <= 0 means "missing" and is ignored.
function ConfusionMatrix:_add(p, t)
   if type(p) ~= 'number' or type(t) ~= 'number' then
      error(string.format('optim.ConfusionMatrix.add: class numbers expected, got prediction %s and target %s',
         type(p), type(t)), 3)
   end
   if t > 0 then
      local n = self.nclasses
      if t > n or p < 1 or p > n or t % 1 ~= 0 or p % 1 ~= 0 then
         error(string.format('optim.ConfusionMatrix.add: class out of range (prediction %s, target %s, %d classes)',
            tostring(p), tostring(t), n), 3)
      end
      local row = self.mat[t]
      row[p] = row[p] + 1
   end
end

-- add(prediction, target): prediction is a class number, or a 1-D tensor
-- of scores whose argmax is the predicted class; target is a class number,
-- or a 1-D tensor (one-hot) whose argmax is the target class.
function ConfusionMatrix:add(prediction, target)
   if type(prediction) == 'number' then
      self:_add(prediction, target)
      return
   end
   if not torch.typename(prediction) or prediction:dim() ~= 1 then
      error('optim.ConfusionMatrix.add: prediction must be a class number or a 1-D tensor of scores, got '
         .. (torch.typename(prediction) and (prediction:dim() .. 'D tensor') or type(prediction)), 2)
   end
   self._prediction:resize(prediction:size()):copy(prediction)
   local pred = argmax(self._prediction)
   if type(target) == 'number' then
      self:_add(pred, target)
   else
      if not torch.typename(target) or target:dim() ~= 1 then
         error('optim.ConfusionMatrix.add: target must be a class number or a 1-D tensor, got '
            .. (torch.typename(target) and (target:dim() .. 'D tensor') or type(target)), 2)
      end
      self._target:resize(target:size()):copy(target)
      self:_add(pred, argmax(self._target))
   end
end

-- The class numbers held by a batch: a 1-D tensor of indices, a B x 1
-- tensor (flattened) or B x C rows of scores (row argmaxes).
local function batch_classes(t, buf, what)
   if not torch.typename(t) then
      error('optim.ConfusionMatrix.batchAdd: ' .. what .. ' must be a tensor, got ' .. type(t), 3)
   end
   buf:resize(t:size()):copy(t)
   local out = {}
   if t:dim() == 1 then
      for i = 1, t:size(1) do out[i] = buf[i] end
   elseif t:dim() == 2 then
      -- a B x 1 tensor is a column of classes, B x C rows of scores give
      -- their argmaxes (first maximum, as in Torch)
      local col = buf
      if t:size(2) ~= 1 then
         local _, idx = buf:max(2)
         col = idx
      end
      col = col:select(2, 1)
      for i = 1, t:size(1) do out[i] = col[i] end
   else
      error(what .. ' has invalid number of dimensions', 3)
   end
   return out
end

-- batchAdd(predictions, targets): one count per row; rows whose target is
-- below 1 are ignored.
function ConfusionMatrix:batchAdd(predictions, targets)
   local preds = batch_classes(predictions, self._prediction, 'predictions')
   local targs = batch_classes(targets, self._target, 'targets')
   if #preds ~= #targs then
      error(string.format('optim.ConfusionMatrix.batchAdd: %d predictions for %d targets', #preds, #targs), 2)
   end
   for i = 1, #preds do
      if targs[i] >= 1 then self:_add(preds[i], targs[i]) end
   end
end

function ConfusionMatrix:zero()
   self.mat:zero()
   self.valids:zero()
   self.unionvalids:zero()
   self.totalValid = 0
   self.averageValid = 0
end

-- The counts as a Lua table of rows (one tensor read per element).
local function counts(self)
   local n, m = self.nclasses, {}
   for t = 1, n do
      local row, r = self.mat[t], {}
      for p = 1, n do r[p] = row[p] end
      m[t] = r
   end
   return m
end

-- NaN with the sign bit clear.  x86 makes 0/0 negative, which glibc's
-- printf writes as '-nan' where Torch (LuaJIT) always wrote 'nan'; the
-- rates below use this one so that printing them with %g matches Torch.
local NAN = 0 / 0
if tostring(NAN):sub(1, 1) == '-' then NAN = -NAN end

local function ratio(a, b)
   if b == 0 and a == 0 then return NAN end
   return a / b
end

-- Per-class accuracy valids[t] = mat[t][t] / row sum (NaN for an empty
-- row), intersection-over-union unionvalids[t], totalValid = trace / total,
-- and their averages over the non-NaN classes.
function ConfusionMatrix:updateValids()
   local n, m = self.nclasses, counts(self)
   local rowsum, colsum, all, total = {}, {}, 0, 0
   for t = 1, n do
      rowsum[t], colsum[t] = 0, 0
   end
   for t = 1, n do
      for p = 1, n do
         rowsum[t] = rowsum[t] + m[t][p]
         colsum[p] = colsum[p] + m[t][p]
         all = all + m[t][p]
      end
   end
   for t = 1, n do
      -- float division, stored as float32 like Torch's FloatTensor
      self.valids[t] = ratio(m[t][t], rowsum[t])
      self.unionvalids[t] = ratio(m[t][t], rowsum[t] + colsum[t] - m[t][t])
      total = total + m[t][t]
   end
   self.totalValid = ratio(total, all)
   self.averageValid = 0
   self.averageUnionValid = 0
   local nvalids, nunionvalids = 0, 0
   for t = 1, n do
      local v, u = self.valids[t], self.unionvalids[t]
      if v == v then
         self.averageValid = self.averageValid + v
         nvalids = nvalids + 1
      end
      if v == v and u == u then
         self.averageUnionValid = self.averageUnionValid + u
         nunionvalids = nunionvalids + 1
      end
   end
   self.averageValid = ratio(self.averageValid, nvalids)
   self.averageUnionValid = ratio(self.averageUnionValid, nunionvalids)
end

-- False rejection and false acceptance rates per class.  For class i with
-- samples: FRR = 1 - mat[i][i] / (row i's total), FAR = mean over the other
-- classes j with samples of mat[j][i] / (row j's total).  Returns
-- (classFrrs, classFars) of size nclasses, -1 for classes without samples,
-- and (frrs, fars) holding only the classes with samples.
function ConfusionMatrix:farFrr()
   local n, m = self.nclasses, counts(self)
   local rows = {}
   for i = 1, n do
      local s = 0
      for j = 1, n do s = s + m[i][j] end
      rows[i] = s
   end
   self._frrs = self._frrs or torch.zeros(n)
   self._frrs:zero()
   self._classFrrs = self._classFrrs or torch.zeros(n)
   self._classFrrs:fill(-1)
   self._fars = self._fars or torch.zeros(n)
   self._fars:zero()
   self._classFars = self._classFars or torch.zeros(n)
   self._classFars:fill(-1)
   local k = 0
   for i = 1, n do
      if rows[i] ~= 0 then
         k = k + 1
         self._frrs[k] = 1 - m[i][i] / rows[i]
         self._classFrrs[i] = self._frrs[k]
         local num, den = 0, 0
         for j = 1, n do
            if j ~= i and rows[j] ~= 0 then
               num = num + m[j][i] / rows[j]
               den = den + 1
            end
         end
         self._fars[k] = num / den
         self._classFars[i] = self._fars[k]
      end
   end
   if k == 0 then
      return self._classFrrs, self._classFars, self._frrs.new(), self._fars.new()
   end
   return self._classFrrs, self._classFars, self._frrs:narrow(1, 1, k), self._fars:narrow(1, 1, k)
end

-- LuaJIT's tostring of a number (%.14g), which Torch's summary lines show;
-- every NaN prints as 'nan' (glibc would write '-nan' for 0/0).
local function num(v)
   if v ~= v then return 'nan' end
   if math.type(v) == 'integer' then return tostring(v) end
   return string.format('%.14g', v)
end

function ConfusionMatrix:__tostring__()
   self:updateValids()
   local n, m = self.nclasses, counts(self)
   local maxCnt = m[1][1]
   for t = 1, n do
      for p = 1, n do
         if m[t][p] > maxCnt then maxCnt = m[t][p] end
      end
   end
   -- columns widen for counts of 8 digits or more
   local nDigits = math.max(8, 1 + math.ceil(math.log(maxCnt, 10)))
   local cell = '%' .. num(nDigits) .. 'd'
   local named = self.classes and self.classes[1]
   local str = {'ConfusionMatrix:\n', '['}
   for t = 1, n do
      local v = self.valids[t] * 100
      local pclass = v ~= v and 'nan' or string.format('%2.3f', v)
      str[#str + 1] = t == 1 and '[' or ' ['
      for p = 1, n do
         str[#str + 1] = string.format(cell, m[t][p])
      end
      str[#str + 1] = t == n and ']]  ' or ']   '
      if named then
         str[#str + 1] = pclass .. '% \t[class: ' .. (self.classes[t] or '') .. ']\n'
      else
         str[#str + 1] = pclass .. '% \n'
      end
   end
   str[#str + 1] = ' + average row correct: ' .. num(self.averageValid * 100) .. '% \n'
   str[#str + 1] = ' + average rowUcol correct (VOC measure): ' .. num(self.averageUnionValid * 100) .. '% \n'
   str[#str + 1] = ' + global correct: ' .. num(self.totalValid * 100) .. '%'
   return table.concat(str)
end

return ConfusionMatrix
