-- The tutorial ConvNet family, parameterised so each models/<variant>.lua is
-- one line of choices.  Layer order and constructor arguments are those of
-- Torch7's supervised tutorial (2_model.lua, with nfeats = 1 for MNIST), so
-- torch.manualSeed(s) followed by the 'convnet' build gives Torch7's
-- initial weights for s.
require 'nn'
require 'image'

local build = {}

-- opt fields (all optional): nstates {64,64,128}, pool 'l2'|'avg'|'max',
-- act 'tanh'|'sigmoid'|'relu', dropout (probability before the classifier,
-- 0 = none), nfeats 1, noutputs 10, filtsize 5, poolsize 2.
function build.convnet(o)
   local nstates = o.nstates or {64, 64, 128}
   local nfeats, noutputs = o.nfeats or 1, o.noutputs or 10
   local filtsize, poolsize = o.filtsize or 5, o.poolsize or 2
   local normkernel = image.gaussian1D(7)
   local function act()
      if o.act == 'sigmoid' then return nn.Sigmoid() end
      if o.act == 'relu' then return nn.ReLU() end
      return nn.Tanh()
   end
   local function pool(planes)
      if o.pool == 'avg' then return nn.SpatialAveragePooling(poolsize, poolsize, poolsize, poolsize) end
      if o.pool == 'max' then return nn.SpatialMaxPooling(poolsize, poolsize, poolsize, poolsize) end
      return nn.SpatialLPPooling(planes, 2, poolsize, poolsize, poolsize, poolsize)
   end
   local model = nn.Sequential()
   -- stage 1: filter bank -> squashing -> pooling -> normalization
   model:add(nn.SpatialConvolutionMM(nfeats, nstates[1], filtsize, filtsize))
   model:add(act())
   model:add(pool(nstates[1]))
   model:add(nn.SpatialSubtractiveNormalization(nstates[1], normkernel))
   -- stage 2: the same on the first stage's maps
   model:add(nn.SpatialConvolutionMM(nstates[1], nstates[2], filtsize, filtsize))
   model:add(act())
   model:add(pool(nstates[2]))
   model:add(nn.SpatialSubtractiveNormalization(nstates[2], normkernel))
   -- stage 3: a two-layer classifier on the 5x5 maps
   model:add(nn.Reshape(nstates[2] * filtsize * filtsize))
   if (o.dropout or 0) > 0 then model:add(nn.Dropout(o.dropout)) end
   model:add(nn.Linear(nstates[2] * filtsize * filtsize, nstates[3]))
   model:add(act())
   model:add(nn.Linear(nstates[3], noutputs))
   return model
end

-- The tutorial's non-convolutional models.  Torch7's nn.Reshape(1024) turns
-- one 1x32x32 sample into a 1x1024 batch, which makes ConfusionMatrix:add
-- fail ("assertion failed!"); nn.View(1024) keeps a single sample 1-D and a
-- batch 2-D, so these models train (an intended improvement on Torch7).
function build.linear(o)
   local ninputs = (o.nfeats or 1) * 32 * 32
   local model = nn.Sequential()
   model:add(nn.View(ninputs))
   model:add(nn.Linear(ninputs, o.noutputs or 10))
   return model
end

function build.mlp(o)
   local ninputs = (o.nfeats or 1) * 32 * 32
   local model = nn.Sequential()
   model:add(nn.View(ninputs))
   model:add(nn.Linear(ninputs, ninputs / 2))
   model:add(nn.Tanh())
   model:add(nn.Linear(ninputs / 2, o.noutputs or 10))
   return model
end

return build
