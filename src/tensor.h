/* tensor.h: strided views on storages (Torch7's THTensor, one struct for all
 * seven types).
 *
 * A Tensor is dtype + ndim + sizes + strides (in elements, dim 0 outermost) +
 * offset (elements, 0-based) + a refcounted Storage.  The empty tensor has
 * ndim 0 and may have no storage at all (Torch7: `torch.Tensor()`).
 *
 * Conventions for every function below:
 *  - all indices and dims are 0-based (the bindings convert from Lua's 1-based);
 *  - functions that can fail on user input return 0 on success, -1 with
 *    th_seterror() set on failure, and leave their result unchanged on failure;
 *  - "view" functions re-point `res` at `src`'s storage (retaining it) and never
 *    copy data; `res` may be the same object as `src`;
 *  - functions taking a result tensor resize it as needed (tensor_resize). */
#ifndef EMBER_TENSOR_H
#define EMBER_TENSOR_H

#include "storage.h"

#define TENSOR_MAXDIM 16

typedef struct Tensor {
    DType dtype;
    int ndim;
    int64_t size[TENSOR_MAXDIM];
    int64_t stride[TENSOR_MAXDIM];
    int64_t offset;
    Storage *storage;   /* NULL only for a never-allocated empty tensor */
    int refcount;
} Tensor;

/* ---- lifetime ---------------------------------------------------------- */

/* New empty tensor (ndim 0, no storage), refcount 1. NULL on OOM. */
Tensor *tensor_new(DType dt);
/* New contiguous tensor of the given sizes (zero-filled). NULL + error on bad
 * sizes (negative, too many dims, too large). */
Tensor *tensor_new_sized(DType dt, int ndim, const int64_t *size);
/* New tensor object viewing the same storage/geometry as src (Torch7's
 * `torch.Tensor(t)`). */
Tensor *tensor_new_view(const Tensor *src);
void tensor_retain(Tensor *t);
void tensor_release(Tensor *t);   /* NULL is ok */

/* ---- geometry ---------------------------------------------------------- */

int64_t tensor_nelement(const Tensor *t);   /* 0 for ndim 0 */
int tensor_is_contiguous(const Tensor *t);  /* Torch7's rule: size-1 dims skipped */
int tensor_is_same_size(const Tensor *a, const Tensor *b);
/* Pointer to element 0 of the view (storage data + offset). NULL if no storage. */
void *tensor_data(const Tensor *t);
/* Writes "2x3x4" (or "" for ndim 0) into buf; returns buf. */
char *tensor_size_string(const Tensor *t, char *buf, size_t cap);

/* ---- (re)shaping in place --------------------------------------------- */

/* Makes t contiguous with these sizes.  Keeps the storage (and data) when it
 * is already large enough and the geometry unchanged; otherwise grows the
 * storage (never shrinks).  Allocates a storage if t has none.  ndim 0 makes
 * t empty (storage kept).  Errors: negative size, ndim > TENSOR_MAXDIM, too big. */
int tensor_resize(Tensor *t, int ndim, const int64_t *size);
int tensor_resize_as(Tensor *t, const Tensor *like);
/* Torch7's `set`: t becomes a view of storage s (NULL allowed: empty) with the
 * given geometry; stride NULL or stride[i] < 0 means contiguous.  Checks that
 * the view fits in the storage. */
int tensor_set_storage(Tensor *t, Storage *s, int64_t offset, int ndim,
                       const int64_t *size, const int64_t *stride);
/* t becomes a view of src (same storage, offset, sizes, strides). */
void tensor_set(Tensor *t, const Tensor *src);

/* ---- views (res re-pointed at src's storage; res may equal src) -------- */

int tensor_narrow(Tensor *res, const Tensor *src, int dim, int64_t first, int64_t n);
/* Removes dim (src must have ndim >= 1; a 1-D src gives... see binding: the
 * binding returns a number for 1-D, the core makes a 0-dim result which is
 * an error here: requires src->ndim >= 2). */
int tensor_select(Tensor *res, const Tensor *src, int dim, int64_t index);
int tensor_transpose(Tensor *res, const Tensor *src, int d1, int d2);
int tensor_permute(Tensor *res, const Tensor *src, const int *perm);
int tensor_unfold(Tensor *res, const Tensor *src, int dim, int64_t size, int64_t step);
/* Requires a contiguous src; one size may be -1 (inferred). */
int tensor_view(Tensor *res, const Tensor *src, int ndim, const int64_t *size);
/* Size-1 dims expanded with stride 0; ndim must equal src->ndim. */
int tensor_expand(Tensor *res, const Tensor *src, int ndim, const int64_t *size);
/* Removes all size-1 dims (dim < 0) or only `dim` if its size is 1.  Torch7
 * keeps a 1-D tensor of one element when everything would vanish. */
int tensor_squeeze(Tensor *res, const Tensor *src, int dim);
/* Inserts a size-1 dim at position dim (0..ndim). */
int tensor_unsqueeze(Tensor *res, const Tensor *src, int dim);

/* ---- copies ------------------------------------------------------------- */

/* Element-wise copy in row-major order from any type into dst, converting
 * with C casts; requires equal element counts (not shapes).  dst and src may
 * overlap only if they are the same view. */
int tensor_copy(Tensor *dst, const Tensor *src);
/* New contiguous tensor: src itself (retained) when already contiguous, else a
 * fresh copy.  NULL + error on OOM. */
Tensor *tensor_contiguous(Tensor *src);
/* Always a fresh contiguous copy. */
Tensor *tensor_clone(const Tensor *src);
/* Fresh contiguous copy converted to dt. */
Tensor *tensor_convert(const Tensor *src, DType dt);

/* ---- element access (indices 0-based, unchecked) ----------------------- */

double tensor_get(const Tensor *t, const int64_t *index);
void tensor_set_elem(Tensor *t, const int64_t *index, double v);
/* Flat access in row-major order of the view (0 <= i < nelement). */
double tensor_get_flat(const Tensor *t, int64_t i);

/* ---- iteration helper ----------------------------------------------------
 * Kernels work on contiguous rows.  tensor_rows() walks a view as a sequence
 * of rows along its last dimension: call it with *pos = 0 and it returns the
 * element offset (relative to tensor_data) of each row, advancing *pos, and
 * -1 after the last row.  row_len and row_stride give the row's length and
 * element stride (1 when the innermost dim is dense).  A contiguous tensor is
 * reported as ONE row of nelement elements. */
typedef struct TensorRows {
    int64_t row_len;
    int64_t row_stride;
    int64_t nrows;
} TensorRows;
TensorRows tensor_rows_info(const Tensor *t);
int64_t tensor_row_offset(const Tensor *t, int64_t row);

#endif
