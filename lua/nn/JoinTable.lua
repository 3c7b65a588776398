-- nn.JoinTable(dim, [nInputDims]): concatenates a table of tensors along
-- dim (negative dims count from the end; with nInputDims, an input with one
-- more dim is a batch and dim shifts by one).
local JoinTable, parent = torch.class('nn.JoinTable', 'nn.Module')

function JoinTable:__init(dimension, nInputDims)
   parent.__init(self)
   self.dimension = dimension
   self.gradInput = {}
   self.nInputDims = nInputDims
end

function JoinTable:_getPositiveDimension(input)
   local dimension = self.dimension
   if dimension < 0 then
      dimension = input[1]:dim() + dimension + 1
   elseif self.nInputDims and input[1]:dim() == (self.nInputDims + 1) then
      dimension = dimension + 1
   end
   return dimension
end

function JoinTable:updateOutput(input)
   local dimension = self:_getPositiveDimension(input)
   local size
   for i = 1, #input do
      local t = input[i]
      if i == 1 then
         size = nn.utils.sizeTable(t)
      else
         if t:dim() ~= #size then
            error(string.format('nn.JoinTable: input %d has %d dims, input 1 has %d', i, t:dim(), #size), 2)
         end
         for d = 1, #size do
            if d ~= dimension and t:size(d) ~= size[d] then
               error(string.format('nn.JoinTable: inconsistent tensor sizes: input %d is %s, input 1 is %s',
                  i, nn.utils.sizeString(t), nn.utils.sizeString(input[1])), 2)
            end
         end
         size[dimension] = size[dimension] + t:size(dimension)
      end
   end
   self.output:resize(table.unpack(size))
   local offset = 1
   for i = 1, #input do
      local t = input[i]
      self.output:narrow(dimension, offset, t:size(dimension)):copy(t)
      offset = offset + t:size(dimension)
   end
   return self.output
end

function JoinTable:updateGradInput(input, gradOutput)
   local dimension = self:_getPositiveDimension(input)
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[i].new()
      self.gradInput[i]:resizeAs(input[i])
   end
   for i = #input + 1, #self.gradInput do
      self.gradInput[i] = nil
   end
   local offset = 1
   for i = 1, #input do
      local n = input[i]:size(dimension)
      self.gradInput[i]:copy(gradOutput:narrow(dimension, offset, n))
      offset = offset + n
   end
   return self.gradInput
end

return JoinTable
