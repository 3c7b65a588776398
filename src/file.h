/* file.h: Torch7's THFile (DiskFile and MemoryFile) without Lua.
 *
 * A File moves arrays of the seven element types to and from bytes, in one
 * of two encodings (t7-format.md §2):
 *   binary: raw values, Long as `longsize` bytes (0 = native 8), optionally
 *           byte-swapped (DiskFile endianness);
 *   ascii:  numbers printed with %d/%ld/%hd/%.9g/%.17g separated by one space,
 *           Byte/Char arrays as raw bytes; with auto-spacing each call of
 *           n > 0 values ends with '\n', and each read call consumes one
 *           following '\n'.  A fresh file is ascii (Torch7's default).
 * A DiskFile wraps a stdio FILE opened in binary mode ("rb", "wb", "r+b"); a
 * MemoryFile owns a growable byte buffer.
 *
 * Failure convention: functions return -1 (or NULL) after th_seterror().
 * Reads and writes that move fewer values than asked fail unless the file is
 * quiet; a quiet file instead sets its error flag (file_has_error) and the
 * functions return the count they managed.  Every read error names the file
 * and the byte offset where the failing read started. */
#ifndef EMBER_FILE_H
#define EMBER_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "dtype.h"

typedef struct File File;

typedef enum FileEndian { FILE_ENDIAN_NATIVE, FILE_ENDIAN_LITTLE, FILE_ENDIAN_BIG } FileEndian;

/* ---- opening and closing ------------------------------------------------- */

/* Opens `name` with mode "r", "w" or "rw" ("rw" creates the file when it does
 * not exist).  NULL + error `cannot open <name> in mode r ` (mode shown as two
 * characters, as Torch7 does) or `file mode should be 'r','w' or 'rw'`.
 * `quiet` makes later read/write failures set the error flag instead of
 * failing; the open failure itself is still reported as NULL + error. */
File *file_disk_open(const char *name, const char *mode, int quiet);

/* New MemoryFile holding a copy of data[0..size) (data may be NULL when size
 * is 0), position 0, mode "r", "w" or "rw".  NULL + error on a bad mode. */
File *file_memory_open(const void *data, size_t size, const char *mode);

/* Closes the underlying handle (flushing a DiskFile).  Error when already
 * closed (`attempt to use a closed file`) or when the final flush fails. */
int file_close(File *f);
/* Closes if needed and frees everything.  NULL is ok. */
void file_free(File *f);

int file_is_open(const File *f);
int file_is_disk(const File *f);
/* The path of a DiskFile, "memory" for a MemoryFile (errors show <memory>). */
const char *file_name(const File *f);

/* ---- modes and flags (no effect on data already written) ---------------- */

void file_set_binary(File *f, int binary);
int file_is_binary(const File *f);
void file_set_autospacing(File *f, int on);
int file_is_autospacing(const File *f);
void file_set_quiet(File *f, int quiet);
int file_is_quiet(const File *f);
int file_is_readable(const File *f);
int file_is_writable(const File *f);
int file_has_error(const File *f);
void file_clear_error(File *f);
/* 0 (native, 8 bytes here), 4 or 8; anything else is an error. */
int file_set_longsize(File *f, int size);
int file_longsize(const File *f);
/* Byte order of binary values wider than one byte. */
void file_set_endian(File *f, FileEndian e);

/* ---- arrays of values ---------------------------------------------------- */

/* Reads n values of type dt into dst (dtype_size(dt) bytes each; Long is
 * int64_t in memory whatever the file's longsize).  Returns the number read;
 * -1 + error when fewer than n were read and the file is not quiet (end of
 * data, malformed number, value out of range), or on a closed or write-only
 * file.  dst's unread tail is left as it was. */
int64_t file_read(File *f, DType dt, void *dst, int64_t n);

/* Writes n values of type dt from src.  Returns n, or -1 + error (closed or
 * read-only file, I/O failure). */
int64_t file_write(File *f, DType dt, const void *src, int64_t n);

/* Refuses (-1 + error naming the size, the bytes left and the offset) a read
 * of n values of dt that cannot possibly fit in the data left, so callers can
 * check a size read from the file before allocating for it.  A stream whose
 * length is unknown passes. */
int file_check_available(File *f, DType dt, int64_t n);

/* ---- strings ------------------------------------------------------------- */

/* fmt "*a": everything up to the end; "*l": up to the next '\n' (not
 * included; the '\n' is consumed).  On success *out is a malloc'd buffer the
 * caller frees (NUL-terminated for convenience) and *len its length.  At end
 * of data: -1 + error (`read error: read 0 blocks instead of 1 ...`), or in
 * quiet mode 0 with *out = NULL and the error flag set. */
int file_read_string(File *f, const char *fmt, char **out, size_t *len);
/* Writes the bytes as they are (no separators, in both modes). */
int file_write_string(File *f, const char *s, size_t len);

/* ---- position ------------------------------------------------------------ */

/* Byte offsets are 0-based here (the binding adds 1). */
int file_seek(File *f, int64_t pos);
int file_seek_end(File *f);
/* Current byte offset, -1 + error on a closed file. */
int64_t file_position(File *f);
/* Flushes a DiskFile's buffers. */
int file_synchronize(File *f);

/* MemoryFile contents: pointer to the bytes (valid until the next write) and
 * their count.  NULL + error for a DiskFile or a closed file. */
const char *file_memory_data(File *f, size_t *size);

#endif
