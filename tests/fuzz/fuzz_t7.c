/* fuzz_t7.c: libFuzzer harness for the .t7 reader's C layer (file.c).
 *
 * Input: one mode byte, then the file bytes.  Mode bit 0 = binary (else
 * ascii), bit 1 = longSize 4, bit 2 = read through a DiskFile (a temp file)
 * instead of a MemoryFile.  The harness walks the object graph exactly as
 * File.lua does (tags, reference indices, version header, tensor and storage
 * payloads, table pairs), using only file.c: any crash, leak, overflow or
 * out-of-bounds access in the primitives shows up under ASan/UBSan.  Every
 * size read from the input goes through file_check_available before it is
 * used for an allocation, as in lfile.c/File.lua.
 *
 * Build and run: see tests/fuzz/run.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

#define MAX_DEPTH 200
#define MAX_DIM 16

typedef struct Walk {
    File *f;
    int nobj;      /* objects read so far (the next new index is nobj + 1) */
} Walk;

/* Reads an Int-length string of Chars; returns a malloc'd copy or NULL. */
static char *read_string(Walk *w, int32_t *len)
{
    if (file_read(w->f, DT_INT, len, 1) != 1 || *len < 0) return NULL;
    if (file_check_available(w->f, DT_CHAR, *len)) return NULL;
    char *s = malloc((size_t)*len + 1);
    if (!s) return NULL;
    if (file_read(w->f, DT_CHAR, s, *len) != *len) {
        free(s);
        return NULL;
    }
    s[*len] = '\0';
    return s;
}

static int walk(Walk *w, int depth);

static int storage_payload(Walk *w, DType dt)
{
    int64_t n;
    if (file_read(w->f, DT_LONG, &n, 1) != 1) return -1;
    if (file_check_available(w->f, dt, n)) return -1;
    void *data = malloc(n ? (size_t)n * dtype_size(dt) : 1);
    if (!data) return -1;
    int64_t got = file_read(w->f, dt, data, n);
    free(data);
    return got == n ? 0 : -1;
}

static int tensor_payload(Walk *w, int depth)
{
    int32_t nd;
    int64_t size[MAX_DIM], stride[MAX_DIM], off;
    if (file_read(w->f, DT_INT, &nd, 1) != 1 || nd < 0 || nd > MAX_DIM) return -1;
    if (file_read(w->f, DT_LONG, size, nd) != nd) return -1;
    if (file_read(w->f, DT_LONG, stride, nd) != nd) return -1;
    if (file_read(w->f, DT_LONG, &off, 1) != 1) return -1;
    return walk(w, depth + 1);
}

static int walk(Walk *w, int depth)
{
    if (depth > MAX_DEPTH) return -1;
    int32_t tag;
    if (file_read(w->f, DT_INT, &tag, 1) != 1) return -1;
    switch (tag) {
    case 0: return 0;
    case 1: {
        double d;
        return file_read(w->f, DT_DOUBLE, &d, 1) == 1 ? 0 : -1;
    }
    case 5: {
        int32_t b;
        return file_read(w->f, DT_INT, &b, 1) == 1 ? 0 : -1;
    }
    case 2: {
        int32_t len;
        char *s = read_string(w, &len);
        free(s);
        return s ? 0 : -1;
    }
    case 3:
    case 4: {
        int32_t index;
        if (file_read(w->f, DT_INT, &index, 1) != 1) return -1;
        if (index >= 1 && index <= w->nobj) return 0;   /* a reference */
        if (index != w->nobj + 1) return -1;
        w->nobj++;
        if (tag == 3) {
            int32_t n;
            if (file_read(w->f, DT_INT, &n, 1) != 1 || n < 0) return -1;
            if (file_check_available(w->f, DT_INT, 2 * (int64_t)n)) return -1;
            for (int32_t i = 0; i < n; i++)
                if (walk(w, depth + 1) || walk(w, depth + 1)) return -1;
            return 0;
        }
        int32_t len;
        char *version = read_string(w, &len);
        if (!version) return -1;
        char *name = version;
        if (strncmp(version, "V ", 2) == 0) {
            name = read_string(w, &len);
            free(version);
            if (!name) return -1;
        }
        int rc = -1;
        const char *p = strncmp(name, "torch.", 6) == 0 ? name + 6 : NULL;
        DType dt = DT_COUNT;
        for (int t = 0; p && t < DT_COUNT; t++) {
            size_t k = strlen(dtype_name((DType)t));
            if (strncmp(p, dtype_name((DType)t), k) == 0) {
                dt = (DType)t;
                p += k;
                break;
            }
        }
        if (dt != DT_COUNT && strcmp(p, "Tensor") == 0) rc = tensor_payload(w, depth);
        else if (dt != DT_COUNT && strcmp(p, "Storage") == 0) rc = storage_payload(w, dt);
        else rc = walk(w, depth + 1);   /* a Lua class: its field table */
        free(name);
        return rc;
    }
    default:
        return -1;   /* functions (6-8) and bad tags are refused */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int mode = data[0];
    File *f;
    char path[64] = "";
    if (mode & 4) {
        snprintf(path, sizeof path, "/tmp/fuzz_t7_%d.t7", (int)getpid());
        FILE *fp = fopen(path, "wb");
        if (!fp) return 0;
        fwrite(data + 1, 1, size - 1, fp);
        fclose(fp);
        f = file_disk_open(path, "r", 0);
    } else {
        f = file_memory_open(data + 1, size - 1, "r");
    }
    if (!f) return 0;
    file_set_binary(f, mode & 1);
    if (mode & 2) file_set_longsize(f, 4);
    Walk w = {f, 0};
    walk(&w, 0);
    /* the string readers too, on what is left */
    char *s;
    size_t len;
    if (file_read_string(f, (mode & 8) ? "*l" : "*a", &s, &len) == 0) free(s);
    file_free(f);
    return 0;
}
