/* test_rand.h: a xorshift64 stream for the C tests, independent of libc's
 * rand, so every run draws the same values.  A test file may pick its own
 * start by defining TEST_RNG_SEED before including this. */
#ifndef EMBER_TEST_RAND_H
#define EMBER_TEST_RAND_H

#include <stdint.h>

#ifndef TEST_RNG_SEED
#define TEST_RNG_SEED 0x9E3779B97F4A7C15ull
#endif

static uint64_t rng = TEST_RNG_SEED;

static uint64_t next_u64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* uniform in [0, 1) */
static double urand(void) { return (next_u64() >> 11) * (1.0 / 9007199254740992.0); }

#endif
