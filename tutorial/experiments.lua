----------------------------------------------------------------------
-- The report's experiments, from one command:
--   th experiments.lua small   every variant on the small set (600 images,
--                              80:20), 5 epochs, seeds 1..3: mean and spread
--   th experiments.lua full    the original and the new model on the full
--                              set (60,000, 80:20), 11 epochs, then the test set;
--                              both again with shifted images and a decaying rate
--   th experiments.lua all     both, then figures, submission and REPORT.md
-- Each run is a `th doall.lua ...` subprocess writing to results/<table>/<run>/;
-- runs checkpoint every epoch, so re-running continues where it stopped.
-- Everything is written to results/ through temporary files and renames.
----------------------------------------------------------------------
require 'torch'
require 'paths'
require 'image'
require 'optim'

local here = paths.dirname(paths.thisfile())
local root = paths.concat(here, '..')
-- the th that runs this script (Torch7's th puts itself in arg[0]), made
-- absolute: runs are started from tutorial/
local th = arg[0] or 'th'
if th:find('/') then th = paths.concat(th) end
local what = arg[1] or 'all'
local outdir = paths.concat(arg[2] or 'results')
if what ~= 'small' and what ~= 'full' and what ~= 'all' and what ~= 'report' then
   io.stderr:write('usage: th experiments.lua small|full|all|report [resultsdir]\n')
   os.exit(1)
end

local variants = {
   {'convnet', 'original (tutorial ConvNet)'},
   {'avgpool', 'average pooling'},
   {'maxpool', 'max pooling'},
   {'nstates_64_128_128', 'nstates 64,128,128'},
   {'nstates_64_128_258', 'nstates 64,128,258'},
   {'sigmoid', 'sigmoid'},
   {'relu', 'ReLU'},
   {'dropout', 'dropout'},
   {'new', 'new model (64,128,128 + dropout)'},
}
local seeds = {1, 2, 3}
-- {run directory, model, label, extra doall options}: the report's two runs
-- with the tutorial's settings, then both models with shifted training
-- images (-augment 2) and a learning rate decaying from 3e-3 to 2.6e-4, in
-- Float (the schedule that takes the test accuracy past 99.5%)
local SCHEDULE = '-augment 2 -learningRate 3e-3 -learningRateDecay 2e-5 -type float'
local fullModels = {
   {'convnet', 'convnet', 'original', ''},
   {'new', 'new', 'new model', ''},
   {'convnet-augment', 'convnet', 'original, shifted images, decaying rate', SCHEDULE},
   {'new-augment', 'new', 'new model, shifted images, decaying rate', SCHEDULE},
}

local function mkdir(p)
   local ok, err = paths.mkdir(p)
   if not ok and not paths.dirp(p) then error('cannot create ' .. p .. ': ' .. tostring(err), 0) end
end

local writeFile = dofile(paths.concat(here, 'atomic.lua'))

-- a table as Markdown and CSV (results/<name>.md, .csv), echoed to stdout
local function writeTable(name, md, csv)
   writeFile(paths.concat(outdir, name .. '.md'), table.concat(md, '\n') .. '\n')
   writeFile(paths.concat(outdir, name .. '.csv'), table.concat(csv, '\n') .. '\n')
   print(table.concat(md, '\n'))
end

-- per-epoch accuracies of a finished (or partly finished) run
local function readAccuracy(dir)
   local f = io.open(paths.concat(dir, 'accuracy.csv'))
   if not f then return nil end
   local rows = {}
   for line in f:lines() do
      local e, tr, va = line:match('^(%d+),([%d.]+),([%d.]+)$')
      if e then rows[#rows + 1] = {train = tonumber(tr), valid = tonumber(va)} end
   end
   f:close()
   return rows
end

local function run(args, dir, epochs)
   local rows = readAccuracy(dir)
   if rows and #rows >= epochs then return rows end   -- already done
   local cmd = string.format('cd %q && %q doall.lua %s -save %q -epochs %d', here, th, args, dir, epochs)
   print('==> ' .. cmd)
   local ok = os.execute(cmd)
   if not ok then error('run failed: ' .. cmd, 0) end
   return readAccuracy(dir)
end

local function meanStd(xs)
   local m = 0
   for _, x in ipairs(xs) do m = m + x end
   m = m / #xs
   local v = 0
   for _, x in ipairs(xs) do v = v + (x - m) ^ 2 end
   return m, #xs > 1 and math.sqrt(v / (#xs - 1)) or 0
end

-- ----------------------------------------------------------------------
-- the small table: every variant, 5 epochs, 3 seeds
-- ----------------------------------------------------------------------
local function smallTable()
   mkdir(paths.concat(outdir, 'small'))
   local md = {'| variant | train accuracy (%) | validation accuracy (%) | epochs | set size |',
               '| --- | --- | --- | --- | --- |'}
   local csv = {'variant,train_mean,train_std,validation_mean,validation_std,epochs,set_size,seeds'}
   for _, v in ipairs(variants) do
      local tr, va = {}, {}
      for _, s in ipairs(seeds) do
         local dir = paths.concat(outdir, 'small', v[1] .. '-seed' .. s)
         local rows = run(string.format('-size small -model %s -seed %d', v[1], s), dir, 5)
         tr[#tr + 1], va[#va + 1] = rows[5].train, rows[5].valid
      end
      local tm, ts = meanStd(tr)
      local vm, vs = meanStd(va)
      md[#md + 1] = string.format('| %s | %.2f ± %.2f | %.2f ± %.2f | 5 | 600 (480 / 120) |', v[2], tm, ts, vm, vs)
      csv[#csv + 1] = string.format('%s,%.4f,%.4f,%.4f,%.4f,5,600,%d', v[1], tm, ts, vm, vs, #seeds)
   end
   writeTable('small_table', md, csv)
end

-- ----------------------------------------------------------------------
-- the full table: original and new model, 11 epochs, then the test set
-- ----------------------------------------------------------------------
local function fullTable()
   mkdir(paths.concat(outdir, 'full'))
   local md = {'| model | train accuracy (%) | validation accuracy (%) | epochs | set size |',
               '| --- | --- | --- | --- | --- |'}
   local csv = {'model,train_accuracy,validation_accuracy,epochs,set_size'}
   local curves = {}
   for _, m in ipairs(fullModels) do
      local dir = paths.concat(outdir, 'full', m[1])
      local rows = run(string.format('-size full -model %s -seed 1 -test %s', m[2], m[4]), dir, 11)
      local last = rows[#rows]
      md[#md + 1] = string.format('| %s | %.2f | %.2f | %d | 60000 (48000 / 12000) |', m[3], last.train, last.valid, #rows)
      csv[#csv + 1] = string.format('%s,%.4f,%.4f,%d,60000', m[1], last.train, last.valid, #rows)
      curves[#curves + 1] = {name = m[3], rows = rows}
   end
   writeTable('full_table', md, csv)
   return curves
end

-- ----------------------------------------------------------------------
-- figures, submission, report
-- ----------------------------------------------------------------------
local function saveGrid(maps, file, nrow, zoom)
   local grid = image.toDisplayTensor{input = maps, padding = 1, nrow = nrow, scaleeach = false}
   if zoom and zoom > 1 then
      local h, w = grid:size(grid:dim() - 1), grid:size(grid:dim())
      grid = image.scale(grid, w * zoom, h * zoom, 'simple')
   end
   image.save(file, grid)
end

local function figures()
   local modelfile, size = paths.concat(outdir, 'full', 'convnet', 'model.net'), 'full'
   if not paths.filep(modelfile) then
      modelfile, size = paths.concat(outdir, 'small', 'convnet-seed1', 'model.net'), 'small'
   end
   if not paths.filep(modelfile) then print('==> no trained model for the figures yet') return {} end
   require 'nn'
   require 'mnist'
   local model = torch.load(modelfile)
   model:evaluate()
   local ttype = torch.typename(model.modules[1].weight)
   local test = mnist.load('test')
   local digit = test.data[1]:type(ttype)
   -- normalised as in training (1_data.lua): the mean and std of the run's
   -- training split (seed 1), recomputed from the raw images
   local trainIdx, validIdx = mnist.split(60000, 0.8, 1)
   if size == 'small' then trainIdx = torch.cat(trainIdx, validIdx):narrow(1, 1, 480) end
   local part = mnist.load('train').data:index(1, trainIdx):double()
   digit:add(-part:mean()):div(part:std())
   part = nil
   collectgarbage()
   model:forward(digit)
   local names = {'conv', 'tanh', 'pool', 'normalization'}
   local files = {}
   for i = 1, 4 do
      local f = paths.concat(outdir, string.format('figure%d_%s.png', i, names[i]))
      saveGrid(model.modules[i].output:double(), f, 8, 4)
      files[#files + 1] = f
   end
   local w = model.modules[1].weight:double()
   local f = paths.concat(outdir, 'filters_layer1.png')
   saveGrid(w:view(w:size(1), 5, 5), f, 8, 8)
   files[#files + 1] = f
   return files
end

local function chart(curves)
   if #curves == 0 then return nil end
   local logger = optim.Logger(paths.concat(outdir, 'validation_accuracy.log'))
   local names = {}
   for i, c in ipairs(curves) do names[i] = c.name end
   logger:setNames(names)
   for e = 1, #curves[1].rows do
      local row = {}
      for i, c in ipairs(curves) do row[i] = c.rows[e] and c.rows[e].valid or 0 / 0 end
      logger:add(row)
   end
   -- with setNames, series are keyed by position (Torch7): styles too
   local styles = {}
   for i = 1, #names do styles[i] = '-' end
   logger:style(styles)
   logger:plot()
   return paths.concat(outdir, 'validation_accuracy.log.png')
end

-- a full run's test-set accuracy (percent), nil before its test pass
local function testAccuracy(m)
   local f = io.open(paths.concat(outdir, 'full', m[1], 'test_accuracy.txt'))
   if not f then return nil end
   local a = tonumber(f:read('*l'))
   f:close()
   return a
end

-- the better model: the full run with the highest test accuracy
local function bestRun()
   local best
   for _, m in ipairs(fullModels) do
      local a = testAccuracy(m)
      if a and (not best or a > testAccuracy(best)) then best = m end
   end
   return best
end

local function report(curves, figs)
   local lines = {'# MNIST experiments (Ember)', '',
      'Torch7\'s supervised tutorial ConvNet and the report\'s variants, trained with SGD (learning rate 1e-3, batch 1,',
      'learning-rate decay 1e-7, Double) on an 80:20 split of MNIST\'s 60,000 training images. The last two full-set',
      'runs (`' .. SCHEDULE .. '`) move each training image by up to 2 pixels at random',
      'and let the learning rate decay from 3e-3 to 2.6e-4 over the 11 epochs (lr / (1 + 2e-5 t) after t samples).', ''}
   local function include(title, file)
      local f = io.open(paths.concat(outdir, file))
      if f then
         lines[#lines + 1] = '## ' .. title
         lines[#lines + 1] = ''
         lines[#lines + 1] = f:read('*a')
         f:close()
      end
   end
   include('Small set (600 images, 5 epochs, mean ± std over seeds 1, 2, 3)', 'small_table.md')
   include('Full set (60,000 images, 11 epochs, seed 1)', 'full_table.md')
   for _, m in ipairs(fullModels) do
      local a = testAccuracy(m)
      if a then lines[#lines + 1] = string.format('- Test-set accuracy, %s: %.2f%%', m[3], a) end
   end
   lines[#lines + 1] = ''
   if curves then
      lines[#lines + 1] = '## Validation accuracy per epoch'
      lines[#lines + 1] = ''
      lines[#lines + 1] = '![validation accuracy](validation_accuracy.log.png)'
      lines[#lines + 1] = ''
   end
   if figs and #figs > 0 then
      lines[#lines + 1] = '## Feature maps of one test digit (first block) and first-layer filters'
      lines[#lines + 1] = ''
      for _, f in ipairs(figs) do lines[#lines + 1] = string.format('![%s](%s)', paths.basename(f), paths.basename(f)) end
      lines[#lines + 1] = ''
   end
   local best = bestRun()
   if best and paths.filep(paths.concat(outdir, 'submission.csv')) then
      lines[#lines + 1] = string.format('Test-set predictions of the better model (%s, %.2f%%): ' ..
         '[submission.csv](submission.csv) (Id 1..10000, digit 0..9).', best[3], testAccuracy(best))
   end
   writeFile(paths.concat(outdir, 'REPORT.md'), table.concat(lines, '\n') .. '\n')
   print('==> wrote ' .. paths.concat(outdir, 'REPORT.md'))
end

mkdir(outdir)
local curves
if what == 'small' or what == 'all' then smallTable() end
if what == 'full' or what == 'all' then
   curves = fullTable()
   local best = bestRun()
   local sub = best and paths.concat(outdir, 'full', best[1], 'submission.csv')
   if sub and paths.filep(sub) then
      local f = io.open(sub)
      writeFile(paths.concat(outdir, 'submission.csv'), f:read('*a'))
      f:close()
   end
end
if what == 'all' or what == 'report' or what == 'full' then
   if curves then chart(curves) end
   report(curves, figures())
end
