/* test_tensor.c: storages, views, strides, conversions and row walking of the
 * core, each checked against naive index arithmetic. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "error.h"
#include "tensor.h"

static Tensor *seq(DType dt, int ndim, const int64_t *size)
{
    /* values 0, 1, 2, ... in row-major order */
    Tensor *t = tensor_new_sized(dt, ndim, size);
    for (int64_t i = 0; i < tensor_nelement(t); i++) storage_set(t->storage, i, (double)i);
    return t;
}

static void test_storage(void)
{
    Storage *s = storage_new(DT_FLOAT, 5);
    CHECK(s && s->size == 5 && storage_get(s, 4) == 0);
    storage_fill(s, 2.5);
    CHECK(storage_get(s, 3) == 2.5f);
    CHECK(storage_resize(s, 8) == 0 && s->size == 8 && storage_get(s, 4) == 2.5 && storage_get(s, 7) == 0);
    Storage *v = storage_new_view(s, 2, 3);
    CHECK(v && v->size == 3);
    storage_set(v, 0, 9);
    CHECK(storage_get(s, 2) == 9);
    CHECK(storage_resize(v, 10) == -1 && strstr(th_lasterror(), "views another"));
    CHECK(storage_new_view(s, 7, 5) == NULL && strstr(th_lasterror(), "size out of bounds"));
    CHECK(storage_new_view(s, 9, 0) == NULL && strstr(th_lasterror(), "offset out of bounds"));
    storage_release(s);           /* the view keeps the base alive */
    CHECK(storage_get(v, 0) == 9);
    storage_release(v);
    CHECK(storage_new(DT_DOUBLE, -1) == NULL && strstr(th_lasterror(), "non-negative"));
    CHECK(storage_new(DT_DOUBLE, INT64_MAX / 4) == NULL && strstr(th_lasterror(), "too large"));
    Storage *b = storage_new(DT_BYTE, 1);
    storage_set(b, 0, 200);
    CHECK(storage_get(b, 0) == 200);
    storage_release(b);
}

static void test_resize_contiguous(void)
{
    int64_t sz[3] = {2, 3, 4};
    Tensor *t = tensor_new(DT_DOUBLE);
    CHECK(t->ndim == 0 && t->storage == NULL && tensor_nelement(t) == 0);
    CHECK(tensor_resize(t, 3, sz) == 0);
    CHECK(t->stride[0] == 12 && t->stride[1] == 4 && t->stride[2] == 1 && tensor_is_contiguous(t));
    Storage *before = t->storage;
    int64_t small[2] = {3, 2};
    CHECK(tensor_resize(t, 2, small) == 0 && t->storage == before && t->storage->size == 24);
    int64_t neg[2] = {3, -2};
    CHECK(tensor_resize(t, 2, neg) == -1 && strstr(th_lasterror(), "non-negative"));
    CHECK(t->size[1] == 2);       /* unchanged on failure */
    int64_t huge[3] = {1 << 20, 1 << 20, 1 << 20};
    CHECK(tensor_resize(t, 3, huge) == -1 && strstr(th_lasterror(), "too large"));
    int64_t zero_huge[2] = {0, (int64_t)1 << 62};   /* a 0 dim must not hide an overflow */
    CHECK(tensor_resize(t, 2, zero_huge) == -1 && strstr(th_lasterror(), "too large"));
    tensor_release(t);
}

static void test_views_share(void)
{
    int64_t sz[2] = {4, 5};
    Tensor *t = seq(DT_DOUBLE, 2, sz), *v = tensor_new(DT_DOUBLE);
    int64_t ix[2];
    CHECK(tensor_narrow(v, t, 1, 1, 3) == 0 && v->size[0] == 4 && v->size[1] == 3);
    ix[0] = 2; ix[1] = 0;
    CHECK(tensor_get(v, ix) == 11 && !tensor_is_contiguous(v) && v->storage == t->storage);
    tensor_set_elem(v, ix, -1);
    ix[1] = 1;
    CHECK(tensor_get(t, ix) == -1);
    CHECK(tensor_narrow(v, t, 0, 3, 2) == -1 && strstr(th_lasterror(), "out of range"));
    CHECK(tensor_narrow(v, t, 2, 0, 1) == -1 && strstr(th_lasterror(), "dimension 3 out of range of 2D tensor"));
    CHECK(tensor_select(v, t, 0, 3) == 0 && v->ndim == 1 && v->size[0] == 5 && tensor_get_flat(v, 4) == 19);
    CHECK(tensor_select(v, v, 0, 1) == -1);   /* 1-D: the binding returns a number instead */
    CHECK(tensor_transpose(v, t, 0, 1) == 0 && v->size[0] == 5 && v->stride[0] == 1 && v->stride[1] == 5);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++) {
            int64_t a[2] = {i, j}, b[2] = {j, i};
            CHECK(tensor_get(v, a) == tensor_get(t, b));
        }
    int perm[2] = {1, 0};
    Tensor *p = tensor_new(DT_DOUBLE);
    CHECK(tensor_permute(p, t, perm) == 0 && p->stride[0] == 1 && p->size[1] == 4);
    int bad[2] = {0, 0};
    CHECK(tensor_permute(p, t, bad) == -1 && strstr(th_lasterror(), "invalid permutation"));
    tensor_release(p);
    tensor_release(v);
    tensor_release(t);
}

static void test_view_expand_squeeze_unfold(void)
{
    int64_t sz[2] = {2, 6};
    Tensor *t = seq(DT_FLOAT, 2, sz), *v = tensor_new(DT_FLOAT);
    int64_t vs[3] = {3, -1, 2};
    CHECK(tensor_view(v, t, 3, vs) == 0 && v->size[1] == 2 && v->stride[0] == 4);
    int64_t bad[1] = {5};
    CHECK(tensor_view(v, t, 1, bad) == -1 &&
          strstr(th_lasterror(), "Wrong size for view. Input size: 2x6. Output size: 5"));
    Tensor *tr = tensor_new(DT_FLOAT);
    tensor_transpose(tr, t, 0, 1);
    int64_t flat[1] = {12};
    CHECK(tensor_view(v, tr, 1, flat) == -1 && strstr(th_lasterror(), "expecting a contiguous tensor"));

    int64_t col[2] = {3, 1}, ex[2] = {3, 4};
    Tensor *c = seq(DT_FLOAT, 2, col), *e = tensor_new(DT_FLOAT);
    CHECK(tensor_expand(e, c, 2, ex) == 0 && e->stride[1] == 0 && tensor_get_flat(e, 7) == 1);
    int64_t ex3[3] = {3, 4, 1};
    CHECK(tensor_expand(e, c, 3, ex3) == -1 && strstr(th_lasterror(), "must equal tensor:dim()"));
    int64_t ex2[2] = {4, 4};
    CHECK(tensor_expand(e, c, 2, ex2) == -1 && strstr(th_lasterror(), "singleton expansion"));

    int64_t s3[4] = {1, 3, 1, 2};
    Tensor *q = seq(DT_FLOAT, 4, s3), *r = tensor_new(DT_FLOAT);
    CHECK(tensor_squeeze(r, q, -1) == 0 && r->ndim == 2 && r->size[0] == 3 && r->size[1] == 2);
    CHECK(tensor_squeeze(r, q, 2) == 0 && r->ndim == 3 && r->size[2] == 2);
    CHECK(tensor_squeeze(r, q, 1) == 0 && r->ndim == 4);   /* size 3: kept */
    int64_t one[3] = {1, 1, 1};
    Tensor *o = seq(DT_FLOAT, 3, one);
    CHECK(tensor_squeeze(r, o, -1) == 0 && r->ndim == 1 && r->size[0] == 1);
    CHECK(tensor_unsqueeze(r, c, 0) == 0 && r->ndim == 3 && r->size[0] == 1 && r->size[1] == 3);

    int64_t n7[1] = {7};
    Tensor *u = seq(DT_FLOAT, 1, n7), *w = tensor_new(DT_FLOAT);
    CHECK(tensor_unfold(w, u, 0, 3, 2) == 0 && w->ndim == 2 && w->size[0] == 3 && w->size[1] == 3);
    int64_t ix[2] = {2, 1};
    CHECK(tensor_get(w, ix) == 5);
    CHECK(tensor_unfold(w, u, 0, 8, 1) == -1 && strstr(th_lasterror(), "out of range"));
    for (Tensor **x = (Tensor *[]){t, v, tr, c, e, q, r, o, u, w, NULL}; *x; x++) tensor_release(*x);
}

/* Every type pair through strided views against a per-element reference. */
static void test_copy_convert(void)
{
    int64_t sz[3] = {3, 4, 5};
    for (int di = 0; di < DT_COUNT; di++)
        for (int si = 0; si < DT_COUNT; si++) {
            Tensor *src = seq((DType)si, 3, sz), *st = tensor_new((DType)si);
            tensor_transpose(st, src, 0, 2);                  /* 5x4x3, non-contiguous */
            int64_t dsz[2] = {6, 20};
            Tensor *dbig = tensor_new_sized((DType)di, 2, dsz), *dst = tensor_new((DType)di);
            tensor_narrow(dst, dbig, 1, 4, 10);               /* 6x10 rows of a 6x20 */
            CHECK(tensor_copy(dst, st) == 0);
            int ok = 1;
            for (int64_t i = 0; i < 60; i++) {
                double want = tensor_get_flat(st, i);
                if ((DType)di == DT_CHAR) want = (double)(int8_t)(int)want;
                ok &= tensor_get_flat(dst, i) == want;
            }
            CHECK(ok);
            CHECK(storage_get(dbig->storage, 3) == 0 && storage_get(dbig->storage, 14) == 0);
            tensor_release(src); tensor_release(st); tensor_release(dbig); tensor_release(dst);
        }
    int64_t a[1] = {4}, b[1] = {5};
    Tensor *x = seq(DT_INT, 1, a), *y = seq(DT_INT, 1, b);
    CHECK(tensor_copy(x, y) == -1 && strstr(th_lasterror(), "inconsistent tensor size"));
    Tensor *c = tensor_convert(x, DT_DOUBLE);
    CHECK(c->dtype == DT_DOUBLE && tensor_get_flat(c, 3) == 3);
    Tensor *same = tensor_contiguous(x);
    CHECK(same != x && same->storage == x->storage);
    tensor_release(x); tensor_release(y); tensor_release(c); tensor_release(same);
}

static void test_rows(void)
{
    int64_t sz[3] = {4, 3, 6};
    Tensor *t = seq(DT_DOUBLE, 3, sz), *v = tensor_new(DT_DOUBLE), *w = tensor_new(DT_DOUBLE);
    TensorRows r = tensor_rows_info(t);
    CHECK(r.nrows == 1 && r.row_len == 72 && r.row_stride == 1);
    tensor_narrow(v, t, 2, 1, 4);          /* rows of 4 within rows of 6 */
    r = tensor_rows_info(v);
    CHECK(r.nrows == 12 && r.row_len == 4 && r.row_stride == 1);
    tensor_transpose(w, t, 0, 2);          /* innermost stride 18 */
    r = tensor_rows_info(w);
    CHECK(r.row_stride == 18 && r.row_len * r.nrows == 72);
    /* every element visited in row-major order */
    for (Tensor **x = (Tensor *[]){v, w, NULL}; *x; x++) {
        TensorRows rr = tensor_rows_info(*x);
        const double *base = tensor_data(*x);
        int ok = 1;
        int64_t k = 0;
        for (int64_t row = 0; row < rr.nrows; row++) {
            int64_t off = tensor_row_offset(*x, row);
            for (int64_t i = 0; i < rr.row_len; i++, k++)
                ok &= base[off + i * rr.row_stride] == tensor_get_flat(*x, k);
        }
        CHECK(ok && k == tensor_nelement(*x));
    }
    tensor_release(t); tensor_release(v); tensor_release(w);
}

static void test_set_storage(void)
{
    Storage *s = storage_new(DT_LONG, 10);
    Tensor *t = tensor_new(DT_LONG);
    int64_t sz[2] = {2, 2}, st[2] = {4, 2};
    CHECK(tensor_set_storage(t, s, 1, 2, sz, st) == 0 && t->stride[0] == 4);
    CHECK(tensor_set_storage(t, s, 6, 2, sz, st) == -1 && strstr(th_lasterror(), "out of storage bounds"));
    int64_t one[1] = {2}, two[1] = {2};   /* Torch7's torch.Tensor(s, 1, 2, 2): one dim, stride 2 */
    CHECK(tensor_set_storage(t, s, 0, 1, one, two) == 0 && t->ndim == 1 && t->stride[0] == 2);
    Tensor *f = tensor_new(DT_FLOAT);
    CHECK(tensor_set_storage(f, s, 0, 1, one, NULL) == -1 && strstr(th_lasterror(), "cannot back"));
    tensor_release(f);
    tensor_release(t);
    storage_release(s);
}

static const CheckTest tests[] = {
    {"storage", test_storage},
    {"resize_contiguous", test_resize_contiguous},
    {"views_share", test_views_share},
    {"view_expand_squeeze_unfold", test_view_expand_squeeze_unfold},
    {"copy_convert", test_copy_convert},
    {"rows", test_rows},
    {"set_storage", test_set_storage},
    {NULL, NULL},
};

CHECK_MAIN(tests)
