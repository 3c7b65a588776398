/* check.h: the C tests' tiny harness.
 *
 * A test file defines `static void test_x(void)` functions, lists them in
 *   static const CheckTest tests[] = {{"x", test_x}, ..., {NULL, NULL}};
 * and ends with `CHECK_MAIN(tests)`.  `./test_foo` runs all tests,
 * `./test_foo name` runs one.  CHECK(cond) records a pass or a failure (with
 * file:line); the binary prints `N passed, M failed` last and exits non-zero
 * on any failure. */
#ifndef EMBER_CHECK_H
#define EMBER_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct CheckTest {
    const char *name;
    void (*fn)(void);
} CheckTest;

static int check_passed, check_failed;
static const char *check_current;

#define CHECK(cond) check_record((cond) != 0, #cond, __FILE__, __LINE__)
/* |a - b| <= tol * max(1, |b|): relative for large values, absolute near 0 */
#define CHECK_NEAR(a, b, tol)                                                  \
    check_record(check_near((double)(a), (double)(b), (tol)), #a " ~ " #b,     \
                 __FILE__, __LINE__)

static inline int check_near(double a, double b, double tol)
{
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    double m = fabs(b) > 1 ? fabs(b) : 1;
    return fabs(a - b) <= tol * m;
}

static inline void check_record(int ok, const char *what, const char *file, int line)
{
    if (ok) {
        check_passed++;
    } else {
        check_failed++;
        printf("FAIL %s: %s (%s:%d)\n", check_current, what, file, line);
    }
}

static inline int check_main(const CheckTest *tests, int argc, char **argv)
{
    int ran = 0;
    for (const CheckTest *t = tests; t->name; t++) {
        if (argc > 1 && strcmp(argv[1], t->name) != 0) continue;
        check_current = t->name;
        t->fn();
        ran++;
    }
    if (argc > 1 && ran == 0) {
        printf("no test named %s\n", argv[1]);
        check_failed++;
    }
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed != 0;
}

#define CHECK_MAIN(tests) \
    int main(int argc, char **argv) { return check_main(tests, argc, argv); }

#endif
