----------------------------------------------------------------------
-- The test procedure: accuracy of the current model on a set (the
-- validation split after every epoch, the test set at the end), with
-- ASGD's averaged parameters when there are some.
----------------------------------------------------------------------
require 'torch'
require 'xlua'
require 'optim'

print '==> defining test procedure'

local loggers = {validation = validLogger}
local inputs = testData.data.new()
predictions = nil

function test(set, name)
   local time = sys.clock()
   model:evaluate()

   -- averaged param use?
   local cachedparams
   if average then
      cachedparams = parameters:clone()
      parameters:copy(average)
   end

   print('==> testing on ' .. name .. ' set:')
   local n = set:size()
   -- evaluation goes through the batch path, 100 at a time: the same model
   -- (evaluate mode), only faster than one sample at a time
   local bs = math.max(opt.batchSize, 100)
   if name == 'test' then predictions = torch.LongTensor(n) end
   for t = 1, n, bs do
      xlua.progress(t, n)
      local m = math.min(bs, n - t + 1)
      local pred, target
      if m == 1 and bs == 1 then
         pred = model:forward(set.data[t])
         confusion:add(pred, set.labels[t])
         if predictions then
            local _, c = pred:view(-1):max(1)
            predictions[t] = c[1]
         end
      else
         inputs:resize(m, set.data:size(2), set.data:size(3), set.data:size(4))
         inputs:copy(set.data:narrow(1, t, m))
         pred = model:forward(inputs)
         confusion:batchAdd(pred, set.labels:narrow(1, t, m))
         if predictions then
            local _, c = pred:max(2)
            predictions:narrow(1, t, m):copy(c)
         end
      end
   end
   if (n - 1) % bs ~= 0 then xlua.progress(n, n) end

   time = (sys.clock() - time) / n
   print("\n==> time to test 1 sample = " .. (time * 1000) .. 'ms')
   print(confusion)
   local accuracy = confusion.totalValid * 100
   if loggers[name] then loggers[name]:add{['% mean class accuracy (' .. name .. ' set)'] = accuracy} end
   if name == 'test' then
      print(string.format('==> test accuracy: %.2f%%', accuracy))
      testAccuracy = accuracy
   end

   if cachedparams then parameters:copy(cachedparams) end
   confusion:zero()
   return accuracy
end

-- submission.csv: Id (1..10000), Prediction (the digit 0..9).
function writeSubmission(file)
   assert(predictions, 'writeSubmission: run test(testData, \'test\') first')
   local lines = {'Id,Prediction'}
   for i = 1, predictions:size(1) do
      lines[#lines + 1] = i .. ',' .. (predictions[i] - 1)
   end
   writeAtomically(file, table.concat(lines, '\n') .. '\n')
   print('==> wrote ' .. file)
end
