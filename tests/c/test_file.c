/* test_file.c: the THFile layer (file.c) in both encodings, both backends.
 * Expected bytes are written out by hand from t7-format.md §2. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "error.h"
#include "file.h"

/* bytes currently held by a MemoryFile equal want[0..n) */
static int mem_is(File *f, const char *want, size_t n)
{
    size_t size;
    const char *d = file_memory_data(f, &size);
    return d && size == n && memcmp(d, want, n) == 0;
}

static int err_has(const char *text)
{
    return strstr(th_lasterror(), text) != NULL;
}

static const char *tmp_path(const char *tag)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "/tmp/ember_test_file_%d_%s", (int)getpid(), tag);
    return buf;
}

/* ---- binary ------------------------------------------------------------- */

static void test_binary_all_types(void)
{
    File *f = file_memory_open(NULL, 0, "rw");
    file_set_binary(f, 1);
    uint8_t b[2] = {1, 255};
    int8_t c[1] = {-2};
    int16_t s[1] = {-300};
    int32_t i[2] = {-70000, 1};
    int64_t l[1] = {(int64_t)1 << 40};
    float fl[1] = {0.5f};
    double d[1] = {1.0};
    CHECK(file_write(f, DT_BYTE, b, 2) == 2);
    CHECK(file_write(f, DT_CHAR, c, 1) == 1);
    CHECK(file_write(f, DT_SHORT, s, 1) == 1);
    CHECK(file_write(f, DT_INT, i, 2) == 2);
    CHECK(file_write(f, DT_LONG, l, 1) == 1);
    CHECK(file_write(f, DT_FLOAT, fl, 1) == 1);
    CHECK(file_write(f, DT_DOUBLE, d, 1) == 1);
    static const char want[] =
        "\x01\xff" "\xfe" "\xd4\xfe" "\x90\xee\xfe\xff" "\x01\x00\x00\x00"
        "\x00\x00\x00\x00\x00\x01\x00\x00" "\x00\x00\x00\x3f" "\x00\x00\x00\x00\x00\x00\xf0\x3f";
    CHECK(mem_is(f, want, sizeof want - 1));
    CHECK(file_seek(f, 0) == 0);
    uint8_t b2[2]; int8_t c2; int16_t s2; int32_t i2[2]; int64_t l2; float f2; double d2;
    CHECK(file_read(f, DT_BYTE, b2, 2) == 2 && b2[0] == 1 && b2[1] == 255);
    CHECK(file_read(f, DT_CHAR, &c2, 1) == 1 && c2 == -2);
    CHECK(file_read(f, DT_SHORT, &s2, 1) == 1 && s2 == -300);
    CHECK(file_read(f, DT_INT, i2, 2) == 2 && i2[0] == -70000 && i2[1] == 1);
    CHECK(file_read(f, DT_LONG, &l2, 1) == 1 && l2 == ((int64_t)1 << 40));
    CHECK(file_read(f, DT_FLOAT, &f2, 1) == 1 && f2 == 0.5f);
    CHECK(file_read(f, DT_DOUBLE, &d2, 1) == 1 && d2 == 1.0);
    CHECK(file_position(f) == (int64_t)sizeof want - 1);
    /* one more value: end of data, with the offset in the message */
    CHECK(file_read(f, DT_INT, i2, 1) == -1);
    CHECK(err_has("read error: read 0 blocks instead of 1"));
    CHECK(err_has("at byte 33 of <memory>"));
    CHECK(file_has_error(f));
    file_free(f);
}

static void test_binary_truncated(void)
{
    /* 6 bytes hold one Int and half of the next */
    File *f = file_memory_open("\x05\x00\x00\x00\x07\x00", 6, "r");
    file_set_binary(f, 1);
    int32_t v[2] = {0, 0};
    CHECK(file_read(f, DT_INT, v, 2) == -1);
    CHECK(v[0] == 5);
    CHECK(err_has("read 1 blocks instead of 2"));
    CHECK(err_has("at byte 0 of <memory>"));
    file_free(f);
}

static void test_longsize(void)
{
    int64_t l[2] = {-1, ((int64_t)1 << 32) + 5};
    File *f = file_memory_open(NULL, 0, "rw");
    file_set_binary(f, 1);
    CHECK(file_set_longsize(f, 3) == -1);
    CHECK(err_has("Invalid long size"));
    CHECK(file_set_longsize(f, 4) == 0);
    CHECK(file_write(f, DT_LONG, l, 2) == 2);
    /* 4 bytes each, truncated to the low 32 bits */
    CHECK(mem_is(f, "\xff\xff\xff\xff\x05\x00\x00\x00", 8));
    file_seek(f, 0);
    int64_t r[2] = {0, 0};
    CHECK(file_read(f, DT_LONG, r, 2) == 2);
    CHECK(r[0] == -1 && r[1] == 5);   /* sign-extended */
    file_free(f);

    f = file_memory_open(NULL, 0, "rw");
    file_set_binary(f, 1);
    file_set_longsize(f, 8);
    CHECK(file_write(f, DT_LONG, l, 1) == 1);
    CHECK(mem_is(f, "\xff\xff\xff\xff\xff\xff\xff\xff", 8));
    file_free(f);

    /* a truncated longsize-4 read keeps the values it got */
    f = file_memory_open("\x02\x00\x00\x00\x03\x00", 6, "r");
    file_set_binary(f, 1);
    file_set_longsize(f, 4);
    CHECK(file_read(f, DT_LONG, r, 2) == -1 && r[0] == 2);
    file_free(f);
}

static void test_endianness_disk(void)
{
    const char *path = tmp_path("endian");
    File *f = file_disk_open(path, "w", 0);
    CHECK(f != NULL);
    file_set_binary(f, 1);
    file_set_endian(f, FILE_ENDIAN_BIG);
    int32_t i = 0x01020304;
    double d = 1.0;
    int64_t l = 258;
    uint8_t b[2] = {9, 8};
    CHECK(file_write(f, DT_INT, &i, 1) == 1);
    CHECK(file_write(f, DT_DOUBLE, &d, 1) == 1);
    file_set_longsize(f, 4);
    CHECK(file_write(f, DT_LONG, &l, 1) == 1);
    CHECK(file_write(f, DT_BYTE, b, 2) == 2);   /* bytes are never swapped */
    file_set_endian(f, FILE_ENDIAN_LITTLE);
    CHECK(file_write(f, DT_INT, &i, 1) == 1);
    CHECK(file_close(f) == 0);
    CHECK(file_close(f) == -1 && err_has("attempt to use a closed file"));
    file_free(f);

    FILE *fp = fopen(path, "rb");
    unsigned char got[32];
    size_t n = fread(got, 1, sizeof got, fp);
    fclose(fp);
    static const unsigned char want[] = {1, 2, 3, 4, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0,
                                         0, 0, 1, 2, 9, 8, 4, 3, 2, 1};
    CHECK(n == sizeof want && memcmp(got, want, n) == 0);

    f = file_disk_open(path, "r", 0);
    file_set_binary(f, 1);
    file_set_endian(f, FILE_ENDIAN_BIG);
    int32_t ri; double rd; int64_t rl; uint8_t rb[2];
    CHECK(file_read(f, DT_INT, &ri, 1) == 1 && ri == 0x01020304);
    CHECK(file_read(f, DT_DOUBLE, &rd, 1) == 1 && rd == 1.0);
    file_set_longsize(f, 4);
    CHECK(file_read(f, DT_LONG, &rl, 1) == 1 && rl == 258);
    CHECK(file_read(f, DT_BYTE, rb, 2) == 2 && rb[0] == 9 && rb[1] == 8);
    file_set_endian(f, FILE_ENDIAN_NATIVE);
    CHECK(file_read(f, DT_INT, &ri, 1) == 1 && ri == 0x01020304);
    file_free(f);
    unlink(path);
}

/* ---- ascii -------------------------------------------------------------- */

static void test_ascii_formats(void)
{
    File *f = file_memory_open(NULL, 0, "rw");
    CHECK(!file_is_binary(f));   /* ascii is the default */
    double d[6] = {1, 0.1, 1e-5, 1e300, -0.0, 9007199254740993.0};
    float fl[2] = {0.1f, 1.0f / 3};
    int32_t i[3] = {-70000, 1, 2};
    int64_t l[1] = {(int64_t)1 << 40};
    int16_t s[1] = {-300};
    uint8_t b[3] = {1, 2, 10};
    CHECK(file_write(f, DT_DOUBLE, d, 6) == 6);
    CHECK(file_write(f, DT_FLOAT, fl, 2) == 2);
    CHECK(file_write(f, DT_INT, i, 3) == 3);
    CHECK(file_write(f, DT_LONG, l, 1) == 1);
    CHECK(file_write(f, DT_SHORT, s, 1) == 1);
    CHECK(file_write(f, DT_BYTE, b, 3) == 3);
    CHECK(file_write(f, DT_INT, i, 0) == 0);   /* zero values: nothing at all */
    static const char want[] =
        "1 0.10000000000000001 1.0000000000000001e-05 1.0000000000000001e+300 -0 9007199254740992\n"
        "0.100000001 0.333333343\n"
        "-70000 1 2\n"
        "1099511627776\n"
        "-300\n"
        "\x01\x02\x0a\n";
    CHECK(mem_is(f, want, sizeof want - 1));

    file_seek(f, 0);
    double rd[6]; float rf[2]; int32_t ri[3]; int64_t rl; int16_t rs; uint8_t rb[3];
    CHECK(file_read(f, DT_DOUBLE, rd, 6) == 6);
    CHECK(rd[1] == 0.1 && rd[2] == 1e-5 && rd[3] == 1e300 && rd[4] == 0 && signbit(rd[4]));
    CHECK(rd[5] == 9007199254740992.0);
    CHECK(file_read(f, DT_FLOAT, rf, 2) == 2 && rf[0] == 0.1f && rf[1] == 1.0f / 3);
    CHECK(file_read(f, DT_INT, ri, 3) == 3 && ri[0] == -70000 && ri[2] == 2);
    CHECK(file_read(f, DT_LONG, &rl, 1) == 1 && rl == ((int64_t)1 << 40));
    CHECK(file_read(f, DT_SHORT, &rs, 1) == 1 && rs == -300);
    /* the '\n' after -300 was consumed, so the raw bytes start right here */
    CHECK(file_read(f, DT_BYTE, rb, 3) == 3 && rb[0] == 1 && rb[1] == 2 && rb[2] == 10);
    CHECK(file_position(f) == (int64_t)sizeof want - 1);
    file_free(f);
}

static void test_ascii_special_doubles(void)
{
    File *f = file_memory_open(NULL, 0, "rw");
    double d[3] = {INFINITY, -INFINITY, NAN};
    CHECK(file_write(f, DT_DOUBLE, d, 3) == 3);
    size_t n;
    const char *s = file_memory_data(f, &n);
    CHECK(n >= 12 && strncmp(s, "inf -inf ", 9) == 0);
    file_free(f);
    f = file_memory_open("inf -inf -nan nan\n", 18, "r");
    double r[4];
    CHECK(file_read(f, DT_DOUBLE, r, 4) == 4);
    CHECK(isinf(r[0]) && r[0] > 0 && isinf(r[1]) && r[1] < 0 && isnan(r[2]) && isnan(r[3]));
    CHECK(signbit(r[2]) && !signbit(r[3]));
    file_free(f);
}

static void test_ascii_one_newline_rule(void)
{
    /* a length then a raw payload that itself starts with '\n': only the
     * first newline belongs to the length */
    File *f = file_memory_open("2\n\n\x07\n", 5, "r");
    int32_t len;
    char payload[2];
    CHECK(file_read(f, DT_INT, &len, 1) == 1 && len == 2);
    CHECK(file_read(f, DT_CHAR, payload, 2) == 2 && payload[0] == '\n' && payload[1] == 7);
    CHECK(file_position(f) == 5);
    file_free(f);

    /* without auto-spacing nothing is consumed after a value and writes carry
     * no separators */
    f = file_memory_open(NULL, 0, "rw");
    file_set_autospacing(f, 0);
    int32_t v[2] = {1, 2};
    file_write(f, DT_INT, v, 1);
    file_write_string(f, " ", 1);
    file_write(f, DT_INT, v + 1, 1);
    CHECK(mem_is(f, "1 2", 3));
    file_free(f);
}

static void test_ascii_malformed(void)
{
    File *f = file_memory_open("12 abc\n", 7, "r");
    int32_t v[2];
    CHECK(file_read(f, DT_INT, v, 2) == -1);
    CHECK(v[0] == 12);
    CHECK(err_has("read 1 blocks instead of 2"));
    CHECK(err_has("malformed number"));
    CHECK(err_has("at byte 3 of <memory>"));
    file_free(f);

    f = file_memory_open("99999999999\n", 12, "r");
    CHECK(file_read(f, DT_INT, v, 1) == -1 && err_has("out of range"));
    file_free(f);

    f = file_memory_open("40000\n", 6, "r");
    int16_t s;
    CHECK(file_read(f, DT_SHORT, &s, 1) == -1 && err_has("out of range"));
    file_free(f);

    f = file_memory_open("0x10\n", 5, "r");   /* scanf %d reads 0 then stops at x */
    CHECK(file_read(f, DT_INT, v, 2) == -1 && v[0] == 0 && err_has("malformed"));
    file_free(f);

    f = file_memory_open("  \n ", 4, "r");
    double d;
    CHECK(file_read(f, DT_DOUBLE, &d, 1) == -1 && err_has("end of data"));
    file_free(f);

    /* a never-ending digit string is refused, not read forever */
    char big[300];
    memset(big, '7', sizeof big);
    f = file_memory_open(big, sizeof big, "r");
    int64_t l;
    CHECK(file_read(f, DT_LONG, &l, 1) == -1);
    file_free(f);
}

static void test_check_available(void)
{
    File *f = file_memory_open("abcdefgh", 8, "r");
    file_set_binary(f, 1);
    CHECK(file_check_available(f, DT_DOUBLE, 1) == 0);
    CHECK(file_check_available(f, DT_DOUBLE, 2) == -1);
    CHECK(err_has("declared size 2"));
    CHECK(err_has("only 8 are left at byte 0"));
    CHECK(file_check_available(f, DT_DOUBLE, INT64_MAX) == -1);
    CHECK(file_check_available(f, DT_BYTE, -1) == -1);
    file_set_binary(f, 0);
    CHECK(file_check_available(f, DT_BYTE, 8) == 0);
    CHECK(file_check_available(f, DT_BYTE, 9) == -1);
    file_free(f);
}

/* ---- strings, seek, quiet, modes --------------------------------------- */

static void test_strings(void)
{
    File *f = file_memory_open(NULL, 0, "rw");
    CHECK(file_write_string(f, "line one\nline two\nrest", 22) == 0);
    file_seek(f, 0);
    char *s;
    size_t n;
    CHECK(file_read_string(f, "*l", &s, &n) == 0 && n == 8 && memcmp(s, "line one", 8) == 0);
    free(s);
    CHECK(file_read_string(f, "*l", &s, &n) == 0 && n == 8 && memcmp(s, "line two", 8) == 0);
    free(s);
    CHECK(file_read_string(f, "*a", &s, &n) == 0 && n == 4 && memcmp(s, "rest", 4) == 0);
    free(s);
    CHECK(file_read_string(f, "*a", &s, &n) == -1 && err_has("read 0 blocks instead of 1"));
    CHECK(file_read_string(f, "*x", &s, &n) == -1 && err_has("format must be '*a' or '*l'"));
    file_free(f);
}

static void test_seek_position(void)
{
    File *f = file_memory_open("0123456789", 10, "r");
    file_set_binary(f, 1);
    CHECK(file_seek(f, 4) == 0 && file_position(f) == 4);
    char c;
    CHECK(file_read(f, DT_CHAR, &c, 1) == 1 && c == '4');
    CHECK(file_seek(f, 11) == -1 && err_has("unable to seek"));
    CHECK(file_seek_end(f) == 0 && file_position(f) == 10);
    file_free(f);

    /* DiskFile rw: write, seek back, read, overwrite in the middle */
    const char *path = tmp_path("rw");
    unlink(path);
    f = file_disk_open(path, "rw", 0);   /* creates the file */
    CHECK(f != NULL);
    file_set_binary(f, 1);
    double d[3] = {1, 2, 3};
    CHECK(file_write(f, DT_DOUBLE, d, 3) == 3);
    CHECK(file_position(f) == 24);
    CHECK(file_seek(f, 8) == 0);
    double r;
    CHECK(file_read(f, DT_DOUBLE, &r, 1) == 1 && r == 2);
    double nine = 9;
    CHECK(file_write(f, DT_DOUBLE, &nine, 1) == 1);   /* overwrites the third */
    CHECK(file_seek(f, 16) == 0);
    CHECK(file_read(f, DT_DOUBLE, &r, 1) == 1 && r == 9);
    CHECK(file_seek_end(f) == 0 && file_position(f) == 24);
    file_set_binary(f, 1);
    CHECK(file_check_available(f, DT_BYTE, 1) == -1);
    file_free(f);
    unlink(path);
}

static void test_quiet(void)
{
    File *f = file_memory_open("\x01\x00\x00\x00", 4, "r");
    file_set_binary(f, 1);
    file_set_quiet(f, 1);
    int32_t v[2] = {0, 0};
    CHECK(file_read(f, DT_INT, v, 2) == 1 && v[0] == 1);
    CHECK(file_has_error(f));
    file_clear_error(f);
    CHECK(!file_has_error(f));
    file_free(f);

    CHECK(file_disk_open("/nonexistent/x", "r", 1) == NULL);
}

static void test_modes_and_errors(void)
{
    CHECK(file_disk_open("/nonexistent/x", "r", 0) == NULL);
    CHECK(strcmp(th_lasterror(), "cannot open </nonexistent/x> in mode r ") == 0);
    CHECK(file_disk_open("/nonexistent/x", "w", 0) == NULL);
    CHECK(strcmp(th_lasterror(), "cannot open </nonexistent/x> in mode  w") == 0);
    CHECK(file_disk_open("/tmp/x", "a", 0) == NULL);
    CHECK(err_has("file mode should be 'r','w' or 'rw'"));
    CHECK(file_memory_open(NULL, 0, "wr") == NULL);

    File *f = file_memory_open("1\n", 2, "r");
    int32_t v = 5;
    CHECK(file_write(f, DT_INT, &v, 1) == -1 && err_has("attempt to write in a read-only file"));
    file_free(f);
    f = file_memory_open(NULL, 0, "w");
    CHECK(file_read(f, DT_INT, &v, 1) == -1 && err_has("attempt to read in a write-only file"));
    CHECK(file_close(f) == 0);
    CHECK(file_write(f, DT_INT, &v, 1) == -1 && err_has("attempt to use a closed file"));
    CHECK(file_position(f) == -1);
    file_free(f);
}

/* a DiskFile read larger than its read buffer, and an ascii read spanning
 * buffer refills */
static void test_disk_large(void)
{
    const char *path = tmp_path("large");
    File *f = file_disk_open(path, "w", 0);
    int n = 50000;
    double *d = malloc(sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++) d[i] = i * 0.25 - 7;
    CHECK(file_write(f, DT_DOUBLE, d, n) == n);   /* ascii */
    file_set_binary(f, 1);
    CHECK(file_write(f, DT_DOUBLE, d, n) == n);
    file_free(f);

    f = file_disk_open(path, "r", 0);
    double *r = calloc((size_t)n, sizeof(double));
    CHECK(file_read(f, DT_DOUBLE, r, n) == n);
    int same = 1;
    for (int i = 0; i < n; i++) same &= r[i] == d[i];
    CHECK(same);
    memset(r, 0, sizeof(double) * (size_t)n);
    file_set_binary(f, 1);
    CHECK(file_read(f, DT_DOUBLE, r, n) == n);
    same = 1;
    for (int i = 0; i < n; i++) same &= r[i] == d[i];
    CHECK(same);
    CHECK(file_read(f, DT_DOUBLE, r, 1) == -1 && err_has("end of data"));
    free(d);
    free(r);
    file_free(f);
    unlink(path);
}

static const CheckTest tests[] = {
    {"binary_all_types", test_binary_all_types},
    {"binary_truncated", test_binary_truncated},
    {"longsize", test_longsize},
    {"endianness_disk", test_endianness_disk},
    {"ascii_formats", test_ascii_formats},
    {"ascii_special_doubles", test_ascii_special_doubles},
    {"ascii_one_newline_rule", test_ascii_one_newline_rule},
    {"ascii_malformed", test_ascii_malformed},
    {"check_available", test_check_available},
    {"strings", test_strings},
    {"seek_position", test_seek_position},
    {"quiet", test_quiet},
    {"modes_and_errors", test_modes_and_errors},
    {"disk_large", test_disk_large},
    {NULL, NULL},
};

CHECK_MAIN(tests)
