/* parallel.h: Ember's small persistent thread pool (pthreads).
 *
 * parallel_for(nthreads, ntasks, fn, ctx) calls fn(ctx, i) once for every
 * task i in [0, ntasks) and returns when all have finished.  The calling
 * thread takes part; up to nthreads - 1 pool workers help.  Tasks are
 * claimed one at a time from a shared counter, so WHICH thread runs a task
 * varies from call to call: a task must write only its own part of the
 * output, and its result must not depend on the thread that runs it.  Then
 * the result is the same for every thread count (blas.c relies on this).
 *
 * The pool size is parallel_set_num_threads(n) (torch.setnumthreads): n - 1
 * workers, started lazily on the first call that needs them, each sleeping
 * on a condition variable between calls after a short spin.  With n == 1,
 * with one task, inside a task (from a worker or a nested call) or while
 * another thread is using the pool, everything runs inline in the caller, in
 * task order, with no pool traffic.  So do the next 1, 2, 4 ... 128 calls
 * after a call that the pool did not make faster (on a shared machine,
 * another process may hold the workers' core).  No allocation happens per
 * call.  If a worker cannot be started, the call still completes inline. */
#ifndef EMBER_PARALLEL_H
#define EMBER_PARALLEL_H

#include <stdint.h>

/* Most threads the pool will run (torch.setnumthreads caps here). */
#define PARALLEL_MAX_THREADS 64

typedef void (*ParallelFn)(void *ctx, int64_t task);

/* Runs fn(ctx, 0 .. ntasks-1) on min(nthreads, pool size) threads. */
void parallel_for(int nthreads, int64_t ntasks, ParallelFn fn, void *ctx);

/* Pool size in threads, the caller included: clamped to [1, PARALLEL_MAX_THREADS]. */
void parallel_set_num_threads(int n);
int parallel_get_num_threads(void);

/* 1 while the calling thread runs a parallel_for task (a worker, or the
 * caller inside its own call), else 0. */
int parallel_in_task(void);

#endif
