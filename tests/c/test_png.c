/* test_png.c: PNG decoding of hand-made files (each filter worked out by
 * hand, low bit depths, palettes) and of files from other encoders, round
 * trips through the encoder, the tensor file helpers, and every kind of
 * broken file giving an error rather than a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "codec.h"
#include "error.h"
#include "png.h"
#include "png_samples.h"
#include "tensor.h"

static int has(const char *text)
{
    return strstr(th_lasterror(), text) != NULL;
}

static void be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Builds a PNG file by hand: IHDR(w, h, depth, color, interlace), an
 * optional PLTE, one IDAT holding `raw` (filter bytes included) deflated,
 * IEND.  Returns the length written into out. */
static size_t make_png(unsigned char *out, uint32_t w, uint32_t h, int depth, int color, int interlace,
                       const unsigned char *plte, size_t plte_n, const unsigned char *raw, size_t raw_n)
{
    static const unsigned char sig[8] = {137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};
    unsigned char *p = out;
    memcpy(p, sig, 8);
    p += 8;
    unsigned char ihdr[13];
    be32(ihdr, w);
    be32(ihdr + 4, h);
    ihdr[8] = (unsigned char)depth;
    ihdr[9] = (unsigned char)color;
    ihdr[10] = ihdr[11] = 0;
    ihdr[12] = (unsigned char)interlace;
    unsigned char *z = NULL;
    size_t z_n = 0;
    codec_deflate(raw, raw_n, &z, &z_n);
    struct { const char *type; const unsigned char *data; size_t n; } chunks[4] = {
        {"IHDR", ihdr, 13}, {"PLTE", plte, plte_n}, {"IDAT", z, z_n}, {"IEND", NULL, 0}};
    for (int c = 0; c < 4; c++) {
        if (c == 1 && !plte) continue;
        be32(p, (uint32_t)chunks[c].n);
        memcpy(p + 4, chunks[c].type, 4);
        if (chunks[c].n) memcpy(p + 8, chunks[c].data, chunks[c].n);
        be32(p + 8 + chunks[c].n, codec_crc32(0, p + 4, chunks[c].n + 4));
        p += 12 + chunks[c].n;
    }
    free(z);
    return (size_t)(p - out);
}

static int pixels_are(const PngImage *img, const unsigned char *want, size_t n)
{
    return (size_t)(img->width * img->height * img->channels) == n && memcmp(img->pixels, want, n) == 0;
}

/* ---- hand-made files ------------------------------------------------------- */

static void test_filters_gray(void)
{
    unsigned char file[512];
    PngImage img;
    /* 3x2 gray: row 0 Sub [10,5,5] -> 10, 15, 20; row 1 Up [1,2,3] -> 11, 17, 23. */
    static const unsigned char raw1[] = {1, 10, 5, 5, 2, 1, 2, 3};
    size_t n = make_png(file, 3, 2, 8, 0, 0, NULL, 0, raw1, sizeof raw1);
    CHECK(png_decode(file, n, &img, "t") == 0);
    static const unsigned char want1[] = {10, 15, 20, 11, 17, 23};
    CHECK(img.width == 3 && img.height == 2 && img.channels == 1);
    CHECK(pixels_are(&img, want1, 6));
    png_image_free(&img);

    /* 3x3 gray: row 0 None [100,50,200];
     * row 1 Average [10,20,30]: 10+(0+100)/2=60, 20+(60+50)/2=75, 30+(75+200)/2=167;
     * row 2 Paeth [1,2,3] over [60,75,167]: x0 a=0 b=60 c=0 -> b: 61;
     *   x1 a=61 b=75 c=60, p=76 -> b: 77; x2 a=77 b=167 c=75, p=169 -> b: 170. */
    static const unsigned char raw2[] = {0, 100, 50, 200, 3, 10, 20, 30, 4, 1, 2, 3};
    n = make_png(file, 3, 3, 8, 0, 0, NULL, 0, raw2, sizeof raw2);
    CHECK(png_decode(file, n, &img, "t") == 0);
    static const unsigned char want2[] = {100, 50, 200, 60, 75, 167, 61, 77, 170};
    CHECK(pixels_are(&img, want2, 9));
    png_image_free(&img);

    /* Paeth picking c and a: row 0 None [15,20,20]; row 1 Paeth [251,0,246]:
     * x0 a=0 b=15 c=0 -> b: 251+15 = 10 (mod 256); x1 a=10 b=20 c=15, p=15:
     * pa=5 pb=5 pc=0 -> c: 0+15 = 15; x2 a=15 b=20 c=20, p=15 -> a: 246+15 = 5. */
    static const unsigned char raw3[] = {0, 15, 20, 20, 4, 251, 0, 246};
    n = make_png(file, 3, 2, 8, 0, 0, NULL, 0, raw3, sizeof raw3);
    CHECK(png_decode(file, n, &img, "t") == 0);
    static const unsigned char want3[] = {15, 20, 20, 10, 15, 5};
    CHECK(pixels_are(&img, want3, 6));
    png_image_free(&img);
}

static void test_filters_rgb(void)
{
    unsigned char file[512];
    PngImage img;
    /* 2x2 RGB: Sub works per channel (3 bytes back), with wrap-around:
     * row 0 Sub [1,2,3, 200,5,6] -> 1,2,3, 201,7,9;
     * row 1 Average [2,2,2, 0,0,0]: first pixel 2+(0+up)/2 = 2,3,3;
     *   second: (left + up)/2 -> (2+201)/2=101, (3+7)/2=5, (3+9)/2=6. */
    static const unsigned char raw[] = {1, 1, 2, 3, 200, 5, 6, 3, 2, 2, 2, 0, 0, 0};
    size_t n = make_png(file, 2, 2, 8, 2, 0, NULL, 0, raw, sizeof raw);
    CHECK(png_decode(file, n, &img, "t") == 0);
    static const unsigned char want[] = {1, 2, 3, 201, 7, 9, 2, 3, 3, 101, 5, 6};
    CHECK(img.channels == 3);
    CHECK(pixels_are(&img, want, 12));
    png_image_free(&img);
    /* RGBA and gray+alpha keep their channels. */
    static const unsigned char rgba[] = {0, 1, 2, 3, 4};
    n = make_png(file, 1, 1, 8, 6, 0, NULL, 0, rgba, sizeof rgba);
    CHECK(png_decode(file, n, &img, "t") == 0);
    CHECK(img.channels == 4 && pixels_are(&img, rgba + 1, 4));
    png_image_free(&img);
    static const unsigned char ga[] = {0, 9, 8, 7, 6};
    n = make_png(file, 2, 1, 8, 4, 0, NULL, 0, ga, sizeof ga);
    CHECK(png_decode(file, n, &img, "t") == 0);
    CHECK(img.channels == 2 && pixels_are(&img, ga + 1, 4));
    png_image_free(&img);
}

static void test_low_depth_and_palette(void)
{
    unsigned char file[512];
    PngImage img;
    /* 1-bit gray 10x1: bits 1011001110 -> 255,0,255,255,0,0,255,255,255,0. */
    static const unsigned char bits[] = {0, 0xB3, 0x80};
    size_t n = make_png(file, 10, 1, 1, 0, 0, NULL, 0, bits, sizeof bits);
    CHECK(png_decode(file, n, &img, "t") == 0);
    static const unsigned char want1[] = {255, 0, 255, 255, 0, 0, 255, 255, 255, 0};
    CHECK(pixels_are(&img, want1, 10));
    png_image_free(&img);
    /* 4-bit gray 2x1: 0x3F -> 3*17 = 51, 15*17 = 255. */
    static const unsigned char nib[] = {0, 0x3F};
    n = make_png(file, 2, 1, 4, 0, 0, NULL, 0, nib, sizeof nib);
    CHECK(png_decode(file, n, &img, "t") == 0);
    CHECK(img.pixels[0] == 51 && img.pixels[1] == 255);
    png_image_free(&img);
    /* 2-bit palette 3x1: indexes 2,0,1 (0b10_00_01_00) over 3 colors. */
    static const unsigned char plte[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    static const unsigned char idx[] = {0, 0x84};
    n = make_png(file, 3, 1, 2, 3, 0, plte, sizeof plte, idx, sizeof idx);
    CHECK(png_decode(file, n, &img, "t") == 0);
    static const unsigned char want2[] = {7, 8, 9, 1, 2, 3, 4, 5, 6};
    CHECK(img.channels == 3 && pixels_are(&img, want2, 9));
    png_image_free(&img);
    /* Index 3 is past the 3-entry palette. */
    static const unsigned char bad_idx[] = {0, 0xC0};
    n = make_png(file, 3, 1, 2, 3, 0, plte, sizeof plte, bad_idx, sizeof bad_idx);
    CHECK(png_decode(file, n, &img, "t") == -1 && has("palette index 3 out of range"));
    /* A palette image without PLTE. */
    n = make_png(file, 3, 1, 2, 3, 0, NULL, 0, idx, sizeof idx);
    CHECK(png_decode(file, n, &img, "t") == -1 && has("without PLTE"));
}

/* FNV-1a over the decoded pixels. */
static uint32_t fnv(const PngImage *img)
{
    uint32_t h = 2166136261u;
    for (int64_t i = 0; i < img->width * img->height * img->channels; i++)
        h = (h ^ img->pixels[i]) * 16777619u;
    return h;
}

static uint64_t pixel_sum(const PngImage *img)
{
    uint64_t s = 0;
    for (int64_t i = 0; i < img->width * img->height * img->channels; i++) s += img->pixels[i];
    return s;
}

static void test_foreign_files(void)
{
    PngImage img;
    CHECK(png_decode(PYTHON_PNG, sizeof PYTHON_PNG, &img, "python.png") == 0);
    CHECK(img.width == 16 && img.height == 16 && img.channels == 3);
    CHECK(pixel_sum(&img) == 68718 && fnv(&img) == 0xef9f7909u);
    png_image_free(&img);
    CHECK(png_decode(FAVICON_PNG, sizeof FAVICON_PNG, &img, "favicon.png") == 0);
    CHECK(img.width == 32 && img.height == 32 && img.channels == 2);
    CHECK(pixel_sum(&img) == 134379 && fnv(&img) == 0x20578a7au);
    png_image_free(&img);
}

/* ---- broken files ------------------------------------------------------------ */

static void test_broken(void)
{
    unsigned char file[512], copy[512];
    PngImage img;
    static const unsigned char raw[] = {1, 10, 5, 5, 2, 1, 2, 3};
    size_t n = make_png(file, 3, 2, 8, 0, 0, NULL, 0, raw, sizeof raw);
    /* Every strict prefix fails cleanly. */
    int all_fail = 1;
    for (size_t k = 0; k < n; k++) {
        if (png_decode(file, k, &img, "cut") == 0) {
            all_fail = 0;
            png_image_free(&img);
        }
    }
    CHECK(all_fail);
    CHECK(png_decode(file, n - 12, &img, "cut") == -1 && has("no IEND"));
    CHECK(png_decode(file, 5, &img, "cut") == -1 && has("bad signature"));
    CHECK(png_decode(file, 46, &img, "cut") == -1 && has("truncated PNG file (chunk IDAT"));
    /* Any flipped bit in a chunk is caught by its CRC. */
    for (size_t k = 8; k < n; k++) {
        memcpy(copy, file, n);
        copy[k] ^= 0x10;
        CHECK(png_decode(copy, n, &img, "flip") == -1);
    }
    memcpy(copy, file, n);
    copy[8 + 8 + 3] ^= 1;   /* inside IHDR's data */
    CHECK(png_decode(copy, n, &img, "flip") == -1 && has("CRC mismatch in PNG chunk IHDR"));

    /* Filter type 5, too little and too much image data. */
    static const unsigned char bad_filter[] = {1, 10, 5, 5, 5, 1, 2, 3};
    n = make_png(file, 3, 2, 8, 0, 0, NULL, 0, bad_filter, sizeof bad_filter);
    CHECK(png_decode(file, n, &img, "f") == -1 && has("filter type 5 in row 2"));
    n = make_png(file, 3, 2, 8, 0, 0, NULL, 0, raw, sizeof raw - 1);
    CHECK(png_decode(file, n, &img, "f") == -1 && has("ends early"));
    static const unsigned char extra[] = {1, 10, 5, 5, 2, 1, 2, 3, 0};
    n = make_png(file, 3, 2, 8, 0, 0, NULL, 0, extra, sizeof extra);
    CHECK(png_decode(file, n, &img, "f") == -1 && has("more data than expected"));

    /* Unsupported or invalid headers. */
    n = make_png(file, 3, 2, 16, 0, 0, NULL, 0, raw, sizeof raw);
    CHECK(png_decode(file, n, &img, "h") == -1 && has("16-bit"));
    n = make_png(file, 3, 2, 8, 0, 1, NULL, 0, raw, sizeof raw);
    CHECK(png_decode(file, n, &img, "h") == -1 && has("interlaced"));
    n = make_png(file, 3, 2, 8, 5, 0, NULL, 0, raw, sizeof raw);
    CHECK(png_decode(file, n, &img, "h") == -1 && has("color type 5"));
    n = make_png(file, 3, 2, 4, 2, 0, NULL, 0, raw, sizeof raw);
    CHECK(png_decode(file, n, &img, "h") == -1 && has("bit depth 4 for color type 2"));
    n = make_png(file, 0, 2, 8, 0, 0, NULL, 0, raw, sizeof raw);
    CHECK(png_decode(file, n, &img, "h") == -1 && has("bad PNG size 0x2"));
    /* A header announcing a huge image is refused before allocating it. */
    n = make_png(file, 100000, 100000, 8, 6, 0, NULL, 0, raw, sizeof raw);
    CHECK(png_decode(file, n, &img, "h") == -1 && has("too large"));
    CHECK(has("h: "));
}

/* ---- encoder ----------------------------------------------------------------- */

static void test_round_trip(void)
{
    static const int64_t sizes[][2] = {{1, 1}, {7, 5}, {64, 3}, {3, 64}, {33, 17}};
    uint32_t seed = 12345;
    for (int ch = 1; ch <= 4; ch++) {
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            PngImage img = {.width = sizes[s][0], .height = sizes[s][1], .channels = ch};
            size_t n = (size_t)(img.width * img.height * ch);
            img.pixels = malloc(n);
            /* Smooth gradients plus noise, so different filters win. */
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                img.pixels[i] = (unsigned char)((i % 2 ? i * 3 : (seed >> 16)) & 255);
            }
            unsigned char *file;
            size_t file_n;
            CHECK(png_encode(&img, &file, &file_n) == 0);
            PngImage back;
            CHECK(png_decode(file, file_n, &back, "rt") == 0);
            CHECK(back.width == img.width && back.height == img.height && back.channels == ch);
            CHECK(memcmp(back.pixels, img.pixels, n) == 0);
            png_image_free(&back);
            free(file);
            free(img.pixels);
        }
    }
    PngImage bad = {.width = 2, .height = 2, .channels = 5};
    unsigned char *file;
    size_t file_n;
    CHECK(png_encode(&bad, &file, &file_n) == -1 && has("5 channels"));
}

/* The encoder's adaptive filters: a horizontal gradient compresses best
 * with Sub, so at least one row must use a filter other than None. */
static void test_encoder_filters(void)
{
    PngImage img = {.width = 200, .height = 4, .channels = 1};
    img.pixels = malloc(800);
    for (int i = 0; i < 800; i++) img.pixels[i] = (unsigned char)(i % 200);
    unsigned char *file;
    size_t file_n;
    CHECK(png_encode(&img, &file, &file_n) == 0);
    /* IDAT starts after the signature and IHDR (8 + 25 bytes). */
    uint32_t len = (uint32_t)file[33] << 24 | file[34] << 16 | file[35] << 8 | file[36];
    CHECK(memcmp(file + 37, "IDAT", 4) == 0);
    unsigned char raw[804];
    CHECK(codec_inflate(file + 41, len, raw, sizeof raw, "idat") == 0);
    CHECK(raw[0] == 1);   /* Sub: every byte after the first becomes 1 */
    free(file);
    free(img.pixels);
}

/* ---- tensors and files ---------------------------------------------------------- */

static void test_tensor_files(void)
{
    char dir[] = "/tmp/ember_png_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/a.png", dir);

    /* 3x2x4 ByteTensor (C x H x W) survives save + load. */
    int64_t sz[3] = {3, 2, 4};
    Tensor *t = tensor_new_sized(DT_BYTE, 3, sz);
    unsigned char *d = tensor_data(t);
    for (int i = 0; i < 24; i++) d[i] = (unsigned char)(i * 10);
    CHECK(png_save(path, t) == 0);
    Tensor *back = png_load(path);
    CHECK(back && back->dtype == DT_BYTE && back->ndim == 3);
    if (back) {
        CHECK(back->size[0] == 3 && back->size[1] == 2 && back->size[2] == 4);
        CHECK(memcmp(tensor_data(back), d, 24) == 0);
    }
    tensor_release(back);

    /* The file is planar-to-interleaved: pixel (0,0) is R=0, G=80, B=160. */
    PngImage img;
    FILE *f = fopen(path, "rb");
    unsigned char buf[1024];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    CHECK(png_decode(buf, n, &img, "a.png") == 0);
    CHECK(img.pixels[0] == 0 && img.pixels[1] == 80 && img.pixels[2] == 160);
    png_image_free(&img);

    /* A transposed (non-contiguous) 2-D Double view, clamped and truncated. */
    int64_t s2[2] = {2, 3};
    Tensor *g = tensor_new_sized(DT_DOUBLE, 2, s2);
    double *gd = tensor_data(g);
    static const double vals[6] = {-5, 0.5, 254.9, 300, NAN, 17.99};
    memcpy(gd, vals, sizeof vals);
    Tensor *gt = tensor_new_view(g);
    tensor_transpose(gt, g, 0, 1);   /* 3x2: rows (-5, 300), (0.5, nan), (254.9, 17.99) */
    CHECK(png_save(path, gt) == 0);
    back = png_load(path);
    CHECK(back && back->size[0] == 1 && back->size[1] == 3 && back->size[2] == 2);
    static const unsigned char want[6] = {0, 255, 0, 0, 254, 17};
    if (back) CHECK(memcmp(tensor_data(back), want, 6) == 0);
    tensor_release(back);

    /* Errors. */
    int64_t s4[4] = {1, 1, 2, 2};
    Tensor *four = tensor_new_sized(DT_BYTE, 4, s4);
    CHECK(png_save(path, four) == -1 && has("got 4D"));
    int64_t s5[3] = {5, 2, 2};
    Tensor *five = tensor_new_sized(DT_BYTE, 3, s5);
    CHECK(png_save(path, five) == -1 && has("depth must be 1, 2, 3 or 4, got 5"));
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none.png", dir);
    CHECK(png_load(missing) == NULL && has("cannot open") && has("none.png"));
    /* A non-PNG file. */
    f = fopen(missing, "wb");
    fputs("hello", f);
    fclose(f);
    CHECK(png_load(missing) == NULL && has("not a PNG file"));

    unlink(missing);
    unlink(path);
    rmdir(dir);
    tensor_release(t);
    tensor_release(g);
    tensor_release(gt);
    tensor_release(four);
    tensor_release(five);
}

static const CheckTest tests[] = {
    {"filters_gray", test_filters_gray},
    {"filters_rgb", test_filters_rgb},
    {"low_depth_and_palette", test_low_depth_and_palette},
    {"foreign_files", test_foreign_files},
    {"broken", test_broken},
    {"round_trip", test_round_trip},
    {"encoder_filters", test_encoder_filters},
    {"tensor_files", test_tensor_files},
    {NULL, NULL},
};

CHECK_MAIN(tests)
