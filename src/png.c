/* png.c: PNG codec (see png.h).  Follows the PNG specification (W3C, 2nd
 * ed.): signature, then chunks of length(4, big-endian) type(4) data crc(4)
 * where the CRC covers type and data; IHDR first, IDAT data is one zlib
 * stream of filtered scanlines (one filter byte per row), IEND last. */
#include "png.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "error.h"

static const unsigned char SIGNATURE[8] = {137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};

/* Decoded images larger than this are refused: a corrupt or hostile header
 * must give an error, not an enormous allocation. */
#define PNG_MAX_BYTES ((int64_t)1 << 31)

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

void png_image_free(PngImage *img)
{
    if (!img) return;
    free(img->pixels);
    img->pixels = NULL;
}

/* ======================================================================
 * Filters
 * ====================================================================== */

static int paeth(int a, int b, int c)
{
    int p = a + b - c;
    int pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    if (pa <= pb && pa <= pc) return a;
    return pb <= pc ? b : c;
}

/* Undoes filter `type` on row (len bytes) given the previous unfiltered
 * row (zeros for the first), bpp bytes per complete pixel (at least 1). */
static void unfilter_row(int type, unsigned char *row, const unsigned char *prev, size_t len, size_t bpp)
{
    size_t i;
    switch (type) {
    case 1:
        for (i = bpp; i < len; i++) row[i] = (unsigned char)(row[i] + row[i - bpp]);
        break;
    case 2:
        for (i = 0; i < len; i++) row[i] = (unsigned char)(row[i] + prev[i]);
        break;
    case 3:
        for (i = 0; i < len; i++) {
            int left = i >= bpp ? row[i - bpp] : 0;
            row[i] = (unsigned char)(row[i] + ((left + prev[i]) >> 1));
        }
        break;
    case 4:
        for (i = 0; i < len; i++) {
            int left = i >= bpp ? row[i - bpp] : 0, upleft = i >= bpp ? prev[i - bpp] : 0;
            row[i] = (unsigned char)(row[i] + paeth(left, prev[i], upleft));
        }
        break;
    default:   /* 0: None */
        break;
    }
}

/* Applies filter `type` to raw row into out (len bytes). */
static void filter_row(int type, const unsigned char *raw, const unsigned char *prev, unsigned char *out,
                       size_t len, size_t bpp)
{
    for (size_t i = 0; i < len; i++) {
        int left = i >= bpp ? raw[i - bpp] : 0, up = prev[i], upleft = i >= bpp ? prev[i - bpp] : 0;
        int pred = 0;
        switch (type) {
        case 1: pred = left; break;
        case 2: pred = up; break;
        case 3: pred = (left + up) >> 1; break;
        case 4: pred = paeth(left, up, upleft); break;
        default: break;
        }
        out[i] = (unsigned char)(raw[i] - pred);
    }
}

/* ======================================================================
 * Decoding
 * ====================================================================== */

typedef struct Header {
    uint32_t width, height;
    int depth, color, interlace;
    int channels;        /* in the file: 1, 2, 3 (RGB or palette index) or 4 */
} Header;

static int check_header(const Header *h, const char *what)
{
    if (h->width == 0 || h->height == 0 || h->width > 0x7fffffffu || h->height > 0x7fffffffu)
        return th_seterror("%s: bad PNG size %ux%u", what, h->width, h->height);
    int ok;
    switch (h->color) {
    case 0: ok = h->depth == 1 || h->depth == 2 || h->depth == 4 || h->depth == 8 || h->depth == 16; break;
    case 3: ok = h->depth == 1 || h->depth == 2 || h->depth == 4 || h->depth == 8; break;
    case 2: case 4: case 6: ok = h->depth == 8 || h->depth == 16; break;
    default: return th_seterror("%s: bad PNG color type %d", what, h->color);
    }
    if (!ok) return th_seterror("%s: bad PNG bit depth %d for color type %d", what, h->depth, h->color);
    if (h->depth == 16) return th_seterror("%s: 16-bit PNG images are not supported", what);
    if (h->interlace == 1) return th_seterror("%s: interlaced PNG images are not supported", what);
    if (h->interlace != 0) return th_seterror("%s: bad PNG interlace method %d", what, h->interlace);
    return 0;
}

/* Turns unfiltered scanlines into 8-bit interleaved pixels. */
static int expand_pixels(const Header *h, const unsigned char *rows, size_t stride, const unsigned char *plte,
                         int nplte, PngImage *img, const char *what)
{
    int out_ch = h->color == 3 ? 3 : h->channels;
    size_t w = h->width, hh = h->height;
    unsigned char *px = malloc(w * hh * (size_t)out_ch);
    if (!px) return th_seterror("%s: out of memory for a %zux%zu image", what, w, hh);
    for (size_t y = 0; y < hh; y++) {
        const unsigned char *row = rows + y * stride;
        unsigned char *o = px + y * w * (size_t)out_ch;
        if (h->depth == 8 && h->color != 3) {
            memcpy(o, row, w * (size_t)out_ch);
            continue;
        }
        for (size_t x = 0; x < w; x++) {
            /* Samples of depth < 8 are packed from the high bits down. */
            unsigned v;
            if (h->depth == 8) {
                v = row[x];
            } else {
                size_t bit = x * (size_t)h->depth;
                v = (row[bit >> 3] >> (8 - h->depth - (bit & 7))) & ((1u << h->depth) - 1);
            }
            if (h->color == 3) {
                if ((int)v >= nplte) {
                    free(px);
                    return th_seterror("%s: palette index %u out of range (palette has %d entries) at pixel (%zu, %zu)",
                                       what, v, nplte, x + 1, y + 1);
                }
                memcpy(o + 3 * x, plte + 3 * v, 3);
            } else {
                /* Gray of depth 1/2/4 scaled to 0..255 (255 / (2^depth - 1)). */
                o[x] = (unsigned char)(v * (255u / ((1u << h->depth) - 1)));
            }
        }
    }
    img->width = w;
    img->height = hh;
    img->channels = out_ch;
    img->pixels = px;
    return 0;
}

int png_decode(const unsigned char *buf, size_t n, PngImage *img, const char *what)
{
    memset(img, 0, sizeof *img);
    if (!what) what = "PNG data";
    if (n < 8 || memcmp(buf, SIGNATURE, 8) != 0) return th_seterror("%s: not a PNG file (bad signature)", what);

    Header h = {0};
    int have_header = 0, have_end = 0, nplte = 0;
    unsigned char plte[3 * 256];
    unsigned char *idat = NULL;
    size_t idat_n = 0, idat_cap = 0;
    size_t pos = 8;
    int rc = -1;

    while (!have_end) {
        if (n - pos < 12) {
            th_seterror("%s: truncated PNG file (no IEND chunk; %zu bytes left at offset %zu)", what, n - pos, pos);
            goto done;
        }
        uint32_t len = be32(buf + pos);
        char type[5];
        memcpy(type, buf + pos + 4, 4);
        type[4] = '\0';
        for (int k = 0; k < 4; k++) {
            char c = type[k];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                th_seterror("%s: corrupt PNG file (bad chunk type at offset %zu)", what, pos);
                goto done;
            }
        }
        if (len > 0x7fffffffu || len > n - pos - 12) {
            th_seterror("%s: truncated PNG file (chunk %s announces %u bytes, %zu present)", what, type, len,
                        n - pos - 12);
            goto done;
        }
        const unsigned char *data = buf + pos + 8;
        uint32_t crc = codec_crc32(0, buf + pos + 4, (size_t)len + 4);
        if (crc != be32(data + len)) {
            th_seterror("%s: CRC mismatch in PNG chunk %s (stored 0x%08x, computed 0x%08x)", what, type,
                        be32(data + len), crc);
            goto done;
        }
        if (!have_header && strcmp(type, "IHDR") != 0) {
            th_seterror("%s: corrupt PNG file (first chunk is %s, expected IHDR)", what, type);
            goto done;
        }

        if (strcmp(type, "IHDR") == 0) {
            if (have_header || len != 13) {
                th_seterror("%s: corrupt PNG file (bad IHDR chunk)", what);
                goto done;
            }
            h.width = be32(data);
            h.height = be32(data + 4);
            h.depth = data[8];
            h.color = data[9];
            h.interlace = data[12];
            if (data[10] != 0 || data[11] != 0) {
                th_seterror("%s: unknown PNG compression/filter method %d/%d", what, data[10], data[11]);
                goto done;
            }
            if (check_header(&h, what)) goto done;
            h.channels = h.color == 0 ? 1 : h.color == 2 ? 3 : h.color == 3 ? 1 : h.color == 4 ? 2 : 4;
            have_header = 1;
        } else if (strcmp(type, "PLTE") == 0) {
            if (len % 3 != 0 || len == 0 || len > 3 * 256) {
                th_seterror("%s: corrupt PNG file (PLTE chunk of %u bytes)", what, len);
                goto done;
            }
            memcpy(plte, data, len);
            nplte = (int)(len / 3);
        } else if (strcmp(type, "IDAT") == 0) {
            if (idat_n + len > idat_cap) {
                size_t cap = idat_cap ? idat_cap : 4096;
                while (cap < idat_n + len) cap *= 2;
                unsigned char *grown = realloc(idat, cap);
                if (!grown) {
                    th_seterror("%s: out of memory reading PNG data", what);
                    goto done;
                }
                idat = grown;
                idat_cap = cap;
            }
            memcpy(idat + idat_n, data, len);
            idat_n += len;
        } else if (strcmp(type, "IEND") == 0) {
            have_end = 1;
        } else if (type[0] >= 'A' && type[0] <= 'Z') {
            /* An unknown critical chunk: the spec says the image cannot be
             * decoded correctly without it. */
            th_seterror("%s: unsupported critical PNG chunk %s", what, type);
            goto done;
        }
        pos += (size_t)len + 12;
    }
    if (h.color == 3 && nplte == 0) {
        th_seterror("%s: corrupt PNG file (palette image without PLTE chunk)", what);
        goto done;
    }
    if (idat_n == 0) {
        th_seterror("%s: corrupt PNG file (no IDAT chunk)", what);
        goto done;
    }

    {
        size_t bits = (size_t)h.width * (size_t)h.channels * (size_t)h.depth;
        size_t stride = (bits + 7) / 8;
        size_t bpp = (size_t)h.channels * (size_t)h.depth / 8;
        if (bpp == 0) bpp = 1;
        if ((int64_t)stride + 1 > PNG_MAX_BYTES / (int64_t)h.height ||
            (int64_t)h.width * h.height * 4 > PNG_MAX_BYTES) {
            th_seterror("%s: PNG image too large (%ux%u)", what, h.width, h.height);
            goto done;
        }
        size_t raw_n = (stride + 1) * (size_t)h.height;
        unsigned char *raw = malloc(raw_n);
        if (!raw) {
            th_seterror("%s: out of memory for a %ux%u PNG", what, h.width, h.height);
            goto done;
        }
        if (codec_inflate(idat, idat_n, raw, raw_n, what)) {
            free(raw);
            goto done;
        }
        /* Unfilter in place, compacting rows to drop the filter bytes. */
        unsigned char *zero = calloc(stride, 1);
        if (!zero) {
            free(raw);
            th_seterror("%s: out of memory", what);
            goto done;
        }
        for (size_t y = 0; y < h.height; y++) {
            int ft = raw[y * (stride + 1)];
            if (ft > 4) {
                th_seterror("%s: corrupt PNG data (filter type %d in row %zu)", what, ft, y + 1);
                free(zero);
                free(raw);
                goto done;
            }
            unsigned char *row = raw + y * stride;
            memmove(row, raw + y * (stride + 1) + 1, stride);
            unfilter_row(ft, row, y ? row - stride : zero, stride, bpp);
        }
        free(zero);
        rc = expand_pixels(&h, raw, stride, plte, nplte, img, what);
        free(raw);
    }
done:
    free(idat);
    return rc;
}

/* ======================================================================
 * Encoding
 * ====================================================================== */

/* Appends one chunk (length, type, data, CRC) at *p, advancing it. */
static void put_chunk(unsigned char **p, const char *type, const unsigned char *data, size_t len)
{
    unsigned char *c = *p;
    put_be32(c, (uint32_t)len);
    memcpy(c + 4, type, 4);
    if (len) memcpy(c + 8, data, len);
    put_be32(c + 8 + len, codec_crc32(0, c + 4, len + 4));
    *p = c + 12 + len;
}

int png_encode(const PngImage *img, unsigned char **out, size_t *out_n)
{
    *out = NULL;
    *out_n = 0;
    static const int color_of[5] = {0, 0, 4, 2, 6};
    if (img->channels < 1 || img->channels > 4)
        return th_seterror("savePNG: %d channels (expected 1, 2, 3 or 4)", img->channels);
    if (img->width <= 0 || img->height <= 0 || img->width > 0x7fffffff || img->height > 0x7fffffff)
        return th_seterror("savePNG: bad image size %lldx%lld", (long long)img->width, (long long)img->height);
    size_t stride = (size_t)img->width * (size_t)img->channels, bpp = (size_t)img->channels;
    if ((int64_t)(stride + 1) > PNG_MAX_BYTES / img->height)
        return th_seterror("savePNG: image too large (%lldx%lld)", (long long)img->width, (long long)img->height);

    /* Filter each row with the filter whose output has the smallest sum of
     * absolute values (as signed bytes), the spec's suggested heuristic. */
    size_t raw_n = (stride + 1) * (size_t)img->height;
    unsigned char *raw = malloc(raw_n), *zero = calloc(stride, 1), *cand = malloc(stride);
    if (!raw || !zero || !cand) {
        free(raw);
        free(zero);
        free(cand);
        return th_seterror("savePNG: out of memory");
    }
    for (int64_t y = 0; y < img->height; y++) {
        const unsigned char *row = img->pixels + (size_t)y * stride;
        const unsigned char *prev = y ? row - stride : zero;
        unsigned char *dst = raw + (size_t)y * (stride + 1);
        uint64_t best = UINT64_MAX;
        for (int ft = 0; ft <= 4; ft++) {
            filter_row(ft, row, prev, cand, stride, bpp);
            uint64_t cost = 0;
            for (size_t i = 0; i < stride; i++) cost += (uint64_t)abs((int)(signed char)cand[i]);
            if (cost < best) {
                best = cost;
                dst[0] = (unsigned char)ft;
                memcpy(dst + 1, cand, stride);
            }
        }
    }
    free(zero);
    free(cand);
    unsigned char *z;
    size_t z_n;
    int rc = codec_deflate(raw, raw_n, &z, &z_n);
    free(raw);
    if (rc) return -1;

    size_t total = 8 + (12 + 13) + (12 + z_n) + 12;
    unsigned char *file = malloc(total);
    if (!file) {
        free(z);
        return th_seterror("savePNG: out of memory");
    }
    unsigned char ihdr[13], *p = file;
    put_be32(ihdr, (uint32_t)img->width);
    put_be32(ihdr + 4, (uint32_t)img->height);
    ihdr[8] = 8;                          /* bit depth */
    ihdr[9] = (unsigned char)color_of[img->channels];
    ihdr[10] = ihdr[11] = ihdr[12] = 0;   /* deflate, adaptive filters, no interlace */
    memcpy(p, SIGNATURE, 8);
    p += 8;
    put_chunk(&p, "IHDR", ihdr, 13);
    put_chunk(&p, "IDAT", z, z_n);
    put_chunk(&p, "IEND", NULL, 0);
    free(z);
    *out = file;
    *out_n = (size_t)(p - file);
    return 0;
}

/* ======================================================================
 * Files and tensors
 * ====================================================================== */

/* Reads a whole file into a malloc'd buffer. */
static int read_file(const char *path, unsigned char **buf, size_t *n)
{
    *buf = NULL;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return th_seterror("cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    unsigned char *b = malloc(cap);
    while (b) {
        len += fread(b + len, 1, cap - len, f);
        if (len < cap) break;
        if ((int64_t)cap >= PNG_MAX_BYTES) {
            free(b);
            fclose(f);
            return th_seterror("%s: file too large for a PNG", path);
        }
        unsigned char *grown = realloc(b, cap * 2);
        if (!grown) {
            free(b);
            b = NULL;
            break;
        }
        b = grown;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!b) return th_seterror("%s: out of memory", path);
    if (bad) {
        free(b);
        return th_seterror("cannot read %s", path);
    }
    *buf = b;
    *n = len;
    return 0;
}

Tensor *png_load(const char *path)
{
    unsigned char *buf;
    size_t n;
    if (read_file(path, &buf, &n)) return NULL;
    PngImage img;
    int rc = png_decode(buf, n, &img, path);
    free(buf);
    if (rc) return NULL;
    int64_t size[3] = {img.channels, img.height, img.width};
    Tensor *t = tensor_new_sized(DT_BYTE, 3, size);
    if (t) {
        /* Interleaved HxWxC to Torch's planar CxHxW. */
        unsigned char *d = tensor_data(t);
        int64_t plane = img.height * img.width;
        for (int c = 0; c < img.channels; c++)
            for (int64_t i = 0; i < plane; i++) d[c * plane + i] = img.pixels[i * img.channels + c];
    }
    png_image_free(&img);
    return t;
}

/* Element i (row-major over the view) of t as a byte, per png_save's rule. */
#define GATHER(DT, T, SFX)                                                            \
    static void gather_##SFX(const Tensor *t, unsigned char *dst, int64_t n)          \
    {                                                                                 \
        const T *base = (const T *)t->storage->data + t->offset;                      \
        int64_t idx[TENSOR_MAXDIM] = {0}, off = 0;                                    \
        for (int64_t i = 0; i < n; i++) {                                             \
            double v = (double)base[off];                                             \
            dst[i] = DT == DT_BYTE ? (unsigned char)base[off]                         \
                   : v >= 255 ? 255 : v > 0 ? (unsigned char)v : 0;                   \
            for (int d = t->ndim - 1; d >= 0; d--) {                                  \
                off += t->stride[d];                                                  \
                if (++idx[d] < t->size[d]) break;                                     \
                off -= t->stride[d] * t->size[d];                                     \
                idx[d] = 0;                                                           \
            }                                                                         \
        }                                                                             \
    }
DTYPE_FOREACH(GATHER)
#undef GATHER

int png_save(const char *path, const Tensor *t)
{
    int64_t c, h, w;
    if (t->ndim == 2) {
        c = 1, h = t->size[0], w = t->size[1];
    } else if (t->ndim == 3) {
        c = t->size[0], h = t->size[1], w = t->size[2];
    } else {
        return th_seterror("savePNG: expected a 2-D (HxW) or 3-D (CxHxW) tensor, got %dD", t->ndim);
    }
    if (c < 1 || c > 4) return th_seterror("savePNG: depth must be 1, 2, 3 or 4, got %lld", (long long)c);
    if (h <= 0 || w <= 0) return th_seterror("savePNG: empty image (%lldx%lld)", (long long)h, (long long)w);
    if (c * h * w > PNG_MAX_BYTES) return th_seterror("savePNG: image too large");
    int64_t n = c * h * w;
    unsigned char *planar = malloc((size_t)n), *px = malloc((size_t)n);
    if (!planar || !px) {
        free(planar);
        free(px);
        return th_seterror("savePNG: out of memory");
    }
    switch (t->dtype) {
#define CASE(DT, T, SFX) case DT: gather_##SFX(t, planar, n); break;
    DTYPE_FOREACH(CASE)
#undef CASE
    default: break;
    }
    int64_t plane = h * w;
    for (int64_t k = 0; k < c; k++)
        for (int64_t i = 0; i < plane; i++) px[i * c + k] = planar[k * plane + i];
    free(planar);
    PngImage img = {.width = w, .height = h, .channels = (int)c, .pixels = px};
    unsigned char *file;
    size_t file_n;
    int rc = png_encode(&img, &file, &file_n);
    free(px);
    if (rc) return -1;
    FILE *f = fopen(path, "wb");
    if (!f) {
        free(file);
        return th_seterror("cannot open %s for writing: %s", path, strerror(errno));
    }
    size_t put = fwrite(file, 1, file_n, f);
    int closed = fclose(f);
    free(file);
    if (put != file_n || closed != 0) return th_seterror("cannot write %s", path);
    return 0;
}
