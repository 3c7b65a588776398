-- nn.SpatialLPPooling(nInputPlane, p, kW, kH, [dW=kW], [dH=kH]): the p-norm
-- of each window, (sum x^p)^(1/p), built as a Sequential of
-- Square|Power(p), SpatialAveragePooling, MulConstant(kW*kH), Sqrt|Power(1/p).
-- It has no parameters, and prints as nn.Sequential (as in Torch7).
local SpatialLPPooling, parent = torch.class('nn.SpatialLPPooling', 'nn.Sequential')

function SpatialLPPooling:__init(nInputPlane, pnorm, kW, kH, dW, dH)
   parent.__init(self)
   dW = dW or kW
   dH = dH or kH
   self.kW = kW
   self.kH = kH
   self.dW = dW
   self.dH = dH
   if pnorm == 2 then
      self:add(nn.Square())
   else
      self:add(nn.Power(pnorm))
   end
   self:add(nn.SpatialAveragePooling(kW, kH, dW, dH))
   self:add(nn.MulConstant(kW * kH))
   if pnorm == 2 then
      self:add(nn.Sqrt())
   else
      self:add(nn.Power(1 / pnorm))
   end
end

-- p = 2 runs as one fused kernel (torch._nnfast, src/nn_fused.c) doing the
-- four modules' operations in their order, so results are bit-identical to
-- the composition; `m.fused = false` on an instance forces the composition.
local fusedTypes = {['torch.FloatTensor'] = true, ['torch.DoubleTensor'] = true}
local function fusable(self, input)
   if self.fused == false or not fusedTypes[torch.type(input)] then return false end
   local m = self.modules
   if #m ~= 4 or torch.type(m[1]) ~= 'nn.Square' or torch.type(m[4]) ~= 'nn.Sqrt' then return false end
   local pool, mul = m[2], m[3]
   return torch.type(pool) == 'nn.SpatialAveragePooling' and torch.type(mul) == 'nn.MulConstant'
      and pool.padW == 0 and pool.padH == 0 and not pool.ceil_mode and pool.divide ~= false
      and mul.constant_scalar == pool.kW * pool.kH and not mul.inplace
end

function SpatialLPPooling:updateOutput(input)
   if fusable(self, input) then
      local pool = self.modules[2]
      torch._nnfast.SpatialLPPooling_updateOutput(input, self.output, pool.kW, pool.kH, pool.dW, pool.dH)
      return self.output
   end
   return parent.updateOutput(self, input)
end

function SpatialLPPooling:updateGradInput(input, gradOutput)
   if fusable(self, input) then
      local pool = self.modules[2]
      torch._nnfast.SpatialLPPooling_updateGradInput(input, gradOutput, self.gradInput, self.output,
         pool.kW, pool.kH, pool.dW, pool.dH)
      return self.gradInput
   end
   return parent.updateGradInput(self, input, gradOutput)
end

-- nothing to learn: backward is updateGradInput (Sequential's backward would
-- walk the sub-modules)
function SpatialLPPooling:backward(input, gradOutput, scale)
   if fusable(self, input) then
      return self:updateGradInput(input, gradOutput)
   end
   return parent.backward(self, input, gradOutput, scale)
end

-- the inner average pooling has nothing to learn or reset
function SpatialLPPooling:reset()
end

function SpatialLPPooling:accGradParameters()
end

function SpatialLPPooling:accUpdateGradParameters()
end

function SpatialLPPooling:zeroGradParameters()
end

function SpatialLPPooling:updateParameters()
end

return SpatialLPPooling
