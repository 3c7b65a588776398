/* th.c: the `th` command (Torch7's th + trepl REPL on an embedded Lua 5.4).
 *
 * The C side only does what Lua cannot: it finds Ember's Lua packages and C
 * module from the executable's own location, builds `arg`, and offers the
 * REPL a small native module `trepl.native` (line editing and history with
 * GNU readline when built with EMBER_READLINE, Ctrl-C handling, isatty, a
 * monotonic clock).  Everything Torch7 did in Lua (option parsing, the
 * REPL loop, th's print) lives in lua/trepl/th.lua and lua/trepl/init.lua,
 * which this file runs.  Exit status: whatever th.lua returns (0 after a
 * script or REPL session, 1 when a script raised an error). */
#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef EMBER_READLINE
#include <readline/history.h>
#include <readline/readline.h>
#endif

/* ---------------------------------------------------------------------------
 * Package paths */

/* Directory of the running executable (no trailing slash) into buf. */
static void exe_dir(char *buf, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
    if (n <= 0) { snprintf(buf, cap, "."); return; }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash) *slash = '\0';
}

static int file_exists(const char *p) { return access(p, R_OK) == 0; }

/* Appends Ember's directories to package.path/cpath.  The user's
 * LUA_PATH/LUA_CPATH (already in package.path) keep priority. */
static void set_paths(lua_State *L)
{
    char dir[PATH_MAX], probe[PATH_MAX + 64], lpath[3 * PATH_MAX], cpath[PATH_MAX + 64];
    exe_dir(dir, sizeof dir);
    snprintf(probe, sizeof probe, "%s/../lua/torch/init.lua", dir);
    if (file_exists(probe)) {  /* build tree: build/th, lua/, build/lib/ */
        snprintf(lpath, sizeof lpath, "%s/../lua/?.lua;%s/../lua/?/init.lua", dir, dir);
        snprintf(cpath, sizeof cpath, "%s/lib/?.so", dir);
    } else {                   /* installed: PREFIX/bin/th */
        snprintf(lpath, sizeof lpath, "%s/../share/ember/lua/?.lua;%s/../share/ember/lua/?/init.lua", dir, dir);
        snprintf(cpath, sizeof cpath, "%s/../lib/?.so", dir);
    }
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "path");
    lua_pushfstring(L, "%s;%s", lua_tostring(L, -1), lpath);
    lua_setfield(L, -3, "path");
    lua_pop(L, 1);
    lua_getfield(L, -1, "cpath");
    lua_pushfstring(L, "%s;%s", lua_tostring(L, -1), cpath);
    lua_setfield(L, -3, "cpath");
    lua_pop(L, 2);
}

/* ---------------------------------------------------------------------------
 * Ctrl-C.  While Lua code runs, SIGINT sets a hook that raises
 * "interrupted!" at the next Lua instruction (what lua.c and LuaJIT do), so
 * the REPL's xpcall catches it and a script dies with a traceback.  A second
 * Ctrl-C before the hook fires (stuck in C code) kills the process.  While
 * waiting for input, Ctrl-C abandons the current line instead. */

static lua_State *globalL = NULL;
static volatile sig_atomic_t got_sigint = 0;

static void lstop(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted!");
}

static void on_sigint_running(int sig)
{
    signal(sig, SIG_DFL);
    lua_sethook(globalL, lstop, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

/* Installs handler for SIGINT; restart says whether an interrupted read
 * resumes (readline redraws the line itself) or fails with EINTR. */
static void set_sigint(void (*handler)(int), int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGINT, &sa, NULL);
}

/* native.interrupts(on): Ctrl-C raises "interrupted!" in Lua code (on) or
 * has its default effect (off).  Turning it off also drops a hook that a
 * late Ctrl-C may have left, so it cannot fire inside the REPL itself. */
static int n_interrupts(lua_State *L)
{
    if (lua_toboolean(L, 1)) {
        set_sigint(on_sigint_running, 1);
    } else {
        signal(SIGINT, SIG_DFL);
        lua_sethook(L, NULL, 0, 0);
    }
    return 0;
}

static void on_sigint_reading(int sig)
{
    (void)sig;
    got_sigint = 1;
}

/* ---------------------------------------------------------------------------
 * Line input */

#ifdef EMBER_READLINE
/* Ctrl-C at the prompt: drop the line being typed and show a fresh prompt
 * (the usual readline recipe; readline's own signal handling is off). */
static void on_sigint_readline(int sig)
{
    (void)sig;
    got_sigint = 1;
    if (write(STDOUT_FILENO, "\n", 1) < 0) { /* nothing to do */ }
    rl_on_new_line();
    rl_replace_line("", 0);
    rl_redisplay();
}

/* Tab completion: asks the Lua function stored by native.set_completer
 * (called with the word and the line up to the cursor, returns a list of
 * candidates, or nil to fall back to file names). */
static int completer_ref = LUA_NOREF;
static char **completions = NULL;

static char *next_completion(const char *text, int state)
{
    static int i;
    (void)text;
    if (state == 0) i = 0;
    if (!completions || !completions[i]) return NULL;
    return strdup(completions[i++]);
}

static void free_completions(void)
{
    if (!completions) return;
    for (int i = 0; completions[i]; i++) free(completions[i]);
    free(completions);
    completions = NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    lua_State *L = globalL;
    /* readline resets this before every attempt: no space after a name,
     * so `torch.Te<TAB>` can go on with `.` or `(` */
    rl_completion_append_character = '\0';
    free_completions();
    if (completer_ref == LUA_NOREF || !L) return NULL;
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, completer_ref);
    lua_pushstring(L, text);
    lua_pushlstring(L, rl_line_buffer, (size_t)start);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK || !lua_istable(L, -1)) {
        lua_settop(L, top);
        return NULL;  /* readline falls back to file names */
    }
    rl_attempted_completion_over = 1;
    size_t n = lua_rawlen(L, -1);
    completions = calloc(n + 1, sizeof *completions);
    if (!completions) { lua_settop(L, top); return NULL; }
    size_t k = 0;
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        const char *s = lua_tostring(L, -1);
        if (s) completions[k++] = strdup(s);
        lua_pop(L, 1);
    }
    lua_settop(L, top);
    if (k == 0) { free_completions(); return NULL; }
    return rl_completion_matches(text, next_completion);
}

static int n_set_completer(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    if (completer_ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, completer_ref);
    lua_pushvalue(L, 1);
    completer_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static int n_add_history(lua_State *L)
{
    add_history(luaL_checkstring(L, 1));
    return 0;
}

static int n_read_history(lua_State *L)
{
    read_history(luaL_checkstring(L, 1));
    return 0;
}

static int n_write_history(lua_State *L)
{
    lua_pushboolean(L, write_history(luaL_checkstring(L, 1)) == 0);
    return 1;
}
#endif

/* Reads one line from stdin with fgets (no readline); Ctrl-C makes it
 * return early with got_sigint set.  Pushes the line without its newline,
 * or nil at end of input. */
static void read_plain(lua_State *L)
{
    luaL_Buffer b;
    char chunk[1024];
    int any = 0;
    luaL_buffinit(L, &b);
    for (;;) {
        if (!fgets(chunk, sizeof chunk, stdin)) {
            if (ferror(stdin) && errno == EINTR) clearerr(stdin);
            break;
        }
        any = 1;
        size_t len = strlen(chunk);
        if (len > 0 && chunk[len - 1] == '\n') {
            luaL_addlstring(&b, chunk, len - 1);
            luaL_pushresult(&b);
            return;
        }
        luaL_addlstring(&b, chunk, len);
    }
    luaL_pushresult(&b);
    if (!any) { lua_pop(L, 1); lua_pushnil(L); }
}

/* Reads one line from file descriptor 0 a byte at a time, as readline
 * does, so no input beyond the line is taken out of the pipe (a buffered
 * read would swallow lines readline should see next).  Same results as
 * read_plain. */
static void read_raw(lua_State *L)
{
    luaL_Buffer b;
    char c;
    int any = 0;
    luaL_buffinit(L, &b);
    for (;;) {
        ssize_t n = read(STDIN_FILENO, &c, 1);
        if (n <= 0) break;  /* end of input, or EINTR from Ctrl-C */
        any = 1;
        if (c == '\n') break;
        luaL_addchar(&b, c);
    }
    luaL_pushresult(&b);
    if (!any) { lua_pop(L, 1); lua_pushnil(L); }
}

/* native.readline(prompt, [mode]): the next input line; nil at end of
 * input; false when Ctrl-C abandoned the line.  mode nil: readline when
 * built in (plain otherwise); 'plain': write the prompt, read stdin's
 * buffered FILE (like io.read); 'raw': write the prompt, read fd 0
 * unbuffered (for questions asked between readline calls). */
static int n_readline(lua_State *L)
{
    const char *prompt = luaL_optstring(L, 1, "");
    const char *mode = luaL_optstring(L, 2, "");
    int plain = strcmp(mode, "plain") == 0, raw = strcmp(mode, "raw") == 0;
    got_sigint = 0;
#ifdef EMBER_READLINE
    if (!plain && !raw) {
        set_sigint(on_sigint_readline, 1);
        char *line = readline(prompt);
        signal(SIGINT, SIG_DFL);
        if (line) {
            /* Ctrl-C then Enter: the line was cleared; report the interrupt */
            if (got_sigint && line[0] == '\0') lua_pushboolean(L, 0);
            else lua_pushstring(L, line);
            free(line);
        } else {
            lua_pushnil(L);
        }
        return 1;
    }
#endif
    (void)plain;  /* without readline every mode reads stdin itself */
    fputs(prompt, stdout);
    fflush(stdout);
    set_sigint(on_sigint_reading, 0);
    if (raw) read_raw(L);
    else read_plain(L);
    signal(SIGINT, SIG_DFL);
    if (got_sigint) {
        lua_pop(L, 1);
        fputs("\n", stdout);
        fflush(stdout);
        lua_pushboolean(L, 0);
    }
    return 1;
}

static int n_isatty(lua_State *L)
{
    lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
    return 1;
}

/* Monotonic wall-clock seconds (REPL timing line). */
static int n_clock(lua_State *L)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec * 1e-9);
    return 1;
}

static int luaopen_trepl_native(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"readline", n_readline},
        {"interrupts", n_interrupts},
        {"isatty", n_isatty},
        {"clock", n_clock},
#ifdef EMBER_READLINE
        {"add_history", n_add_history},
        {"read_history", n_read_history},
        {"write_history", n_write_history},
        {"set_completer", n_set_completer},
#endif
        {NULL, NULL},
    };
    luaL_newlib(L, fns);
#ifdef EMBER_READLINE
    lua_pushboolean(L, 1);
    /* our SIGINT handler does the cleanup; '.' and ':' stay inside words so
     * `torch.Te<TAB>` completes the whole path */
    rl_catch_signals = 0;
    rl_readline_name = "th";
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t\n\"\\'`@$><=;|&{(,+-*/%^~#[]})";
#else
    lua_pushboolean(L, 0);
#endif
    lua_setfield(L, -2, "has_readline");
    return 1;
}

/* ---------------------------------------------------------------------------
 * main */

static int traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg) msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int main(int argc, char **argv)
{
    lua_State *L = luaL_newstate();
    if (!L) { fprintf(stderr, "th: cannot create Lua state\n"); return 1; }
    globalL = L;
    luaL_openlibs(L);
    set_paths(L);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, luaopen_trepl_native);
    lua_setfield(L, -2, "trepl.native");
    lua_pop(L, 1);

    /* arg[0] = th itself, arg[1..] = every word after it; th.lua turns it
     * into the script's arg once it knows where the script name is */
    lua_createtable(L, argc, 1);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i);
    }
    lua_setglobal(L, "arg");

    /* require('trepl.th') returns th's main function */
    lua_pushcfunction(L, traceback);
    lua_getglobal(L, "require");
    lua_pushstring(L, "trepl.th");
    int status = lua_pcall(L, 1, 1, 1);
    if (status == LUA_OK) status = lua_pcall(L, 0, 1, 1);
    if (status == LUA_OK) {
        int rc = (int)lua_tointeger(L, -1);
        lua_close(L);
        return rc;
    }
    fprintf(stderr, "th: %s\n", lua_tostring(L, -1));
    lua_close(L);
    return 1;
}
