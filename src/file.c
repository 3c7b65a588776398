/* file.c: DiskFile and MemoryFile (see file.h for the contract).
 *
 * Both backends expose the same two byte-level services, on which every
 * typed read and write is built once:
 *   - a read window: a pointer to the next bytes without consuming them
 *     (file_window) and a way to consume them (file_advance).  Ascii numbers
 *     are parsed straight from the window, so a number can be "peeked", parsed
 *     with strtod/strtoll and only the characters used are consumed (scanf's
 *     behaviour) without stdio's one-character ungetc limit;
 *   - raw writes (raw_write).
 * A DiskFile keeps its own read buffer on top of stdio for the window; it is
 * dropped (the stdio position re-synchronised) before any write or seek. */
#include "file.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"

/* Read-buffer size of a DiskFile; also bounds how much one ascii number token
 * may span (tokens are at most TOKEN_MAX bytes). */
#define RBUF_SIZE 65536
#define TOKEN_MAX 128

struct File {
    int is_disk;
    char *name;
    int open, readable, writable;
    int binary, autospacing, quiet, has_error;
    int swap;       /* binary values are byte-swapped (non-native endianness) */
    int longsize;   /* 0, 4 or 8 */
    /* DiskFile */
    FILE *fp;
    char *rbuf;     /* read window: rbuf[rpos..rlen) are the next bytes */
    size_t rpos, rlen;
    int writing;    /* last stdio operation was a write (a seek is needed to read) */
    int eof;        /* stdio reported end of file on the last fill */
    /* MemoryFile */
    char *mem;
    size_t size, cap, pos;
};

/* ==================================================================
 * Helpers
 * ================================================================== */

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static int parse_mode(const char *mode, int *readable, int *writable)
{
    *readable = *writable = 0;
    if (strcmp(mode, "r") == 0) *readable = 1;
    else if (strcmp(mode, "w") == 0) *writable = 1;
    else if (strcmp(mode, "rw") == 0) *readable = *writable = 1;
    else return -1;
    return 0;
}

static int is_little_endian(void)
{
    int x = 1;
    return *(char *)&x == 1;
}

static void swap_bytes(void *data, size_t elsize, size_t n)
{
    unsigned char *p = data;
    for (size_t b = 0; b < n; b++, p += elsize)
        for (size_t i = 0; i < elsize / 2; i++) {
            unsigned char z = p[i];
            p[i] = p[elsize - 1 - i];
            p[elsize - 1 - i] = z;
        }
}

static const char *type_label(DType dt)
{
    return dtype_name(dt);
}

/* Bytes of one value of dt in the file's binary encoding. */
static size_t disk_elsize(const File *f, DType dt)
{
    if (dt == DT_LONG && f->longsize == 4) return 4;
    return dtype_size(dt);
}

static int check_open(const File *f)
{
    if (!f->open) return th_seterror("attempt to use a closed file");
    return 0;
}

static int check_readable(const File *f)
{
    if (check_open(f)) return -1;
    if (!f->readable) return th_seterror("attempt to read in a write-only file");
    return 0;
}

static int check_writable(const File *f)
{
    if (check_open(f)) return -1;
    if (!f->writable) return th_seterror("attempt to write in a read-only file");
    return 0;
}

/* ==================================================================
 * Byte layer: window / advance / raw read / raw write / tell
 * ================================================================== */

/* DiskFile: drops unread buffered bytes so stdio's position is the logical
 * one again (needed before writes and seeks). */
static int disk_drop_buffer(File *f)
{
    if (f->rlen > f->rpos) {
        off_t at = ftello(f->fp) - (off_t)(f->rlen - f->rpos);
        f->rpos = f->rlen = 0;
        if (fseeko(f->fp, at, SEEK_SET) != 0)
            return th_seterror("cannot reposition <%s>: %s", f->name, strerror(errno));
    }
    f->rpos = f->rlen = 0;
    return 0;
}

/* DiskFile: makes at least `want` bytes available in the window when the file
 * has them (fewer only at end of file). */
static void disk_fill(File *f, size_t want)
{
    if (f->rlen - f->rpos >= want || f->eof) return;
    if (f->writing) {
        /* C requires a positioning call between a write and a read */
        fseeko(f->fp, 0, SEEK_CUR);
        f->writing = 0;
    }
    size_t have = f->rlen - f->rpos;
    memmove(f->rbuf, f->rbuf + f->rpos, have);
    f->rpos = 0;
    f->rlen = have;
    while (f->rlen < want) {
        size_t got = fread(f->rbuf + f->rlen, 1, RBUF_SIZE - f->rlen, f->fp);
        f->rlen += got;
        if (got == 0) {
            f->eof = 1;
            clearerr(f->fp);   /* a later append by someone else may be readable */
            break;
        }
    }
}

/* Pointer to the next bytes and how many are available (at least
 * min(want, bytes left) when want <= RBUF_SIZE). */
static size_t file_window(File *f, const char **p, size_t want)
{
    if (f->is_disk) {
        disk_fill(f, want);
        *p = f->rbuf + f->rpos;
        return f->rlen - f->rpos;
    }
    if (!f->mem) {   /* an empty MemoryFile has no buffer at all */
        *p = "";
        return 0;
    }
    *p = f->mem + f->pos;
    return f->size - f->pos;
}

static void file_advance(File *f, size_t k)
{
    if (f->is_disk) f->rpos += k;
    else f->pos += k;
}

/* Reads up to n bytes; returns the count (short only at end of data). */
static size_t raw_read(File *f, void *dst, size_t n)
{
    if (!f->is_disk) {
        size_t k = f->size - f->pos < n ? f->size - f->pos : n;
        if (k == 0) return 0;
        memcpy(dst, f->mem + f->pos, k);
        f->pos += k;
        return k;
    }
    /* buffered bytes first, then straight from stdio (large payloads) */
    size_t k = f->rlen - f->rpos < n ? f->rlen - f->rpos : n;
    if (k) memcpy(dst, f->rbuf + f->rpos, k);
    f->rpos += k;
    if (k == n) return n;
    if (f->writing) {
        fseeko(f->fp, 0, SEEK_CUR);
        f->writing = 0;
    }
    size_t got = fread((char *)dst + k, 1, n - k, f->fp);
    if (got < n - k) clearerr(f->fp);
    return k + got;
}

static int raw_write(File *f, const void *src, size_t n)
{
    if (n == 0) return 0;
    if (f->is_disk) {
        if (!f->writing) {
            if (disk_drop_buffer(f)) return -1;
            /* C requires a positioning call between a read and a write */
            fseeko(f->fp, 0, SEEK_CUR);
            f->writing = 1;
        }
        f->eof = 0;
        if (fwrite(src, 1, n, f->fp) != n)
            return th_seterror("write error: cannot write %zu bytes to <%s>: %s", n, f->name,
                               strerror(errno));
        return 0;
    }
    if (n > SIZE_MAX - f->pos) return th_seterror("write error: MemoryFile too large");
    size_t end = f->pos + n;
    if (end > f->cap) {
        size_t cap = f->cap ? f->cap : 64;
        while (cap < end) cap = cap > SIZE_MAX / 2 ? end : cap * 2;
        char *m = realloc(f->mem, cap);
        if (!m) return th_seterror("write error: out of memory growing a MemoryFile to %zu bytes", cap);
        f->mem = m;
        f->cap = cap;
    }
    memcpy(f->mem + f->pos, src, n);
    f->pos = end;
    if (end > f->size) f->size = end;
    return 0;
}

static int64_t raw_tell(File *f)
{
    if (!f->is_disk) return (int64_t)f->pos;
    off_t at = ftello(f->fp);
    if (at < 0) return -1;
    return (int64_t)at - (int64_t)(f->rlen - f->rpos);
}

/* Bytes left after the position, or -1 when unknown (not a regular file). */
static int64_t raw_remaining(File *f)
{
    if (!f->is_disk) return (int64_t)(f->size - f->pos);
    if (f->writing) fflush(f->fp);
    struct stat st;
    if (fstat(fileno(f->fp), &st) != 0 || !S_ISREG(st.st_mode)) return -1;
    int64_t at = raw_tell(f);
    if (at < 0) return -1;
    return (int64_t)st.st_size > at ? (int64_t)st.st_size - at : 0;
}

/* ==================================================================
 * Opening and closing
 * ================================================================== */

static File *file_alloc(const char *name, int readable, int writable)
{
    File *f = calloc(1, sizeof *f);
    if (!f) {
        th_seterror("out of memory");
        return NULL;
    }
    f->name = dup_string(name);
    if (!f->name) {
        free(f);
        th_seterror("out of memory");
        return NULL;
    }
    f->open = 1;
    f->readable = readable;
    f->writable = writable;
    f->autospacing = 1;   /* Torch7's defaults: ascii, auto-spacing, native */
    return f;
}

File *file_disk_open(const char *name, const char *mode, int quiet)
{
    int readable, writable;
    if (parse_mode(mode, &readable, &writable)) {
        th_seterror("file mode should be 'r','w' or 'rw'");
        return NULL;
    }
    FILE *fp;
    if (readable && writable) {
        fp = fopen(name, "r+b");
        if (!fp) {
            /* "rw" on a missing file creates it, as Torch7 does */
            fp = fopen(name, "wb");
            if (fp) {
                fclose(fp);
                fp = fopen(name, "r+b");
            }
        }
    } else {
        fp = fopen(name, readable ? "rb" : "wb");
    }
    if (!fp) {
        th_seterror("cannot open <%s> in mode %c%c", name, readable ? 'r' : ' ', writable ? 'w' : ' ');
        return NULL;
    }
    File *f = file_alloc(name, readable, writable);
    if (f) f->rbuf = malloc(RBUF_SIZE);
    if (!f || !f->rbuf) {
        fclose(fp);
        file_free(f);
        th_seterror("out of memory");
        return NULL;
    }
    f->is_disk = 1;
    f->fp = fp;
    f->quiet = quiet;
    return f;
}

File *file_memory_open(const void *data, size_t size, const char *mode)
{
    int readable, writable;
    if (parse_mode(mode, &readable, &writable)) {
        th_seterror("file mode should be 'r','w' or 'rw'");
        return NULL;
    }
    File *f = file_alloc("memory", readable, writable);
    if (!f) return NULL;
    if (size > 0) {
        f->mem = malloc(size);
        if (!f->mem) {
            file_free(f);
            th_seterror("out of memory copying %zu bytes into a MemoryFile", size);
            return NULL;
        }
        memcpy(f->mem, data, size);
        f->size = f->cap = size;
    }
    return f;
}

int file_close(File *f)
{
    if (check_open(f)) return -1;
    f->open = 0;
    if (f->is_disk) {
        int rc = fclose(f->fp);
        f->fp = NULL;
        if (rc != 0) return th_seterror("write error: cannot close <%s>: %s", f->name, strerror(errno));
    } else {
        free(f->mem);
        f->mem = NULL;
        f->size = f->cap = f->pos = 0;
    }
    return 0;
}

void file_free(File *f)
{
    if (!f) return;
    if (f->fp) fclose(f->fp);
    free(f->rbuf);
    free(f->mem);
    free(f->name);
    free(f);
}

int file_is_open(const File *f) { return f->open; }
int file_is_disk(const File *f) { return f->is_disk; }
const char *file_name(const File *f) { return f->name; }

/* ==================================================================
 * Flags
 * ================================================================== */

void file_set_binary(File *f, int binary) { f->binary = binary != 0; }
int file_is_binary(const File *f) { return f->binary; }
void file_set_autospacing(File *f, int on) { f->autospacing = on != 0; }
int file_is_autospacing(const File *f) { return f->autospacing; }
void file_set_quiet(File *f, int quiet) { f->quiet = quiet != 0; }
int file_is_quiet(const File *f) { return f->quiet; }
int file_is_readable(const File *f) { return f->readable; }
int file_is_writable(const File *f) { return f->writable; }
int file_has_error(const File *f) { return f->has_error; }
void file_clear_error(File *f) { f->has_error = 0; }
int file_longsize(const File *f) { return f->longsize; }

int file_set_longsize(File *f, int size)
{
    if (size != 0 && size != 4 && size != 8)
        return th_seterror("Invalid long size specified: expected 0, 4 or 8, got %d", size);
    f->longsize = size;
    return 0;
}

void file_set_endian(File *f, FileEndian e)
{
    if (e == FILE_ENDIAN_NATIVE) f->swap = 0;
    else f->swap = (e == FILE_ENDIAN_LITTLE) != is_little_endian();
}

/* ==================================================================
 * Typed reads
 * ================================================================== */

/* A short read: flag the file, then either fail or (quiet) report the count. */
static int64_t read_failed(File *f, DType dt, int64_t start, int64_t nread, int64_t n, const char *why)
{
    f->has_error = 1;
    if (f->quiet) return nread;
    th_seterror("read error: read %lld blocks instead of %lld (%s %s at byte %lld of <%s>: %s)",
                (long long)nread, (long long)n, f->binary ? "binary" : "ascii", type_label(dt),
                (long long)start, f->name, why);
    return -1;
}

static int64_t read_binary(File *f, DType dt, void *dst, int64_t n, int64_t start)
{
    size_t es = disk_elsize(f, dt);
    if ((uint64_t)n > SIZE_MAX / es)
        return read_failed(f, dt, start, 0, n, "size too large");
    size_t got = raw_read(f, dst, (size_t)n * es);
    int64_t nread = (int64_t)(got / es);
    if (f->swap && es > 1) swap_bytes(dst, es, (size_t)nread);
    if (dt == DT_LONG && es == 4) {
        /* widen in place from the back: int32 slot i never overlaps the
         * int64 slots > i written before it */
        for (int64_t i = nread - 1; i >= 0; i--) {
            int32_t v;
            memcpy(&v, (char *)dst + 4 * i, 4);
            ((int64_t *)dst)[i] = v;
        }
    }
    if (nread < n) return read_failed(f, dt, start, nread, n, "unexpected end of data");
    return n;
}

/* Skips whitespace (what scanf's numeric conversions do); 0 at end of data. */
static int skip_space(File *f)
{
    for (;;) {
        const char *p;
        size_t w = file_window(f, &p, TOKEN_MAX);
        if (w == 0) return 0;
        size_t i = 0;
        while (i < w && (p[i] == ' ' || p[i] == '\n' || p[i] == '\t' || p[i] == '\r' ||
                         p[i] == '\v' || p[i] == '\f'))
            i++;
        file_advance(f, i);
        if (i < w) return 1;
    }
}

/* Parses one ascii number of type dt at the position into *out (a slot of
 * dtype_size(dt) bytes).  Returns 0, or -1 with *why set. */
static int read_ascii_number(File *f, DType dt, void *out, const char **why)
{
    if (!skip_space(f)) {
        *why = "unexpected end of data";
        return -1;
    }
    const char *p;
    size_t w = file_window(f, &p, TOKEN_MAX);
    char tok[TOKEN_MAX + 1];
    size_t k = w < TOKEN_MAX ? w : TOKEN_MAX;
    memcpy(tok, p, k);
    tok[k] = '\0';
    char *end;
    errno = 0;
    if (dt == DT_FLOAT || dt == DT_DOUBLE) {
        if (dt == DT_FLOAT) {
            float v = strtof(tok, &end);
            memcpy(out, &v, sizeof v);
        } else {
            double v = strtod(tok, &end);
            memcpy(out, &v, sizeof v);
        }
        /* ERANGE on under/overflow is fine: scanf accepts those too */
    } else {
        /* strtoll would skip leading spaces and accept "0x"; scanf %d only
         * takes decimal digits after an optional sign */
        const char *q = tok + (tok[0] == '+' || tok[0] == '-');
        if (*q < '0' || *q > '9') {
            *why = "malformed number";
            return -1;
        }
        long long v = strtoll(tok, &end, 10);
        int range = errno == ERANGE;
        if (dt == DT_SHORT) {
            range |= v < INT16_MIN || v > INT16_MAX;
            int16_t s = (int16_t)v;
            memcpy(out, &s, sizeof s);
        } else if (dt == DT_INT) {
            range |= v < INT32_MIN || v > INT32_MAX;
            int32_t s = (int32_t)v;
            memcpy(out, &s, sizeof s);
        } else {
            int64_t s = v;
            memcpy(out, &s, sizeof s);
        }
        if (range) {
            *why = "number out of range";
            return -1;
        }
    }
    if (end == tok) {
        *why = "malformed number";
        return -1;
    }
    if ((size_t)(end - tok) == k && k == TOKEN_MAX) {
        *why = "number too long";
        return -1;
    }
    file_advance(f, (size_t)(end - tok));
    return 0;
}

/* Auto-spacing: one '\n' after a read call of n > 0 values is consumed. */
static void eat_newline(File *f)
{
    const char *p;
    if (file_window(f, &p, 1) >= 1 && p[0] == '\n') file_advance(f, 1);
}

static int64_t read_ascii(File *f, DType dt, void *dst, int64_t n, int64_t start)
{
    int64_t nread = 0;
    const char *why = NULL;
    if (dt == DT_BYTE || dt == DT_CHAR) {
        /* raw bytes, starting right at the position */
        nread = (int64_t)raw_read(f, dst, (size_t)n);
        if (nread < n) why = "unexpected end of data";
    } else {
        size_t es = dtype_size(dt);
        for (; nread < n; nread++) {
            if (read_ascii_number(f, dt, (char *)dst + es * (size_t)nread, &why)) {
                /* report where the bad value starts (spaces skipped), not
                 * where the call did */
                int64_t at = raw_tell(f);
                if (at >= 0) start = at;
                break;
            }
        }
    }
    if (f->autospacing && n > 0) eat_newline(f);
    if (nread < n) return read_failed(f, dt, start, nread, n, why);
    return n;
}

int64_t file_read(File *f, DType dt, void *dst, int64_t n)
{
    if (check_readable(f)) return -1;
    if (n < 0) return th_seterror("read error: negative count %lld", (long long)n);
    if (n == 0) return 0;
    int64_t start = raw_tell(f);
    return f->binary ? read_binary(f, dt, dst, n, start) : read_ascii(f, dt, dst, n, start);
}

int file_check_available(File *f, DType dt, int64_t n)
{
    if (check_readable(f)) return -1;
    int64_t left = raw_remaining(f);
    if (n < 0) return th_seterror("read error: negative size %lld at byte %lld of <%s>",
                                  (long long)n, (long long)raw_tell(f), f->name);
    if (left < 0) return 0;
    /* the fewest bytes n values can take: raw size in binary; in ascii one
     * byte per Byte/Char and one digit per number */
    uint64_t need = f->binary ? (uint64_t)n * disk_elsize(f, dt) : (uint64_t)n;
    if (f->binary && n > 0 && need / disk_elsize(f, dt) != (uint64_t)n) need = UINT64_MAX;
    if (need > (uint64_t)left)
        return th_seterror("read error: declared size %lld (%s) needs %llu bytes but only %lld are left at "
                           "byte %lld of <%s>",
                           (long long)n, type_label(dt), (unsigned long long)need, (long long)left,
                           (long long)raw_tell(f), f->name);
    return 0;
}

/* ==================================================================
 * Typed writes
 * ================================================================== */

static int64_t write_binary(File *f, DType dt, const void *src, int64_t n)
{
    size_t es = disk_elsize(f, dt);
    if ((uint64_t)n > SIZE_MAX / es) return th_seterror("write error: %lld values is too many", (long long)n);
    if (!f->swap && es == dtype_size(dt)) {
        if (raw_write(f, src, (size_t)n * es)) return -1;
        return n;
    }
    /* converted or swapped: go through a bounded scratch buffer */
    unsigned char tmp[4096];
    size_t per = sizeof tmp / es;
    for (int64_t i = 0; i < n;) {
        size_t k = (uint64_t)(n - i) < per ? (size_t)(n - i) : per;
        if (dt == DT_LONG && es == 4) {
            for (size_t j = 0; j < k; j++) {
                int32_t v = (int32_t)((const int64_t *)src)[i + (int64_t)j];   /* truncates, as Torch7 */
                memcpy(tmp + 4 * j, &v, 4);
            }
        } else {
            memcpy(tmp, (const char *)src + (size_t)i * es, k * es);
        }
        if (f->swap) swap_bytes(tmp, es, k);
        if (raw_write(f, tmp, k * es)) return -1;
        i += (int64_t)k;
    }
    return n;
}

static int format_value(DType dt, const void *src, int64_t i, char *buf, size_t cap)
{
    switch (dt) {
    case DT_SHORT: return snprintf(buf, cap, "%hd", ((const int16_t *)src)[i]);
    case DT_INT: return snprintf(buf, cap, "%d", ((const int32_t *)src)[i]);
    case DT_LONG: return snprintf(buf, cap, "%lld", (long long)((const int64_t *)src)[i]);
    case DT_FLOAT: return snprintf(buf, cap, "%.9g", (double)((const float *)src)[i]);
    case DT_DOUBLE: return snprintf(buf, cap, "%.17g", ((const double *)src)[i]);
    default: return -1;
    }
}

static int64_t write_ascii(File *f, DType dt, const void *src, int64_t n)
{
    if (dt == DT_BYTE || dt == DT_CHAR) {
        if (raw_write(f, src, (size_t)n)) return -1;
    } else {
        char buf[64];
        for (int64_t i = 0; i < n; i++) {
            int len = format_value(dt, src, i, buf, sizeof buf - 1);
            if (f->autospacing && i < n - 1) buf[len++] = ' ';
            if (raw_write(f, buf, (size_t)len)) return -1;
        }
    }
    if (f->autospacing && raw_write(f, "\n", 1)) return -1;
    return n;
}

int64_t file_write(File *f, DType dt, const void *src, int64_t n)
{
    if (check_writable(f)) return -1;
    if (n < 0) return th_seterror("write error: negative count %lld", (long long)n);
    if (n == 0) return 0;
    int64_t r = f->binary ? write_binary(f, dt, src, n) : write_ascii(f, dt, src, n);
    if (r < 0) {
        f->has_error = 1;
        if (f->quiet) return 0;
    }
    return r;
}

/* ==================================================================
 * Strings
 * ================================================================== */

int file_read_string(File *f, const char *fmt, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (check_readable(f)) return -1;
    if (strlen(fmt) < 2 || fmt[0] != '*' || (fmt[1] != 'a' && fmt[1] != 'l'))
        return th_seterror("format must be '*a' or '*l'");
    int64_t start = raw_tell(f);
    size_t cap = 1024, n = 0;
    char *s = malloc(cap);
    if (!s) return th_seterror("out of memory");
    int line = fmt[1] == 'l', got_newline = 0;
    for (;;) {
        const char *p;
        size_t w = file_window(f, &p, 1);
        if (w == 0) break;
        size_t take = w;
        if (line) {
            const char *nl = memchr(p, '\n', w);
            if (nl) {
                take = (size_t)(nl - p);
                got_newline = 1;
            }
        }
        if (n + take + 1 > cap) {
            while (n + take + 1 > cap) cap *= 2;
            char *t = realloc(s, cap);
            if (!t) {
                free(s);
                return th_seterror("out of memory reading a string of %zu bytes", n + take);
            }
            s = t;
        }
        memcpy(s + n, p, take);
        n += take;
        file_advance(f, take + (size_t)got_newline);
        if (got_newline) break;
    }
    if (n == 0 && !got_newline) {
        free(s);
        f->has_error = 1;
        if (f->quiet) return 0;
        return th_seterror("read error: read 0 blocks instead of 1 (string at byte %lld of <%s>: "
                           "unexpected end of data)", (long long)start, f->name);
    }
    s[n] = '\0';
    *out = s;
    *len = n;
    return 0;
}

int file_write_string(File *f, const char *s, size_t len)
{
    if (check_writable(f)) return -1;
    if (raw_write(f, s, len)) {
        f->has_error = 1;
        return f->quiet ? 0 : -1;
    }
    return 0;
}

/* ==================================================================
 * Position
 * ================================================================== */

int file_seek(File *f, int64_t pos)
{
    if (check_open(f)) return -1;
    if (pos < 0) return th_seterror("position must be positive");
    if (f->is_disk) {
        if (disk_drop_buffer(f)) return -1;
        f->writing = 0;
        f->eof = 0;
        if (fseeko(f->fp, (off_t)pos, SEEK_SET) != 0) {
            f->has_error = 1;
            if (f->quiet) return 0;
            return th_seterror("unable to seek to position %lld in <%s>", (long long)pos, f->name);
        }
        return 0;
    }
    if ((uint64_t)pos > f->size) {
        f->has_error = 1;
        if (f->quiet) return 0;
        return th_seterror("unable to seek at position %lld (MemoryFile of %zu bytes)", (long long)pos, f->size);
    }
    f->pos = (size_t)pos;
    return 0;
}

int file_seek_end(File *f)
{
    if (check_open(f)) return -1;
    if (f->is_disk) {
        if (disk_drop_buffer(f)) return -1;
        f->writing = 0;
        f->eof = 0;
        if (fseeko(f->fp, 0, SEEK_END) != 0) {
            f->has_error = 1;
            if (f->quiet) return 0;
            return th_seterror("unable to seek at end of file <%s>", f->name);
        }
        return 0;
    }
    f->pos = f->size;
    return 0;
}

int64_t file_position(File *f)
{
    if (check_open(f)) return -1;
    int64_t at = raw_tell(f);
    if (at < 0) return th_seterror("unable to obtain the offset of <%s>", f->name);
    return at;
}

int file_synchronize(File *f)
{
    if (check_open(f)) return -1;
    if (f->is_disk && f->writing && fflush(f->fp) != 0)
        return th_seterror("write error: cannot flush <%s>: %s", f->name, strerror(errno));
    return 0;
}

const char *file_memory_data(File *f, size_t *size)
{
    *size = 0;
    if (check_open(f)) return NULL;
    if (f->is_disk) {
        th_seterror("not a MemoryFile");
        return NULL;
    }
    *size = f->size;
    return f->mem ? f->mem : "";
}
