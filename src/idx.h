/* idx.h: IDX files (the MNIST format), gzip'd or plain.
 *
 * Layout (Yann LeCun's description): two zero bytes, a type byte (0x08
 * ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the
 * number of dimensions, then each size as a big-endian uint32, then the
 * elements in row-major order, big-endian.  MNIST's images are 0x08 with
 * sizes 60000x28x28, its labels 0x08 with one size. */
#ifndef EMBER_IDX_H
#define EMBER_IDX_H

#include <stddef.h>

#include "tensor.h"

/* Reads the IDX file at path (through zlib, so `.gz` or not) into a new
 * contiguous tensor with the file's sizes: Byte for 0x08, Char 0x09, Short
 * 0x0B, Int 0x0C, Float 0x0D, Double 0x0E.  The caller owns the result.
 * Returns NULL with an error naming the file for a missing, truncated,
 * corrupt or oversized file, or one with bytes after the data. */
Tensor *idx_load(const char *path);

/* The same from bytes already in memory (uncompressed); `what` names the
 * data in messages. */
Tensor *idx_decode(const unsigned char *buf, size_t n, const char *what);

#endif
