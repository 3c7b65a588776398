/* test_nn_util.h: helpers shared by the nn kernel tests (tests/c/test_nn_*.c):
 * deterministic random fills, Torch's sinT/cosT test inputs, the golden-file
 * reader and array comparisons for both element types. */
#ifndef EMBER_TEST_NN_UTIL_H
#define EMBER_TEST_NN_UTIL_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dtype.h"

/* xorshift: reproducible values in [-1, 1) independent of libc's rand */
static uint64_t tnn_state = 88172645463325252ull;
static inline double tnn_uniform(void)
{
    tnn_state ^= tnn_state << 13;
    tnn_state ^= tnn_state >> 7;
    tnn_state ^= tnn_state << 17;
    return (double)(tnn_state >> 11) / 9007199254740992.0 * 2 - 1;
}

/* n elements of type dt, uniform in [-1, 1) (caller frees). */
static inline void *tnn_rand(DType dt, int64_t n)
{
    void *p = malloc((size_t)(n > 0 ? n : 1) * dtype_size(dt));
    for (int64_t k = 0; k < n; k++) {
        double v = tnn_uniform();
        if (dt == DT_FLOAT) ((float *)p)[k] = (float)v;
        else ((double *)p)[k] = v;
    }
    return p;
}

static inline void *tnn_zeros(DType dt, int64_t n)
{
    return calloc((size_t)(n > 0 ? n : 1), dtype_size(dt));
}

static inline double tnn_get(DType dt, const void *p, int64_t k)
{
    return dt == DT_FLOAT ? ((const float *)p)[k] : ((const double *)p)[k];
}

static inline void tnn_set(DType dt, void *p, int64_t k, double v)
{
    if (dt == DT_FLOAT) ((float *)p)[k] = (float)v;
    else ((double *)p)[k] = v;
}

/* Torch test inputs of the golden file: sinT(k) = 2 sin(0.37 k), cosT(k) = cos(0.23 k),
 * k = 1..n (computed in double). */
static inline void *tnn_sinT(DType dt, int64_t n)
{
    void *p = malloc((size_t)n * dtype_size(dt));
    for (int64_t k = 0; k < n; k++) tnn_set(dt, p, k, 2 * sin(0.37 * (double)(k + 1)));
    return p;
}

static inline void *tnn_cosT(DType dt, int64_t n)
{
    void *p = malloc((size_t)n * dtype_size(dt));
    for (int64_t k = 0; k < n; k++) tnn_set(dt, p, k, cos(0.23 * (double)(k + 1)));
    return p;
}

/* Largest |a - b| / max(1, |b|) over n elements (a, b of type dt). */
static inline double tnn_maxrel(DType dt, const void *a, const void *b, int64_t n)
{
    double m = 0;
    for (int64_t k = 0; k < n; k++) {
        double x = tnn_get(dt, a, k), y = tnn_get(dt, b, k);
        double s = fabs(y) > 1 ? fabs(y) : 1;
        double e = fabs(x - y) / s;
        if (e > m || isnan(e)) m = isnan(e) ? INFINITY : e;
    }
    return m;
}

/* Per-type tolerance for fast-vs-naive comparisons (the brief: Float 1e-5,
 * Double 1e-12, relative). */
static inline double tnn_tol(DType dt) { return dt == DT_FLOAT ? 1e-5 : 1e-12; }

/* Reads `name` of the case whose title line starts with `## title` in
 * tests/golden/nn_modules.out: the numbers after `all:` or `first16:` (or the
 * single value after `name: `).  Returns the count read (<= max), -1 if the
 * file, case or line is missing. */
static inline int tnn_golden(const char *title, const char *name, double *vals, int max)
{
    FILE *f = fopen("tests/golden/nn_modules.out", "r");
    if (!f) return -1;
    static char line[1 << 16];
    size_t tl = strlen(title);
    int in_case = 0, n = -1;
    char key[64];
    snprintf(key, sizeof key, "  %s", name);
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "## ", 3) == 0) {
            if (in_case) break;
            in_case = strncmp(line + 3, title, tl) == 0;
            continue;
        }
        if (!in_case || strncmp(line, key, kl) != 0 || (line[kl] != ' ' && line[kl] != ':'))
            continue;
        char *p = strstr(line, "all: ");
        if (!p) p = strstr(line, "first16: ");
        if (p) p = strchr(p, ' ') + 1;
        else p = line + kl + 2;   /* `  loss: value` */
        n = 0;
        char *end;
        while (n < max) {
            double v = strtod(p, &end);
            if (end == p) break;
            vals[n++] = v;
            p = end;
        }
        break;
    }
    fclose(f);
    return n;
}

/* Compares n doubles from the golden file with array a of type dt. */
static inline int tnn_golden_match(const char *title, const char *name, DType dt, const void *a,
                            int n, double tol)
{
    double want[4096];
    int got = tnn_golden(title, name, want, n < 4096 ? n : 4096);
    if (got != n) {
        printf("golden %s / %s: read %d values, wanted %d\n", title, name, got, n);
        return 0;
    }
    for (int k = 0; k < n; k++) {
        double x = tnn_get(dt, a, k);
        double s = fabs(want[k]) > 1 ? fabs(want[k]) : 1;
        if (!(fabs(x - want[k]) <= tol * s)) {
            printf("golden %s / %s [%d]: got %.17g want %.17g\n", title, name, k, x, want[k]);
            return 0;
        }
    }
    return 1;
}

#endif
