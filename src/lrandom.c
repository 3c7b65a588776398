/* lrandom.c: torch.manualSeed & co., torch.Generator and the random tensor
 * methods (see ltensor.h for the binding conventions, random.h for the
 * algorithms).
 *
 * As in Torch7, the distribution functions have two forms sharing one name:
 *   torch.uniform(a, b)          -> a number
 *   torch.uniform(t, a, b)       -> fills t and returns it, same as t:uniform(a, b)
 * so each C function below first looks for a tensor in argument 1.  Every
 * function draws from the process-wide generator rng_default() unless a
 * torch.Generator comes first (after the tensor, if any), as Torch7's
 * optional `Generator` argument: torch.random(gen, 10), t:normal(gen, 0, 1). */
#include <string.h>

#include "ltensor.h"
#include "random.h"

#include "error.h"

/* Raises the core's last error against argument `arg` when rc failed, so
 * the message reads `bad argument #2 to 'normal' (standard deviation ...)`. */
static void arg_ok(lua_State *L, int rc, int arg)
{
    if (rc) luaL_argerror(L, arg, th_lasterror());
}

static void core_ok(lua_State *L, int rc)
{
    if (rc) lt_error(L);
}

/* ======================================================================
 * torch.Generator: a full userdata holding a Generator struct by value
 * ====================================================================== */

#define GEN_TNAME "torch.Generator"

/* The generator at *idx if there is one (then *idx moves past it), else
 * the global one. */
static Generator *opt_gen(lua_State *L, int *idx)
{
    Generator *g = luaL_testudata(L, *idx, GEN_TNAME);
    if (!g) return rng_default();
    (*idx)++;
    return g;
}

/* torch.Generator(): a new generator seeded from /dev/urandom, like
 * Torch7's THGenerator_new. */
static int r_generator(lua_State *L)
{
    Generator *g = lua_newuserdatauv(L, sizeof *g, 0);
    luaL_setmetatable(L, GEN_TNAME);
    uint64_t s;
    if (rng_seed(g, &s)) {
        /* Keep the new object usable: seed it from the global stream. */
        rng_manual_seed(g, rng_random(rng_default()));
    }
    return 1;
}

static int gen_tostring(lua_State *L)
{
    lua_pushfstring(L, GEN_TNAME ": %p", lua_touserdata(L, 1));
    return 1;
}

/* ======================================================================
 * Seeding and state
 * ====================================================================== */

/* torch.manualSeed(s): Torch7 read the seed as a C long from a double, so a
 * fractional seed is truncated rather than refused (os.clock()*1000 works). */
static int r_manualseed(lua_State *L)
{
    int at = 1;
    Generator *g = opt_gen(L, &at);
    int64_t s;
    if (lua_isinteger(L, at)) {
        s = lua_tointeger(L, at);
    } else {
        double d = luaL_checknumber(L, at);
        luaL_argcheck(L, d >= -9223372036854775808.0 && d < 9223372036854775808.0, at,
                      "seed out of range of a 64-bit integer");
        s = (int64_t)d;
    }
    rng_manual_seed(g, (uint64_t)s);
    return 0;
}

static int r_seed(lua_State *L)
{
    int at = 1;
    Generator *g = opt_gen(L, &at);
    uint64_t s;
    core_ok(L, rng_seed(g, &s));
    lua_pushinteger(L, (lua_Integer)s);
    return 1;
}

static int r_initialseed(lua_State *L)
{
    int at = 1;
    Generator *g = opt_gen(L, &at);
    lua_pushinteger(L, (lua_Integer)rng_initial_seed(g));
    return 1;
}

/* torch.getRNGState([gen], [res]) -> ByteTensor of the generator's bytes. */
static int r_getrngstate(lua_State *L)
{
    int at = 1;
    Generator *g = opt_gen(L, &at);
    int64_t n = (int64_t)RNG_STATE_BYTES;
    Tensor *t;
    if (lua_isnoneornil(L, at)) {
        t = tensor_new_sized(DT_BYTE, 1, &n);
        lt_pushtensor(L, t);   /* the box owns t (raises if it is NULL) */
    } else {
        t = lt_checktensortype(L, at, DT_BYTE);
        core_ok(L, tensor_resize(t, 1, &n));
        /* A strided view of the right size stays strided through resize. */
        luaL_argcheck(L, tensor_is_contiguous(t), at, "RNG state needs to be contiguous");
        lua_pushvalue(L, at);
    }
    rng_get_state(g, tensor_data(t));
    return 1;
}

/* torch.setRNGState([gen], state) restores and returns state. */
static int r_setrngstate(lua_State *L)
{
    int at = 1;
    Generator *g = opt_gen(L, &at);
    Tensor *t = lt_checktensortype(L, at, DT_BYTE);
    luaL_argcheck(L, tensor_is_contiguous(t), at, "RNG state needs to be contiguous");
    int64_t n = tensor_nelement(t);
    if (n != (int64_t)RNG_STATE_BYTES)
        luaL_argerror(L, at, lua_pushfstring(L, "RNG state is wrong size: expected %d bytes, got %I",
                                             (int)RNG_STATE_BYTES, (lua_Integer)n));
    arg_ok(L, rng_set_state(g, tensor_data(t), (size_t)n), at);
    lua_pushvalue(L, at);
    return 1;
}

/* ======================================================================
 * Draws: number forms and tensor fills
 * ====================================================================== */

/* torch.random([t], [a], [b]) */
static int r_random(lua_State *L)
{
    Tensor *t = lt_totensor(L, 1);
    int base = t ? 2 : 1;
    Generator *g = opt_gen(L, &base);
    int nargs = lua_gettop(L) - base + 1;
    int64_t a, b;
    if (nargs >= 2) {
        a = lt_checkint(L, base);
        b = lt_checkint(L, base + 1);
        arg_ok(L, rng_check_range(a, b), base + 1);
        if (t) core_ok(L, rng_fill_random2(g, t, a, b));
        else lua_pushinteger(L, rng_random2(g, a, b));
    } else if (nargs == 1) {
        b = lt_checkint(L, base);
        arg_ok(L, rng_check_bound(b), base);
        if (t) core_ok(L, rng_fill_random1(g, t, b));
        else lua_pushinteger(L, rng_random1(g, b));
    } else {
        if (t) core_ok(L, rng_fill_random(g, t));
        else lua_pushinteger(L, rng_random(g));
    }
    if (t) lua_pushvalue(L, 1);
    return 1;
}

/* The two-parameter real distributions, with Torch7's defaults. */
typedef enum { D_UNIFORM, D_NORMAL, D_CAUCHY, D_LOGNORMAL } Dist2;

static int draw2(lua_State *L, Dist2 kind, double da, double db)
{
    Tensor *t = lt_totensor(L, 1);
    int base = t ? 2 : 1;
    Generator *g = opt_gen(L, &base);
    double a = luaL_optnumber(L, base, da);
    double b = luaL_optnumber(L, base + 1, db);
    if (kind == D_NORMAL || kind == D_LOGNORMAL) arg_ok(L, rng_check_std(b), base + 1);
    if (t) {
        switch (kind) {
        case D_UNIFORM: core_ok(L, rng_fill_uniform(g, t, a, b)); break;
        case D_NORMAL: core_ok(L, rng_fill_normal(g, t, a, b)); break;
        case D_CAUCHY: core_ok(L, rng_fill_cauchy(g, t, a, b)); break;
        case D_LOGNORMAL: core_ok(L, rng_fill_lognormal(g, t, a, b)); break;
        }
        lua_pushvalue(L, 1);
        return 1;
    }
    double v = 0;
    switch (kind) {
    case D_UNIFORM: v = rng_uniform(g, a, b); break;
    case D_NORMAL: v = rng_normal(g, a, b); break;
    case D_CAUCHY: v = rng_cauchy(g, a, b); break;
    case D_LOGNORMAL: v = rng_lognormal(g, a, b); break;
    }
    lua_pushnumber(L, v);
    return 1;
}

static int r_uniform(lua_State *L) { return draw2(L, D_UNIFORM, 0, 1); }
static int r_normal(lua_State *L) { return draw2(L, D_NORMAL, 0, 1); }
static int r_cauchy(lua_State *L) { return draw2(L, D_CAUCHY, 0, 1); }
static int r_lognormal(lua_State *L) { return draw2(L, D_LOGNORMAL, 1, 2); }

/* torch.exponential([t], lambda): Torch7 gives lambda no default. */
static int r_exponential(lua_State *L)
{
    Tensor *t = lt_totensor(L, 1);
    int at = t ? 2 : 1;
    Generator *g = opt_gen(L, &at);
    double lambda = luaL_checknumber(L, at);
    if (t) {
        core_ok(L, rng_fill_exponential(g, t, lambda));
        lua_pushvalue(L, 1);
    } else {
        lua_pushnumber(L, rng_exponential(g, lambda));
    }
    return 1;
}

/* torch.geometric([t], p), 0 < p < 1 */
static int r_geometric(lua_State *L)
{
    Tensor *t = lt_totensor(L, 1);
    int at = t ? 2 : 1;
    Generator *g = opt_gen(L, &at);
    double p = luaL_checknumber(L, at);
    arg_ok(L, rng_check_geometric(p), at);
    if (t) {
        core_ok(L, rng_fill_geometric(g, t, p));
        lua_pushvalue(L, 1);
    } else {
        lua_pushinteger(L, rng_geometric(g, p));
    }
    return 1;
}

/* torch.bernoulli([t], [p = 0.5 | Float/Double tensor of probabilities]) */
static int r_bernoulli(lua_State *L)
{
    Tensor *t = lt_totensor(L, 1);
    int at = t ? 2 : 1;
    Generator *g = opt_gen(L, &at);
    Tensor *pt = t ? lt_totensor(L, at) : NULL;
    if (pt) {
        core_ok(L, rng_fill_bernoulli_tensor(g, t, pt));
        lua_pushvalue(L, 1);
        return 1;
    }
    double p = luaL_optnumber(L, at, 0.5);
    arg_ok(L, rng_check_bernoulli(p), at);
    if (t) {
        core_ok(L, rng_fill_bernoulli(g, t, p));
        lua_pushvalue(L, 1);
    } else {
        lua_pushinteger(L, rng_bernoulli(g, p));
    }
    return 1;
}

/* ======================================================================
 * Constructors: rand, randn, randperm, multinomial
 * ====================================================================== */

/* A trailing "torch.FloatTensor"-style type name (Torch7's dispatch accepts
 * one as the last argument); returns DT_COUNT when absent. */
static DType trailing_type(lua_State *L, int *last)
{
    if (*last >= 1 && lua_type(L, *last) == LUA_TSTRING) {
        const char *s = lua_tostring(L, *last);
        size_t n = strlen(s);
        if (n > 12 && strncmp(s, "torch.", 6) == 0 && strcmp(s + n - 6, "Tensor") == 0) {
            char name[16];
            size_t k = n - 12;
            if (k < sizeof name) {
                memcpy(name, s + 6, k);
                name[k] = '\0';
                DType dt = dtype_from_name(name);
                if (dt != DT_COUNT) {
                    (*last)--;
                    return dt;
                }
            }
        }
        luaL_argerror(L, *last, lua_pushfstring(L, "unknown tensor type '%s'", s));
    }
    return DT_COUNT;
}

/* The result tensor of a constructor: argument 1 when it is a tensor (the
 * result-first form, also the method form), else a new one of the trailing
 * type name or the default type, pushed at the top.  *first is the first
 * argument after it.  Returns the index of the result on the stack. */
static int result_tensor(lua_State *L, const char *fname, unsigned allowed, int *first, int *last)
{
    Tensor *res = lt_totensor(L, 1);
    DType named = trailing_type(L, last);
    DType dt = res ? res->dtype : named != DT_COUNT ? named : lt_default_dtype(L);
    if (!(allowed & (1u << dt)))
        return luaL_error(L, "%s does not implement the torch.%s() function", lt_tensor_tname[dt], fname);
    *first = res ? 2 : 1;
    if (res) return 1;
    lt_pushtensor(L, tensor_new(dt));
    return lua_gettop(L);
}

/* Sizes as numbers (first..last) or one LongStorage. */
static int read_sizes(lua_State *L, int first, int last, int64_t *size)
{
    Storage *s = first <= last ? lt_tostorage(L, first) : NULL;
    if (s) {
        luaL_argcheck(L, s->dtype == DT_LONG && first == last, first, "a LongStorage or numbers expected");
        luaL_argcheck(L, s->size <= TENSOR_MAXDIM, first, "too many dimensions");
        for (int64_t i = 0; i < s->size; i++) {
            size[i] = ((const int64_t *)s->data)[i];
            luaL_argcheck(L, size[i] >= 0, first, "sizes must be non-negative");
        }
        return (int)s->size;
    }
    int n = last - first + 1;
    if (n < 0) n = 0;
    luaL_argcheck(L, n <= TENSOR_MAXDIM, first, "too many dimensions");
    for (int i = 0; i < n; i++) {
        size[i] = lt_checkint(L, first + i);
        luaL_argcheck(L, size[i] >= 0, first + i, "sizes must be non-negative");
    }
    return n;
}

static int rand_common(lua_State *L, const char *fname, int normal)
{
    int first, last = lua_gettop(L);
    int at = result_tensor(L, fname, LT_FLOATING, &first, &last);
    Tensor *res = lt_checktensor(L, at);
    Generator *g = opt_gen(L, &first);
    int64_t size[TENSOR_MAXDIM];
    int nd = read_sizes(L, first, last, size);
    core_ok(L, tensor_resize(res, nd, size));
    if (normal) core_ok(L, rng_fill_normal(g, res, 0, 1));
    else core_ok(L, rng_fill_uniform(g, res, 0, 1));
    lua_pushvalue(L, at);
    return 1;
}

/* torch.rand([res,] sizes...) / torch.randn([res,] sizes...) */
static int r_rand(lua_State *L) { return rand_common(L, "rand", 0); }
static int r_randn(lua_State *L) { return rand_common(L, "randn", 1); }

/* torch.randperm([res,] n): a random permutation of 1..n. */
static int r_randperm(lua_State *L)
{
    int first, last = lua_gettop(L);
    int at = result_tensor(L, "randperm", LT_ALL, &first, &last);
    Tensor *res = lt_checktensor(L, at);
    Generator *g = opt_gen(L, &first);
    int64_t n = lt_checkint(L, first);
    if (n <= 0) luaL_argerror(L, first, lua_pushfstring(L, "must be strictly positive, got %I", (lua_Integer)n));
    core_ok(L, rng_randperm(g, res, n));
    lua_pushvalue(L, at);
    return 1;
}

/* torch.multinomial([res,] probs, n, [replacement = false]) -> LongTensor
 * of 1-based category indices. */
static int r_multinomial(lua_State *L)
{
    int at = 0, first = 1;
    if (lt_totensor(L, 1) && (lt_totensor(L, 2) || luaL_testudata(L, 2, GEN_TNAME))) {
        lt_checktensortype(L, 1, DT_LONG);
        at = 1;
        first = 2;
    }
    Generator *g = opt_gen(L, &first);
    Tensor *probs = lt_checktensor(L, first);
    int64_t n = lt_checkint(L, first + 1);
    int replacement = lua_toboolean(L, first + 2);
    if (!at) {
        /* Pushed only now: it must not be mistaken for an argument. */
        lt_pushtensor(L, tensor_new(DT_LONG));
        at = lua_gettop(L);
    }
    Tensor *res = lt_checktensor(L, at);
    core_ok(L, rng_multinomial(g, res, probs, n, replacement));
    lua_pushvalue(L, at);
    return 1;
}

/* ======================================================================
 * Registration
 * ====================================================================== */

static const luaL_Reg functions[] = {
    {"Generator", r_generator},
    {"manualSeed", r_manualseed},
    {"seed", r_seed},
    {"initialSeed", r_initialseed},
    {"getRNGState", r_getrngstate},
    {"setRNGState", r_setrngstate},
    {"random", r_random},
    {"uniform", r_uniform},
    {"normal", r_normal},
    {"cauchy", r_cauchy},
    {"logNormal", r_lognormal},
    {"exponential", r_exponential},
    {"geometric", r_geometric},
    {"bernoulli", r_bernoulli},
    {"rand", r_rand},
    {"randn", r_randn},
    {"randperm", r_randperm},
    {"multinomial", r_multinomial},
    {NULL, NULL},
};

/* Methods every tensor type has (Torch7 declares these for all types). */
static const luaL_Reg all_methods[] = {
    {"random", r_random},
    {"geometric", r_geometric},
    {"bernoulli", r_bernoulli},
    {"randperm", r_randperm},
    {NULL, NULL},
};

/* Methods Torch7 only declares for FloatTensor and DoubleTensor. */
static const luaL_Reg floating_methods[] = {
    {"uniform", r_uniform},
    {"normal", r_normal},
    {"cauchy", r_cauchy},
    {"logNormal", r_lognormal},
    {"exponential", r_exponential},
    {"rand", r_rand},
    {"randn", r_randn},
    {NULL, NULL},
};

static const luaL_Reg gen_meta[] = {
    {"__tostring", gen_tostring},
    {NULL, NULL},
};

void lt_open_random(lua_State *L)
{
    /* Torch7 seeds its generator from /dev/urandom at startup. */
    rng_default();
    luaL_newmetatable(L, GEN_TNAME);
    luaL_setfuncs(L, gen_meta, 0);
    lua_pushstring(L, GEN_TNAME);
    lua_setfield(L, -2, "__typename");   /* for torch.typename */
    lua_pop(L, 1);
    luaL_setfuncs(L, functions, 0);
    lt_add_methods(L, all_methods, LT_ALL);
    lt_add_methods(L, floating_methods, LT_FLOATING);
}
