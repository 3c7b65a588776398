/* storage.c: refcounted flat arrays (see storage.h). */
#include "storage.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Checks n and returns the byte size, or -1 with the error set. */
static int64_t byte_size(DType dt, int64_t n)
{
    if (n < 0)
        return th_seterror("storage size must be non-negative, got %lld", (long long)n);
    if (n > STORAGE_MAX_BYTES / (int64_t)dtype_size(dt))
        return th_seterror("cannot allocate %lld elements of %s (%lld bytes): too large",
                           (long long)n, dtype_name(dt), (long long)n * (long long)dtype_size(dt));
    return n * (int64_t)dtype_size(dt);
}

Storage *storage_new(DType dt, int64_t n)
{
    int64_t bytes = byte_size(dt, n);
    if (bytes < 0) return NULL;
    Storage *s = malloc(sizeof *s);
    if (!s) { th_seterror("out of memory"); return NULL; }
    s->data = NULL;
    if (bytes > 0) {
        /* calloc: Torch7 leaves new storages uninitialised; zeros make runs
         * repeatable and cost little next to the first use of the memory. */
        s->data = calloc(1, (size_t)bytes);
        if (!s->data) {
            free(s);
            th_seterror("cannot allocate %lld bytes: out of memory", (long long)bytes);
            return NULL;
        }
    }
    s->dtype = dt;
    s->size = n;
    s->refcount = 1;
    s->base = NULL;
    s->nviews = 0;
    return s;
}

Storage *storage_new_view(Storage *base, int64_t offset, int64_t n)
{
    if (offset < 0 || offset > base->size)
        return th_seterror("offset out of bounds: %lld in a storage of size %lld",
                           (long long)offset + 1, (long long)base->size), NULL;
    if (n < 0 || n > base->size - offset)
        return th_seterror("size out of bounds: %lld from offset %lld in a storage of size %lld",
                           (long long)n, (long long)offset + 1, (long long)base->size), NULL;
    Storage *s = malloc(sizeof *s);
    if (!s) { th_seterror("out of memory"); return NULL; }
    s->dtype = base->dtype;
    s->size = n;
    s->data = base->data ? (char *)base->data + offset * (int64_t)dtype_size(base->dtype) : NULL;
    s->refcount = 1;
    s->base = base;
    s->nviews = 0;
    base->nviews++;
    storage_retain(base);
    return s;
}

void storage_retain(Storage *s)
{
    if (s) s->refcount++;
}

void storage_release(Storage *s)
{
    if (!s || --s->refcount > 0) return;
    if (s->base) {
        s->base->nviews--;
        storage_release(s->base);
    } else {
        free(s->data);
    }
    free(s);
}

int storage_resize(Storage *s, int64_t n)
{
    if (s->base)
        return th_seterror("cannot resize a storage that views another storage");
    if (s->nviews > 0 && n != s->size)
        return th_seterror("cannot resize a storage while %d storage view(s) point into it", s->nviews);
    int64_t bytes = byte_size(s->dtype, n);
    if (bytes < 0) return -1;
    if (n == s->size) return 0;
    if (bytes == 0) {
        free(s->data);
        s->data = NULL;
        s->size = 0;
        return 0;
    }
    void *p = realloc(s->data, (size_t)bytes);
    if (!p)
        return th_seterror("cannot allocate %lld bytes: out of memory", (long long)bytes);
    int64_t old = s->size * (int64_t)dtype_size(s->dtype);
    if (bytes > old) memset((char *)p + old, 0, (size_t)(bytes - old));
    s->data = p;
    s->size = n;
    return 0;
}

/* ---- typed element access ------------------------------------------------ */

#define FILL_CASE(DT, T, SFX)                              \
    case DT: {                                             \
        T *p = s->data, x = (T)v;                          \
        for (int64_t i = 0; i < s->size; i++) p[i] = x;    \
        break;                                             \
    }
void storage_fill(Storage *s, double v)
{
    switch (s->dtype) {
        DTYPE_FOREACH(FILL_CASE)
    default: break;
    }
}

#define GET_CASE(DT, T, SFX) case DT: return (double)((const T *)s->data)[i];
double storage_get(const Storage *s, int64_t i)
{
    switch (s->dtype) {
        DTYPE_FOREACH(GET_CASE)
    default: return 0;
    }
}

#define SET_CASE(DT, T, SFX) case DT: ((T *)s->data)[i] = (T)v; break;
void storage_set(Storage *s, int64_t i, double v)
{
    switch (s->dtype) {
        DTYPE_FOREACH(SET_CASE)
    default: break;
    }
}
