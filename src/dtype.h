/* dtype.h: the seven element types of Torch7's tensors and storages. */
#ifndef EMBER_DTYPE_H
#define EMBER_DTYPE_H

#include <stddef.h>
#include <stdint.h>

/* Order matters: it is the order of Torch7's type list (Byte ... Double),
 * used for tables indexed by dtype throughout the core and the bindings. */
typedef enum DType {
    DT_BYTE,   /* uint8_t  torch.ByteTensor   */
    DT_CHAR,   /* int8_t   torch.CharTensor   */
    DT_SHORT,  /* int16_t  torch.ShortTensor  */
    DT_INT,    /* int32_t  torch.IntTensor    */
    DT_LONG,   /* int64_t  torch.LongTensor   */
    DT_FLOAT,  /* float    torch.FloatTensor  */
    DT_DOUBLE, /* double   torch.DoubleTensor */
    DT_COUNT
} DType;

/* Bytes per element. */
size_t dtype_size(DType dt);

/* "Byte", "Char", ..., "Double": the part between "torch." and "Tensor". */
const char *dtype_name(DType dt);

/* 1 for Float and Double. */
int dtype_is_floating(DType dt);

/* Parses "Byte".."Double"; returns DT_COUNT when the name is unknown. */
DType dtype_from_name(const char *name);

/* X-macro over all types: X(DT_BYTE, uint8_t, u8) ... used by code that
 * needs one case per type (copy/convert, fills) without a template file. */
#define DTYPE_FOREACH(X)        \
    X(DT_BYTE, uint8_t, u8)     \
    X(DT_CHAR, int8_t, i8)      \
    X(DT_SHORT, int16_t, i16)   \
    X(DT_INT, int32_t, i32)     \
    X(DT_LONG, int64_t, i64)    \
    X(DT_FLOAT, float, f32)     \
    X(DT_DOUBLE, double, f64)

#endif
