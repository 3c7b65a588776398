--[[ optim.rprop: resilient propagation (Riedmiller): each parameter has
its own step size, grown by etaplus while its gradient keeps its sign and
shrunk by etaminus when the sign flips; only the gradient's sign is used.

ARGS:
- opfunc : a function of x returning f(x) and df/dx (entries whose sign
           flipped are zeroed in place)
- x      : the parameters, updated in place
- config : stepsize (0.1, initial), etaplus (1.2), etaminus (0.5),
           stepsizemax (50), stepsizemin (1e-6), niter (1, steps per call)
- state  : delta (previous gradient), stepsize, sign and the masks psign,
           nsign, zsign, dminmax; defaults to config

RETURN:
- x   : the same tensor, updated
- hfx : f(x) before each of the niter steps
]]
local util = require 'optim.util'

return function(opfunc, x, config, state)
   util.check_x('optim.rprop', x)
   if config == nil and state == nil then
      print('no state table RPROP initializing')
   end
   config = config or {}
   state = state or config
   local stepsize = config.stepsize or 0.1
   local etaplus = config.etaplus or 1.2
   local etaminus = config.etaminus or 0.5
   local stepsizemax = config.stepsizemax or 50.0
   local stepsizemin = config.stepsizemin or 1E-06
   local niter = config.niter or 1

   local hfx = {}
   for _ = 1, niter do
      local fx, dfdx = opfunc(x)
      util.check_eval('optim.rprop', fx, dfdx)

      if not state.delta then
         state.delta = dfdx.new(dfdx:size()):zero()
         state.stepsize = dfdx.new(dfdx:size()):fill(stepsize)
         state.sign = dfdx.new(dfdx:size())
         state.psign = torch.ByteTensor(dfdx:size())
         state.nsign = torch.ByteTensor(dfdx:size())
         state.zsign = torch.ByteTensor(dfdx:size())
         state.dminmax = torch.ByteTensor(dfdx:size())
      end

      -- sign of (previous gradient * gradient): did each sign persist?
      torch.cmul(state.sign, dfdx, state.delta)
      torch.sign(state.sign, state.sign)
      state.sign.gt(state.psign, state.sign, 0)
      state.sign.lt(state.nsign, state.sign, 0)
      state.sign.eq(state.zsign, state.sign, 0)

      -- step size factors: grow, shrink, or keep
      state.sign[state.psign] = etaplus
      state.sign[state.nsign] = etaminus
      state.sign[state.zsign] = 1
      state.stepsize:cmul(state.sign)

      -- clamp the step sizes to [stepsizemin, stepsizemax]
      state.stepsize.gt(state.dminmax, state.stepsize, stepsizemax)
      state.stepsize[state.dminmax] = stepsizemax
      state.stepsize.lt(state.dminmax, state.stepsize, stepsizemin)
      state.stepsize[state.dminmax] = stepsizemin

      -- after a sign flip the gradient counts as 0 (no step, and no flip
      -- detected next time)
      dfdx[state.nsign] = 0
      torch.sign(state.sign, dfdx)
      x:addcmul(-1, state.sign, state.stepsize)

      state.delta:copy(dfdx)
      hfx[#hfx + 1] = fx
   end
   return x, hfx
end
