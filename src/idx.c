/* idx.c: IDX reader (see idx.h).  The bytes come either from a file through
 * codec.c (which undoes gzip) or from memory; both go through one parser so
 * files and in-memory tests get the same checks. */
#include "idx.h"

#include <stdint.h>
#include <string.h>

#include "codec.h"
#include "error.h"

/* Where the parser's bytes come from. */
typedef struct Source {
    CodecFile *file;            /* a file, or */
    const unsigned char *mem;   /* memory: mem[pos..n) */
    size_t pos, n;
    const char *what;           /* for messages */
} Source;

/* Reads up to k bytes; returns how many (short only at the end), -1 on a
 * corrupt compressed stream (error already set). */
static int64_t src_read(Source *s, void *buf, size_t k)
{
    if (s->file) return codec_read(s->file, buf, k);
    size_t left = s->n - s->pos;
    if (k > left) k = left;
    memcpy(buf, s->mem + s->pos, k);
    s->pos += k;
    return (int64_t)k;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* IDX type byte -> tensor type; DT_COUNT when unknown. */
static DType idx_dtype(int code)
{
    switch (code) {
    case 0x08: return DT_BYTE;
    case 0x09: return DT_CHAR;
    case 0x0B: return DT_SHORT;
    case 0x0C: return DT_INT;
    case 0x0D: return DT_FLOAT;
    case 0x0E: return DT_DOUBLE;
    default: return DT_COUNT;
    }
}

/* Big-endian elements to host order, in place. */
static void from_big_endian(unsigned char *p, int64_t count, size_t es)
{
    const uint16_t probe = 1;
    if (es == 1 || *(const unsigned char *)&probe == 0) return;   /* big-endian host */
    for (int64_t i = 0; i < count; i++, p += es) {
        for (size_t a = 0, b = es - 1; a < b; a++, b--) {
            unsigned char t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
    }
}

static Tensor *parse(Source *s)
{
    unsigned char head[4];
    int64_t got = src_read(s, head, 4);
    if (got < 0) return NULL;
    if (got < 4) {
        th_seterror("%s: not an IDX file (%lld bytes, too short for a header)", s->what, (long long)got);
        return NULL;
    }
    if (head[0] != 0 || head[1] != 0) {
        th_seterror("%s: not an IDX file (magic number 0x%08x, expected 0x0000TTNN)", s->what, be32(head));
        return NULL;
    }
    DType dt = idx_dtype(head[2]);
    if (dt == DT_COUNT) {
        th_seterror("%s: unknown IDX data type 0x%02x (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)",
                    s->what, head[2]);
        return NULL;
    }
    int ndim = head[3];
    if (ndim < 1 || ndim > TENSOR_MAXDIM) {
        th_seterror("%s: IDX file with %d dimensions (expected 1 to %d)", s->what, ndim, TENSOR_MAXDIM);
        return NULL;
    }

    unsigned char dims[4 * TENSOR_MAXDIM];
    got = src_read(s, dims, 4 * (size_t)ndim);
    if (got < 0) return NULL;
    if (got < 4 * ndim) {
        th_seterror("%s: truncated IDX header (%d sizes announced, %lld bytes of them present)",
                    s->what, ndim, (long long)got);
        return NULL;
    }
    int64_t size[TENSOR_MAXDIM];
    size_t es = dtype_size(dt);
    int64_t count = 1;
    /* Bound the product as we go, so a corrupt header becomes an error and
     * not a huge allocation. */
    const int64_t max_count = STORAGE_MAX_BYTES / (int64_t)es;
    for (int d = 0; d < ndim; d++) {
        size[d] = be32(dims + 4 * d);
        if (size[d] != 0 && count > max_count / size[d]) {
            th_seterror("%s: IDX sizes too large (dimension %d of size %lld makes more than %lld bytes)",
                        s->what, d + 1, (long long)size[d], (long long)STORAGE_MAX_BYTES);
            return NULL;
        }
        count *= size[d];
    }

    Tensor *t = tensor_new_sized(dt, ndim, size);
    if (!t) return NULL;
    int64_t bytes = count * (int64_t)es;
    if (bytes > 0) {
        got = src_read(s, tensor_data(t), (size_t)bytes);
        if (got < 0) {
            tensor_release(t);
            return NULL;
        }
        if (got < bytes) {
            th_seterror("%s: truncated IDX file (expected %lld bytes of data, got %lld)",
                        s->what, (long long)bytes, (long long)got);
            tensor_release(t);
            return NULL;
        }
        from_big_endian(tensor_data(t), count, es);
    }
    /* Anything after the data means the header does not describe the file. */
    unsigned char extra;
    got = src_read(s, &extra, 1);
    if (got != 0) {
        if (got > 0)
            th_seterror("%s: bytes after the IDX data (the header announces %lld bytes)",
                        s->what, (long long)bytes);
        tensor_release(t);
        return NULL;
    }
    return t;
}

Tensor *idx_load(const char *path)
{
    Source s = {.what = path};
    s.file = codec_open(path);
    if (!s.file) return NULL;
    Tensor *t = parse(&s);
    codec_close(s.file);
    return t;
}

Tensor *idx_decode(const unsigned char *buf, size_t n, const char *what)
{
    Source s = {.mem = buf, .n = n, .what = what ? what : "IDX data"};
    return parse(&s);
}
