----------------------------------------------------------------------
-- Torch7's supervised tutorial on MNIST, with the 80:20 experiments:
-- trains a model on a training split, checks it on a validation split
-- after every epoch, and (with -test) evaluates it on the 10,000 test
-- images and writes a submission file.
--
-- th doall.lua -size small            (600 images: 480 train, 120 validation, 5 epochs)
-- th doall.lua -size full -test       (60,000: 48,000 / 12,000, 11 epochs, then the test set)
--
-- The five scripts are run with dofile, as in Torch7's tutorial; they share
-- the globals opt, trainData, validData, testData, model, criterion.
----------------------------------------------------------------------
require 'torch'
require 'paths'

tutorialdir = tutorialdir or paths.dirname(paths.thisfile())

print '==> processing options'

cmd = torch.CmdLine()
cmd:text()
cmd:text('MNIST Training/Optimization')
cmd:text()
cmd:text('Options:')
-- global:
cmd:option('-seed', 1, 'fixed input seed for repeatable experiments')
cmd:option('-threads', 2, 'number of threads')
-- data:
cmd:option('-size', 'full', 'how many samples do we load: small (600) | full (60000)')
-- model:
cmd:option('-model', 'convnet', 'model to construct: any file in models/ (convnet, linear, mlp, avgpool, maxpool, relu, sigmoid, dropout, new, ...)')
-- loss:
cmd:option('-loss', 'nll', 'type of loss function to minimize: nll | mse | margin')
-- training:
cmd:option('-save', 'results', 'subdirectory to save/log experiments in')
cmd:option('-plot', false, 'write PNG plots of the accuracy logs')
cmd:option('-optimization', 'SGD', 'optimization method: SGD | ASGD | CG | LBFGS')
cmd:option('-learningRate', 1e-3, 'learning rate at t=0')
cmd:option('-learningRateDecay', 1e-7, 'learning rate decay (SGD only): lr_t = lr / (1 + t*decay)')
cmd:option('-batchSize', 1, 'mini-batch size (1 = pure stochastic)')
cmd:option('-weightDecay', 0, 'weight decay (SGD only)')
cmd:option('-momentum', 0, 'momentum (SGD only)')
cmd:option('-augment', 0, 'shift each training image by up to this many pixels at random (0: off)')
cmd:option('-t0', 1, 'start averaging at t0 (ASGD only), in nb of epochs')
cmd:option('-maxIter', 2, 'maximum nb of iterations for CG and LBFGS')
cmd:option('-type', 'double', 'type: double | float')
cmd:option('-epochs', 0, 'number of epochs (0: 5 for small, 11 for full)')
cmd:option('-test', false, 'evaluate the final model on the test set and write submission.csv')
cmd:option('-restart', false, 'ignore a checkpoint left by an interrupted run')
cmd:text()
opt = cmd:parse(arg or {})

if opt.size ~= 'small' and opt.size ~= 'full' then
   cmd:error('unknown -size ' .. opt.size .. ' (expected small or full)')
end
if opt.type ~= 'double' and opt.type ~= 'float' then
   cmd:error('unknown -type ' .. opt.type .. ' (expected double or float)')
end
if opt.epochs == 0 then opt.epochs = opt.size == 'small' and 5 or 11 end

-- nb of threads and fixed seed (for repeatable experiments)
if opt.type == 'float' then
   print('==> switching to floats')
   torch.setdefaulttensortype('torch.FloatTensor')
end
torch.setnumthreads(opt.threads)
torch.manualSeed(opt.seed)

----------------------------------------------------------------------
print '==> executing all'

dofile(paths.concat(tutorialdir, '1_data.lua'))
dofile(paths.concat(tutorialdir, '2_model.lua'))
dofile(paths.concat(tutorialdir, '3_loss.lua'))
dofile(paths.concat(tutorialdir, '4_train.lua'))
dofile(paths.concat(tutorialdir, '5_test.lua'))

----------------------------------------------------------------------
print '==> training!'

while epoch <= opt.epochs do
   local trainAcc = train()
   local validAcc = test(validData, 'validation')
   finishEpoch(trainAcc, validAcc)
end
printSummary()

if opt.test then
   test(testData, 'test')
   writeSubmission(paths.concat(opt.save, 'submission.csv'))
   writeAtomically(paths.concat(opt.save, 'test_accuracy.txt'), string.format('%.2f\n', testAccuracy))
end
