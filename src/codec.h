/* codec.h: the one file that talks to zlib (style: only the codec file
 * includes zlib.h).  idx.c reads gzip'd IDX files through it and png.c
 * inflates/deflates image data and checksums chunks with it.
 *
 * All functions that can fail return -1 (or NULL) after th_seterror(). */
#ifndef EMBER_CODEC_H
#define EMBER_CODEC_H

#include <stddef.h>
#include <stdint.h>

/* ---- reading files that may be gzip'd ----------------------------------- */

typedef struct CodecFile CodecFile;

/* Opens path for reading; a gzip file is decompressed on the fly, any other
 * file is read as is.  NULL + error (naming path) when it cannot be opened. */
CodecFile *codec_open(const char *path);

/* Reads up to n bytes into buf.  Returns the number read, which is less
 * than n only at the end of the data, or -1 with an error when the
 * compressed data is corrupt or cut short (`unexpected end of file`). */
int64_t codec_read(CodecFile *f, void *buf, size_t n);

/* Closes f (NULL is ok). */
void codec_close(CodecFile *f);

/* ---- whole files --------------------------------------------------------- */

/* Writes n bytes to path, gzip'd when gzip is nonzero.  For tests and
 * tools that make small data files. */
int codec_write_file(const char *path, const void *buf, size_t n, int gzip);

/* ---- zlib streams in memory (PNG's IDAT) --------------------------------- */

/* Inflates the zlib stream in[0..n) into out, which must receive exactly
 * out_n bytes: a stream that ends early, overflows out, or is corrupt is an
 * error.  `what` names the data in messages. */
int codec_inflate(const unsigned char *in, size_t n, unsigned char *out, size_t out_n,
                  const char *what);

/* Deflates in[0..n) into a new zlib stream (level 6); *out is malloc'd and
 * owned by the caller. */
int codec_deflate(const unsigned char *in, size_t n, unsigned char **out, size_t *out_n);

/* Running CRC-32 (PNG's and gzip's): start with crc = 0. */
uint32_t codec_crc32(uint32_t crc, const unsigned char *p, size_t n);

#endif
