----------------------------------------------------------------------
-- Loads MNIST in the tutorial's layout (N x 1 x 32 x 32, labels 1..10),
-- splits the 60,000 training images 80:20 into training and validation
-- (small: a random 600 of them, 480 / 120), and normalises every set with
-- the training part's global mean and standard deviation.
--
-- Like Torch7's tutorial, it reads mnist.t7/train_32x32.t7 and
-- test_32x32.t7 when they are in the current folder (torch.load, ascii);
-- otherwise it reads the official IDX files shipped in data/mnist.
----------------------------------------------------------------------
require 'torch'
require 'paths'
require 'mnist'

print '==> loading dataset'

local train_file = 'mnist.t7/train_32x32.t7'
local test_file = 'mnist.t7/test_32x32.t7'
local fullTrain, fullTest
if paths.filep(train_file) and paths.filep(test_file) then
   fullTrain = torch.load(train_file, 'ascii')
   fullTest = torch.load(test_file, 'ascii')
else
   fullTrain = mnist.load('train')
   fullTest = mnist.load('test')
end

-- the 80:20 split, drawn from the seed without disturbing the generator
local nimages = opt.size == 'small' and 600 or fullTrain.data:size(1)
local trainIdx, validIdx = mnist.split(fullTrain.data:size(1), 0.8, opt.seed)
if opt.size == 'small' then
   local perm = torch.cat(trainIdx, validIdx)
   trainIdx = perm:narrow(1, 1, 480)
   validIdx = perm:narrow(1, 481, 120)
end
trsize = trainIdx:size(1)
vasize = validIdx:size(1)
tesize = fullTest.data:size(1)
print(string.format('==> %d training, %d validation, %d test images (of %d)', trsize, vasize, tesize, nimages))

-- the chosen type directly from bytes: no intermediate copy
local ttype = torch.getdefaulttensortype()
local function make(set, idx)
   local data = idx and set.data:index(1, idx) or set.data
   local labels = idx and set.labels:index(1, idx) or set.labels
   return {data = data:type(ttype), labels = labels:double(),
           size = function(self) return self.data:size(1) end}
end
trainData = make(fullTrain, trainIdx)
validData = make(fullTrain, validIdx)
testData = make(fullTest)
fullTrain, fullTest = nil, nil
collectgarbage()

----------------------------------------------------------------------
print '==> preprocessing data'

-- global normalisation with the training part's statistics
local mean = trainData.data[{ {},1,{},{} }]:mean()
local std = trainData.data[{ {},1,{},{} }]:std()
for _, set in ipairs({trainData, validData, testData}) do
   set.data[{ {},1,{},{} }]:add(-mean)
   set.data[{ {},1,{},{} }]:div(std)
end
dataMean, dataStd = mean, std

print '==> verify statistics'
print('training data mean: ' .. trainData.data[{ {},1 }]:mean())
print('training data standard deviation: ' .. trainData.data[{ {},1 }]:std())
print('validation data mean: ' .. validData.data[{ {},1 }]:mean())
print('validation data standard deviation: ' .. validData.data[{ {},1 }]:std())
