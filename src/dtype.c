/* dtype.c: sizes and names of the element types. */
#include "dtype.h"

#include <string.h>

static const size_t sizes[DT_COUNT] = {1, 1, 2, 4, 8, 4, 8};
static const char *const names[DT_COUNT] = {
    "Byte", "Char", "Short", "Int", "Long", "Float", "Double"};

size_t dtype_size(DType dt) { return sizes[dt]; }
const char *dtype_name(DType dt) { return names[dt]; }
int dtype_is_floating(DType dt) { return dt == DT_FLOAT || dt == DT_DOUBLE; }

DType dtype_from_name(const char *name)
{
    for (int i = 0; i < DT_COUNT; i++)
        if (strcmp(name, names[i]) == 0)
            return (DType)i;
    return DT_COUNT;
}
