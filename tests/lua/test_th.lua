-- The th command (optim-etc.md §8): build/th run as a subprocess with
-- scripts, options, and REPL sessions fed through a pipe.
local T = require 'testlib'
local tests = T.suite()

local TH = T.th
local native = require 'trepl.native'

local tmpfiles = {}
local function tmp(content)
   local name = os.tmpname()
   tmpfiles[#tmpfiles + 1] = name
   if content then
      local f = assert(io.open(name, 'wb'))
      f:write(content)
      f:close()
   end
   return name
end

local function slurp(name)
   local f = io.open(name, 'rb')
   if not f then return '' end
   local s = f:read('a')
   f:close()
   return s
end

local function cleanup()
   for _, n in ipairs(tmpfiles) do os.remove(n) end
   tmpfiles = {}
end

-- Runs `th <args>` (a shell word string) with `input` on stdin; returns
-- stdout, stderr, exit status.  Without HOME and TREPL_HISTORY the REPL
-- reads plain stdin (as Torch7's did: readline needs a history location);
-- env can set TREPL_HISTORY to get readline.
local function th(args, input, env)
   local inp, out, err = tmp(input or ''), tmp(), tmp()
   local cmd = string.format('env -u HOME -u TREPL_HISTORY %s %s %s < %s > %s 2> %s',
      env or '', TH, args, inp, out, err)
   local _, how, code = os.execute(cmd)
   local rc = how == 'exit' and code or 128 + code
   return slurp(out), slurp(err), rc
end

-- A REPL session: the output without the banner, every prompt followed by
-- a newline so expected transcripts read line by line.
local function session(input, args)
   local out, err, rc = th(args or '', input)
   local body = out:match('http://torch.ch \n\t\n(.*)$') or out
   body = body:gsub('th> ', 'th> \n'):gsub('%.%.> ', '..> \n')
   return body, err, rc, out
end

local TIMING = string.rep(' ', 70) .. '%[%d+%.%d%d%d%ds%]\t\n'

function tests.script_gets_arg_table()
   local script = tmp('io.write(#arg, "|", arg[1], "|", arg[2], "|", tostring(arg[0]), "|", select("#", ...), "\\n")')
   local out, err, rc = th(script .. ' first -x')
   T.eq(rc, 0, err)
   T.eq(out, '2|first|-x|' .. TH .. '|2\n')
   -- options after the script name belong to the script
   out = th(script .. ' -e "error()" -h')
   T.eq(out, '3|-e|error()|' .. TH .. '|3\n')
   cleanup()
end

function tests.script_sees_preloaded_packages_and_th_print()
   local script = tmp([[
io.write(type(torch), type(paths), type(sys), '\n')
print('x', 1.5, nil)
print({a = 1})
]])
   local out, err, rc = th(script)
   T.eq(rc, 0, err)
   T.eq(out, 'tabletabletable\nx\t1.5\tnil\t\n{\n  a : 1\n}\n')
   cleanup()
end

-- require './x' finds x.lua next to the calling script, whatever the cwd.
function tests.relative_require()
   local dir = tmp()
   os.remove(dir)
   os.execute('mkdir -p ' .. dir .. '/sub')
   local f = assert(io.open(dir .. '/helper.lua', 'w'))
   f:write('return {value = 41}\n')
   f:close()
   f = assert(io.open(dir .. '/sub/init.lua', 'w'))
   f:write('return {value = 1}\n')
   f:close()
   f = assert(io.open(dir .. '/main.lua', 'w'))
   f:write("io.write(require('./helper').value + require('./sub').value, '\\n')\n")
   f:close()
   local out, err, rc = th(dir .. '/main.lua')
   os.execute('rm -rf ' .. dir)
   T.eq(rc, 0, err)
   T.eq(out, '42\n')
   cleanup()
end

function tests.script_error_exits_1_with_traceback()
   local script = tmp('local x = 1\nerror("kaboom")\n')
   local out, err, rc = th(script)
   T.eq(rc, 1)
   T.eq(out, '')
   T.ok(err:find(':2: kaboom\nstack traceback:', 1, true), err)
   local missing = th('/nonexistent/nope.lua')
   local _, err2, rc2 = th('/nonexistent/nope.lua')
   T.eq(rc2, 1)
   T.ok(err2:find('cannot open /nonexistent/nope.lua', 1, true), err2)
   T.eq(missing, '')
   cleanup()
end

function tests.dash_e_statement()
   local out, err, rc = th("-e \"io.write(type(torch), '\\n')\"")
   T.eq(rc, 0, err)
   T.eq(out, 'table\n')
   -- th's print is active
   out = th("-e \"print('hi')\"")
   T.eq(out, 'hi\t\n')
   -- an error prints the bare message (with th's print) and exits 0
   out, err, rc = th("-e \"error('bad', 0)\"")
   T.eq(rc, 0)
   T.eq(out, 'bad\t\n')
   -- words after the statement are ignored: no script runs
   local script = tmp('io.write("RAN\\n")')
   out = th("-e \"io.write('e\\n')\" " .. script)
   T.eq(out, 'e\n')
   cleanup()
end

function tests.dash_l_loads_library()
   local dir = tmp()
   os.remove(dir)
   os.execute('mkdir -p ' .. dir)
   local f = assert(io.open(dir .. '/thlibx.lua', 'w'))
   f:write('THLIBX = 42\nreturn {}\n')
   f:close()
   local env = 'LUA_PATH="' .. dir .. '/?.lua;;"'
   local out, err, rc = th("-l thlibx -e \"io.write(THLIBX, '\\n')\"", nil, env)
   T.eq(rc, 0, err)
   T.eq(out, '42\n')
   out = th("-lthlibx -e \"io.write(THLIBX, '\\n')\"", nil, env)
   T.eq(out, '42\n')
   -- a missing library is reported with Lua's plain print, then th goes on
   out, err, rc = th("-l no_such_lib_zz -e \"io.write('went on\\n')\"")
   T.eq(rc, 0)
   T.ok(out:find('^could not load no_such_lib_zz, skipping\n'), out)
   T.ok(out:find("module 'no_such_lib_zz' not found", 1, true), out)
   T.ok(out:find('went on\n$'), out)
   os.execute('rm -rf ' .. dir)
   cleanup()
end

local HELP = 'Usage: th [options] [script.lua [arguments]]\n\nOptions:\n' ..
   '  -l name            load library name\n' ..
   '  -e statement       execute statement\n' ..
   '  -h,--help          print this help\n' ..
   '  -a,--async         preload async (libuv) and start async repl (BETA)\n' ..
   '  -g,--globals       monitor global variables (print a warning on creation/access)\n' ..
   '  -gg,--gglobals     monitor global variables (throw an error on creation/access)\n' ..
   '  -x,--gfx           start gfx server and load gfx env\n' ..
   '  -i,--interactive   enter the REPL after executing a script \n'

function tests.help_and_unknown_flags()
   local out, _, rc = th('-h')
   T.eq(rc, 0)
   T.eq(out, HELP)
   T.eq(th('--help'), HELP)
   out, _, rc = th('-z')
   T.eq(rc, 0)
   T.eq(out, 'Error: unrecognized flag --z\n' .. HELP)
   T.eq(th('--bogus'), 'Error: unrecognized flag --bogus\n' .. HELP)
   cleanup()
end

function tests.repl_banner_and_exact_lines()
   local out = th('', '1+1\n')
   T.ok(out:find('^ \n  ______             __   |  Torch7 \n'), out)
   local body = session('1+1\n')
   -- the result, the timing line, then EOF asks before exiting
   T.ok(body:find('^th> \n2\t\n' .. TIMING .. 'th> \nDo you really want to exit %(%[y%]/n%)%? \t\n$'), body)
end

function tests.repl_expressions_statements_and_results()
   local body = session('x = 5\nx * 2\n"s", true\n=x\n_RESULTS[#_RESULTS]\n_LAST\nlocal y = 3; print(y)\nbreak\n')
   local want = 'th> \n' .. TIMING ..
      'th> \n10\t\n' .. TIMING ..
      'th> \ns\ttrue\t\n' .. TIMING ..
      'th> \n5\t\n' .. TIMING ..
      'th> \n5\t\n' .. TIMING ..
      'th> \n5\t\n' .. TIMING ..
      'th> \n3\t\n' .. TIMING ..
      'th> \n$'
   T.ok(body:find('^' .. want), body)
end

function tests.repl_tables_and_tensors_pretty_print()
   local body = session('{a = {b = 1}}\ntorch.Tensor{{1,2,3},{4,5,6}}\nbreak\n')
   T.ok(body:find('th> \n{\n  a : \n    {\n      b : 1\n    }\n}\n' .. TIMING, 1), body)
   T.ok(body:find(' 1  2  3\n 4  5  6\n[torch.DoubleTensor of size 2x3]\n\n', 1, true), body)
end

function tests.repl_multiline_and_syntax_errors()
   local body = session('function f(a)\nreturn a + 1\nend\nf(41)\n1+1;\nbreak\n')
   T.ok(body:find('^th> \n%.%.> \n%.%.> \n' .. TIMING .. 'th> \n42\t\n' .. TIMING), body)
   T.ok(body:find('th> \nsyntax error: [string "1+1;"]:1: unexpected symbol near \'1\'\t\n', 1, true), body)
   -- an empty line ends an incomplete chunk: syntax error, REPL goes on
   body = session('for i = 1, 2 do\n\n7\nbreak\n')
   T.ok(body:find("syntax error: [string \"for i = 1, 2 do\"]:1: 'end' expected near <eof>\t\n", 1, true), body)
   T.ok(body:find('th> \n7\t\n', 1, true), body)
end

function tests.repl_survives_errors()
   local body, _, rc = session('error("oops")\nnosuch.field = 1\n1 + 2\nbreak\n')
   T.eq(rc, 0)
   T.ok(body:find('[string "_RESULT={error("oops")}"]:1: oops\nstack traceback:', 1, true), body)
   T.ok(body:find("attempt to index a nil value (global 'nosuch')", 1, true), body)
   T.ok(body:find('th> \n3\t\n', 1, true), body)
end

function tests.repl_exit_question()
   -- 'exit' then 'n' keeps going; 'exit' then empty answer leaves
   local body, _, rc = session('exit\nn\n4\nexit\n\n5\n')
   T.eq(rc, 0)
   T.ok(body:find('Do you really want to exit ([y]/n)? ', 1, true), body)
   T.ok(body:find('th> \n4\t\n', 1, true), body)
   T.ok(not body:find('5\t', 1, true), 'input after a confirmed exit was run')
end

function tests.repl_shell_command_and_help()
   local body = session('$ echo hello-from-shell\n_LAST\nbreak\n')
   T.ok(body:find('th> \nhello%-from%-shell\nth> \nhello%-from%-shell\n\t\n'), body)
   body = session('?\nbreak\n')
   T.ok(body:find('is an enhanced interpreter (repl) for Torch7/Lua.', 1, true), body)
end

function tests.interactive_after_script_keeps_globals()
   local script = tmp('myglobal = 41\n')
   local body, err, rc = session('myglobal + 1\nbreak\n', '-i ' .. script)
   T.eq(rc, 0, err)
   T.ok(body:find('th> \n42\t\n', 1, true), body)
   -- -i with -e
   body = session('zz\nbreak\n', '-i -e "zz = 7"')
   T.ok(body:find('th> \n7\t\n', 1, true), body)
   cleanup()
end

-- th -g warns about global creation/reads, th -gg raises instead.
function tests.global_monitoring()
   local out = th('-g -e "newglobal = 1; local v = undeclared"')
   T.ok(out:find('^created global variable: newglobal @ [^\n]*:1\t\n'), out)
   T.ok(out:find('\nattempt to read undeclared variable: undeclared @ [^\n]*:1\t\n'), out)
   out = th('-gg -e "newglobal = 1"')
   T.ok(out:find('created global variable: newglobal', 1, true), out)
   T.ok(not out:find('\n.', 1), 'an error ends the statement: ' .. out)
end

function tests.setprintlevel_and_startup_file()
   local out = th([[-e "setprintlevel(1) print({a = {b = 1}}) setprintlevel(0) print('plain')"]])
   T.eq(out, '{\n  a : {...}\n}\nplain\n')
   local startup = tmp('STARTED = 7\n')
   local script = tmp('io.write(tostring(STARTED), "\\n")')
   out = th(script, nil, 'TREPLSTARTUP=' .. startup)
   T.eq(out, '7\n')
   cleanup()
end

function tests.who_and_import()
   local body = session('myvar = "hello"\nwho()\nimport "math"\nfloor(2.5)\nbreak\n')
   T.ok(body:find('== User Variables ==\t\n', 1, true), body)
   T.ok(body:find('%[myvar%] +%= string : "hello"\t\n'), body)
   T.ok(body:find('th> \n2\t\n', 1, true), body)
end

-- With readline (built in and a history location): on a pipe each line is
-- echoed after its prompt, lines are appended to $TREPL_HISTORY, and the
-- exit question does not swallow the lines after it.
function tests.readline_echo_and_history()
   if not native.has_readline then return end
   local hist = tmp('')
   local out, err, rc = th('', 'x = 1 + 41\nx\nexit\nn\nx + 1\nbreak\n', 'TREPL_HISTORY=' .. hist)
   T.eq(rc, 0, err)
   local body = out:match('http://torch.ch \n\t\n(.*)$') or out
   T.ok(body:find('^th> x = 1 %+ 41\n' .. TIMING .. 'th> x\n42\t\n' .. TIMING ..
      'th> exit\nDo you really want to exit %(%[y%]/n%)%? ' .. TIMING .. 'th> x %+ 1\n43\t\n'), body)
   local h = slurp(hist)
   T.ok(h:find('x = 1 + 41\nx\n', 1, true), h)
   cleanup()
end

-- Ctrl-C: interrupts a running loop, the REPL then carries on; a script
-- dies with a traceback.  The signal is sent once the loop has started
-- (it creates a marker file), so a slow start cannot kill th early.
function tests.ctrl_c_interrupts_computation()
   local out, marker, fifo = tmp(), tmp(), tmp()
   os.remove(marker)
   os.remove(fifo)
   local waitmarker = 'i=0; while [ ! -e ' .. marker .. ' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; '
   os.execute('mkfifo ' .. fifo)
   os.execute(string.format(
      'env -u HOME %s < %s > %s 2>&1 & pid=$!; exec 3> %s; ' ..
      'printf \'x = 0 io.open("%s", "w"):close() while true do x = x + 1 end\\n\' >&3; ' ..
      waitmarker .. 'kill -INT $pid; printf "print(x > 0)\\nbreak\\n" >&3; exec 3>&-; ' ..
      'wait $pid; echo "rc=$?" >> %s',
      TH, fifo, out, fifo, marker, out))
   local o = slurp(out)
   os.remove(fifo)
   T.ok(o:find('interrupted!', 1, true), o)
   T.ok(o:find('true\t\n', 1, true), o)
   T.ok(o:find('rc=0\n', 1, true), o)
   os.remove(marker)
   local script = tmp('io.open("' .. marker .. '", "w"):close() while true do end\n')
   local out2 = tmp()
   os.execute(string.format('%s %s > %s 2>&1 & pid=$!; ' .. waitmarker ..
      'kill -INT $pid; wait $pid; echo "rc=$?" >> %s', TH, script, out2, out2))
   local o2 = slurp(out2)
   T.ok(o2:find('interrupted!', 1, true), o2)
   T.ok(o2:find('rc=1\n', 1, true), o2)
   cleanup()
end

-- th's print, byte for byte against Torch7 (golden/th_print.out).
function tests.golden_th_print()
   local out, err, rc = th('tests/golden/th_print.lua')
   T.eq(rc, 0, err)
   T.eq(out, slurp('tests/golden/th_print.out'))
end

return tests
