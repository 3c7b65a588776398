-- nn.SpatialConvolutionMap(connTable, kW, kH, [dW=1], [dH=1]): a sparse
-- convolution.  connTable is K x 2: row k connects input plane
-- connTable[k][1] to output plane connTable[k][2] through kernel weight[k]
-- (K x kH x kW); no padding.  nn.tables builds the usual tables.
local SpatialConvolutionMap, parent = torch.class('nn.SpatialConvolutionMap', 'nn.Module')

nn.tables = nn.tables or {}

-- every input plane to every output plane
function nn.tables.full(nin, nout)
   local ft = torch.Tensor(nin * nout, 2)
   local p = 1
   for j = 1, nout do
      for i = 1, nin do
         ft[p][1] = i
         ft[p][2] = j
         p = p + 1
      end
   end
   return ft
end

-- plane i to plane i
function nn.tables.oneToOne(nfeat)
   local ft = torch.Tensor(nfeat, 2)
   for i = 1, nfeat do
      ft[i][1] = i
      ft[i][2] = i
   end
   return ft
end

-- nto random input planes per output plane, drawn as successive chunks of
-- random permutations of the input planes (a new permutation when one is
-- used up), so the planes are used evenly.
function nn.tables.random(nin, nout, nto)
   local nker = nto * nout
   local tbl = torch.Tensor(nker, 2)
   local fi = torch.randperm(nin)
   local frcntr = 1
   local nfi = math.floor(nin / nto) -- number of distinct nto-chunks in a permutation
   local totbl = tbl:select(2, 2)
   local frtbl = tbl:select(2, 1)
   local fitbl = fi:narrow(1, 1, nfi * nto)
   local ufrtbl = frtbl:unfold(1, nto, nto)
   local utotbl = totbl:unfold(1, nto, nto)
   local ufitbl = fitbl:unfold(1, nto, nto)
   for i = 1, nout do
      ufrtbl:select(1, i):copy(ufitbl:select(1, frcntr))
      frcntr = frcntr + 1
      if frcntr - 1 == nfi then
         fi:copy(torch.randperm(nin))
         frcntr = 1
      end
   end
   for tocntr = 1, utotbl:size(1) do
      utotbl:select(1, tocntr):fill(tocntr)
   end
   return tbl
end

function SpatialConvolutionMap:__init(conMatrix, kW, kH, dW, dH)
   parent.__init(self)
   local checkInt = nn.utils.checkInt
   self.kW = checkInt(kW, 'nn.SpatialConvolutionMap: kW', 2)
   self.kH = checkInt(kH, 'nn.SpatialConvolutionMap: kH', 2)
   self.dW = checkInt(dW or 1, 'nn.SpatialConvolutionMap: dW', 2)
   self.dH = checkInt(dH or 1, 'nn.SpatialConvolutionMap: dH', 2)
   if not torch.isTensor(conMatrix) or conMatrix:dim() ~= 2 or conMatrix:size(2) ~= 2 then
      error('nn.SpatialConvolutionMap: connection table must be a K x 2 tensor', 2)
   end
   self.connTable = conMatrix
   self.nInputPlane = math.floor(self.connTable:select(2, 1):max())
   self.nOutputPlane = math.floor(self.connTable:select(2, 2):max())
   self.weight = torch.Tensor(self.connTable:size(1), self.kH, self.kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(self.connTable:size(1), self.kH, self.kW)
   self.gradBias = torch.Tensor(self.nOutputPlane)
   self:reset()
end

-- Without stdv, each kernel gets stdv = 1/sqrt(kW*kH*fanin) of its output
-- plane: the kernels are filled connection by connection, then each bias
-- takes one scalar draw (Torch7's exact draw order).
function SpatialConvolutionMap:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
      self.weight:uniform(-stdv, stdv)
      self.bias:uniform(-stdv, stdv)
   else
      local nconn = self.connTable:size(1)
      local fanin = {}
      for o = 1, self.nOutputPlane do fanin[o] = 0 end
      local outPlane = {}
      for k = 1, nconn do
         outPlane[k] = math.floor(self.connTable[k][2])
         fanin[outPlane[k]] = fanin[outPlane[k]] + 1
      end
      for k = 1, nconn do
         stdv = 1 / math.sqrt(self.kW * self.kH * fanin[outPlane[k]])
         self.weight:select(1, k):uniform(-stdv, stdv)
      end
      for o = 1, self.nOutputPlane do
         stdv = 1 / math.sqrt(self.kW * self.kH * fanin[o])
         self.bias[o] = torch.uniform(-stdv, stdv)
      end
   end
end

function SpatialConvolutionMap:_checkInput(input)
   local ndim = input:dim()
   if ndim ~= 3 and ndim ~= 4 then
      error(string.format('bad argument #2 to \'nn.SpatialConvolutionMap\' (3D or 4D input tensor expected but got: [%s])',
         table.concat(nn.utils.sizeTable(input), ' x ')), 3)
   end
   local off = ndim - 3
   if input:size(off + 1) < self.nInputPlane then
      error(string.format('nn.SpatialConvolutionMap: input has %d planes, the connection table uses %d',
         input:size(off + 1), self.nInputPlane), 3)
   end
   if input:size(off + 2) < self.kH or input:size(off + 3) < self.kW then
      error(string.format('nn.SpatialConvolutionMap: input image (%dx%d) smaller than kernel (%dx%d)',
         input:size(off + 2), input:size(off + 3), self.kH, self.kW), 3)
   end
end

function SpatialConvolutionMap:updateOutput(input)
   self:_checkInput(input)
   torch._nn.SpatialConvolutionMap_updateOutput(input, self.output, self.weight, self.bias,
      self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH)
   return self.output
end

function SpatialConvolutionMap:updateGradInput(input, gradOutput)
   self:_checkInput(input)
   torch._nn.SpatialConvolutionMap_updateGradInput(input, gradOutput, self.gradInput, self.weight,
      self.bias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH)
   return self.gradInput
end

function SpatialConvolutionMap:accGradParameters(input, gradOutput, scale)
   self:_checkInput(input)
   torch._nn.SpatialConvolutionMap_accGradParameters(input, gradOutput, self.gradWeight, self.gradBias,
      self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH, scale or 1)
end

function SpatialConvolutionMap:decayParameters(decay)
   self.weight:add(-decay, self.weight)
   self.bias:add(-decay, self.bias)
end

return SpatialConvolutionMap
