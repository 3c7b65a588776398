-- nn.BCECriterion([weights], [sizeAverage=true]): binary cross-entropy
-- loss = -sum w (t log(x + eps) + (1 - t) log(1 - x + eps)) [/ nElement],
-- eps = 1e-12; input holds probabilities, target 0/1 values.
local BCECriterion, parent = torch.class('nn.BCECriterion', 'nn.Criterion')

local eps = 1e-12

function BCECriterion:__init(weights, sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then
      self.sizeAverage = sizeAverage
   else
      self.sizeAverage = true
   end
   if weights ~= nil then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
end

local function checkSizes(self, input, target)
   if input:nElement() ~= target:nElement() then
      error(string.format('nn.BCECriterion: input and target size mismatch (%s vs %s)',
         nn.utils.sizeString(input), nn.utils.sizeString(target)), 3)
   end
end

-- With weights and a batch, the weight vector applies to every row.
local function expandedWeights(self, input)
   if not self.weights then return nil end
   if input:dim() > 1 and self.weights:dim() == 1 and input:nElement() ~= self.weights:nElement() then
      self._weights = self._weights or self.weights.new()
      self._weights:resizeAs(input):copy(self.weights:view(1, self.weights:size(1)):expandAs(input))
      return self._weights
   end
   return self.weights
end

function BCECriterion:updateOutput(input, target)
   checkSizes(self, input, target)
   local weights = expandedWeights(self, input)
   self.buffer = self.buffer or input.new()
   local buffer = self.buffer
   local output
   -- log(x + eps) * t
   buffer:resizeAs(input):copy(input):add(eps):log()
   if weights then buffer:cmul(weights) end
   output = torch.dot(target, buffer)
   -- log(1 - x + eps) * (1 - t)
   buffer:resizeAs(input):copy(input):mul(-1):add(1 + eps):log()
   if weights then buffer:cmul(weights) end
   output = output + buffer:sum()
   output = output - torch.dot(target, buffer)
   if self.sizeAverage then
      output = output / input:nElement()
   end
   self.output = -output
   return self.output
end

-- gx = -w (t - x) / ((1 - x + eps)(x + eps)) [/ nElement]
function BCECriterion:updateGradInput(input, target)
   checkSizes(self, input, target)
   local weights = expandedWeights(self, input)
   self.buffer = self.buffer or input.new()
   local buffer = self.buffer
   local gradInput = self.gradInput
   buffer:resizeAs(input):copy(input):mul(-1):add(1 + eps):cmul(input):add(eps)
   gradInput:resizeAs(input):copy(input):add(-1, target)
   gradInput:cdiv(buffer)
   if weights then gradInput:cmul(weights) end
   if self.sizeAverage then gradInput:div(target:nElement()) end
   return self.gradInput
end

return BCECriterion
