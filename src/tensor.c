/* tensor.c: strided views on storages (see tensor.h for the contracts).
 * Messages name dims and indices 1-based, as the Lua user wrote them. */
#include "tensor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* ======================================================================
 * lifetime
 * ====================================================================== */

Tensor *tensor_new(DType dt)
{
    Tensor *t = calloc(1, sizeof *t);
    if (!t) { th_seterror("out of memory"); return NULL; }
    t->dtype = dt;
    t->refcount = 1;
    return t;
}

Tensor *tensor_new_sized(DType dt, int ndim, const int64_t *size)
{
    Tensor *t = tensor_new(dt);
    if (t && tensor_resize(t, ndim, size) != 0) {
        tensor_release(t);
        return NULL;
    }
    return t;
}

Tensor *tensor_new_view(const Tensor *src)
{
    Tensor *t = tensor_new(src->dtype);
    if (t) tensor_set(t, src);
    return t;
}

void tensor_retain(Tensor *t)
{
    if (t) t->refcount++;
}

void tensor_release(Tensor *t)
{
    if (!t || --t->refcount > 0) return;
    storage_release(t->storage);
    free(t);
}

/* ======================================================================
 * geometry
 * ====================================================================== */

int64_t tensor_nelement(const Tensor *t)
{
    if (t->ndim == 0) return 0;
    int64_t n = 1;
    for (int d = 0; d < t->ndim; d++) n *= t->size[d];
    return n;
}

int tensor_is_contiguous(const Tensor *t)
{
    int64_t z = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        if (t->size[d] == 1) continue;   /* Torch7 ignores the stride of size-1 dims */
        if (t->stride[d] != z) return 0;
        z *= t->size[d];
    }
    return 1;
}

int tensor_is_same_size(const Tensor *a, const Tensor *b)
{
    if (a->ndim != b->ndim) return 0;
    for (int d = 0; d < a->ndim; d++)
        if (a->size[d] != b->size[d]) return 0;
    return 1;
}

void *tensor_data(const Tensor *t)
{
    if (!t->storage || !t->storage->data) return NULL;
    return (char *)t->storage->data + t->offset * (int64_t)dtype_size(t->dtype);
}

char *tensor_size_string(const Tensor *t, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int d = 0; d < t->ndim && used < cap; d++)
        used += (size_t)snprintf(buf + used, cap - used, d ? "x%lld" : "%lld",
                                 (long long)t->size[d]);
    return buf;
}

/* Largest element index (relative to offset) a view touches, +1; 0 if empty. */
static int64_t view_extent(int ndim, const int64_t *size, const int64_t *stride)
{
    for (int d = 0; d < ndim; d++)
        if (size[d] == 0) return 0;
    /* user strides can be huge: saturate instead of wrapping to a small or
     * negative extent that would pass the bounds check */
    int64_t hi = 0, step;
    for (int d = 0; d < ndim; d++)
        if (__builtin_mul_overflow(size[d] - 1, stride[d], &step) ||
            __builtin_add_overflow(hi, step, &hi) || hi == INT64_MAX)
            return INT64_MAX;
    return ndim ? hi + 1 : 0;
}

/* ======================================================================
 * (re)shaping in place
 * ====================================================================== */

static int check_sizes(int ndim, const int64_t *size)
{
    if (ndim < 0 || ndim > TENSOR_MAXDIM)
        return th_seterror("too many dimensions: %d (at most %d)", ndim, TENSOR_MAXDIM);
    /* The product of the non-zero sizes is bounded too: a 0 in one dim
     * must not let another dim's size overflow stride/extent arithmetic. */
    int64_t n = 1;
    for (int d = 0; d < ndim; d++) {
        if (size[d] < 0)
            return th_seterror("invalid size %lld for dimension %d: sizes must be non-negative",
                               (long long)size[d], d + 1);
        if (size[d] > 0 && n > STORAGE_MAX_BYTES / size[d])
            return th_seterror("tensor too large: cannot allocate that many elements");
        if (size[d] > 0) n *= size[d];
    }
    return 0;
}

int tensor_resize(Tensor *t, int ndim, const int64_t *size)
{
    if (check_sizes(ndim, size) != 0) return -1;
    int same = ndim == t->ndim;
    for (int d = 0; same && d < ndim; d++) same = size[d] == t->size[d];
    if (same && (ndim == 0 || tensor_is_contiguous(t)) && (t->storage || ndim == 0))
        return 0;
    int64_t stride[TENSOR_MAXDIM], n = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        stride[d] = n;
        n *= size[d];
    }
    if (ndim > 0) {
        int64_t need = t->offset + n;
        if (!t->storage) {
            t->storage = storage_new(t->dtype, need);
            if (!t->storage) return -1;
        } else if (need > t->storage->size) {
            if (storage_resize(t->storage, need) != 0) return -1;
        }
    }
    t->ndim = ndim;
    for (int d = 0; d < ndim; d++) {
        t->size[d] = size[d];
        t->stride[d] = stride[d];
    }
    return 0;
}

int tensor_resize_as(Tensor *t, const Tensor *like)
{
    return tensor_resize(t, like->ndim, like->size);
}

int tensor_set_storage(Tensor *t, Storage *s, int64_t offset, int ndim,
                       const int64_t *size, const int64_t *stride)
{
    if (check_sizes(ndim, size) != 0) return -1;
    if (offset < 0)
        return th_seterror("storage offset must be positive, got %lld", (long long)offset + 1);
    int64_t st[TENSOR_MAXDIM], n = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        st[d] = (stride && stride[d] >= 0) ? stride[d] : n;
        n *= size[d];
    }
    int64_t extent = view_extent(ndim, size, st);
    if (extent > 0 && (!s || extent > s->size - offset))   /* no overflow for huge extents */
        return th_seterror("view out of storage bounds: offset %lld + extent %lld > storage size %lld",
                           (long long)offset + 1, (long long)extent, (long long)(s ? s->size : 0));
    if (s && s->dtype != t->dtype)
        return th_seterror("storage of type %s cannot back a %s tensor",
                           dtype_name(s->dtype), dtype_name(t->dtype));
    storage_retain(s);
    storage_release(t->storage);
    t->storage = s;
    t->offset = offset;
    t->ndim = ndim;
    for (int d = 0; d < ndim; d++) {
        t->size[d] = size[d];
        t->stride[d] = st[d];
    }
    return 0;
}

void tensor_set(Tensor *t, const Tensor *src)
{
    if (t == src) return;
    storage_retain(src->storage);
    storage_release(t->storage);
    t->storage = src->storage;
    t->offset = src->offset;
    t->ndim = src->ndim;
    memcpy(t->size, src->size, sizeof t->size);
    memcpy(t->stride, src->stride, sizeof t->stride);
}

/* ======================================================================
 * views
 * ====================================================================== */

static int check_dim(const Tensor *t, int dim)
{
    if (dim < 0 || dim >= t->ndim)
        return th_seterror("dimension %d out of range of %dD tensor", dim + 1, t->ndim);
    return 0;
}

int tensor_narrow(Tensor *res, const Tensor *src, int dim, int64_t first, int64_t n)
{
    if (check_dim(src, dim)) return -1;
    if (first < 0 || first >= src->size[dim])
        return th_seterror("out of range: index %lld of dimension %d (size %lld)",
                           (long long)first + 1, dim + 1, (long long)src->size[dim]);
    if (n <= 0 || first + n > src->size[dim])
        return th_seterror("out of range: %lld elements from index %lld of dimension %d (size %lld)",
                           (long long)n, (long long)first + 1, dim + 1, (long long)src->size[dim]);
    tensor_set(res, src);
    res->offset += first * res->stride[dim];
    res->size[dim] = n;
    return 0;
}

int tensor_select(Tensor *res, const Tensor *src, int dim, int64_t index)
{
    if (src->ndim < 2)
        return th_seterror("cannot select on a %dD tensor (a number comes from 1D)", src->ndim);
    if (check_dim(src, dim)) return -1;
    if (index < 0 || index >= src->size[dim])
        return th_seterror("out of range: index %lld of dimension %d (size %lld)",
                           (long long)index + 1, dim + 1, (long long)src->size[dim]);
    tensor_set(res, src);
    res->offset += index * res->stride[dim];
    for (int d = dim; d < res->ndim - 1; d++) {
        res->size[d] = res->size[d + 1];
        res->stride[d] = res->stride[d + 1];
    }
    res->ndim--;
    return 0;
}

int tensor_transpose(Tensor *res, const Tensor *src, int d1, int d2)
{
    if (check_dim(src, d1) || check_dim(src, d2)) return -1;
    tensor_set(res, src);
    int64_t s = res->size[d1], st = res->stride[d1];
    res->size[d1] = res->size[d2];
    res->stride[d1] = res->stride[d2];
    res->size[d2] = s;
    res->stride[d2] = st;
    return 0;
}

int tensor_permute(Tensor *res, const Tensor *src, const int *perm)
{
    int seen[TENSOR_MAXDIM] = {0};
    for (int d = 0; d < src->ndim; d++) {
        if (perm[d] < 0 || perm[d] >= src->ndim || seen[perm[d]])
            return th_seterror("invalid permutation: entry %d is %d (dims are 1..%d, each once)",
                               d + 1, perm[d] + 1, src->ndim);
        seen[perm[d]] = 1;
    }
    int64_t size[TENSOR_MAXDIM], stride[TENSOR_MAXDIM];
    for (int d = 0; d < src->ndim; d++) {
        size[d] = src->size[perm[d]];
        stride[d] = src->stride[perm[d]];
    }
    tensor_set(res, src);
    memcpy(res->size, size, sizeof size);
    memcpy(res->stride, stride, sizeof stride);
    return 0;
}

int tensor_unfold(Tensor *res, const Tensor *src, int dim, int64_t size, int64_t step)
{
    if (src->ndim == 0) return th_seterror("cannot unfold an empty tensor");
    if (check_dim(src, dim)) return -1;
    if (src->ndim >= TENSOR_MAXDIM) return th_seterror("too many dimensions to unfold");
    if (size > src->size[dim] || size <= 0)
        return th_seterror("out of range: unfold size %lld for dimension %d of size %lld",
                           (long long)size, dim + 1, (long long)src->size[dim]);
    if (step <= 0) return th_seterror("unfold step must be positive, got %lld", (long long)step);
    int64_t st = src->stride[dim];
    tensor_set(res, src);
    res->size[res->ndim] = size;
    res->stride[res->ndim] = st;
    res->size[dim] = (src->size[dim] - size) / step + 1;
    res->stride[dim] = step * st;
    res->ndim++;
    return 0;
}

int tensor_view(Tensor *res, const Tensor *src, int ndim, const int64_t *size)
{
    char a[128], b[128];
    if (ndim < 1 || ndim > TENSOR_MAXDIM)
        return th_seterror("view needs 1 to %d sizes, got %d", TENSOR_MAXDIM, ndim);
    if (!tensor_is_contiguous(src)) return th_seterror("expecting a contiguous tensor");
    int64_t sz[TENSOR_MAXDIM], known = 1, n = tensor_nelement(src);
    int infer = -1;
    for (int d = 0; d < ndim; d++) {
        sz[d] = size[d];
        if (size[d] == -1 && infer < 0) { infer = d; continue; }
        if (size[d] < 0) return th_seterror("invalid size %lld in view", (long long)size[d]);
        /* a wrapped product could match n by accident */
        if (__builtin_mul_overflow(known, size[d], &known)) goto mismatch;
    }
    if (infer >= 0) {
        if (known == 0 || n % known != 0) goto mismatch;
        sz[infer] = n / known;
    } else if (known != n) {
        goto mismatch;
    }
    /* the storage and offset are kept; only the geometry changes */
    tensor_set(res, src);
    res->ndim = ndim;
    int64_t z = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        res->size[d] = sz[d];
        res->stride[d] = z;
        z *= sz[d];
    }
    return 0;
mismatch:
    {
        Tensor shape = {.ndim = ndim};
        memcpy(shape.size, size, sizeof(int64_t) * (size_t)ndim);
        return th_seterror("Wrong size for view. Input size: %s. Output size: %s",
                           tensor_size_string(src, a, sizeof a),
                           tensor_size_string(&shape, b, sizeof b));
    }
}

int tensor_expand(Tensor *res, const Tensor *src, int ndim, const int64_t *size)
{
    if (ndim != src->ndim)
        return th_seterror("the number of dimensions provided must equal tensor:dim() (%d given, %d expected)",
                           ndim, src->ndim);
    int64_t stride[TENSOR_MAXDIM];
    for (int d = 0; d < ndim; d++) {
        if (src->size[d] == size[d]) {
            stride[d] = src->stride[d];
        } else if (src->size[d] == 1 && size[d] > 0) {
            stride[d] = 0;
        } else {
            return th_seterror("incorrect size: only supporting singleton expansion (size=1): "
                               "dimension %d has size %lld, asked %lld",
                               d + 1, (long long)src->size[d], (long long)size[d]);
        }
    }
    /* nElement must stay representable: a wrapped count would size buffers
     * (nonzero, bernoulli, ...) smaller than the loops over the dims */
    int64_t count = 1;
    for (int d = 0; d < ndim; d++)
        if (__builtin_mul_overflow(count, size[d], &count))
            return th_seterror("expand: too many elements (the sizes multiply beyond 2^63)");
    tensor_set(res, src);
    for (int d = 0; d < ndim; d++) {
        res->size[d] = size[d];
        res->stride[d] = stride[d];
    }
    return 0;
}

int tensor_squeeze(Tensor *res, const Tensor *src, int dim)
{
    if (dim >= 0 && check_dim(src, dim)) return -1;
    int64_t size[TENSOR_MAXDIM], stride[TENSOR_MAXDIM];
    int n = 0;
    for (int d = 0; d < src->ndim; d++) {
        int drop = src->size[d] == 1 && (dim < 0 || d == dim);
        if (dim >= 0 && src->ndim == 1) drop = 0;   /* squeeze(1) of a 1-D tensor keeps it */
        if (!drop) {
            size[n] = src->size[d];
            stride[n] = src->stride[d];
            n++;
        }
    }
    if (n == 0 && src->ndim > 0) {   /* a single element stays a 1-D tensor */
        size[0] = 1;
        stride[0] = 1;
        n = 1;
    }
    tensor_set(res, src);
    res->ndim = n;
    memcpy(res->size, size, sizeof(int64_t) * (size_t)n);
    memcpy(res->stride, stride, sizeof(int64_t) * (size_t)n);
    return 0;
}

int tensor_unsqueeze(Tensor *res, const Tensor *src, int dim)
{
    if (dim < 0 || dim > src->ndim)
        return th_seterror("dimension %d out of range of %dD tensor", dim + 1, src->ndim + 1);
    if (src->ndim >= TENSOR_MAXDIM) return th_seterror("too many dimensions");
    int64_t size[TENSOR_MAXDIM], stride[TENSOR_MAXDIM];
    for (int d = 0, s = 0; d <= src->ndim; d++) {
        if (d == dim) {
            size[d] = 1;
            stride[d] = s < src->ndim ? src->size[s] * src->stride[s] : 1;
        } else {
            size[d] = src->size[s];
            stride[d] = src->stride[s];
            s++;
        }
    }
    tensor_set(res, src);
    res->ndim = src->ndim + 1;
    memcpy(res->size, size, sizeof size);
    memcpy(res->stride, stride, sizeof stride);
    return 0;
}

/* ======================================================================
 * row iteration
 * ====================================================================== */

/* The row of a view is its longest suffix of dims that lies in memory as one
 * evenly spaced run: dim d joins when stride[d] == row_stride * row_len (size-1
 * dims always join, their stride is irrelevant).  Returns the first dim of
 * that suffix and the run's stride. */
static int row_split(const Tensor *t, int64_t *row_stride)
{
    int64_t st = 1, len = 1;
    int d = t->ndim - 1, seen = 0;
    for (; d >= 0; d--) {
        if (t->size[d] == 1) continue;
        if (!seen) {
            st = t->stride[d];
            seen = 1;
        } else if (t->stride[d] != st * len) {
            break;
        }
        len *= t->size[d];
    }
    *row_stride = st;
    return d + 1;
}

TensorRows tensor_rows_info(const Tensor *t)
{
    TensorRows r = {0, 1, 0};
    int64_t n = tensor_nelement(t);
    if (n == 0) return r;
    int outer = row_split(t, &r.row_stride);
    r.row_len = 1;
    for (int d = outer; d < t->ndim; d++) r.row_len *= t->size[d];
    r.nrows = n / r.row_len;
    return r;
}

int64_t tensor_row_offset(const Tensor *t, int64_t row)
{
    int64_t st;
    int outer = row_split(t, &st);
    int64_t off = 0;
    for (int d = outer - 1; d >= 0; d--) {
        off += (row % t->size[d]) * t->stride[d];
        row /= t->size[d];
    }
    return off;
}

/* ======================================================================
 * copies
 * ====================================================================== */

/* conv_<dst>_<src>: n elements with strides, C casts.  One function per type
 * pair, chosen once per chunk (never per element). */
#define DTYPE_FOREACH_SRC(X, DT, T)        \
    X(DT, T, DT_BYTE, uint8_t, u8)         \
    X(DT, T, DT_CHAR, int8_t, i8)          \
    X(DT, T, DT_SHORT, int16_t, i16)       \
    X(DT, T, DT_INT, int32_t, i32)         \
    X(DT, T, DT_LONG, int64_t, i64)        \
    X(DT, T, DT_FLOAT, float, f32)         \
    X(DT, T, DT_DOUBLE, double, f64)

typedef void (*ConvFn)(void *dst, int64_t ds, const void *src, int64_t ss, int64_t n);

#define CONV_FN(DD, TD, DS, TS, SS)                                               \
    static void conv_##DD##_##SS(void *dst, int64_t ds, const void *src,          \
                                 int64_t ss, int64_t n)                           \
    {                                                                             \
        TD *d = dst;                                                              \
        const TS *s = src;                                                        \
        if (ds == 1 && ss == 1)                                                   \
            for (int64_t i = 0; i < n; i++) d[i] = (TD)s[i];                      \
        else                                                                      \
            for (int64_t i = 0; i < n; i++) d[i * ds] = (TD)s[i * ss];            \
    }
#define CONV_ROW(DT, T, SFX) DTYPE_FOREACH_SRC(CONV_FN, DT, T)
DTYPE_FOREACH(CONV_ROW)

#define CONV_ENTRY(DD, TD, DS, TS, SS) conv_##DD##_##SS,
#define CONV_TABLE_ROW(DT, T, SFX) {DTYPE_FOREACH_SRC(CONV_ENTRY, DT, T)},
static const ConvFn conv_table[DT_COUNT][DT_COUNT] = {DTYPE_FOREACH(CONV_TABLE_ROW)};

int tensor_copy(Tensor *dst, const Tensor *src)
{
    int64_t n = tensor_nelement(dst);
    if (n != tensor_nelement(src)) {
        char a[128], b[128];
        return th_seterror("inconsistent tensor size, expected tensor [%s] and src [%s] to have the "
                           "same number of elements, but got %lld and %lld elements respectively",
                           tensor_size_string(dst, a, sizeof a), tensor_size_string(src, b, sizeof b),
                           (long long)n, (long long)tensor_nelement(src));
    }
    if (n == 0) return 0;
    char *dp = tensor_data(dst);
    const char *sp = tensor_data(src);
    size_t des = dtype_size(dst->dtype), ses = dtype_size(src->dtype);
    if (dst->dtype == src->dtype && tensor_is_contiguous(dst) && tensor_is_contiguous(src)) {
        if (dp != sp) memmove(dp, sp, (size_t)n * des);
        return 0;
    }
    ConvFn fn = conv_table[dst->dtype][src->dtype];
    TensorRows dr = tensor_rows_info(dst), sr = tensor_rows_info(src);
    /* Walk both views row by row; rows may differ in length when the shapes
     * differ (only element counts must agree), so copy in common chunks. */
    int64_t drow = 0, dpos = 0, srow = 0, spos = 0;
    int64_t doff = tensor_row_offset(dst, 0), soff = tensor_row_offset(src, 0);
    while (drow < dr.nrows) {
        int64_t chunk = dr.row_len - dpos;
        if (sr.row_len - spos < chunk) chunk = sr.row_len - spos;
        fn(dp + (doff + dpos * dr.row_stride) * (int64_t)des, dr.row_stride,
           sp + (soff + spos * sr.row_stride) * (int64_t)ses, sr.row_stride, chunk);
        dpos += chunk;
        spos += chunk;
        if (dpos == dr.row_len && ++drow < dr.nrows) {
            dpos = 0;
            doff = tensor_row_offset(dst, drow);
        }
        if (spos == sr.row_len && ++srow < sr.nrows) {
            spos = 0;
            soff = tensor_row_offset(src, srow);
        }
    }
    return 0;
}

Tensor *tensor_convert(const Tensor *src, DType dt)
{
    Tensor *t = tensor_new(dt);
    if (!t) return NULL;
    if (src->ndim > 0 && (tensor_resize(t, src->ndim, src->size) != 0 || tensor_copy(t, src) != 0)) {
        tensor_release(t);
        return NULL;
    }
    return t;
}

Tensor *tensor_clone(const Tensor *src)
{
    return tensor_convert(src, src->dtype);
}

Tensor *tensor_contiguous(Tensor *src)
{
    if (tensor_is_contiguous(src)) {
        Tensor *t = tensor_new_view(src);
        return t;
    }
    return tensor_clone(src);
}

/* ======================================================================
 * element access
 * ====================================================================== */

static int64_t elem_offset(const Tensor *t, const int64_t *index)
{
    int64_t off = t->offset;
    for (int d = 0; d < t->ndim; d++) off += index[d] * t->stride[d];
    return off;
}

double tensor_get(const Tensor *t, const int64_t *index)
{
    return storage_get(t->storage, elem_offset(t, index));
}

void tensor_set_elem(Tensor *t, const int64_t *index, double v)
{
    storage_set(t->storage, elem_offset(t, index), v);
}

double tensor_get_flat(const Tensor *t, int64_t i)
{
    int64_t off = t->offset;
    for (int d = t->ndim - 1; d >= 0; d--) {
        off += (i % t->size[d]) * t->stride[d];
        i /= t->size[d];
    }
    return storage_get(t->storage, off);
}
