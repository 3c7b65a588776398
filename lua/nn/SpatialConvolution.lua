-- nn.SpatialConvolution(nIn, nOut, kW, kH, [dW=1], [dH=1], [padW=0], [padH=padW]):
-- the same layer as nn.SpatialConvolutionMM (same kernel, draws and
-- numbers) but with the 4-D weight layout nOut x nIn x kH x kW.
local SpatialConvolution, parent = torch.class('nn.SpatialConvolution', 'nn.Module')

local MM = nn.SpatialConvolutionMM

SpatialConvolution.__init = MM.__init

function SpatialConvolution:_makeParameters()
   self.weight = torch.Tensor(self.nOutputPlane, self.nInputPlane, self.kH, self.kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(self.nOutputPlane, self.nInputPlane, self.kH, self.kW)
   self.gradBias = torch.Tensor(self.nOutputPlane)
end

SpatialConvolution.noBias = MM.noBias
SpatialConvolution.reset = MM.reset
SpatialConvolution._checkInput = MM._checkInput
SpatialConvolution.updateOutput = MM.updateOutput
SpatialConvolution.updateGradInput = MM.updateGradInput
SpatialConvolution.accGradParameters = MM.accGradParameters
SpatialConvolution.type = MM.type
SpatialConvolution.__tostring__ = MM.__tostring__
SpatialConvolution.clearState = MM.clearState

return SpatialConvolution
