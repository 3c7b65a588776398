--[[ optim.Logger: logs named series to a text file (one tab-separated
row per add) and plots them.

   logger = optim.Logger(paths.concat(opt.save, 'train.log'))
   logger:add{['% mean class accuracy (train set)'] = acc}
   logger:style{['% mean class accuracy (train set)'] = '-'}
   logger:plot()

File format (byte-exact with Torch7): a header line of the names, each
followed by a TAB; then per add one row of values, numbers as %11.4e and
strings as they are, each followed by a TAB.  Torch plotted through
gnuplot (screen and <file>.eps); Ember writes the chart as <file>.png.
]]
require 'xlua'
require 'paths'
local plot = require 'optim.plot'

local Logger = torch.class('optim.Logger')

-- Torch ran `mkdir -p` on the folder, opened the file for writing
-- (truncating) and named the plot after the original file name even with a
-- timestamp appended to the log's.
function Logger:__init(filename, timestamp)
   if filename then
      if type(filename) ~= 'string' then
         error('optim.Logger: file name (string) expected, got ' .. type(filename), 3)
      end
      self.name = filename
      local dir = paths.dirname(filename)
      if not paths.dirp(dir) then paths.mkdir(dir) end
      if timestamp then
         filename = filename .. '-' .. os.date('%Y_%m_%d_%X')
      end
      local f, err = io.open(filename, 'w')
      if not f then
         error('optim.Logger: cannot open log file: ' .. tostring(err), 3)
      end
      self.file = f
      self.epsfile = self.name .. '.eps'
      self.pngfile = self.name .. '.png'
   else
      self.file = io.stdout
      self.name = 'stdout'
      print('<Logger> warning: no path provided, logging to std out')
   end
   self.empty = true
   self.symbols = {}
   self.styles = {}
   self.names = {}
   self.idx = {}
   self.figure = nil
   self.showPlot = true
   self.plotRawCmd = nil
   self.defaultStyle = '+'
   self.logscale = false
end

-- Declares positional series: writes the header now; later adds give the
-- values in the same order (add{v1, v2}).
function Logger:setNames(names)
   self.names = names
   self.empty = false
   self.nsymbols = #names
   for k, key in pairs(names) do
      self.file:write(key .. '\t')
      self.symbols[k] = {}
      self.styles[k] = {self.defaultStyle}
      self.idx[key] = k
   end
   self.file:write('\n')
   self.file:flush()
   return self
end

-- %11.4e as LuaJIT prints it (a NaN is 'nan', never '-nan').
local function fmt(v)
   if v ~= v then return string.format('%11s', 'nan') end
   return string.format('%11.4e', v)
end

function Logger:add(symbols)
   if type(symbols) ~= 'table' then
      error('optim.Logger.add: table of values expected, got ' .. type(symbols), 2)
   end
   -- first add without setNames: the keys become the header (pairs order)
   if self.empty then
      self.empty = false
      self.nsymbols = #symbols
      for k in pairs(symbols) do
         self.file:write(k .. '\t')
         self.symbols[k] = {}
         self.styles[k] = {self.defaultStyle}
         self.names[k] = k
      end
      self.idx = self.names
      self.file:write('\n')
   end
   -- a key that is not a column would have no series to go to
   for k in pairs(symbols) do
      if not self.symbols[k] then
         error('optim.Logger.add: unknown symbol ' .. tostring(k) .. ' (not in the header)', 2)
      end
   end
   for _, val in pairs(symbols) do
      if type(val) == 'number' then
         self.file:write(fmt(val) .. '\t')
      elseif type(val) == 'string' then
         self.file:write(val .. '\t')
      else
         xlua.error('can only log numbers and strings', 'Logger')
      end
   end
   self.file:write('\n')
   self.file:flush()
   for k, val in pairs(symbols) do
      table.insert(self.symbols[k], val)
   end
end

-- style{name = '-' | '+' | '.' | {'+', '-'}}: how each series is drawn
-- (lines, plus markers, dots; several for a table).
function Logger:style(symbols)
   for name, style in pairs(symbols) do
      if type(style) == 'string' then
         self.styles[name] = {style}
      elseif type(style) == 'table' then
         self.styles[name] = style
      else
         xlua.error('style should be a string or a table of strings', 'Logger')
      end
   end
   return self
end

function Logger:setlogscale(state)
   self.logscale = state
end

function Logger:display(state)
   self.showPlot = state
end

-- plot([names...]): draws every series with at least two numeric points
-- (or only the named ones) into <file>.png.  Returns the PNG's name, or
-- nil when there was nothing to plot or no file (logging to stdout).
function Logger:plot(...)
   if not self.pngfile then
      if not self.warned then
         print('<Logger> warning: cannot plot when logging to std out')
         self.warned = true
      end
      return nil
   end
   local series = {}
   local function plotsymbol(key, list)
      if list and #list > 1 then
         local y = {}
         for i, v in ipairs(list) do
            y[i] = type(v) == 'number' and v or 0 / 0   -- strings leave a gap
         end
         local style = table.concat(self.styles[key] or {self.defaultStyle})
         series[#series + 1] = {name = self.names[key] or key, y = y, style = style}
      end
   end
   local args = {...}
   if not args[1] then
      -- a stable order: positional series by index, named ones by name
      local keys = {}
      for k in pairs(self.symbols) do keys[#keys + 1] = k end
      table.sort(keys, function(a, b)
         if type(a) == type(b) then return a < b end
         return type(a) == 'number'
      end)
      for _, k in ipairs(keys) do plotsymbol(k, self.symbols[k]) end
   else
      for _, name in ipairs(args) do
         local k = self.idx[name]
         plotsymbol(k, self.symbols[k])
      end
   end
   if #series == 0 then return nil end
   local ok, err = plot.write(self.pngfile, series,
      {title = '<Logger::' .. self.name .. '>', logscale = self.logscale})
   if not ok then
      error('optim.Logger.plot: cannot write ' .. self.pngfile .. ': ' .. tostring(err), 2)
   end
   return self.pngfile
end

return Logger
