/* lmath.c: Lua bindings of tensor math (tensor_math.h), the torch.* function
 * forms, the arithmetic metamethods and the BLAS thread count.
 *
 * Torch7's cwrap gave every math method several argument forms; here each
 * family of operations is one C function that reads the "signature" of its
 * arguments (a string with one letter per argument: t = tensor, n = number,
 * b = boolean, x = anything else) and picks the form.  Each function is
 * registered as a closure with three upvalues: the operation code, whether
 * this is the torch.f function form (1) or the x:f method form (0), and the
 * Lua-visible name used in error messages.  The difference between the two
 * forms is only the default result: `x:f(...)` writes into x (or returns a
 * new tensor for reductions), `torch.f(...)` allocates a new result. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "blas.h"
#include "error.h"
#include "ltensor.h"
#include "parallel.h"
#include "tensor_math.h"

/* ==== helpers ============================================================ */

#define MAXSIG 12

static int op_of(lua_State *L) { return (int)lua_tointeger(L, lua_upvalueindex(1)); }
static int is_func(lua_State *L) { return lua_toboolean(L, lua_upvalueindex(2)); }
static const char *name_of(lua_State *L) { return lua_tostring(L, lua_upvalueindex(3)); }

/* One letter per argument (see the file comment). */
static const char *sig(lua_State *L, char *buf)
{
    int n = lua_gettop(L);
    if (n > MAXSIG) n = MAXSIG;
    for (int i = 1; i <= n; i++) {
        int ty = lua_type(L, i);
        buf[i - 1] = ty == LUA_TNUMBER ? 'n' : ty == LUA_TBOOLEAN ? 'b' : lt_totensor(L, i) ? 't' : 'x';
    }
    buf[n] = 0;
    return buf;
}

static int is(const char *s, const char *form) { return strcmp(s, form) == 0; }

static Tensor *T(lua_State *L, int i) { return lt_totensor(L, i); }
static double N(lua_State *L, int i) { return lua_tonumber(L, i); }

/* "DoubleTensor" for a tensor, else the Lua type name. */
static const char *arg_label(lua_State *L, int i)
{
    Tensor *t = lt_totensor(L, i);
    if (t) return lt_tensor_tname[t->dtype] + strlen("torch.");
    return luaL_typename(L, i);
}

/* cwrap's message: `invalid arguments: <given types> \nexpected arguments: ...`
 * (Torch7 prints a space after the given types, kept). */
static int invalid(lua_State *L, const char *expected)
{
    int n = lua_gettop(L);   /* before luaL_buffinit, which may push a box */
    if (n > MAXSIG) n = MAXSIG;
    /* "Tensor" in `expected` (not already "ByteTensor"...) names the type of
     * the first tensor argument, as cwrap's lists did */
    const char *ty = "";
    for (int i = 1; i <= n && !*ty; i++)
        if (T(L, i)) ty = dtype_name(T(L, i)->dtype);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, name_of(L));
    luaL_addstring(&b, ": invalid arguments: ");
    for (int i = 1; i <= n; i++) {
        luaL_addstring(&b, arg_label(L, i));
        luaL_addchar(&b, ' ');
    }
    luaL_addstring(&b, "\nexpected arguments: ");
    for (const char *p = expected; *p; p++) {
        if (strncmp(p, "Tensor", 6) == 0 && (p == expected || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z'))))
            luaL_addstring(&b, ty);
        luaL_addchar(&b, *p);
    }
    luaL_pushresult(&b);
    return lua_error(L);
}

/* Raises the core's last error, prefixed by the function name. */
static int raise(lua_State *L)
{
    const char *fn = name_of(L), *m = th_lasterror();
    size_t n = strlen(fn);
    if (strncmp(m, fn, n) == 0 && m[n] == ':') return luaL_error(L, "%s", m);
    return luaL_error(L, "%s: %s", fn, m);
}

#define CK(call) do { if ((call) != 0) return raise(L); } while (0)


/* Pushes a new empty tensor of type dt and returns it. */
static Tensor *push_new(lua_State *L, DType dt)
{
    lt_pushtensor(L, tensor_new(dt));
    return lt_totensor(L, -1);
}

/* 1-based dim at idx -> 0-based (integral floats accepted). */
static int dim_arg(lua_State *L, int i)
{
    int64_t d = lt_checkint(L, i);
    /* beyond int: truncating would wrap (2^32 + 1 -> 1) into a valid dim */
    if (d <= INT_MIN + 1 || d > INT_MAX)
        luaL_error(L, "%s: dimension %I out of range", name_of(L), (lua_Integer)d);
    return (int)d - 1;
}

/* An explicit dim where the core reads a negative one as "the default". */
static int given_dim(lua_State *L, int i)
{
    int64_t d = lt_checkint(L, i);
    if (d < 1 || d > TENSOR_MAXDIM)
        luaL_error(L, "bad argument #%d to '%s' (invalid dimension %I)", i, name_of(L), (lua_Integer)d);   /* (int) would show 2^31 wrapped */
    return (int)d - 1;
}

/* Pushes a reduction result: integers for the integer types. */
static void push_acc(lua_State *L, DType dt, double v)
{
    if (dtype_is_floating(dt)) lua_pushnumber(L, v);
    else lua_pushinteger(L, (lua_Integer)v);
}

/* The type's mask for the dtype availability rules. */
static int allowed(DType dt, unsigned mask) { return (mask >> dt) & 1u; }

static const char *tname(lua_State *L, int i)
{
    return lt_tensor_tname[T(L, i)->dtype] + strlen("torch.");
}

/* Availability check for function forms (methods are simply not registered
 * on the types that lack them, as in Torch7). */
static void need_type(lua_State *L, int i, unsigned mask)
{
    if (!allowed(T(L, i)->dtype, mask))
        luaL_error(L, "%s: not available for torch.%s (%s)", name_of(L), tname(L, i),
                   mask == LT_FLOATING ? "only Float and Double tensors" : "unsupported type");
}

/* ==== element-wise ======================================================= */

static const unsigned unary_mask[TM_UNARY_COUNT] = {
    [TM_ABS] = LT_FLOATING | (1u << DT_INT) | (1u << DT_LONG),
    [TM_SIGN] = LT_ALL,
    [TM_NEG] = LT_FLOATING,
    [TM_EXP] = LT_FLOATING, [TM_LOG] = LT_FLOATING, [TM_LOG1P] = LT_FLOATING,
    [TM_SQRT] = LT_FLOATING, [TM_RSQRT] = LT_FLOATING, [TM_TANH] = LT_FLOATING,
    [TM_SIGMOID] = LT_FLOATING, [TM_SIN] = LT_FLOATING, [TM_COS] = LT_FLOATING,
    [TM_TAN] = LT_FLOATING, [TM_ASIN] = LT_FLOATING, [TM_ACOS] = LT_FLOATING,
    [TM_ATAN] = LT_FLOATING, [TM_SINH] = LT_FLOATING, [TM_COSH] = LT_FLOATING,
    [TM_CEIL] = LT_FLOATING, [TM_FLOOR] = LT_FLOATING, [TM_ROUND] = LT_FLOATING,
    [TM_TRUNC] = LT_FLOATING, [TM_FRAC] = LT_FLOATING, [TM_CINV] = LT_FLOATING,
};

/* x:f() in place; res:f(src); torch.f(src) new; torch.f(res, src);
 * torch.f(number) -> number. */
static int m_unary(lua_State *L)
{
    char s[MAXSIG + 1];
    TMUnary op = (TMUnary)op_of(L);
    sig(L, s);
    if (is_func(L) && is(s, "n")) {
        lua_pushnumber(L, tensor_unary_number(N(L, 1), op));
        return 1;
    }
    int res, src;
    if (is(s, "t")) {
        src = 1;
        if (is_func(L)) { need_type(L, 1, unary_mask[op]); push_new(L, T(L, 1)->dtype); res = lua_gettop(L); }
        else res = 1;
    } else if (is(s, "tt")) {
        res = 1;
        src = 2;
        need_type(L, 2, unary_mask[op]);
    } else {
        return invalid(L, "[*Tensor*] Tensor | number");
    }
    CK(tensor_unary(T(L, res), T(L, src), op));
    lua_pushvalue(L, res);
    return 1;
}

/* Operation codes of the scalar family beyond TMScalarOp. */
enum { OP_CLAMP = 100 };

/* mul/div/fmod/remainder: x:f(v), res:f(src, v), torch.f(src, v),
 * torch.f(res, src, v).  pow also takes (v, src) for v^src.  clamp takes two
 * numbers. */
static int m_scalar(lua_State *L)
{
    char s[MAXSIG + 1];
    int op = op_of(L), fn = is_func(L);
    sig(L, s);
    if (op == OP_CLAMP) {
        int res, src;
        if (is(s, "tnn")) {
            src = 1;
            if (fn) { push_new(L, T(L, 1)->dtype); res = lua_gettop(L); } else res = 1;
        } else if (is(s, "ttnn")) {
            res = 1;
            src = 2;
        } else {
            return invalid(L, "[*Tensor*] Tensor number number");
        }
        CK(tensor_clamp(T(L, res), T(L, src), N(L, src + 1), N(L, src + 2)));
        lua_pushvalue(L, res);
        return 1;
    }
    int res, src, v;
    TMScalarOp sop = (TMScalarOp)op;
    if (is(s, "tn")) {
        src = 1;
        v = 2;
        if (fn) { push_new(L, T(L, 1)->dtype); res = lua_gettop(L); } else res = 1;
    } else if (is(s, "ttn")) {
        res = 1; src = 2; v = 3;
    } else if (sop == TM_POWV && is(s, "nt") && fn) {
        sop = TM_TPOWV; src = 2; v = 1;
        push_new(L, T(L, 2)->dtype);
        res = lua_gettop(L);
    } else if (sop == TM_POWV && is(s, "tnt")) {
        sop = TM_TPOWV; res = 1; src = 3; v = 2;
    } else if (sop == TM_POWV && fn && is(s, "nn")) {
        lua_pushnumber(L, pow(N(L, 1), N(L, 2)));
        return 1;
    } else {
        return invalid(L, sop == TM_POWV ? "[*Tensor*] Tensor number | [*Tensor*] number Tensor"
                                          : "[*Tensor*] Tensor number");
    }
    if (sop == TM_POWV || sop == TM_TPOWV) need_type(L, src, LT_FLOATING);
    CK(tensor_scalar(T(L, res), T(L, src), sop, N(L, v)));
    lua_pushvalue(L, res);
    return 1;
}

/* add / csub (op = +1 / -1):
 *   x:add(v)  x:add(y)  x:add(a, y)  x:add(y, v)  x:add(y, z)  x:add(y, a, z)
 *   torch.add([res,] y, v)  torch.add([res,] y, [a,] z) */
static int m_add(lua_State *L)
{
    char s[MAXSIG + 1];
    double sign = op_of(L);
    int fn = is_func(L);
    sig(L, s);
    int res = 1;
    const char *rest = s + 1;  /* the arguments after the result */
    if (fn) {
        /* the first tensor is the result only when enough tensors follow */
        if (is(s, "tn") || is(s, "tt") || is(s, "tnt")) {
            push_new(L, T(L, 1)->dtype);
            res = lua_gettop(L);
            rest = s;
            /* shift: operands start at 1 */
            if (is(s, "tn")) {
                CK(tensor_scalar(T(L, res), T(L, 1), TM_ADDV, sign * N(L, 2)));
            } else if (is(s, "tt")) {
                CK(tensor_binary(T(L, res), T(L, 1), T(L, 2), TM_CADD, sign));
            } else {
                CK(tensor_binary(T(L, res), T(L, 1), T(L, 3), TM_CADD, sign * N(L, 2)));
            }
            lua_pushvalue(L, res);
            return 1;
        }
        if (!(is(s, "ttn") || is(s, "ttt") || is(s, "ttnt")))
            return invalid(L, "[*Tensor*] Tensor number | [*Tensor*] Tensor [number] Tensor");
    }
    Tensor *r = T(L, 1);
    if (!r) return invalid(L, "[*Tensor*] Tensor number | [*Tensor*] Tensor [number] Tensor");
    if (is(rest, "n")) {
        CK(tensor_scalar(r, r, TM_ADDV, sign * N(L, 2)));
    } else if (is(rest, "t")) {
        CK(tensor_binary(r, r, T(L, 2), TM_CADD, sign));
    } else if (is(rest, "nt")) {
        CK(tensor_binary(r, r, T(L, 3), TM_CADD, sign * N(L, 2)));
    } else if (is(rest, "tn")) {
        CK(tensor_scalar(r, T(L, 2), TM_ADDV, sign * N(L, 3)));
    } else if (is(rest, "tt")) {
        CK(tensor_binary(r, T(L, 2), T(L, 3), TM_CADD, sign));
    } else if (is(rest, "tnt")) {
        CK(tensor_binary(r, T(L, 2), T(L, 4), TM_CADD, sign * N(L, 3)));
    } else {
        return invalid(L, "*Tensor* [Tensor] number | *Tensor* [Tensor] [number] Tensor");
    }
    lua_pushvalue(L, 1);
    return 1;
}

/* Operation codes of the tensor-tensor family beyond TMBinary. */
static const unsigned binary_mask[] = {
    [TM_CADD] = LT_ALL, [TM_CMUL] = LT_ALL, [TM_CDIV] = LT_ALL, [TM_CPOW] = LT_ALL,
    [TM_CMAX] = LT_ALL, [TM_CMIN] = LT_ALL, [TM_CFMOD] = LT_ALL, [TM_CREM] = LT_ALL,
    [TM_ATAN2] = LT_FLOATING};

/* cmul/cdiv/cpow/cfmod/cremainder/atan2/cmax/cmin:
 *   x:f(y)  res:f(a, b)  torch.f(a, b)  torch.f(res, a, b)
 * cmax/cmin also take a number in place of the second tensor. */
static int m_binary(lua_State *L)
{
    char s[MAXSIG + 1];
    TMBinary op = (TMBinary)op_of(L);
    int fn = is_func(L);
    int scal = op == TM_CMAX || op == TM_CMIN;
    sig(L, s);
    int res, a, b;
    if (is(s, "tt") || (scal && is(s, "tn"))) {
        a = 1; b = 2;
        if (fn) { need_type(L, 1, binary_mask[op]); push_new(L, T(L, 1)->dtype); res = lua_gettop(L); }
        else res = 1;
    } else if (is(s, "ttt") || (scal && is(s, "ttn"))) {
        res = 1; a = 2; b = 3;
        need_type(L, 2, binary_mask[op]);
    } else {
        return invalid(L, scal ? "[*Tensor*] Tensor (Tensor | number)" : "[*Tensor*] Tensor Tensor");
    }
    if (lua_type(L, b) == LUA_TNUMBER)
        CK(tensor_scalar(T(L, res), T(L, a), op == TM_CMAX ? TM_CMAXV : TM_CMINV, N(L, b)));
    else
        CK(tensor_binary(T(L, res), T(L, a), T(L, b), op, 1));
    lua_pushvalue(L, res);
    return 1;
}

/* addcmul / addcdiv (op 1 / 0):
 *   x:f([v,] a, b)  x:f(t, [v,] a, b)  torch.f([res,] t, [v,] a, b) */
static int m_addc(lua_State *L)
{
    char s[MAXSIG + 1];
    int mul = op_of(L), fn = is_func(L);
    sig(L, s);
    int res, t, a, vi = 0;
    if (fn && (is(s, "ttt") || is(s, "tntt"))) {
        t = 1;
        if (s[1] == 'n') vi = 2;
        a = vi ? 3 : 2;
        push_new(L, T(L, 1)->dtype);
        res = lua_gettop(L);
    } else if (!fn && (is(s, "ttt") || is(s, "tntt"))) {
        res = t = 1;
        if (s[1] == 'n') vi = 2;
        a = vi ? 3 : 2;
    } else if (is(s, "tttt") || is(s, "ttntt")) {
        res = 1; t = 2;
        if (s[2] == 'n') vi = 3;
        a = vi ? 4 : 3;
    } else {
        return invalid(L, "[*Tensor*] Tensor [number] Tensor Tensor");
    }
    double v = vi ? N(L, vi) : 1;
    if (mul) CK(tensor_addcmul(T(L, res), T(L, t), v, T(L, a), T(L, a + 1)));
    else CK(tensor_addcdiv(T(L, res), T(L, t), v, T(L, a), T(L, a + 1)));
    lua_pushvalue(L, res);
    return 1;
}

/* x:lerp(y, w)  res:lerp(a, b, w)  torch.lerp([res,] a, b, w) */
static int m_lerp(lua_State *L)
{
    char s[MAXSIG + 1];
    sig(L, s);
    int res, a;
    if (is(s, "ttn")) {
        a = 1;
        if (is_func(L)) { need_type(L, 1, LT_FLOATING); push_new(L, T(L, 1)->dtype); res = lua_gettop(L); }
        else res = 1;
    } else if (is(s, "tttn")) {
        res = 1; a = 2;
        need_type(L, 2, LT_FLOATING);
    } else {
        return invalid(L, "[*Tensor*] Tensor Tensor number");
    }
    CK(tensor_lerp(T(L, res), T(L, a), T(L, a + 1), N(L, a + 2)));
    lua_pushvalue(L, res);
    return 1;
}

/* ==== BLAS-shaped ops ======================================================== */

enum { OP_ADDMV, OP_ADDMM, OP_ADDR, OP_ADDBMM, OP_BADDBMM };

static const char *const addx_expected[] = {
    "[*Tensor*] [number] Tensor~1D [number] Tensor~2D Tensor~1D",
    "[*Tensor*] [number] Tensor~2D [number] Tensor~2D Tensor~2D",
    "[*Tensor*] [number] Tensor~2D [number] Tensor~1D Tensor~1D",
    "[*Tensor*] [number] Tensor~2D [number] Tensor~3D Tensor~3D",
    "[*Tensor*] [number] Tensor~3D [number] Tensor~3D Tensor~3D"};

static int run_addx(lua_State *L, int op, Tensor *res, double beta, Tensor *t, double alpha,
                    Tensor *a, Tensor *b)
{
    switch (op) {
    case OP_ADDMV: CK(tensor_addmv(res, beta, t, alpha, a, b)); break;
    case OP_ADDMM: CK(tensor_addmm(res, beta, t, alpha, a, b)); break;
    case OP_ADDR: CK(tensor_addr(res, beta, t, alpha, a, b)); break;
    case OP_ADDBMM: CK(tensor_addbmm(res, beta, t, alpha, a, b)); break;
    default: CK(tensor_baddbmm(res, beta, t, alpha, a, b)); break;
    }
    return 0;
}

/* addmv/addmm/addr/addbmm/baddbmm: res = beta * t + alpha * (a op b).
 * Methods (the receiver is the result; t defaults to it, beta = alpha = 1):
 *   x:f(a, b)  x:f(t, a, b)  x:f(alpha, a, b)  x:f(t, alpha, a, b)
 *   x:f(beta, alpha, a, b)  x:f(beta, t, alpha, a, b)  x:f(beta, t, a, b)
 * Functions: torch.f([res,] [beta,] t, [alpha,] a, b). */
static int m_addx(lua_State *L)
{
    char s[MAXSIG + 1];
    int op = op_of(L), fn = is_func(L);
    sig(L, s);
    double beta = 1, alpha = 1;
    int res = 0, t = 0, a = 0;
    if (!fn) {
        res = 1;
        if (is(s, "ttt")) { t = 1; a = 2; }
        else if (is(s, "tttt")) { t = 2; a = 3; }
        else if (is(s, "tntt")) { t = 1; alpha = N(L, 2); a = 3; }
        else if (is(s, "ttntt")) { t = 2; alpha = N(L, 3); a = 4; }
        else if (is(s, "tnntt")) { t = 1; beta = N(L, 2); alpha = N(L, 3); a = 4; }
        else if (is(s, "tntntt")) { beta = N(L, 2); t = 3; alpha = N(L, 4); a = 5; }
        else if (is(s, "tnttt")) { beta = N(L, 2); t = 3; a = 4; }
        else return invalid(L, addx_expected[op]);
    } else {
        if (is(s, "ttt")) { t = 1; a = 2; }
        else if (is(s, "tntt")) { t = 1; alpha = N(L, 2); a = 3; }
        else if (is(s, "nttt")) { beta = N(L, 1); t = 2; a = 3; }
        else if (is(s, "ntntt")) { beta = N(L, 1); t = 2; alpha = N(L, 3); a = 4; }
        else if (is(s, "tttt")) { res = 1; t = 2; a = 3; }
        else if (is(s, "ttntt")) { res = 1; t = 2; alpha = N(L, 3); a = 4; }
        else if (is(s, "tnttt")) { res = 1; beta = N(L, 2); t = 3; a = 4; }
        else if (is(s, "tntntt")) { res = 1; beta = N(L, 2); t = 3; alpha = N(L, 4); a = 5; }
        else return invalid(L, addx_expected[op]);
        if (!res) {
            push_new(L, T(L, t)->dtype);
            res = lua_gettop(L);
        }
    }
    run_addx(L, op, T(L, res), beta, T(L, t), alpha, T(L, a), T(L, a + 1));
    lua_pushvalue(L, res);
    return 1;
}

enum { OP_MV, OP_MM, OP_GER, OP_BMM };

static const char *const mx_expected[] = {
    "*Tensor* Tensor~2D Tensor~1D", "*Tensor* Tensor~2D Tensor~2D",
    "*Tensor* Tensor~1D Tensor~1D", "*Tensor* Tensor~3D Tensor~3D"};
static const int mx_dims[][2] = {{2, 1}, {2, 2}, {1, 1}, {3, 3}};

/* mv/mm/ger/bmm: res:f(a, b)  torch.f([res,] a, b).  The method's receiver is
 * always the result (M:mv(v) is an error, as in Torch7). */
static int m_mx(lua_State *L)
{
    char s[MAXSIG + 1];
    int op = op_of(L);
    sig(L, s);
    int res, a;
    if (is(s, "ttt")) { res = 1; a = 2; }
    else if (is_func(L) && is(s, "tt")) { a = 1; res = 0; }
    else return invalid(L, mx_expected[op]);
    /* cwrap checked the operand dims as part of the signature */
    if (T(L, a)->ndim != mx_dims[op][0] || T(L, a + 1)->ndim != mx_dims[op][1])
        return invalid(L, mx_expected[op]);
    if (!res) {
        push_new(L, T(L, a)->dtype);
        res = lua_gettop(L);
    }
    Tensor *r = T(L, res), *x = T(L, a), *y = T(L, a + 1);
    if (r->dtype != x->dtype) return invalid(L, mx_expected[op]);
    switch (op) {
    case OP_MV: CK(tensor_mv(r, x, y)); break;
    case OP_MM: CK(tensor_mm(r, x, y)); break;
    case OP_GER: CK(tensor_ger(r, x, y)); break;
    default: CK(tensor_bmm(r, x, y)); break;
    }
    lua_pushvalue(L, res);
    return 1;
}

/* x:dot(y) / torch.dot(x, y) -> number */
static int m_dot(lua_State *L)
{
    char s[MAXSIG + 1];
    if (!is(sig(L, s), "tt")) return invalid(L, "Tensor Tensor");
    double v;
    CK(tensor_dot(T(L, 1), T(L, 2), &v));
    push_acc(L, T(L, 1)->dtype, v);
    return 1;
}

/* ==== reductions ============================================================== */

enum { OP_SUM, OP_PROD, OP_MEAN, OP_VAR, OP_STD, OP_CUMSUM, OP_CUMPROD };

/* sum/prod/mean/var/std:
 *   x:f() -> number; x:f(d) -> tensor; res:f(src, d); torch.f([res,] src, [d])
 * var/std take a trailing boolean `biased` in every form.
 * cumsum/cumprod: x:f([d=1]) -> new tensor; res:f(src, [d]). */
static int m_reduce(lua_State *L)
{
    char s[MAXSIG + 1];
    int op = op_of(L);
    sig(L, s);
    size_t len = strlen(s);
    int biased = 0;
    if ((op == OP_VAR || op == OP_STD) && len > 1 && s[len - 1] == 'b') {
        biased = lua_toboolean(L, (int)len);
        s[--len] = 0;
    }
    int cum = op == OP_CUMSUM || op == OP_CUMPROD;
    int res = 0, src, d = -1;
    if (is(s, "t")) src = 1;
    else if (is(s, "tn")) { src = 1; d = 2; }
    else if (is(s, "ttn")) { res = 1; src = 2; d = 3; }
    else if (cum && is(s, "tt")) { res = 1; src = 2; }
    else return invalid(L, op == OP_VAR || op == OP_STD ? "[*Tensor*] Tensor [index] [boolean]"
                                                         : "[*Tensor*] Tensor [index]");
    Tensor *x = T(L, src);
    if (op >= OP_MEAN && op <= OP_STD) need_type(L, src, LT_FLOATING);
    if (d < 0 && !cum) {
        double v;
        switch (op) {
        case OP_SUM: CK(tensor_sum_all(x, &v)); break;
        case OP_PROD: CK(tensor_prod_all(x, &v)); break;
        case OP_MEAN: CK(tensor_mean_all(x, &v)); break;
        case OP_VAR: CK(tensor_var_all(x, biased, &v)); break;
        default: CK(tensor_std_all(x, biased, &v)); break;
        }
        push_acc(L, x->dtype, v);
        return 1;
    }
    int dim = d > 0 ? dim_arg(L, d) : 0;
    if (!res) {
        push_new(L, x->dtype);
        res = lua_gettop(L);
    }
    Tensor *r = T(L, res);
    switch (op) {
    case OP_SUM: CK(tensor_sum(r, x, dim)); break;
    case OP_PROD: CK(tensor_prod(r, x, dim)); break;
    case OP_MEAN: CK(tensor_mean(r, x, dim)); break;
    case OP_VAR: CK(tensor_var(r, x, dim, biased)); break;
    case OP_STD: CK(tensor_std(r, x, dim, biased)); break;
    case OP_CUMSUM: CK(tensor_cumsum(r, x, dim)); break;
    default: CK(tensor_cumprod(r, x, dim)); break;
    }
    lua_pushvalue(L, res);
    return 1;
}

enum { OP_MAX, OP_MIN, OP_MEDIAN, OP_MODE, OP_KTH, OP_SORT, OP_TOPK };

/* Values + indices results.  Forms (resv, resi optional in front):
 *   max/min: x:max() -> number; x:max(d); torch.max(a, b) = cmax(a, b)
 *   median/mode: ([d=last])   kthvalue: (k, [d=last])
 *   sort: ([d=last], [descending])   topk: (k, [d=last], [largest], [sorted]) */
static int m_vi(lua_State *L)
{
    char s[MAXSIG + 1];
    int op = op_of(L);
    sig(L, s);
    if ((op == OP_MAX || op == OP_MIN) && is(s, "t")) {
        double v;
        if (op == OP_MAX) CK(tensor_max_all(T(L, 1), &v));
        else CK(tensor_min_all(T(L, 1), &v));
        push_acc(L, T(L, 1)->dtype, v);
        return 1;
    }
    if ((op == OP_MAX || op == OP_MIN) && is_func(L) && is(s, "tt")) {
        push_new(L, T(L, 1)->dtype);
        int r = lua_gettop(L);
        CK(tensor_binary(T(L, r), T(L, 1), T(L, 2), op == OP_MAX ? TM_CMAX : TM_CMIN, 1));
        return 1;
    }
    int rv = 0, ri = 0, src = 1;
    if (s[0] == 't' && s[1] == 't' && s[2] == 't') { rv = 1; ri = 2; src = 3; }
    if (s[src - 1] != 't') return invalid(L, "[*Tensor* *LongTensor*] Tensor [index]");
    /* the remaining arguments after src */
    const char *rest = s + src;
    int a = src + 1;
    Tensor *x = T(L, src);
    int dim = x->ndim - 1, desc = 0, sorted = 0;
    int64_t k = 0;
    int ok = 1;
    if (op == OP_KTH || op == OP_TOPK) {
        if (rest[0] != 'n') ok = 0;
        else { k = lt_checkint(L, a); rest++; a++; }
    }
    if (ok && rest[0] == 'n') { dim = dim_arg(L, a); rest++; a++; }
    else if (op == OP_MAX || op == OP_MIN) ok = 0;   /* the dim is required */
    if (ok && (op == OP_SORT || op == OP_TOPK) && rest[0] == 'b') { desc = lua_toboolean(L, a); rest++; a++; }
    if (ok && op == OP_TOPK && rest[0] == 'b') { sorted = lua_toboolean(L, a); rest++; a++; }
    if (!ok || rest[0]) return invalid(L, op == OP_TOPK ? "[*Tensor* *LongTensor*] Tensor number [index] [boolean] [boolean]"
                                        : op == OP_SORT ? "[*Tensor* *LongTensor*] Tensor [index] [boolean]"
                                        : op == OP_KTH ? "[*Tensor* *LongTensor*] Tensor number [index]"
                                        : "[*Tensor* *LongTensor*] Tensor [index]");
    if (!rv) {
        push_new(L, x->dtype);
        rv = lua_gettop(L);
        push_new(L, DT_LONG);
        ri = lua_gettop(L);
    }
    Tensor *v = T(L, rv), *ix = T(L, ri);
    switch (op) {
    case OP_MAX: CK(tensor_max(v, ix, x, dim, 1)); break;
    case OP_MIN: CK(tensor_min(v, ix, x, dim, 1)); break;
    case OP_MEDIAN: CK(tensor_median(v, ix, x, dim, 1)); break;
    case OP_MODE: CK(tensor_mode(v, ix, x, dim, 1)); break;
    case OP_KTH: CK(tensor_kthvalue(v, ix, x, k, dim, 1)); break;
    case OP_SORT: CK(tensor_sort(v, ix, x, dim, desc, 1)); break;
    default: CK(tensor_topk(v, ix, x, k, dim, desc, sorted, 1)); break;
    }
    lua_pushvalue(L, rv);
    lua_pushvalue(L, ri);
    return 2;
}

/* x:norm([p=2]) -> number; x:norm(p, d) -> tensor; res:norm(src, p, d) */
static int m_norm(lua_State *L)
{
    char s[MAXSIG + 1];
    sig(L, s);
    if (s[0] != 't') return invalid(L, "[*Tensor*] Tensor [number] [index]");
    need_type(L, s[1] == 't' ? 2 : 1, LT_FLOATING);
    if (is(s, "t") || is(s, "tn")) {
        double v;
        CK(tensor_norm_all(T(L, 1), is(s, "t") ? 2 : N(L, 2), &v));
        lua_pushnumber(L, v);
        return 1;
    }
    int res, src;
    if (is(s, "tnn")) { src = 1; push_new(L, T(L, 1)->dtype); res = lua_gettop(L); }
    else if (is(s, "ttnn")) { res = 1; src = 2; }
    else return invalid(L, "[*Tensor*] Tensor [number] [index]");
    CK(tensor_norm(T(L, res), T(L, src), N(L, src + 1), dim_arg(L, src + 2)));
    lua_pushvalue(L, res);
    return 1;
}

/* x:renorm(p, d, maxnorm) in place; res:renorm(src, p, d, maxnorm);
 * torch.renorm([res,] src, p, d, maxnorm) */
static int m_renorm(lua_State *L)
{
    char s[MAXSIG + 1];
    sig(L, s);
    int res, src;
    if (is(s, "tnnn")) {
        src = 1;
        if (is_func(L)) { push_new(L, T(L, 1)->dtype); res = lua_gettop(L); } else res = 1;
    } else if (is(s, "ttnnn")) { res = 1; src = 2; }
    else return invalid(L, "[*Tensor*] Tensor number index number");
    need_type(L, src, LT_FLOATING);
    CK(tensor_renorm(T(L, res), T(L, src), N(L, src + 1), dim_arg(L, src + 2), N(L, src + 3)));
    lua_pushvalue(L, res);
    return 1;
}

/* x:dist(y, [p=2]) -> number */
static int m_dist(lua_State *L)
{
    char s[MAXSIG + 1];
    sig(L, s);
    if (!is(s, "tt") && !is(s, "ttn")) return invalid(L, "Tensor Tensor [number]");
    need_type(L, 1, LT_FLOATING);
    double v;
    CK(tensor_dist(T(L, 1), T(L, 2), lua_isnumber(L, 3) ? N(L, 3) : 2, &v));
    lua_pushnumber(L, v);
    return 1;
}

/* x:trace() -> number */
static int m_trace(lua_State *L)
{
    char s[MAXSIG + 1];
    if (!is(sig(L, s), "t")) return invalid(L, "Tensor");
    double v;
    CK(tensor_trace(T(L, 1), &v));
    push_acc(L, T(L, 1)->dtype, v);
    return 1;
}

/* x:all() / x:any() -> boolean (ByteTensor) */
static int m_allany(lua_State *L)
{
    char s[MAXSIG + 1];
    if (!is(sig(L, s), "t")) return invalid(L, "ByteTensor");
    int v;
    if (op_of(L)) CK(tensor_any(T(L, 1), &v));
    else CK(tensor_all(T(L, 1), &v));
    lua_pushboolean(L, v);
    return 1;
}

/* x:histc([nbins=100], [min=0], [max=0]) -> new; res:histc(src, ...) */
static int m_histc(lua_State *L)
{
    char s[MAXSIG + 1];
    sig(L, s);
    int res = 0, src = 1;
    if (s[0] == 't' && s[1] == 't') { res = 1; src = 2; }
    const char *rest = s + src;
    if (strspn(rest, "n") != strlen(rest) || strlen(rest) > 3 || s[src - 1] != 't')
        return invalid(L, "[*Tensor*] Tensor [number] [number] [number]");
    need_type(L, src, LT_FLOATING);
    int64_t nbins = lua_isnumber(L, src + 1) ? lt_checkint(L, src + 1) : 100;
    double lo = lua_isnumber(L, src + 2) ? N(L, src + 2) : 0;
    double hi = lua_isnumber(L, src + 3) ? N(L, src + 3) : 0;
    if (!res) { push_new(L, T(L, src)->dtype); res = lua_gettop(L); }
    CK(tensor_histc(T(L, res), T(L, src), nbins, lo, hi));
    lua_pushvalue(L, res);
    return 1;
}

/* ==== comparisons ================================================================ */

/* x:gt(v|y) -> new ByteTensor; res:gt(x, v|y) writes res (Byte or x's type);
 * torch.gt([res,] x, v|y) likewise. */
static int m_cmp(lua_State *L)
{
    char s[MAXSIG + 1];
    TMCompare op = (TMCompare)op_of(L);
    sig(L, s);
    int res, a;
    if (is(s, "tn") || is(s, "tt")) {
        a = 1;
        push_new(L, DT_BYTE);
        res = lua_gettop(L);
    } else if (is(s, "ttn") || is(s, "ttt")) {
        res = 1; a = 2;
    } else {
        return invalid(L, "[*ByteTensor*] Tensor (number | Tensor)");
    }
    if (lua_type(L, a + 1) == LUA_TNUMBER) CK(tensor_compare_scalar(T(L, res), T(L, a), op, N(L, a + 1)));
    else CK(tensor_compare(T(L, res), T(L, a), T(L, a + 1), op));
    lua_pushvalue(L, res);
    return 1;
}

/* torch.equal(a, b) / a:equal(b) -> boolean */
static int m_equal(lua_State *L)
{
    char s[MAXSIG + 1];
    if (!is(sig(L, s), "tt")) return invalid(L, "Tensor Tensor");
    lua_pushboolean(L, tensor_equal(T(L, 1), T(L, 2)));
    return 1;
}

/* ==== indexing ===================================================================== */

static Tensor *check_long(lua_State *L, int i)
{
    Tensor *t = T(L, i);
    if (!t || t->dtype != DT_LONG)
        luaL_error(L, "bad argument #%d to '%s' (torch.LongTensor expected, got %s)", i,
                   name_of(L), t ? lt_tensor_tname[t->dtype] : luaL_typename(L, i));
    return t;
}

/* x:index(d, idx) -> new; res:index(src, d, idx); torch.index([res,] src, d, idx)
 * x:gather(d, idx) likewise. */
static int m_select_like(lua_State *L)
{
    char s[MAXSIG + 1];
    int gather = op_of(L);
    sig(L, s);
    int res, src;
    if (is(s, "tnt")) { src = 1; push_new(L, T(L, 1)->dtype); res = lua_gettop(L); }
    else if (is(s, "ttnt")) { res = 1; src = 2; }
    else return invalid(L, "[*Tensor*] Tensor index LongTensor");
    Tensor *idx = check_long(L, src + 2);
    int dim = dim_arg(L, src + 1);
    if (gather) CK(tensor_gather(T(L, res), T(L, src), dim, idx, 1));
    else CK(tensor_index_select(T(L, res), T(L, src), dim, idx, 1));
    lua_pushvalue(L, res);
    return 1;
}

enum { OP_ICOPY, OP_IADD, OP_IFILL, OP_SCATTER };

/* x:indexCopy(d, idx, src)  x:indexAdd(d, idx, src)  x:indexFill(d, idx, v)
 * x:scatter(d, idx, src|v): in place, return x. */
static int m_index_put(lua_State *L)
{
    char s[MAXSIG + 1];
    int op = op_of(L);
    sig(L, s);
    int val = is(s, "tntn");
    if (!(is(s, "tntt") || val) || (val && (op == OP_ICOPY || op == OP_IADD)) ||
        (!val && op == OP_IFILL))
        return invalid(L, op == OP_IFILL ? "*Tensor* index LongTensor number"
                          : op == OP_SCATTER ? "*Tensor* index LongTensor (Tensor | number)"
                          : "*Tensor* index LongTensor Tensor");
    Tensor *x = T(L, 1), *idx = check_long(L, 3);
    int dim = dim_arg(L, 2);
    switch (op) {
    case OP_ICOPY: CK(tensor_index_copy(x, dim, idx, T(L, 4), 1)); break;
    case OP_IADD: CK(tensor_index_add(x, dim, idx, T(L, 4), 1)); break;
    case OP_IFILL: CK(tensor_index_fill(x, dim, idx, N(L, 4), 1)); break;
    default: CK(tensor_scatter(x, dim, idx, val ? NULL : T(L, 4), val ? N(L, 4) : 0, 1)); break;
    }
    lua_settop(L, 1);
    return 1;
}

static Tensor *check_mask(lua_State *L, int i)
{
    Tensor *t = T(L, i);
    if (!t || t->dtype != DT_BYTE)
        luaL_error(L, "bad argument #%d to '%s' (torch.ByteTensor expected, got %s)", i,
                   name_of(L), t ? lt_tensor_tname[t->dtype] : luaL_typename(L, i));
    return t;
}

/* x:maskedSelect(mask) -> new; res:maskedSelect(src, mask) */
static int m_masked_select(lua_State *L)
{
    char s[MAXSIG + 1];
    sig(L, s);
    int res, src;
    if (is(s, "tt")) { src = 1; push_new(L, T(L, 1)->dtype); res = lua_gettop(L); }
    else if (is(s, "ttt")) { res = 1; src = 2; }
    else return invalid(L, "[*Tensor*] Tensor ByteTensor");
    CK(tensor_masked_select(T(L, res), T(L, src), check_mask(L, src + 1)));
    lua_pushvalue(L, res);
    return 1;
}

/* x:maskedFill(mask, v) / x:maskedCopy(mask, src): in place */
static int m_masked_put(lua_State *L)
{
    char s[MAXSIG + 1];
    int copy = op_of(L);
    sig(L, s);
    if (!(copy ? is(s, "ttt") : is(s, "ttn")))
        return invalid(L, copy ? "*Tensor* ByteTensor Tensor" : "*Tensor* ByteTensor number");
    Tensor *mask = check_mask(L, 2);
    if (copy) CK(tensor_masked_copy(T(L, 1), mask, T(L, 3)));
    else CK(tensor_masked_fill(T(L, 1), mask, N(L, 3)));
    lua_settop(L, 1);
    return 1;
}

/* x:nonzero() -> new LongTensor (n x ndim, 1-based); res:nonzero(src) */
static int m_nonzero(lua_State *L)
{
    char s[MAXSIG + 1];
    sig(L, s);
    int res, src;
    if (is(s, "t")) { src = 1; push_new(L, DT_LONG); res = lua_gettop(L); }
    else if (is(s, "tt")) { res = 1; src = 2; }
    else return invalid(L, "[*LongTensor*] Tensor");
    CK(tensor_nonzero(T(L, res), T(L, src), 1));
    lua_pushvalue(L, res);
    return 1;
}

/* ==== shape-building ops ============================================================= */

enum { OP_DIAG, OP_TRIL, OP_TRIU };

/* x:diag([k]) -> new; res:diag(src, [k]); same for tril/triu. */
static int m_diagtri(lua_State *L)
{
    char s[MAXSIG + 1];
    int op = op_of(L);
    sig(L, s);
    int res, src;
    if (is(s, "t") || is(s, "tn")) { src = 1; push_new(L, T(L, 1)->dtype); res = lua_gettop(L); }
    else if (is(s, "tt") || is(s, "ttn")) { res = 1; src = 2; }
    else return invalid(L, "[*Tensor*] Tensor [number]");
    int64_t k = lua_isnumber(L, src + 1) ? lt_checkint(L, src + 1) : 0;
    if (op == OP_DIAG) CK(tensor_diag(T(L, res), T(L, src), k));
    else if (op == OP_TRIL) CK(tensor_tril(T(L, res), T(L, src), k));
    else CK(tensor_triu(T(L, res), T(L, src), k));
    lua_pushvalue(L, res);
    return 1;
}

/* x:cross(y, [d]) -> new; res:cross(a, b, [d]) */
static int m_cross(lua_State *L)
{
    char s[MAXSIG + 1];
    sig(L, s);
    int res, a;
    if (is(s, "tt") || is(s, "ttn")) { a = 1; push_new(L, T(L, 1)->dtype); res = lua_gettop(L); }
    else if (is(s, "ttt") || is(s, "tttn")) { res = 1; a = 2; }
    else return invalid(L, "[*Tensor*] Tensor Tensor [index]");
    int dim = lua_isnumber(L, a + 2) ? given_dim(L, a + 2) : -1;
    CK(tensor_cross(T(L, res), T(L, a), T(L, a + 1), dim));
    lua_pushvalue(L, res);
    return 1;
}

/* torch.cat([res,] a, b, [d]) / torch.cat([res,] {a, b, ...}, [d]);
 * x:cat(y, [d]) -> new. */
static int m_cat(lua_State *L)
{
    int res = 0, first = 1;
    if (T(L, 1) && lua_istable(L, 2) && !T(L, 2)) { res = 1; first = 2; }
    else if (T(L, 1) && T(L, 2) && T(L, 3)) { res = 1; first = 2; }
    Tensor *list[256];
    int n = 0, darg;
    if (lua_istable(L, first) && !T(L, first)) {
        int len = (int)luaL_len(L, first);
        if (len > 256) return luaL_error(L, "cat: at most 256 tensors");
        for (int i = 1; i <= len; i++) {
            lua_rawgeti(L, first, i);
            Tensor *t = T(L, -1);
            if (!t) return luaL_error(L, "cat: element %d of the table is not a tensor (got %s)", i,
                                      luaL_typename(L, -1));
            list[n++] = t;
            lua_pop(L, 1);   /* the table keeps it alive */
        }
        darg = first + 1;
    } else {
        if (!T(L, first) || !T(L, first + 1)) return invalid(L, "[*Tensor*] Tensor Tensor [index] | [*Tensor*] {Tensor, ...} [index]");
        list[n++] = T(L, first);
        list[n++] = T(L, first + 1);
        darg = first + 2;
    }
    if (n == 0) return luaL_error(L, "cat: no tensors given");
    int dim = lua_isnoneornil(L, darg) ? -1 : given_dim(L, darg);
    if (!res) { push_new(L, list[0]->dtype); res = lua_gettop(L); }
    CK(tensor_cat(T(L, res), list, n, dim));
    lua_pushvalue(L, res);
    return 1;
}

/* ==== construction =================================================================== */

/* Reads sizes (numbers or one LongStorage) from idx on. */
static int read_sizes(lua_State *L, int idx, int64_t *size)
{
    Storage *st = lt_tostorage(L, idx);
    if (st) {
        if (st->dtype != DT_LONG || st->size > TENSOR_MAXDIM)
            luaL_error(L, "%s: sizes must be numbers or a LongStorage of at most %d sizes", name_of(L), TENSOR_MAXDIM);
        if (st->size > 0) memcpy(size, st->data, (size_t)st->size * sizeof *size);   /* empty: data is NULL */
        return (int)st->size;
    }
    int n = 0;
    for (int i = idx; i <= lua_gettop(L); i++) {
        if (n == TENSOR_MAXDIM) luaL_error(L, "%s: too many dimensions", name_of(L));
        size[n++] = lt_checkint(L, i);
        if (size[n - 1] < 0) luaL_error(L, "bad argument #%d to '%s' (size must be non-negative, got %I)", i, name_of(L), (lua_Integer)size[n - 1]);
    }
    return n;
}

/* torch.zeros([res,] sizes...) / torch.ones; x:zeros(sizes...) resizes x. */
static int m_zeros_ones(lua_State *L)
{
    int one = op_of(L), res;
    int64_t size[TENSOR_MAXDIM];
    int first;
    if (T(L, 1)) { res = 1; first = 2; }
    else { res = 0; first = 1; }
    int n = read_sizes(L, first, size);
    /* TH's resize: the sizes end at the first 0 (torch.zeros(0) is empty) */
    for (int i = 0; i < n; i++)
        if (size[i] == 0) { n = i; break; }
    if (!res) { push_new(L, lt_default_dtype(L)); res = lua_gettop(L); }
    Tensor *r = T(L, res);
    CK(tensor_resize(r, n, size));
    CK(tensor_fill(r, one));
    lua_pushvalue(L, res);
    return 1;
}

enum { OP_RANGE, OP_LINSPACE, OP_LOGSPACE, OP_EYE };

/* torch.range([res,] a, b, [step=1]); linspace/logspace([res,] a, b, [n=100]);
 * eye([res,] n, [m=n]). */
static int m_seq(lua_State *L)
{
    int op = op_of(L), res = 0, a = 1;
    if (T(L, 1)) { res = 1; a = 2; }
    if (!res) {
        push_new(L, lt_default_dtype(L));
        lua_insert(L, 1);
        res = 1;
        a = 2;
    }
    Tensor *r = T(L, res);
    if (op == OP_EYE) {
        int64_t n = lt_checkint(L, a);
        int64_t m = lua_isnoneornil(L, a + 1) ? n : lt_checkint(L, a + 1);
        CK(tensor_eye(r, n, m));
    } else {
        double x = luaL_checknumber(L, a), y = luaL_checknumber(L, a + 1);
        if (op == OP_RANGE) {
            CK(tensor_range(r, x, y, luaL_optnumber(L, a + 2, 1)));
        } else {
            if (!dtype_is_floating(r->dtype)) need_type(L, res, LT_FLOATING);
            int64_t n = lua_isnoneornil(L, a + 2) ? 100 : lt_checkint(L, a + 2);
            if (op == OP_LINSPACE) CK(tensor_linspace(r, x, y, n));
            else CK(tensor_logspace(r, x, y, n));
        }
    }
    lua_pushvalue(L, res);
    return 1;
}

/* torch.conv2/xcorr2 (op 0/1) and conv3/xcorr3 (op 2/3): ([res,] x, k, ['V'|'F']).
 * conv2/xcorr2: x 2D with k 2D, x 3D with k 3D
 * (plane by plane) or k 4D (summing over input planes). */
static int m_conv2(lua_State *L)
{
    int res = 0, a = 1;
    if (T(L, 1) && T(L, 2) && T(L, 3)) { res = 1; a = 2; }
    if (!T(L, a) || !T(L, a + 1))
        return invalid(L, "[*Tensor*] Tensor~2D Tensor~2D [(V|F)] | [*Tensor*] Tensor~3D Tensor~3D [(V|F)] | "
                          "[*Tensor*] Tensor~3D Tensor~4D [(V|F)]");
    const char *ty = luaL_optstring(L, a + 2, "V");
    need_type(L, a, LT_FLOATING);
    if (!res) { push_new(L, T(L, a)->dtype); res = lua_gettop(L); }
    char c = ty[0] == 'F' || ty[0] == 'f' ? 'F' : (ty[0] == 'V' || ty[0] == 'v' ? 'V' : ty[0]);
    int xcorr = op_of(L) & 1;
    if (op_of(L) & 2) CK(tensor_conv3(T(L, res), T(L, a), T(L, a + 1), c, xcorr));
    else CK(tensor_conv2(T(L, res), T(L, a), T(L, a + 1), c, xcorr));
    lua_pushvalue(L, res);
    return 1;
}

/* ==== operators ========================================================================= */

/* The tensor operand's type is the result type; the other operand must be a
 * number or a tensor of the same type (Torch7: `number expected`). */
static Tensor *same_or_number(lua_State *L, int i, DType dt)
{
    Tensor *t = T(L, i);
    if (t && t->dtype == dt) return t;
    luaL_checknumber(L, i);   /* raises `number expected, got userdata` */
    return NULL;
}

static Tensor *clone_at(lua_State *L, int i)
{
    lt_pushtensor(L, tensor_clone(T(L, i)));
    return T(L, -1);
}

/* __add / __sub (op +1 / -1) */
static int mm_addsub(lua_State *L)
{
    double sign = op_of(L);
    Tensor *a = T(L, 1), *b = T(L, 2);
    if (!a) {
        /* number +/- tensor: n + t = t + n; n - t = fill(n) - t */
        double n = luaL_checknumber(L, 1);
        /* direct calls (mt.__add(1, 2)) can have no tensor at all */
        lt_checktensor(L, 2);
        Tensor *r = clone_at(L, 2);
        if (sign > 0) CK(tensor_scalar(r, r, TM_ADDV, n));
        else {
            CK(tensor_fill(r, n));
            CK(tensor_binary(r, r, b, TM_CADD, -1));
        }
        return 1;
    }
    b = same_or_number(L, 2, a->dtype);
    Tensor *r = clone_at(L, 1);
    if (b) CK(tensor_binary(r, r, b, TM_CADD, sign));
    else CK(tensor_scalar(r, r, TM_ADDV, sign * N(L, 2)));
    return 1;
}

static int mm_mul(lua_State *L)
{
    Tensor *a = T(L, 1), *b = T(L, 2);
    if (!a || !b) {
        int ti = a ? 1 : 2;
        double n = luaL_checknumber(L, a ? 2 : 1);
        lt_checktensor(L, ti);   /* mt.__mul(2, 3) called directly */
        Tensor *r = clone_at(L, ti);
        CK(tensor_scalar(r, r, TM_MULV, n));
        return 1;
    }
    same_or_number(L, 2, a->dtype);
    if (a->ndim == 1 && b->ndim == 1) {
        double v;
        CK(tensor_dot(a, b, &v));
        push_acc(L, a->dtype, v);
        return 1;
    }
    Tensor *r = push_new(L, a->dtype);
    if (a->ndim == 2 && b->ndim == 1) CK(tensor_mv(r, a, b));
    else if (a->ndim == 2 && b->ndim == 2) CK(tensor_mm(r, a, b));
    else
        return luaL_error(L, "multiplication between %dD and %dD tensors not yet supported",
                          a->ndim, b->ndim);
    return 1;
}

/* __div (op 0) and __mod (op 1): tensor op number */
static int mm_divmod(lua_State *L)
{
    lt_checktensor(L, 1);   /* `2 / t` is an error, as in Torch7 */
    double n = luaL_checknumber(L, 2);
    Tensor *r = clone_at(L, 1);
    CK(tensor_scalar(r, r, op_of(L) ? TM_REMV : TM_DIVV, n));
    return 1;
}

static int mm_unm(lua_State *L)
{
    lt_checktensor(L, 1);
    Tensor *r = clone_at(L, 1);
    CK(tensor_scalar(r, r, TM_MULV, -1));
    return 1;
}

/* ==== threads ============================================================================ */

static int l_setnumthreads(lua_State *L)
{
    int64_t n = lt_checkint(L, 1);
    luaL_argcheck(L, n >= 1, 1, "number of threads must be positive");
    /* Ember's pool, capped at PARALLEL_MAX_THREADS; (int) would wrap 2^32 + 2 to 2 */
    parallel_set_num_threads(n > INT_MAX ? INT_MAX : (int)n);
    return 0;
}

static int l_getnumthreads(lua_State *L)
{
    lua_pushinteger(L, parallel_get_num_threads());
    return 1;
}

static int l_getnumcores(lua_State *L)
{
    lua_pushinteger(L, blas_get_num_cores());
    return 1;
}

/* ==== registration ========================================================================= */

typedef struct Def {
    const char *name;
    lua_CFunction fn;
    int op;
    unsigned mask;   /* tensor types that get the method */
    int method;      /* register as a method */
    int function;    /* register as torch.name */
} Def;

static const Def defs[] = {
    /* element-wise */
    {"abs", m_unary, TM_ABS, LT_FLOATING | (1u << DT_INT) | (1u << DT_LONG), 1, 1},
    {"sign", m_unary, TM_SIGN, LT_ALL, 1, 1},
    {"neg", m_unary, TM_NEG, LT_FLOATING, 1, 1},
    {"exp", m_unary, TM_EXP, LT_FLOATING, 1, 1},
    {"log", m_unary, TM_LOG, LT_FLOATING, 1, 1},
    {"log1p", m_unary, TM_LOG1P, LT_FLOATING, 1, 1},
    {"sqrt", m_unary, TM_SQRT, LT_FLOATING, 1, 1},
    {"rsqrt", m_unary, TM_RSQRT, LT_FLOATING, 1, 1},
    {"tanh", m_unary, TM_TANH, LT_FLOATING, 1, 1},
    {"sigmoid", m_unary, TM_SIGMOID, LT_FLOATING, 1, 1},
    {"sin", m_unary, TM_SIN, LT_FLOATING, 1, 1},
    {"cos", m_unary, TM_COS, LT_FLOATING, 1, 1},
    {"tan", m_unary, TM_TAN, LT_FLOATING, 1, 1},
    {"asin", m_unary, TM_ASIN, LT_FLOATING, 1, 1},
    {"acos", m_unary, TM_ACOS, LT_FLOATING, 1, 1},
    {"atan", m_unary, TM_ATAN, LT_FLOATING, 1, 1},
    {"sinh", m_unary, TM_SINH, LT_FLOATING, 1, 1},
    {"cosh", m_unary, TM_COSH, LT_FLOATING, 1, 1},
    {"ceil", m_unary, TM_CEIL, LT_FLOATING, 1, 1},
    {"floor", m_unary, TM_FLOOR, LT_FLOATING, 1, 1},
    {"round", m_unary, TM_ROUND, LT_FLOATING, 1, 1},
    {"trunc", m_unary, TM_TRUNC, LT_FLOATING, 1, 1},
    {"frac", m_unary, TM_FRAC, LT_FLOATING, 1, 1},
    {"cinv", m_unary, TM_CINV, LT_FLOATING, 1, 1},
    {"add", m_add, 1, LT_ALL, 1, 1},
    {"csub", m_add, -1, LT_ALL, 1, 1},
    {"mul", m_scalar, TM_MULV, LT_ALL, 1, 1},
    {"div", m_scalar, TM_DIVV, LT_ALL, 1, 1},
    {"fmod", m_scalar, TM_FMODV, LT_ALL, 1, 1},
    {"mod", m_scalar, TM_FMODV, LT_ALL, 1, 1},
    {"remainder", m_scalar, TM_REMV, LT_ALL, 1, 1},
    {"pow", m_scalar, TM_POWV, LT_FLOATING, 1, 1},
    {"clamp", m_scalar, OP_CLAMP, LT_ALL, 1, 1},
    {"cmul", m_binary, TM_CMUL, LT_ALL, 1, 1},
    {"cdiv", m_binary, TM_CDIV, LT_ALL, 1, 1},
    {"cpow", m_binary, TM_CPOW, LT_ALL, 1, 1},
    {"cmax", m_binary, TM_CMAX, LT_ALL, 1, 1},
    {"cmin", m_binary, TM_CMIN, LT_ALL, 1, 1},
    {"cfmod", m_binary, TM_CFMOD, LT_ALL, 1, 1},
    {"cremainder", m_binary, TM_CREM, LT_ALL, 1, 1},
    {"atan2", m_binary, TM_ATAN2, LT_FLOATING, 1, 1},
    {"addcmul", m_addc, 1, LT_ALL, 1, 1},
    {"addcdiv", m_addc, 0, LT_ALL, 1, 1},
    {"lerp", m_lerp, 0, LT_FLOATING, 1, 1},
    /* BLAS-shaped */
    {"addmv", m_addx, OP_ADDMV, LT_ALL, 1, 1},
    {"addmm", m_addx, OP_ADDMM, LT_ALL, 1, 1},
    {"addr", m_addx, OP_ADDR, LT_ALL, 1, 1},
    {"addbmm", m_addx, OP_ADDBMM, LT_ALL, 1, 1},
    {"baddbmm", m_addx, OP_BADDBMM, LT_ALL, 1, 1},
    {"mv", m_mx, OP_MV, LT_ALL, 1, 1},
    {"mm", m_mx, OP_MM, LT_ALL, 1, 1},
    {"ger", m_mx, OP_GER, LT_ALL, 1, 1},
    {"bmm", m_mx, OP_BMM, LT_ALL, 1, 1},
    {"dot", m_dot, 0, LT_ALL, 1, 1},
    /* reductions */
    {"sum", m_reduce, OP_SUM, LT_ALL, 1, 1},
    {"prod", m_reduce, OP_PROD, LT_ALL, 1, 1},
    {"mean", m_reduce, OP_MEAN, LT_FLOATING, 1, 1},
    {"var", m_reduce, OP_VAR, LT_FLOATING, 1, 1},
    {"std", m_reduce, OP_STD, LT_FLOATING, 1, 1},
    {"cumsum", m_reduce, OP_CUMSUM, LT_ALL, 1, 1},
    {"cumprod", m_reduce, OP_CUMPROD, LT_ALL, 1, 1},
    {"max", m_vi, OP_MAX, LT_ALL, 1, 1},
    {"min", m_vi, OP_MIN, LT_ALL, 1, 1},
    {"median", m_vi, OP_MEDIAN, LT_ALL, 1, 1},
    {"mode", m_vi, OP_MODE, LT_ALL, 1, 1},
    {"kthvalue", m_vi, OP_KTH, LT_ALL, 1, 1},
    {"sort", m_vi, OP_SORT, LT_ALL, 1, 1},
    {"topk", m_vi, OP_TOPK, LT_ALL, 1, 1},
    {"norm", m_norm, 0, LT_FLOATING, 1, 1},
    {"renorm", m_renorm, 0, LT_FLOATING, 1, 1},
    {"dist", m_dist, 0, LT_FLOATING, 1, 1},
    {"trace", m_trace, 0, LT_ALL, 1, 1},
    {"all", m_allany, 0, 1u << DT_BYTE, 1, 1},
    {"any", m_allany, 1, 1u << DT_BYTE, 1, 1},
    {"histc", m_histc, 0, LT_FLOATING, 1, 1},
    /* comparisons */
    {"lt", m_cmp, TM_LT, LT_ALL, 1, 1},
    {"le", m_cmp, TM_LE, LT_ALL, 1, 1},
    {"gt", m_cmp, TM_GT, LT_ALL, 1, 1},
    {"ge", m_cmp, TM_GE, LT_ALL, 1, 1},
    {"eq", m_cmp, TM_EQ, LT_ALL, 1, 1},
    {"ne", m_cmp, TM_NE, LT_ALL, 1, 1},
    {"equal", m_equal, 0, LT_ALL, 1, 1},
    /* indexing */
    {"index", m_select_like, 0, LT_ALL, 1, 1},
    {"gather", m_select_like, 1, LT_ALL, 1, 1},
    {"indexCopy", m_index_put, OP_ICOPY, LT_ALL, 1, 1},
    {"indexAdd", m_index_put, OP_IADD, LT_ALL, 1, 1},
    {"indexFill", m_index_put, OP_IFILL, LT_ALL, 1, 1},
    {"scatter", m_index_put, OP_SCATTER, LT_ALL, 1, 1},
    {"maskedSelect", m_masked_select, 0, LT_ALL, 1, 1},
    {"maskedFill", m_masked_put, 0, LT_ALL, 1, 1},
    {"maskedCopy", m_masked_put, 1, LT_ALL, 1, 1},
    {"nonzero", m_nonzero, 0, LT_ALL, 1, 1},
    /* shapes */
    {"diag", m_diagtri, OP_DIAG, LT_ALL, 1, 1},
    {"tril", m_diagtri, OP_TRIL, LT_ALL, 1, 1},
    {"triu", m_diagtri, OP_TRIU, LT_ALL, 1, 1},
    {"cross", m_cross, 0, LT_ALL, 1, 1},
    {"cat", m_cat, 0, LT_ALL, 1, 1},
    /* construction */
    {"zeros", m_zeros_ones, 0, LT_ALL, 1, 1},
    {"ones", m_zeros_ones, 1, LT_ALL, 1, 1},
    {"range", m_seq, OP_RANGE, LT_ALL, 1, 1},
    {"linspace", m_seq, OP_LINSPACE, LT_FLOATING, 1, 1},
    {"logspace", m_seq, OP_LOGSPACE, LT_FLOATING, 1, 1},
    {"eye", m_seq, OP_EYE, LT_ALL, 1, 1},
    {"conv2", m_conv2, 0, LT_FLOATING, 0, 1},
    {"xcorr2", m_conv2, 1, LT_FLOATING, 0, 1},
    {"conv3", m_conv2, 2, LT_FLOATING, 0, 1},
    {"xcorr3", m_conv2, 3, LT_FLOATING, 0, 1},
    /* operators (methods only) */
    {"__add", mm_addsub, 1, LT_ALL, 1, 0},
    {"__sub", mm_addsub, -1, LT_ALL, 1, 0},
    {"__mul", mm_mul, 0, LT_ALL, 1, 0},
    {"__div", mm_divmod, 0, LT_ALL, 1, 0},
    {"__mod", mm_divmod, 1, LT_ALL, 1, 0},
    {"__unm", mm_unm, 0, LT_ALL, 1, 0},
    {NULL, NULL, 0, 0, 0, 0}};

static void push_closure(lua_State *L, const Def *d, int func)
{
    lua_pushinteger(L, d->op);
    lua_pushboolean(L, func);
    lua_pushstring(L, d->name);
    lua_pushcclosure(L, d->fn, 3);
}

void lt_open_math(lua_State *L)
{
    int module = lua_gettop(L);
    for (const Def *d = defs; d->name; d++) {
        if (d->method) {
            for (int dt = 0; dt < DT_COUNT; dt++) {
                if (!allowed((DType)dt, d->mask)) continue;
                luaL_getmetatable(L, lt_tensor_tname[dt]);
                push_closure(L, d, 0);
                lua_setfield(L, -2, d->name);
                lua_pop(L, 1);
            }
        }
        if (d->function) {
            push_closure(L, d, 1);
            lua_setfield(L, module, d->name);
        }
    }
    static const luaL_Reg fns[] = {
        {"setnumthreads", l_setnumthreads},
        {"getnumthreads", l_getnumthreads},
        {"getnumcores", l_getnumcores},
        {NULL, NULL}};
    luaL_setfuncs(L, fns, 0);
}
