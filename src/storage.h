/* storage.h: refcounted flat arrays of one element type.
 *
 * A Storage owns its bytes, or (when `base` is set) is a window into another
 * storage's bytes (Torch7's `torch.XStorage(s, offset, size)`), keeping that
 * base alive.  Tensors are views on storages (tensor.h). */
#ifndef EMBER_STORAGE_H
#define EMBER_STORAGE_H

#include "dtype.h"

typedef struct Storage {
    DType dtype;
    int64_t size;          /* number of elements */
    void *data;            /* size * dtype_size(dtype) bytes; NULL when size == 0 */
    int refcount;
    struct Storage *base;  /* non-NULL: data points into base, which we retain */
    int nviews;            /* live storages whose base is this one: while > 0,
                            * resizing would leave their data pointers dangling */
} Storage;

/* Largest storage the core agrees to allocate, in bytes (a bound that turns
 * absurd sizes from user input or corrupt files into an error, not an OOM). */
#define STORAGE_MAX_BYTES ((int64_t)1 << 40)

/* New storage of n elements, zero-filled, refcount 1.  Returns NULL and sets
 * the error when n < 0 or the allocation fails. */
Storage *storage_new(DType dt, int64_t n);

/* New storage of refcount 1 that views n elements of `base` from element
 * `offset` (0-based).  Returns NULL + error when the window is out of bounds. */
Storage *storage_new_view(Storage *base, int64_t offset, int64_t n);

void storage_retain(Storage *s);
/* Drops one reference; frees (and releases the base) at zero. NULL is ok. */
void storage_release(Storage *s);

/* Grows or shrinks to n elements keeping the common prefix; new elements are
 * zero.  Fails (-1) for views, for storages that views point into, and on
 * allocation failure (storage unchanged). */
int storage_resize(Storage *s, int64_t n);

/* Fills every element with v converted to the element type (C cast). */
void storage_fill(Storage *s, double v);

/* Element i (0-based, unchecked) as a double / set from a double. */
double storage_get(const Storage *s, int64_t i);
void storage_set(Storage *s, int64_t i, double v);

#endif
