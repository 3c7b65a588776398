-- nn.SpatialZeroPadding(l, [r=l], [t=l], [b=l]): pads the last two dims of
-- a 3-D or 4-D input with zeros (negative amounts crop).  Backward crops
-- gradOutput back to the input's size.
local SpatialZeroPadding, parent = torch.class('nn.SpatialZeroPadding', 'nn.Module')

function SpatialZeroPadding:__init(pad_l, pad_r, pad_t, pad_b)
   parent.__init(self)
   self.pad_l = pad_l
   self.pad_r = pad_r or self.pad_l
   self.pad_t = pad_t or self.pad_l
   self.pad_b = pad_b or self.pad_l
end

-- The part of `input` that survives cropping and the part of `output`
-- that is not padding: the two regions that correspond element for element.
local function regions(self, input, output)
   local hd, wd = input:dim() - 1, input:dim()
   local c_input, c_output = input, output
   if self.pad_t < 0 then c_input = c_input:narrow(hd, 1 - self.pad_t, c_input:size(hd) + self.pad_t) end
   if self.pad_b < 0 then c_input = c_input:narrow(hd, 1, c_input:size(hd) + self.pad_b) end
   if self.pad_l < 0 then c_input = c_input:narrow(wd, 1 - self.pad_l, c_input:size(wd) + self.pad_l) end
   if self.pad_r < 0 then c_input = c_input:narrow(wd, 1, c_input:size(wd) + self.pad_r) end
   if self.pad_t > 0 then c_output = c_output:narrow(hd, 1 + self.pad_t, c_output:size(hd) - self.pad_t) end
   if self.pad_b > 0 then c_output = c_output:narrow(hd, 1, c_output:size(hd) - self.pad_b) end
   if self.pad_l > 0 then c_output = c_output:narrow(wd, 1 + self.pad_l, c_output:size(wd) - self.pad_l) end
   if self.pad_r > 0 then c_output = c_output:narrow(wd, 1, c_output:size(wd) - self.pad_r) end
   return c_input, c_output
end

function SpatialZeroPadding:updateOutput(input)
   local dim = input:dim()
   if dim ~= 3 and dim ~= 4 then
      error(string.format('input must be 3 or 4-dimensional (got %dD)', dim), 2)
   end
   local h = input:size(dim - 1) + self.pad_t + self.pad_b
   local w = input:size(dim) + self.pad_l + self.pad_r
   if w < 1 or h < 1 then
      error(string.format('input is too small (%s padded to %dx%d)', nn.utils.sizeString(input), h, w), 2)
   end
   if dim == 3 then
      self.output:resize(input:size(1), h, w)
   else
      self.output:resize(input:size(1), input:size(2), h, w)
   end
   self.output:zero()
   local c_input, c_output = regions(self, input, self.output)
   c_output:copy(c_input)
   return self.output
end

function SpatialZeroPadding:updateGradInput(input, gradOutput)
   local dim = input:dim()
   if dim ~= 3 and dim ~= 4 then
      error(string.format('input must be 3 or 4-dimensional (got %dD)', dim), 2)
   end
   self.gradInput:resizeAs(input):zero()
   local cg_input, cg_output = regions(self, self.gradInput, gradOutput)
   cg_input:copy(cg_output)
   return self.gradInput
end

function SpatialZeroPadding:__tostring__()
   return torch.type(self) ..
      string.format('(l=%d, r=%d, t=%d, b=%d)', self.pad_l, self.pad_r, self.pad_t, self.pad_b)
end

return SpatialZeroPadding
