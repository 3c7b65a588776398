/* codec.c: zlib behind a small interface (see codec.h). */
#include "codec.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "error.h"

/* zlib counts in uInt; larger buffers are fed in pieces of this size. */
#define CHUNK_MAX ((size_t)1 << 30)

/* ======================================================================
 * Reading possibly gzip'd files
 * ====================================================================== */

struct CodecFile {
    gzFile gz;
    char *path;   /* for messages */
};

CodecFile *codec_open(const char *path)
{
    CodecFile *f = calloc(1, sizeof *f);
    if (!f) {
        th_seterror("cannot open %s: out of memory", path);
        return NULL;
    }
    f->path = strdup(path);
    errno = 0;
    /* gzopen reads non-gzip files transparently, which is what lets the
     * same loader take MNIST's .gz files and their unpacked copies. */
    f->gz = f->path ? gzopen(path, "rb") : NULL;
    if (!f->gz) {
        th_seterror("cannot open %s: %s", path, errno ? strerror(errno) : "out of memory");
        free(f->path);
        free(f);
        return NULL;
    }
    return f;
}

int64_t codec_read(CodecFile *f, void *buf, size_t n)
{
    unsigned char *p = buf;
    size_t total = 0;
    while (total < n) {
        size_t want = n - total;
        if (want > CHUNK_MAX) want = CHUNK_MAX;
        int got = gzread(f->gz, p + total, (unsigned)want);
        if (got < 0) {
            int err;
            const char *msg = gzerror(f->gz, &err);
            return th_seterror("%s: corrupt data (%s)", f->path, msg && *msg ? msg : "read error");
        }
        if (got == 0) break;
        total += (size_t)got;
    }
    if (total < n) {
        /* A short read is the end of the data only if zlib saw no error:
         * a gzip stream cut short reports Z_BUF_ERROR here. */
        int err;
        const char *msg = gzerror(f->gz, &err);
        if (err != Z_OK && err != Z_STREAM_END)
            return th_seterror("%s: corrupt or truncated data (%s)", f->path,
                               msg && *msg ? msg : "read error");
    }
    return (int64_t)total;
}

void codec_close(CodecFile *f)
{
    if (!f) return;
    if (f->gz) gzclose(f->gz);
    free(f->path);
    free(f);
}

int codec_write_file(const char *path, const void *buf, size_t n, int gzip)
{
    errno = 0;
    /* "wb" compresses; "wbT" writes the bytes through unchanged. */
    gzFile g = gzopen(path, gzip ? "wb" : "wbT");
    if (!g) return th_seterror("cannot open %s for writing: %s", path, errno ? strerror(errno) : "error");
    const unsigned char *p = buf;
    size_t done = 0;
    while (done < n) {
        size_t want = n - done;
        if (want > CHUNK_MAX) want = CHUNK_MAX;
        int put = gzwrite(g, p + done, (unsigned)want);
        if (put <= 0) {
            gzclose(g);
            return th_seterror("cannot write %s", path);
        }
        done += (size_t)put;
    }
    if (gzclose(g) != Z_OK) return th_seterror("cannot write %s (close failed)", path);
    return 0;
}

/* ======================================================================
 * zlib streams in memory
 * ====================================================================== */

int codec_inflate(const unsigned char *in, size_t n, unsigned char *out, size_t out_n,
                  const char *what)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK) return th_seterror("%s: cannot start zlib", what);
    size_t in_done = 0, out_done = 0;
    for (;;) {
        if (z.avail_in == 0 && in_done < n) {
            size_t k = n - in_done < CHUNK_MAX ? n - in_done : CHUNK_MAX;
            z.next_in = (unsigned char *)in + in_done;
            z.avail_in = (uInt)k;
            in_done += k;
        }
        /* Once out is full, a one-byte spare buffer lets us notice a stream
         * that holds more data than the caller expects. */
        unsigned char spare;
        if (out_done < out_n) {
            size_t k = out_n - out_done < CHUNK_MAX ? out_n - out_done : CHUNK_MAX;
            z.next_out = out + out_done;
            z.avail_out = (uInt)k;
        } else {
            z.next_out = &spare;
            z.avail_out = 1;
        }
        uInt room = z.avail_out;
        int rc = inflate(&z, Z_NO_FLUSH);
        size_t made = room - z.avail_out;
        if (out_done >= out_n && made > 0) {
            inflateEnd(&z);
            return th_seterror("%s: more data than expected (%zu bytes)", what, out_n);
        }
        out_done += made;
        if (rc == Z_STREAM_END) break;
        if (rc == Z_BUF_ERROR) {
            /* Output room was given and input is fed before each call, so
             * no progress means the input ran out before the stream end. */
            inflateEnd(&z);
            return th_seterror("%s: compressed data ends early (%zu of %zu bytes)", what, out_done, out_n);
        }
        if (rc != Z_OK) {
            th_seterror("%s: corrupt compressed data (%s)", what, z.msg ? z.msg : "bad stream");
            inflateEnd(&z);
            return -1;
        }
    }
    inflateEnd(&z);
    if (out_done != out_n)
        return th_seterror("%s: compressed data ends early (%zu of %zu bytes)", what, out_done, out_n);
    return 0;
}

int codec_deflate(const unsigned char *in, size_t n, unsigned char **out, size_t *out_n)
{
    *out = NULL;
    *out_n = 0;
    if (n > (size_t)UINT_MAX / 2) return th_seterror("deflate: %zu bytes is too much at once", n);
    uLong cap = compressBound((uLong)n);
    unsigned char *buf = malloc(cap ? cap : 1);
    if (!buf) return th_seterror("deflate: out of memory (%lu bytes)", (unsigned long)cap);
    uLongf len = cap;
    if (compress2(buf, &len, in, (uLong)n, 6) != Z_OK) {
        free(buf);
        return th_seterror("deflate: zlib failed");
    }
    *out = buf;
    *out_n = len;
    return 0;
}

uint32_t codec_crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    uLong c = crc;
    while (n > 0) {
        size_t k = n < CHUNK_MAX ? n : CHUNK_MAX;
        c = crc32(c, p, (uInt)k);
        p += k;
        n -= k;
    }
    return (uint32_t)c;
}
