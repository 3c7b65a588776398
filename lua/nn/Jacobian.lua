-- nn.Jacobian: gradient checks by central differences (functions, not a
-- class).  Jacobians are nInput x nOutput matrices of the default tensor
-- type: row i = d output / d input_i.
nn.Jacobian = {}

-- Column j of the Jacobian from the module's backward pass with
-- gradOutput = e_j; with `param`, the columns are read from `dparam` (the
-- gradient buffer of that parameter) instead of gradInput.
function nn.Jacobian.backward(module, input, param, dparam)
   local doparam = param ~= nil
   param = param or input
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output)
   local sdout = dout:view(dout:nElement())
   local jacobian = torch.Tensor(param:nElement(), dout:nElement()):zero()
   for i = 1, sdout:nElement() do
      dout:zero()
      sdout[i] = 1
      module:zeroGradParameters()
      local din = module:updateGradInput(input, dout)
      module:accGradParameters(input, dout)
      if doparam then
         jacobian:select(2, i):copy(dparam)
      else
         jacobian:select(2, i):copy(din)
      end
   end
   return jacobian
end

-- Like backward, but each column is the parameter after
-- accUpdateGradParameters(input, e_j, 1) from the original parameters.
function nn.Jacobian.backwardUpdate(module, input, param)
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output)
   local sdout = dout:view(dout:nElement())
   local jacobian = torch.Tensor(param:nElement(), dout:nElement()):zero()
   local params = module:parameters()
   local origparams = {}
   for j = 1, #params do
      origparams[j] = params[j]:clone()
   end
   for i = 1, sdout:nElement() do
      for j = 1, #params do
         params[j]:copy(origparams[j])
      end
      dout:zero()
      sdout[i] = 1
      module:updateGradInput(input, dout)
      module:accUpdateGradParameters(input, dout, 1)
      jacobian:select(2, i):copy(param)
   end
   for j = 1, #params do
      params[j]:copy(origparams[j])
   end
   return jacobian
end

-- A 1-D view of a tensor's elements (in storage order), for perturbing
-- them one by one.
local function flatView(t)
   return t.new(t):resize(t:nElement())
end

-- Row i = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), f the flattened output.
function nn.Jacobian.forward(module, input, param, perturbation)
   param = param or input
   perturbation = perturbation or 1e-6
   local sin = flatView(param)
   local jacobian = torch.Tensor():resize(param:nElement(), module:forward(input):nElement())
   local outa = torch.Tensor(jacobian:size(2))
   local outb = torch.Tensor(jacobian:size(2))
   for i = 1, sin:nElement() do
      local orig = sin[i]
      sin[i] = orig - perturbation
      outa:copy(module:forward(input))
      sin[i] = orig + perturbation
      outb:copy(module:forward(input))
      sin[i] = orig
      outb:add(-1, outa):div(2 * perturbation)
      jacobian:select(1, i):copy(outb)
   end
   return jacobian
end

-- The update form: row i = param_i - d output / d param_i.
function nn.Jacobian.forwardUpdate(module, input, param, perturbation)
   perturbation = perturbation or 1e-6
   local sin = flatView(param)
   local jacobian = torch.Tensor():resize(param:nElement(), module:forward(input):nElement())
   local outa = torch.Tensor(jacobian:size(2))
   local outb = torch.Tensor(jacobian:size(2))
   for i = 1, sin:nElement() do
      local orig = sin[i]
      sin[i] = orig - perturbation
      outa:copy(module:forward(input))
      sin[i] = orig + perturbation
      outb:copy(module:forward(input))
      sin[i] = orig
      outb:add(-1, outa):div(2 * perturbation)
      jacobian:select(1, i):copy(outb)
      jacobian:select(1, i):mul(-1)
      jacobian:select(1, i):add(sin[i])
   end
   return jacobian
end

local function randomFill(t, minval, maxval)
   t:copy(torch.rand(t:nElement()):mul(maxval - minval):add(minval))
end

-- max |J_forward - J_backward| for d output / d input, after filling input
-- with U(minval, maxval) values.
function nn.Jacobian.testJacobian(module, input, minval, maxval, perturbation)
   minval = minval or -2
   maxval = maxval or 2
   randomFill(input, minval, maxval)
   local jac_fprop = nn.Jacobian.forward(module, input, input, perturbation)
   local jac_bprop = nn.Jacobian.backward(module, input)
   return (jac_fprop - jac_bprop):abs():max()
end

-- The same for a parameter `param` with gradient buffer `dparam`.
function nn.Jacobian.testJacobianParameters(module, input, param, dparam, minval, maxval, perturbation)
   minval = minval or -2
   maxval = maxval or 2
   randomFill(input, minval, maxval)
   randomFill(param, minval, maxval)
   local jac_bprop = nn.Jacobian.backward(module, input, param, dparam)
   local jac_fprop = nn.Jacobian.forward(module, input, param, perturbation)
   return (jac_fprop - jac_bprop):abs():max()
end

-- accUpdateGradParameters against param - J_forward.
function nn.Jacobian.testJacobianUpdateParameters(module, input, param, minval, maxval, perturbation)
   minval = minval or -2
   maxval = maxval or 2
   randomFill(input, minval, maxval)
   randomFill(param, minval, maxval)
   local params_bprop = nn.Jacobian.backwardUpdate(module, input, param)
   local params_fprop = nn.Jacobian.forwardUpdate(module, input, param, perturbation)
   return (params_fprop - params_bprop):abs():max()
end

-- Runs forward/backward, writes the module to a binary file, reads it
-- back, runs the same on the copy; returns max |d output|, max |d gradInput|.
function nn.Jacobian.testIO(module, input, minval, maxval)
   minval = minval or -2
   maxval = maxval or 2
   local inrange = maxval - minval
   module:forward(input)
   local go = module.output:clone():copy(torch.rand(module.output:nElement()):mul(inrange):add(minval))
   module:zeroGradParameters()
   module:updateGradInput(input, go)
   module:accGradParameters(input, go)
   local fo = module.output:clone()
   local bo = module.gradInput:clone()
   local cleared = module:clearState()
   assert(cleared == module, 'clearState must return the module')

   local filename = os.tmpname()
   local f = torch.DiskFile(filename, 'w'):binary()
   f:writeObject(module)
   f:close()
   local m = torch.DiskFile(filename):binary():readObject()
   os.remove(filename)

   m:forward(input)
   m:zeroGradParameters()
   m:updateGradInput(input, go)
   m:accGradParameters(input, go)
   local fo2 = m.output:clone()
   local bo2 = m.gradInput:clone()
   return (fo - fo2):abs():max(), (bo - bo2):abs():max()
end

-- accGradParameters + updateParameters vs accUpdateGradParameters, and the
-- same on two clones sharing `weight` (each must move by 2 lr grad).
-- Returns a table of error norms keyed by what was checked.
function nn.Jacobian.testAllUpdate(module, input, weight, gradWeight)
   local gradOutput
   local lr = torch.uniform(0.1, 1)
   local errors = {}

   local maccgp = module:clone()
   local weightc = maccgp[weight]:clone()
   maccgp:forward(input)
   gradOutput = torch.rand(maccgp.output:size())
   maccgp:zeroGradParameters()
   maccgp:updateGradInput(input, gradOutput)
   maccgp:accGradParameters(input, gradOutput)
   maccgp:updateParameters(lr)
   errors['accGradParameters'] = (weightc - maccgp[gradWeight] * lr - maccgp[weight]):norm()

   local maccugp = module:clone()
   maccugp:forward(input)
   maccugp:updateGradInput(input, gradOutput)
   maccugp:accUpdateGradParameters(input, gradOutput, lr)
   errors['accUpdateGradParameters'] = (maccugp[weight] - maccgp[weight]):norm()

   local macsh1 = module:clone()
   local macsh2 = module:clone()
   macsh2:share(macsh1, weight)
   macsh1:forward(input)
   macsh2:forward(input)
   macsh1:zeroGradParameters()
   macsh2:zeroGradParameters()
   macsh1:updateGradInput(input, gradOutput)
   macsh2:updateGradInput(input, gradOutput)
   macsh1:accGradParameters(input, gradOutput)
   macsh2:accGradParameters(input, gradOutput)
   macsh1:updateParameters(lr)
   macsh2:updateParameters(lr)
   local err = (weightc - maccgp[gradWeight] * (lr * 2) - macsh1[weight]):norm()
   err = err + (weightc - maccgp[gradWeight] * (lr * 2) - macsh2[weight]):norm()
   errors['accGradParameters [shared]'] = err

   local macshu1 = module:clone()
   local macshu2 = module:clone()
   macshu2:share(macshu1, weight)
   macshu1:forward(input)
   macshu2:forward(input)
   macshu1:updateGradInput(input, gradOutput)
   macshu2:updateGradInput(input, gradOutput)
   macshu1:accUpdateGradParameters(input, gradOutput, lr)
   macshu2:accUpdateGradParameters(input, gradOutput, lr)
   err = (weightc - maccgp[gradWeight] * (lr * 2) - macshu1[weight]):norm()
   err = err + (weightc - maccgp[gradWeight] * (lr * 2) - macshu2[weight]):norm()
   errors['accUpdateGradParameters [shared]'] = err

   return errors
end

return nn.Jacobian
