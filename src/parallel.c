/* parallel.c: the persistent thread pool behind parallel_for (see parallel.h).
 *
 * One job at a time.  A job is published in a few atomics: the function,
 * its context and task count, and `job_state`, which packs the job's
 * generation (high 32 bits) with the next unclaimed task (low 32 bits).
 * Every thread, the caller included, claims tasks by compare-and-swap on
 * job_state, which succeeds only while the generation it read is current and
 * tasks remain.  So a worker that wakes late, after its job has finished and
 * a newer one is being published, can never run a task of the wrong job: its
 * claim fails and it goes back to waiting.  The caller returns as soon as
 * every task is DONE (job_done == ntasks), without waiting for late workers
 * to check in; on a loaded 2-core machine a sleeping worker can take a whole
 * scheduler slice to wake, and the caller simply runs its tasks meanwhile.
 *
 * Workers spin for PARALLEL_SPIN_NS after each job (back-to-back gemms in a
 * layer then skip the futex wake-up), then sleep on work_cv.  The spin is
 * short on purpose: a long one burns the core that other processes on a
 * shared machine need, and slows us down when the worker shares our core.
 * A call the pool did not make faster sends the next ones inline for a
 * while (the back-off at the end of parallel_for). */
#include "parallel.h"

#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>

/* Spin before sleeping, in nanoseconds, for idle workers and for a caller
 * waiting on a worker's last block.  Short on purpose.  Measured on the
 * 2-core test machine while other processes kept both cores busy: waking a
 * sleeping worker costs ~10 us, and a 20 us spin made the hand-off WORSE
 * (~30 us), because a woken worker often shares the caller's core there and
 * its spin (or the caller's) only delays the other.  A few microseconds
 * still catch the back-to-back gemms of a per-sample loop. */
#ifndef PARALLEL_SPIN_NS
#define PARALLEL_SPIN_NS 5000
#endif

/* Hot spin: when jobs follow each other closely (the previous one ended
 * less than PARALLEL_HOT_GAP_NS before this one started, as in a training
 * loop, where a batch-1 step runs a pooled job every 0.1-0.5 ms), idle
 * workers spin up to PARALLEL_HOT_SPIN_NS instead, so the next job finds
 * them awake rather than paying a futex wake-up each time.  Once jobs stop
 * coming, they sleep after that long; the back-off below sends calls
 * inline (no jobs, so no spinning) when the pool does not pay. */
#ifndef PARALLEL_HOT_GAP_NS
#define PARALLEL_HOT_GAP_NS 2000000
#endif
#ifndef PARALLEL_HOT_SPIN_NS
#define PARALLEL_HOT_SPIN_NS 2000000
#endif

#define GEN(s) ((uint32_t)((s) >> 32))
#define NEXT(s) ((int64_t)((s) & 0xffffffffu))

static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER;   /* a new generation */
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;   /* job_done == ntasks */
static int nstarted;                                        /* workers running (pool_mu) */

static atomic_int pool_threads = 1;          /* torch.setnumthreads */
static atomic_flag pool_busy = ATOMIC_FLAG_INIT;   /* one caller at a time */

/* The current job.  Written only by the caller holding pool_busy, before it
 * publishes the new generation in job_state; atomics because a late worker
 * may read them while the next job is being written (its claim then fails). */
static _Atomic(ParallelFn) job_fn;
static _Atomic(void *) job_ctx;
static _Atomic int64_t job_ntasks;
static atomic_int job_nworkers;              /* workers 0 .. n-1 take part */
static _Atomic uint64_t job_state;           /* generation << 32 | next task */
static _Atomic int64_t job_done;             /* tasks finished */

static _Thread_local int in_task;

/* How long idle workers spin (ns): PARALLEL_SPIN_NS, or the hot spin while
 * jobs come close together.  last_end: when the previous job returned
 * (pool_busy holder only). */
static atomic_llong spin_ns = PARALLEL_SPIN_NS;
static int64_t last_end;

/* Back-off when the pool does not pay (pool_busy holder only): the next
 * skip_calls calls run inline; backoff doubles after each call that was not
 * faster than inline (or after PARALLEL_MAX_MISSES calls in a row where the
 * workers took no task), up to PARALLEL_MAX_BACKOFF, and resets after one
 * that was. */
#define PARALLEL_MAX_BACKOFF 128
#define PARALLEL_MAX_MISSES 8
static int skip_calls, misses;
static int backoff = 1;

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Claims the next task of generation gen; 0 once the job is over or gone. */
static int claim(uint32_t gen, int64_t ntasks, int64_t *task)
{
    uint64_t s = atomic_load(&job_state);
    while (GEN(s) == gen && NEXT(s) < ntasks) {
        if (atomic_compare_exchange_weak(&job_state, &s, s + 1)) {
            *task = NEXT(s);
            return 1;
        }
    }
    return 0;
}

/* Runs tasks of generation gen until none is left and returns how many it
 * ran.  A worker finishing the last task wakes the caller; the caller
 * finishing it needs no wake-up. */
static int64_t run_tasks(uint32_t gen, ParallelFn fn, void *ctx, int64_t ntasks, int worker)
{
    int64_t t, ran = 0;
    while (claim(gen, ntasks, &t)) {
        ran++;
        fn(ctx, t);
        if (atomic_fetch_add(&job_done, 1) + 1 == ntasks && worker) {
            pthread_mutex_lock(&pool_mu);
            pthread_cond_broadcast(&done_cv);
            pthread_mutex_unlock(&pool_mu);
        }
    }
    return ran;
}

/* ---- workers --------------------------------------------------------------- */

typedef struct WorkerArg {
    int index;
    uint32_t gen;   /* the generation current when it started: not its job */
} WorkerArg;

static WorkerArg worker_args[PARALLEL_MAX_THREADS];

static void *worker_main(void *p)
{
    const WorkerArg *arg = p;
    uint32_t seen = arg->gen;
    in_task = 1;   /* a parallel_for from inside a task runs inline */
    for (;;) {
        uint64_t s = atomic_load(&job_state);
        if (GEN(s) == seen) {
            int64_t until = now_ns() + atomic_load(&spin_ns);
            while (GEN(s = atomic_load(&job_state)) == seen && now_ns() < until)
                cpu_relax();
        }
        if (GEN(s) == seen) {
            /* checked under the mutex the caller broadcasts under: no lost wake-up */
            pthread_mutex_lock(&pool_mu);
            while (GEN(s = atomic_load(&job_state)) == seen)
                pthread_cond_wait(&work_cv, &pool_mu);
            pthread_mutex_unlock(&pool_mu);
        }
        seen = GEN(s);
        /* These may already belong to a newer job than `seen`: then every
         * claim below fails and the loop comes back for the newer one. */
        if (arg->index >= atomic_load(&job_nworkers)) continue;
        run_tasks(seen, atomic_load(&job_fn), atomic_load(&job_ctx), atomic_load(&job_ntasks), 1);
    }
    return NULL;
}

/* Workers run code and sleep on mutexes inside this object.  When it is a
 * shared library (Ember's core.so, loaded by require), lua_close dlcloses it
 * at exit while they still wait, and glibc aborts ("The futex facility
 * returned an unexpected error code", seen under ASan at the end of
 * tutorial/doall.lua).  RTLD_NOLOAD | RTLD_NODELETE on the loaded object
 * keeps it mapped until the process ends; for a static binary it does
 * nothing. */
static void pin_self(void)
{
    Dl_info info;
    if (dladdr((void *)parallel_for, &info) && info.dli_fname)
        dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
}

/* Starts workers until `want` run (caller holds pool_busy); returns how many
 * run, fewer if pthread_create fails.  Workers block every signal, so
 * SIGINT still reaches the thread running Lua. */
static int start_workers(int want)
{
    pthread_mutex_lock(&pool_mu);
    if (nstarted < want && nstarted == 0) pin_self();
    while (nstarted < want) {
        sigset_t all, old;
        pthread_t th;
        WorkerArg *arg = &worker_args[nstarted];
        arg->index = nstarted;
        arg->gen = GEN(atomic_load(&job_state));
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        int err = pthread_create(&th, NULL, worker_main, arg);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (err) break;
        pthread_detach(th);
        nstarted++;
    }
    int n = nstarted;
    pthread_mutex_unlock(&pool_mu);
    return n;
}

/* ---- parallel_for ----------------------------------------------------------- */

static void run_inline(int64_t ntasks, ParallelFn fn, void *ctx)
{
    int saved = in_task;
    in_task = 1;
    for (int64_t t = 0; t < ntasks; t++) fn(ctx, t);
    in_task = saved;
}

void parallel_for(int nthreads, int64_t ntasks, ParallelFn fn, void *ctx)
{
    int t = atomic_load(&pool_threads);
    if (nthreads < t) t = nthreads;
    if (ntasks < t) t = (int)ntasks;
    /* the task counter lives in 32 bits; such task counts never occur */
    if (t <= 1 || in_task || ntasks >= 0x7fffffff || atomic_flag_test_and_set(&pool_busy)) {
        run_inline(ntasks, fn, ctx);
        return;
    }
    if (skip_calls > 0) {   /* backing off: see the end of this function */
        skip_calls--;
        atomic_flag_clear(&pool_busy);
        run_inline(ntasks, fn, ctx);
        return;
    }
    int nw = start_workers(t - 1);
    if (nw > t - 1) nw = t - 1;
    if (nw < 1) {
        atomic_flag_clear(&pool_busy);
        run_inline(ntasks, fn, ctx);
        return;
    }
    int64_t t0 = now_ns();
    atomic_store(&spin_ns, t0 - last_end < PARALLEL_HOT_GAP_NS ? PARALLEL_HOT_SPIN_NS
                                                                : PARALLEL_SPIN_NS);
    /* publish: the job's fields first, then the generation that validates them */
    atomic_store(&job_fn, fn);
    atomic_store(&job_ctx, ctx);
    atomic_store(&job_ntasks, ntasks);
    atomic_store(&job_nworkers, nw);
    atomic_store(&job_done, 0);
    uint32_t gen = GEN(atomic_load(&job_state)) + 1;
    atomic_store(&job_state, (uint64_t)gen << 32);
    pthread_mutex_lock(&pool_mu);
    pthread_cond_broadcast(&work_cv);
    pthread_mutex_unlock(&pool_mu);

    in_task = 1;
    int64_t mine = run_tasks(gen, fn, ctx, ntasks, 0);
    in_task = 0;
    int64_t t1 = now_ns();

    /* Tasks a worker claimed may still run: spin briefly, then sleep. */
    if (atomic_load(&job_done) < ntasks) {
        int64_t until = t1 + atomic_load(&spin_ns);
        while (atomic_load(&job_done) < ntasks && now_ns() < until) cpu_relax();
        pthread_mutex_lock(&pool_mu);
        while (atomic_load(&job_done) < ntasks) pthread_cond_wait(&done_cv, &pool_mu);
        pthread_mutex_unlock(&pool_mu);
    }

    /* Did the pool pay?  When a worker ran tasks, the caller's own pace,
     * (t1 - t0) / mine per task, estimates the inline time; a call not 10%
     * faster than that (another process holds the worker's core and its
     * task straggled) makes the next calls run inline, 1, 2, 4 ... up to
     * PARALLEL_MAX_BACKOFF of them, before the pool is tried again.  When
     * the caller ran every task itself (the worker was asleep or had no
     * core), the call cost only the hand-off; the next one may find the
     * worker awake, so only PARALLEL_MAX_MISSES such calls in a row back
     * off.  (A back-off by any miss would never end: the probe after it
     * always finds a worker that fell asleep meanwhile.)  On a shared
     * machine this keeps N threads from being slower than 1.  Results
     * cannot change: the tasks are the same, only who runs them. */
    if (mine > 0) {
        int64_t t2 = now_ns();
        int slow = mine < ntasks &&
                   (double)(t2 - t0) * (double)mine > 0.9 * (double)(t1 - t0) * (double)ntasks;
        misses = mine == ntasks ? misses + 1 : 0;
        if (slow || misses >= PARALLEL_MAX_MISSES) {
            skip_calls = backoff;
            misses = 0;
            if (backoff < PARALLEL_MAX_BACKOFF) backoff *= 2;
        } else if (mine < ntasks) {
            backoff = 1;
        }
    }
    last_end = now_ns();
    atomic_flag_clear(&pool_busy);
}

void parallel_set_num_threads(int n)
{
    if (n < 1) n = 1;
    if (n > PARALLEL_MAX_THREADS) n = PARALLEL_MAX_THREADS;
    atomic_store(&pool_threads, n);
}

int parallel_get_num_threads(void) { return atomic_load(&pool_threads); }

int parallel_in_task(void) { return in_task; }
