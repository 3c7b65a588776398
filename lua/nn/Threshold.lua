-- nn.Threshold([th=1e-6], [v=0], [inplace=false]): y = x if x > th else v;
-- gx = g where x > th, else 0.
local Threshold, parent = torch.class('nn.Threshold', 'nn.Module')

function Threshold:__init(th, v, ip)
   parent.__init(self)
   self.threshold = th or 1e-6
   self.val = v or 0
   if (th and type(th) ~= 'number') or (v and type(v) ~= 'number') then
      error('nn.Threshold(threshold, value)')
   end
   self.inplace = ip or false
   if ip and type(ip) ~= 'boolean' then
      error('in-place flag must be boolean')
   end
   self:validateParameters()
end

-- In place, values <= threshold are overwritten by val; the backward pass
-- then reads the output as its input, which only works if val cannot pass
-- the threshold itself.
function Threshold:validateParameters()
   self.inplace = self.inplace or false
   if self.inplace and self.val > self.threshold then
      error('in-place processing requires value (' .. nn.utils.num2str(self.val) ..
            ') not exceed threshold (' .. nn.utils.num2str(self.threshold) .. ')')
   end
end

function Threshold:updateOutput(input)
   self:validateParameters()
   torch._nn.Threshold_updateOutput(input, self.output, self.threshold, self.val, self.inplace)
   return self.output
end

function Threshold:updateGradInput(input, gradOutput)
   self:validateParameters()
   torch._nn.Threshold_updateGradInput(input, gradOutput, self.gradInput,
      self.threshold, self.val, self.inplace)
   return self.gradInput
end

return Threshold
