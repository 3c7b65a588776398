/* random.h: Torch7's random number generator (lib/TH/THRandom.c), bit for bit.
 *
 * One MT19937 generator (Matsumoto-Nishimura 2002 seeding, Cokus-style
 * refill) plus the distributions Torch7 builds on it: uniform01 is one 32-bit
 * draw divided by 2^32, normal is Box-Muller with the second value cached,
 * and so on.  Seeding with the same number gives the same streams as Torch7,
 * which is what lets a Torch7 script reproduce its results here.
 *
 * The generator is a plain struct, so tests can run several; the Lua binding
 * and the C kernels share the one returned by rng_default().
 *
 * Scalar draws assume valid parameters (see the rng_check_* functions, which
 * the fills and the binding call first); the tensor fills check their
 * parameters and return 0, or -1 with th_seterror() set. */
#ifndef EMBER_RANDOM_H
#define EMBER_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "tensor.h"

#define RNG_MT_N 624

/* Field for field the layout of Torch7's THGeneratorState on a 64-bit
 * machine (5048 bytes), so the bytes of torch.getRNGState() are the same as
 * Torch7's and a state saved by Torch7 restores here. */
typedef struct Generator {
    uint64_t initial_seed;        /* as given to manualSeed (all 64 bits) */
    int left;                     /* draws left before the next refill, + 1 */
    int seeded;
    uint64_t next;                /* index of the next state word to temper */
    uint64_t state[RNG_MT_N];     /* 32-bit words, stored in 64 bits as in TH */
    double normal_x;              /* Box-Muller cache: u1, u2 and rho */
    double normal_y;
    double normal_rho;
    int normal_is_valid;          /* 1: the next normal() is rho*sin(2 pi u1) */
} Generator;

#define RNG_STATE_BYTES sizeof(Generator)

/* ---- the generator -------------------------------------------------------- */

/* The process-wide generator used by torch.* and the kernels.  Seeded from
 * /dev/urandom the first time it is asked for (as Torch7 seeds at startup),
 * falling back to the clock when /dev/urandom cannot be read. */
Generator *rng_default(void);

/* Resets everything (including the cached normal) and seeds with the low 32
 * bits of seed; rng_initial_seed() then returns all 64 bits. */
void rng_manual_seed(Generator *g, uint64_t seed);

/* Seeds from 8 bytes of /dev/urandom and stores the seed used in *seed.
 * Returns -1 with an error (generator unchanged) if it cannot be read. */
int rng_seed(Generator *g, uint64_t *seed);

uint64_t rng_initial_seed(const Generator *g);

/* Copies the generator's bytes into buf (RNG_STATE_BYTES of them). */
void rng_get_state(const Generator *g, unsigned char *buf);

/* Restores a state written by rng_get_state (or by Torch7).  Fails with
 * `RNG state is wrong size` / `Invalid RNG state` and leaves g unchanged. */
int rng_set_state(Generator *g, const unsigned char *buf, size_t n);

/* ---- scalar draws (Torch7's THRandom_*) ------------------------------------ */

/* Next tempered 32-bit word. */
uint32_t rng_random(Generator *g);
/* random() / 2^32, in [0, 1). */
double rng_uniform01(Generator *g);
/* uniform01 * (b - a) + a */
double rng_uniform(Generator *g, double a, double b);
/* Box-Muller: draws two uniforms on every other call.  std > 0. */
double rng_normal(Generator *g, double mean, double std);
/* -1/lambda * log(1 - u) */
double rng_exponential(Generator *g, double lambda);
/* median + sigma * tan(pi * (u - 0.5)) */
double rng_cauchy(Generator *g, double median, double sigma);
/* exp(normal(mean, std)), std > 0 */
double rng_lognormal(Generator *g, double mean, double std);
/* (int)(log(1 - u) / log(p)) + 1, 0 < p < 1 */
int rng_geometric(Generator *g, double p);
/* u <= p, 0 <= p <= 1 */
int rng_bernoulli(Generator *g, double p);
/* random() % b + 1, b > 0 (torch.random(b)) */
int64_t rng_random1(Generator *g, int64_t b);
/* random() % (b + 1 - a) + a, b >= a (torch.random(a, b)) */
int64_t rng_random2(Generator *g, int64_t a, int64_t b);

/* ---- parameter checks: 0, or -1 with Torch7's message ---------------------- */

int rng_check_std(double std);        /* standard deviation must be strictly positive */
int rng_check_geometric(double p);    /* must be > 0 and < 1 */
int rng_check_bernoulli(double p);    /* must be >= 0 and <= 1 */
int rng_check_bound(int64_t b);       /* upper bound must be strictly positive */
int rng_check_range(int64_t a, int64_t b); /* upper bound must be larger than lower bound */

/* ---- tensor fills ----------------------------------------------------------
 * Each fills every element of t (any view) in row-major order, one draw (or
 * one normal) per element, exactly as Torch7's TH_TENSOR_APPLY loops do.
 * Floating-only fills fail on integer tensors.  For a FloatTensor the real
 * parameters are first rounded to float (Torch7's binding passes them as
 * `float`); the value is computed in double and then stored. */

int rng_fill_uniform(Generator *g, Tensor *t, double a, double b);
int rng_fill_normal(Generator *g, Tensor *t, double mean, double std);
int rng_fill_exponential(Generator *g, Tensor *t, double lambda);
int rng_fill_cauchy(Generator *g, Tensor *t, double median, double sigma);
int rng_fill_lognormal(Generator *g, Tensor *t, double mean, double std);
/* Any type: */
int rng_fill_geometric(Generator *g, Tensor *t, double p);
int rng_fill_bernoulli(Generator *g, Tensor *t, double p);
/* One draw per element with p's element (Float or Double tensor, same
 * number of elements as t, both walked in row-major order). */
int rng_fill_bernoulli_tensor(Generator *g, Tensor *t, const Tensor *p);
/* t:random(): random() % (max + 1) for the type's max (Byte 255, Char 127,
 * Short 32767, Int 2^31-1, Long 2^63-1, Float 2^24, Double 2^53). */
int rng_fill_random(Generator *g, Tensor *t);
/* t:random(b) and t:random(a, b). */
int rng_fill_random1(Generator *g, Tensor *t, int64_t b);
int rng_fill_random2(Generator *g, Tensor *t, int64_t a, int64_t b);

/* Resizes r to 1-D of n elements and fills it with a permutation of 1..n:
 * r[i] = i, then for i = 0..n-2 swap r[i] and r[i + random() % (n - i)],
 * then add 1.  Fails (`must be strictly positive`) for n <= 0. */
int rng_randperm(Generator *g, Tensor *r, int64_t n);

/* Torch7's torch.multinomial: probs is 1-D (k) or 2-D (d x k), Float or
 * Double, rows need not sum to 1.  res (a LongTensor) is resized to (n) or
 * (d x n) and receives 1-based category indices.  Without replacement each
 * row yields distinct categories (n <= k).  One uniform per sample. */
int rng_multinomial(Generator *g, Tensor *res, const Tensor *probs,
                    int64_t n, int replacement);

#endif
