/* test_idx.c: the IDX reader on hand-made files (every element type, plain
 * and gzip'd) and on broken ones (truncated, corrupt, oversized, trailing
 * bytes), plus the codec's file and stream helpers it relies on. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "codec.h"
#include "error.h"
#include "idx.h"
#include "tensor.h"

static char tmpdir[] = "/tmp/ember_idx_XXXXXX";
static int have_tmpdir;

static void remove_tmpdir(void)
{
    const char *names[] = {"a.idx", "a.idx.gz", "big.gz", "cut.gz", "bad.gz", "cut.idx"};
    char buf[256];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(buf, sizeof buf, "%s/%s", tmpdir, names[i]);
        unlink(buf);
    }
    rmdir(tmpdir);
}

/* name inside a private temporary directory, made on first use. */
static const char *tmp_path(const char *name)
{
    static char buf[256];
    if (!have_tmpdir && mkdtemp(tmpdir)) {
        have_tmpdir = 1;
        atexit(remove_tmpdir);
    }
    snprintf(buf, sizeof buf, "%s/%s", tmpdir, name);
    return buf;
}

static int has(const char *text)
{
    return strstr(th_lasterror(), text) != NULL;
}

/* A 2x3 ubyte file: magic 0x00000802, sizes 2 and 3, then 6 bytes. */
static const unsigned char UBYTE_2x3[] = {0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 250, 0, 255};

static void test_decode_ubyte(void)
{
    Tensor *t = idx_decode(UBYTE_2x3, sizeof UBYTE_2x3, "mem");
    CHECK(t != NULL);
    if (!t) return;
    CHECK(t->dtype == DT_BYTE && t->ndim == 2 && t->size[0] == 2 && t->size[1] == 3);
    CHECK(tensor_is_contiguous(t));
    static const double want[6] = {1, 2, 3, 250, 0, 255};
    for (int i = 0; i < 6; i++) CHECK(tensor_get_flat(t, i) == want[i]);
    tensor_release(t);
}

static void test_decode_types(void)
{
    /* sbyte: -1, 127, -128 */
    static const unsigned char i8[] = {0, 0, 0x09, 1, 0, 0, 0, 3, 0xff, 0x7f, 0x80};
    Tensor *t = idx_decode(i8, sizeof i8, "mem");
    CHECK(t && t->dtype == DT_CHAR);
    if (t) CHECK(tensor_get_flat(t, 0) == -1 && tensor_get_flat(t, 1) == 127 && tensor_get_flat(t, 2) == -128);
    tensor_release(t);
    /* int16 big-endian: 0x0102 = 258, 0xfffe = -2 */
    static const unsigned char i16[] = {0, 0, 0x0B, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe};
    t = idx_decode(i16, sizeof i16, "mem");
    CHECK(t && t->dtype == DT_SHORT);
    if (t) CHECK(tensor_get_flat(t, 0) == 258 && tensor_get_flat(t, 1) == -2);
    tensor_release(t);
    /* int32: 0x01020304 = 16909060, 0x80000000 = INT32_MIN; 2x1 */
    static const unsigned char i32[] = {0, 0, 0x0C, 2, 0, 0, 0, 2, 0, 0, 0, 1,
                                        1, 2, 3, 4, 0x80, 0, 0, 0};
    t = idx_decode(i32, sizeof i32, "mem");
    CHECK(t && t->dtype == DT_INT && t->ndim == 2 && t->size[0] == 2 && t->size[1] == 1);
    if (t) CHECK(tensor_get_flat(t, 0) == 16909060 && tensor_get_flat(t, 1) == -2147483648.0);
    tensor_release(t);
    /* float32: 0x3fc00000 = 1.5, 0xc1200000 = -10 */
    static const unsigned char f32[] = {0, 0, 0x0D, 1, 0, 0, 0, 2, 0x3f, 0xc0, 0, 0, 0xc1, 0x20, 0, 0};
    t = idx_decode(f32, sizeof f32, "mem");
    CHECK(t && t->dtype == DT_FLOAT);
    if (t) CHECK(tensor_get_flat(t, 0) == 1.5 && tensor_get_flat(t, 1) == -10);
    tensor_release(t);
    /* float64: 0x400921fb54442d18 = pi */
    static const unsigned char f64[] = {0, 0, 0x0E, 1, 0, 0, 0, 1, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18};
    t = idx_decode(f64, sizeof f64, "mem");
    CHECK(t && t->dtype == DT_DOUBLE);
    if (t) CHECK(tensor_get_flat(t, 0) == 3.141592653589793);
    tensor_release(t);
    /* A zero size is an empty tensor with that shape. */
    static const unsigned char empty[] = {0, 0, 0x08, 2, 0, 0, 0, 0, 0, 0, 0, 28};
    t = idx_decode(empty, sizeof empty, "mem");
    CHECK(t && t->ndim == 2 && t->size[0] == 0 && t->size[1] == 28);
    tensor_release(t);
}

static void test_decode_errors(void)
{
    unsigned char buf[64];
    memcpy(buf, UBYTE_2x3, sizeof UBYTE_2x3);
    /* Every strict prefix is an error, never a crash or a short tensor. */
    for (size_t n = 0; n < sizeof UBYTE_2x3; n++) {
        Tensor *t = idx_decode(UBYTE_2x3, n, "cut");
        CHECK(t == NULL);
        tensor_release(t);
    }
    CHECK(idx_decode(UBYTE_2x3, 15, "cut") == NULL && has("truncated IDX file (expected 6 bytes of data, got 3)"));
    CHECK(idx_decode(UBYTE_2x3, 9, "cut") == NULL && has("truncated IDX header"));
    CHECK(idx_decode(UBYTE_2x3, 2, "cut") == NULL && has("too short"));
    CHECK(idx_decode(UBYTE_2x3, 2, "cut") == NULL && has("cut: "));
    /* Trailing bytes. */
    buf[sizeof UBYTE_2x3] = 7;
    CHECK(idx_decode(buf, sizeof UBYTE_2x3 + 1, "long") == NULL && has("bytes after the IDX data"));
    /* Bad magic, type, dimension count. */
    memcpy(buf, UBYTE_2x3, sizeof UBYTE_2x3);
    buf[0] = 0x1f;
    CHECK(idx_decode(buf, sizeof UBYTE_2x3, "m") == NULL && has("not an IDX file (magic number 0x1f000802"));
    buf[0] = 0;
    buf[2] = 0x0A;
    CHECK(idx_decode(buf, sizeof UBYTE_2x3, "m") == NULL && has("unknown IDX data type 0x0a"));
    buf[2] = 0x08;
    buf[3] = 0;
    CHECK(idx_decode(buf, sizeof UBYTE_2x3, "m") == NULL && has("0 dimensions"));
    buf[3] = 40;
    CHECK(idx_decode(buf, sizeof UBYTE_2x3, "m") == NULL && has("40 dimensions"));
    /* Huge sizes are refused before any allocation. */
    static const unsigned char huge[] = {0, 0, 0x0E, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 9};
    CHECK(idx_decode(huge, sizeof huge, "h") == NULL && has("IDX sizes too large"));
}

static void test_files(void)
{
    /* The same bytes plain and gzip'd load identically. */
    CHECK(codec_write_file(tmp_path("a.idx"), UBYTE_2x3, sizeof UBYTE_2x3, 0) == 0);
    CHECK(codec_write_file(tmp_path("a.idx.gz"), UBYTE_2x3, sizeof UBYTE_2x3, 1) == 0);
    Tensor *a = idx_load(tmp_path("a.idx")), *b = idx_load(tmp_path("a.idx.gz"));
    CHECK(a && b);
    if (a && b) {
        CHECK(a->ndim == 2 && b->ndim == 2 && b->size[0] == 2 && b->size[1] == 3);
        for (int i = 0; i < 6; i++) CHECK(tensor_get_flat(a, i) == tensor_get_flat(b, i));
        CHECK(tensor_get_flat(b, 3) == 250);
    }
    tensor_release(a);
    tensor_release(b);

    /* The gzip'd file really is compressed (magic 1f 8b). */
    FILE *f = fopen(tmp_path("a.idx.gz"), "rb");
    unsigned char gz[4096];
    size_t gz_n = f ? fread(gz, 1, sizeof gz, f) : 0;
    if (f) fclose(f);
    CHECK(gz_n > 2 && gz[0] == 0x1f && gz[1] == 0x8b);

    CHECK(idx_load(tmp_path("missing.idx")) == NULL && has("cannot open") && has("missing.idx"));

    /* A bigger file (5000 images of 4x4) cut short inside the gzip stream,
     * and one with a flipped byte: clear errors. */
    size_t n = 16 + 5000 * 16;
    unsigned char *big = malloc(n);
    static const unsigned char head[16] = {0, 0, 8, 3, 0, 0, 0x13, 0x88, 0, 0, 0, 4, 0, 0, 0, 4};
    memcpy(big, head, 16);
    for (size_t i = 16; i < n; i++) big[i] = (unsigned char)((i * 2654435761u) >> 13);
    CHECK(codec_write_file(tmp_path("big.gz"), big, n, 1) == 0);
    Tensor *t = idx_load(tmp_path("big.gz"));
    CHECK(t && t->ndim == 3 && t->size[0] == 5000 && t->size[1] == 4 && t->size[2] == 4);
    if (t) CHECK(memcmp(tensor_data(t), big + 16, n - 16) == 0);
    tensor_release(t);

    f = fopen(tmp_path("big.gz"), "rb");
    unsigned char *whole = malloc(2 * n);
    size_t whole_n = f ? fread(whole, 1, 2 * n, f) : 0;
    if (f) fclose(f);
    CHECK(whole_n > 100);
    f = fopen(tmp_path("cut.gz"), "wb");
    fwrite(whole, 1, whole_n / 2, f);
    fclose(f);
    CHECK(idx_load(tmp_path("cut.gz")) == NULL && (has("truncated") || has("unexpected end of file")));
    CHECK(has("cut.gz"));
    whole[whole_n / 2] ^= 0x5a;
    f = fopen(tmp_path("bad.gz"), "wb");
    fwrite(whole, 1, whole_n, f);
    fclose(f);
    CHECK(idx_load(tmp_path("bad.gz")) == NULL && has("bad.gz"));
    free(whole);

    /* A plain file cut in its data. */
    CHECK(codec_write_file(tmp_path("cut.idx"), big, n - 5, 0) == 0);
    CHECK(idx_load(tmp_path("cut.idx")) == NULL && has("truncated IDX file (expected 80000 bytes of data, got 79995)"));
    free(big);
}

static void test_codec_inflate(void)
{
    unsigned char src[3000], *z;
    size_t z_n;
    for (int i = 0; i < 3000; i++) src[i] = (unsigned char)(i % 251);
    CHECK(codec_deflate(src, sizeof src, &z, &z_n) == 0);
    CHECK(z_n < sizeof src);
    unsigned char back[3000];
    CHECK(codec_inflate(z, z_n, back, sizeof back, "s") == 0);
    CHECK(memcmp(back, src, sizeof src) == 0);
    /* Expecting more or fewer bytes than the stream holds is an error. */
    unsigned char more[3001];
    CHECK(codec_inflate(z, z_n, more, sizeof more, "s") == -1 && has("ends early"));
    CHECK(codec_inflate(z, z_n, back, 2999, "s") == -1 && has("more data than expected"));
    CHECK(codec_inflate(z, z_n / 2, back, sizeof back, "s") == -1 && has("ends early"));
    z[z_n / 2] ^= 0xff;
    CHECK(codec_inflate(z, z_n, back, sizeof back, "s") == -1);
    free(z);
    /* CRC-32 check value of "123456789" (the standard test vector). */
    CHECK(codec_crc32(0, (const unsigned char *)"123456789", 9) == 0xCBF43926u);
}

static const CheckTest tests[] = {
    {"decode_ubyte", test_decode_ubyte},
    {"decode_types", test_decode_types},
    {"decode_errors", test_decode_errors},
    {"files", test_files},
    {"codec_inflate", test_codec_inflate},
    {NULL, NULL},
};

CHECK_MAIN(tests)
