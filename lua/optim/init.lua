-- optim: Torch7's optimization package.  One file per algorithm, each
-- returning optim.<name>(opfunc, x, config, state); plus ConfusionMatrix and
-- Logger.  `require 'optim'` returns the package and sets the global `optim`.
require 'torch'

optim = {}

optim.sgd = require 'optim.sgd'
optim.asgd = require 'optim.asgd'
optim.cg = require 'optim.cg'
optim.lbfgs = require 'optim.lbfgs'
optim.adam = require 'optim.adam'
optim.adagrad = require 'optim.adagrad'
optim.rmsprop = require 'optim.rmsprop'
optim.adadelta = require 'optim.adadelta'
optim.nag = require 'optim.nag'
optim.adamax = require 'optim.adamax'
optim.rprop = require 'optim.rprop'
optim.checkgrad = require 'optim.checkgrad'
optim.polyinterp = require 'optim.polyinterp'
optim.lswolfe = require 'optim.lswolfe'

require 'optim.ConfusionMatrix'
require 'optim.Logger'

return optim
