-- torch.CmdLine (torch.md §10), checked in-process and against
-- tests/golden/cmdline.out (Torch7's own output, run through build/th).
local T = require 'testlib'
local tests = T.suite()

-- Runs f with io.write (and io.stderr, os.exit, print) captured; returns
-- the written text, the exit code if os.exit was called, and f's results.
local function capture(f)
   local buf = {}
   local w, se, ex, pr = io.write, io.stderr, os.exit, print
   io.write = function(...) for _, s in ipairs({...}) do buf[#buf + 1] = tostring(s) end end
   io.stderr = {write = function(self, ...) buf[#buf + 1] = '<stderr>' .. table.concat({...}) .. '</stderr>'; return self end}
   print = function(...)
      local t = {}
      for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end
      buf[#buf + 1] = '<print>' .. table.concat(t, '|') .. '</print>'
   end
   local code
   os.exit = function(c) code = c; error('EXIT', 0) end
   local res = table.pack(pcall(f))
   io.write, io.stderr, os.exit, print = w, se, ex, pr
   if not res[1] and res[2] ~= 'EXIT' then error(res[2], 0) end
   return table.concat(buf), code, table.unpack(res, 2, res.n)
end

local function tutorial_cmd()
   local cmd = torch.CmdLine()
   cmd:text()
   cmd:text('MNIST Training')
   cmd:text()
   cmd:text('Options:')
   cmd:option('-seed', 1, 'fixed input seed for repeatable experiments')
   cmd:option('-size', 'full', 'how many samples do we load: small | full')
   cmd:option('-learningRate', 1e-3, 'learning rate at t=0')
   cmd:option('-plot', false, 'live plot')
   cmd:text()
   return cmd
end

function tests.help_text_exact()
   local out = capture(function() tutorial_cmd():help() end)
   T.eq(out, 'Usage: [options]\n\nMNIST Training\n\nOptions:\n' ..
      '  -seed         fixed input seed for repeatable experiments [1]\n' ..
      '  -size         how many samples do we load: small | full [full]\n' ..
      '  -learningRate learning rate at t=0 [0.001]\n' ..
      '  -plot         live plot [false]\n\n')
   out = capture(function() tutorial_cmd():help({[0] = 'doall.lua'}) end)
   T.eq(out:match('^[^\n]*'), 'Usage: doall.lua [options]')
end

function tests.help_with_positionals()
   local cmd = torch.CmdLine()
   cmd:argument('-input', 'input file')
   cmd:argument('out', 'output')
   cmd:option('-n', 10, 'count')
   local out = capture(function() cmd:help() end)
   T.eq(out, 'Usage: [options] <input> <out>\n  <input> input file\n  <out>   output\n  -n      count [10]\n')
end

function tests.parse_defaults_and_values()
   local cmd = tutorial_cmd()
   local opt = cmd:parse({})
   T.eq(opt.seed, 1); T.eq(opt.size, 'full'); T.eq(opt.learningRate, 1e-3); T.eq(opt.plot, false)
   opt = cmd:parse({'-seed', '7', '-size', 'small', '-plot', '-learningRate', '0x10'})
   T.eq(opt.seed, 7); T.eq(opt.size, 'small'); T.eq(opt.plot, true); T.eq(opt.learningRate, 16)
   T.eq(type(opt.seed), 'number')
   -- the last repeated option wins; a string option keeps digits as a string
   local c2 = torch.CmdLine()
   c2:option('-save', 'results', 'dir')
   c2:option('-v', true, 'verbose flag defaulting to true')
   opt = c2:parse({'-save', '5', '-save', '6', '-v'})
   T.eq(opt.save, '6'); T.eq(opt.v, false)
   T.eq(cmd:parse({'-learningRate', '1e-2'}).learningRate, 0.01)
end

function tests.parse_positionals()
   local cmd = torch.CmdLine()
   cmd:argument('-input', 'in')
   cmd:argument('output', 'out')
   cmd:option('-flag', false, 'f')
   local opt = cmd:parse({'a', '-flag', 'b'})
   T.eq(opt.input, 'a'); T.eq(opt.output, 'b'); T.eq(opt.flag, true)
end

function tests.parse_errors_print_message_help_and_exit_1()
   local cmd = tutorial_cmd()
   local helptext = capture(function() cmd:help() end)
   local cases = {
      {{'-plot', 'true'}, 'invalid argument: true'},
      {{'-unknown', '1'}, 'invalid argument: -unknown'},
      {{'-seed'}, 'missing argument for option -seed'},
      {{'-seed', 'abc'}, 'invalid type for option -seed (should be number)'},
   }
   for _, c in ipairs(cases) do
      local out, code = capture(function() return cmd:parse(c[1]) end)
      T.eq(code, 1, c[2])
      T.eq(out, '<print></print><stderr>' .. c[2] .. '</stderr><print></print>' .. helptext)
   end
   local c2 = torch.CmdLine()
   c2:argument('x', 'x')
   local out, code = capture(function() return c2:parse({}) end)
   T.eq(code, 1)
   T.ok(out:find('<stderr>not enough arguments</stderr>', 1, true), out)
end

function tests.dash_h_prints_help_with_program_name_and_exits_0()
   local cmd = tutorial_cmd()
   for _, flag in ipairs({'-h', '-help', '--help'}) do
      local out, code = capture(function() return cmd:parse({[0] = 'prog.lua', '-seed', '2', flag}) end)
      T.eq(code, 0)
      T.eq(out:match('^[^\n]*'), 'Usage: prog.lua [options]')
   end
end

function tests.declaration_errors()
   T.errors('option -x has no default value', function() torch.CmdLine():option('-x') end)
   T.errors('option -x has wrong default type value', function() torch.CmdLine():option('-x', 1, 'h', 'string') end)
   T.errors("bad argument #1 to 'text' (string expected, got number)", function() torch.CmdLine():text(5) end)
   T.errors("bad argument #1 to 'parse' (table expected, got nil)", function() torch.CmdLine():parse() end)
   -- a typed option with a matching default is fine
   local c = torch.CmdLine()
   c:option('-name', 'x', 'h', 'string')
   T.eq(c:parse({'-name', 'y'}).name, 'y')
end

function tests.string_names_experiments()
   local cmd = tutorial_cmd()
   local opt = cmd:parse({'-seed', '7', '-plot', '-size', 'small'})
   local out, _, s = capture(function() return cmd:string('exp', opt, {}) end)
   T.eq(s, 'exp,plot=t,seed=7,size=small')
   -- side effect: print(key, value, default) per differing option
   T.ok(out:find('<print>seed|7|1</print>', 1, true), out)
   T.ok(out:find('<print>plot|t|false</print>', 1, true), out)
   _, _, s = capture(function() return cmd:string('exp', opt, {seed = true}) end)
   T.eq(s, 'exp,plot=t,size=small')
   _, _, s = capture(function() return cmd:string('exp', cmd:parse({}), {}) end)
   T.eq(s, 'exp')
   local c2 = torch.CmdLine('_', ':')
   c2:argument('-input', 'i'); c2:argument('output', 'o'); c2:option('-n', 10, 'n')
   _, _, s = capture(function() return c2:string('run', c2:parse({'a.txt', 'b.txt', '-n', '3'}), {}) end)
   T.eq(s, 'run_input:a.txt_output:b.txt_n:3')
   T.errors('attempt to index', function() cmd:string('exp', opt) end)
end

function tests.log_appends_prints_to_file()
   local fname = os.tmpname()
   local cmd = torch.CmdLine()
   local oldprint = print
   local seen = {}
   print = function(...) seen[#seen + 1] = select('#', ...) end
   local ok, err = pcall(function()
      cmd:log(fname, {a = 1})
      print('hello', 42, true, 0.5)
      print()
   end)
   print = oldprint
   T.ok(ok, tostring(err))
   local f = assert(io.open(fname))
   local content = f:read('a')
   f:close()
   os.remove(fname)
   content = content:gsub('%[program started on [^%]]*%]', '[program started on DATE]')
   T.eq(content, '[program started on DATE] \n[command line arguments] \na 1 \n[----------------------] \n' ..
      'hello 42 true 0.5 \n\n')
   T.eq(#seen, 6, 'every line also went to the original print')
end

-- Torch7's own run of tests/golden/cmdline.lua, byte for byte.
function tests.golden_cmdline_out()
   local f = assert(io.open('tests/golden/cmdline.out', 'rb'))
   local want = f:read('a')
   f:close()
   local p = assert(io.popen(T.th .. ' tests/golden/cmdline.lua 2>&1', 'r'))
   local got = p:read('a')
   p:close()
   if got ~= want then
      -- report the first differing line
      local i = 1
      while i <= #want and want:sub(i, i) == got:sub(i, i) do i = i + 1 end
      local ls = want:sub(1, i):match('.*\n()') or 1
      error(string.format('first difference at byte %d:\nwant %q\ngot  %q', i,
         want:sub(ls, ls + 100), got:sub(ls, ls + 100)))
   end
end

return tests
