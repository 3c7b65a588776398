----------------------------------------------------------------------
-- The training procedure: one epoch over the shuffled training split,
-- feval closures over single samples (-batchSize 1, as Torch7's tutorial)
-- or over mini-batches through nn's batch path, optimised with SGD, ASGD,
-- CG or L-BFGS.  After every epoch the run is checkpointed, so running the
-- same command again after an interruption continues where it stopped.
----------------------------------------------------------------------
require 'torch'
require 'xlua'
require 'optim'
require 'paths'

print '==> defining some tools'

-- MNIST labels are digit + 1, so class i is the digit i - 1 (the SVHN
-- tutorial's {'1',...,'9','0'} would name them wrongly)
classes = {'0','1','2','3','4','5','6','7','8','9'}
confusion = optim.ConfusionMatrix(classes)

local ok, err = paths.mkdir(opt.save)
if not ok and not paths.dirp(opt.save) then
   error('cannot create the results folder ' .. opt.save .. ': ' .. tostring(err), 0)
end
trainLogger = optim.Logger(paths.concat(opt.save, 'train.log'))
validLogger = optim.Logger(paths.concat(opt.save, 'valid.log'))

parameters, gradParameters = model:getParameters()

-- what identifies a run: a checkpoint is only resumed by the same command
local signature = table.concat({opt.model, opt.loss, opt.optimization, opt.learningRate,
   opt.batchSize, opt.weightDecay, opt.momentum, opt.learningRateDecay or 1e-7, opt.augment or 0, opt.type, opt.size, opt.seed, opt.t0,
   opt.maxIter}, ' ')
local checkpointFile = paths.concat(opt.save, 'checkpoint.t7')

epoch = 1
history = {}
if not opt.restart and paths.filep(checkpointFile) then
   local ck = torch.load(checkpointFile)
   if ck.signature == signature then
      parameters:copy(ck.parameters)
      optimState, average, history = ck.optimState, ck.average, ck.history
      epoch = ck.epoch + 1
      torch.setRNGState(ck.rng)
      for _, h in ipairs(history) do
         trainLogger:add{['% mean class accuracy (train set)'] = h.train}
         validLogger:add{['% mean class accuracy (validation set)'] = h.valid}
      end
      print('==> resuming after epoch ' .. ck.epoch .. ' from ' .. checkpointFile)
   else
      print('==> ' .. checkpointFile .. ' belongs to another configuration: starting afresh')
   end
end

-- batch buffers, reused every step
local inputs = trainData.data.new()
local targets = trainData.labels.new()

print '==> defining training procedure'

local function step(feval)
   if opt.optimization == 'CG' then
      optimState = optimState or {maxIter = opt.maxIter}
      optim.cg(feval, parameters, optimState)
   elseif opt.optimization == 'LBFGS' then
      optimState = optimState or {learningRate = opt.learningRate, maxIter = opt.maxIter, nCorrection = 10}
      optim.lbfgs(feval, parameters, optimState)
   elseif opt.optimization == 'SGD' then
      optimState = optimState or {learningRate = opt.learningRate, weightDecay = opt.weightDecay,
                                  momentum = opt.momentum,
                                  learningRateDecay = opt.learningRateDecay or 1e-7}
      optim.sgd(feval, parameters, optimState)
   elseif opt.optimization == 'ASGD' then
      optimState = optimState or {eta0 = opt.learningRate, t0 = trsize * opt.t0}
      local _
      _, _, average = optim.asgd(feval, parameters, optimState)
   else
      error('unknown -optimization ' .. opt.optimization .. ' (expected SGD, ASGD, CG or LBFGS)', 0)
   end
end

-- -augment s: each training image moved by (dx, dy), both drawn uniformly
-- from -s..s (mnist.shift: the border filled with the background)
local shifted = trainData.data.new()
local function augment(img)
   local s = opt.augment or 0
   if s <= 0 then return img end
   local dx, dy = torch.random(0, 2 * s) - s, torch.random(0, 2 * s) - s
   return mnist.shift(img, dx, dy, shifted)
end

function train()
   local time = sys.clock()
   model:training()

   -- shuffle at each epoch
   shuffle = torch.randperm(trsize)

   print('==> doing epoch on training data:')
   print("==> online epoch # " .. epoch .. ' [batchSize = ' .. opt.batchSize .. ']')
   for t = 1, trsize, opt.batchSize do
      xlua.progress(t, trsize)
      local feval
      if opt.batchSize == 1 then
         local input = augment(trainData.data[shuffle[t]])
         local target = trainData.labels[shuffle[t]]
         feval = function(x)
            if x ~= parameters then parameters:copy(x) end
            gradParameters:zero()
            local output = model:forward(input)
            local f = criterion:forward(output, target)
            model:backward(input, criterion:backward(output, target))
            confusion:add(output, target)
            return f, gradParameters
         end
      else
         local bs = math.min(opt.batchSize, trsize - t + 1)
         local idx = shuffle:narrow(1, t, bs):long()
         inputs:index(trainData.data, 1, idx)
         targets:index(trainData.labels, 1, idx)
         if (opt.augment or 0) > 0 then
            for i = 1, bs do inputs[i]:copy(augment(inputs[i])) end
         end
         feval = function(x)
            if x ~= parameters then parameters:copy(x) end
            gradParameters:zero()
            local outputs = model:forward(inputs)
            local f = criterion:forward(outputs, targets)
            model:backward(inputs, criterion:backward(outputs, targets))
            -- f and the gradient are batch averages, as the tutorial's loop makes them
            if not criterion.sizeAverage then
               f = f / bs
               gradParameters:div(bs)
            end
            confusion:batchAdd(outputs, targets)
            return f, gradParameters
         end
      end
      step(feval)
   end
   if (trsize - 1) % opt.batchSize ~= 0 then xlua.progress(trsize, trsize) end

   time = (sys.clock() - time) / trsize
   print("\n==> time to learn 1 sample = " .. (time * 1000) .. 'ms')

   print(confusion)
   local accuracy = confusion.totalValid * 100
   trainLogger:add{['% mean class accuracy (train set)'] = accuracy}
   confusion:zero()
   return accuracy
end

-- results, submission: written through a temporary file and a rename
writeAtomically = dofile(paths.concat(tutorialdir, 'atomic.lua'))

function finishEpoch(trainAccuracy, validAccuracy)
   history[epoch] = {train = trainAccuracy, valid = validAccuracy}
   print(string.format('==> epoch %d/%d: train accuracy %.2f%%, validation accuracy %.2f%%',
      epoch, opt.epochs, trainAccuracy, validAccuracy))
   if opt.plot then
      trainLogger:style{['% mean class accuracy (train set)'] = '-'}
      trainLogger:plot()
      validLogger:style{['% mean class accuracy (validation set)'] = '-'}
      validLogger:plot()
   end
   local lines = {'epoch,train_accuracy,validation_accuracy'}
   for i, h in ipairs(history) do lines[#lines + 1] = string.format('%d,%.4f,%.4f', i, h.train, h.valid) end
   writeAtomically(paths.concat(opt.save, 'accuracy.csv'), table.concat(lines, '\n') .. '\n')

   local filename = paths.concat(opt.save, 'model.net')
   print('==> saving model to ' .. filename)
   -- without the batch-sized buffers of the last pass (1 MB, not 60-280 MB);
   -- the next forward pass allocates them again
   model:clearState()
   torch.save(filename, model)
   torch.save(checkpointFile, {signature = signature, epoch = epoch, parameters = parameters,
      optimState = optimState, average = average, history = history, rng = torch.getRNGState()})
   epoch = epoch + 1
end

function printSummary()
   print('==> accuracy per epoch (%)')
   print(' epoch     train  validation')
   for i, h in ipairs(history) do print(string.format('%6d  %8.2f  %10.2f', i, h.train, h.valid)) end
end
