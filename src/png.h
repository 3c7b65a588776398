/* png.h: PNG encode/decode for image.loadPNG/savePNG (zlib through codec.c).
 *
 * Decoding takes non-interlaced PNGs of bit depth 8 in every color type
 * (gray, gray+alpha, RGB, RGBA, palette), plus gray and palette images of
 * depth 1, 2 and 4; like Torch7's libpng loader (png_set_expand), low-depth
 * gray is scaled to 0..255 and palettes are expanded to RGB.  All five row
 * filters are undone, every chunk's CRC is checked.  16-bit and interlaced
 * files are refused with a clear error.  Encoding writes 8-bit gray, gray +
 * alpha, RGB or RGBA, choosing each row's filter by the usual minimum-sum-of-
 * absolute-differences rule. */
#ifndef EMBER_PNG_H
#define EMBER_PNG_H

#include <stddef.h>
#include <stdint.h>

#include "tensor.h"

typedef struct PngImage {
    int64_t width, height;
    int channels;            /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
    unsigned char *pixels;   /* height x width x channels, interleaved; malloc'd */
} PngImage;

/* Decodes a whole PNG file held in buf[0..n).  On success img->pixels is
 * malloc'd (free with png_image_free).  On failure returns -1 with an
 * error that starts with `what` and says what is wrong (bad signature,
 * CRC mismatch in chunk X, truncated chunk, bad filter type, ...). */
int png_decode(const unsigned char *buf, size_t n, PngImage *img, const char *what);

/* Encodes img (channels 1..4, 8 bits) into a new PNG file image in *out
 * (malloc'd, owned by the caller). */
int png_encode(const PngImage *img, unsigned char **out, size_t *out_n);

void png_image_free(PngImage *img);

/* Reads path into a new ByteTensor of size channels x height x width
 * (Torch7's libpng.load layout).  NULL + error on failure. */
Tensor *png_load(const char *path);

/* Writes t, a 2-D (height x width, gray) or 3-D (channels x height x width,
 * channels 1..4) tensor of any type, as an 8-bit PNG.  Byte values are
 * written as they are; other types are clamped to [0, 255] and truncated,
 * as Torch7's (png_byte) cast does for in-range values. */
int png_save(const char *path, const Tensor *t);

#endif
