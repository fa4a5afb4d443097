/*
 * Octet's measurement worker: one process per candidate, so that a crash or a hang costs the tuner one record.
 *
 *   octet_tune_harness JOB
 *
 * JOB is a text file written by the tuner (dev.octet.tune.Measurer):
 *   library PATH           the candidate's shared library; it exports octet_tune_entry
 *   warmup N  repeats N    timed calls of the first run's arguments
 *   flush 0|1              1: before each warm-up and timed call, evict all of the first run's buffers from every
 *                          cache level (clflush, outside the timed region), so a call reads its weights and inputs
 *                          from memory as a layer does inside a whole model, not from caches a repeated call keeps hot
 *   run RANGE NSCALARS S... NBUFFERS   then NBUFFERS lines:  in|out BYTES PATH
 * Each run is called once over [0, RANGE) and its "out" buffers are written back to their files (the parent
 * verifies them). Then the first run is called warmup + repeats times; the worker prints
 *   ok MIN_NS MEDIAN_NS
 * on stdout: the thread's CPU time per call (this machine is shared; CPU time is what the kernel itself costs, where
 * wall time also counts the time other processes held the core). Any failure prints "error WHAT" on stderr and exits with status 3.
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <emmintrin.h>

typedef void (*entry_fn)(void **buffers, const int64_t *scalars, int64_t begin, int64_t end);

#define MAX_RUNS 16
#define MAX_BUFFERS 16
#define MAX_SCALARS 32
#define MAX_REPEATS 1000

struct buffer { int out; size_t bytes; char path[4096]; void *data; };
struct run { int64_t range; int nscalars; int64_t scalars[MAX_SCALARS]; int nbuffers; struct buffer b[MAX_BUFFERS]; };

static struct run runs[MAX_RUNS];

static void fail(const char *what, const char *detail) {
    fprintf(stderr, "error %s%s%s\n", what, detail ? " " : "", detail ? detail : "");
    exit(3);
}

static void read_file(struct buffer *b) {
    FILE *f = fopen(b->path, "rb");
    if (!f) fail("cannot open", b->path);
    if (fread(b->data, 1, b->bytes, f) != b->bytes) fail("short file", b->path);
    fclose(f);
}

static void write_file(const struct buffer *b) {
    FILE *f = fopen(b->path, "wb");
    if (!f || fwrite(b->data, 1, b->bytes, f) != b->bytes || fclose(f) != 0) fail("cannot write", b->path);
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

/* As AutoTVM's CPU cache flush: every line of every buffer out of L1, L2 and L3, then a fence so the flush is done
 * before the clock starts. */
static void flush_caches(const struct run *r) {
    for (int i = 0; i < r->nbuffers; i++) {
        const char *p = r->b[i].data;
        for (size_t off = 0; off < r->b[i].bytes; off += 64) _mm_clflush(p + off);
    }
    _mm_mfence();
}

static void call(entry_fn entry, struct run *r) {
    void *ptrs[MAX_BUFFERS];
    for (int i = 0; i < r->nbuffers; i++) ptrs[i] = r->b[i].data;
    entry(ptrs, r->scalars, 0, r->range);
}

int main(int argc, char **argv) {
    if (argc != 2) fail("usage", "octet_tune_harness JOB");
    FILE *job = fopen(argv[1], "r");
    if (!job) fail("cannot open", argv[1]);
    char library[4096];
    int warmup, repeats, flush, nruns = 0;
    if (fscanf(job, " library %4095s warmup %d repeats %d flush %d", library, &warmup, &repeats, &flush) != 4
            || warmup < 0 || repeats < 1 || repeats > MAX_REPEATS) fail("bad job header", argv[1]);
    struct run r;
    while (fscanf(job, " run %ld %d", &r.range, &r.nscalars) == 2) {
        if (nruns == MAX_RUNS || r.nscalars < 0 || r.nscalars > MAX_SCALARS) fail("bad run", argv[1]);
        for (int i = 0; i < r.nscalars; i++) if (fscanf(job, "%ld", &r.scalars[i]) != 1) fail("bad scalar", argv[1]);
        if (fscanf(job, "%d", &r.nbuffers) != 1 || r.nbuffers < 0 || r.nbuffers > MAX_BUFFERS) fail("bad buffers", argv[1]);
        for (int i = 0; i < r.nbuffers; i++) {
            char kind[8];
            struct buffer *b = &r.b[i];
            if (fscanf(job, " %7s %zu %4095s", kind, &b->bytes, b->path) != 3) fail("bad buffer", argv[1]);
            b->out = strcmp(kind, "out") == 0;
            /* 64-byte aligned, as the runtime's buffers; a little slack so no read of a vector past the end faults. */
            b->data = aligned_alloc(64, (b->bytes + 64 + 63) / 64 * 64);
            if (!b->data) fail("out of memory", b->path);
            read_file(b);
        }
        runs[nruns++] = r;
    }
    fclose(job);
    if (nruns == 0) fail("no runs in", argv[1]);

    void *lib = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!lib) fail("dlopen", dlerror());
    entry_fn entry = (entry_fn) dlsym(lib, "octet_tune_entry");
    if (!entry) fail("dlsym", "octet_tune_entry");

    for (int k = 0; k < nruns; k++) {
        call(entry, &runs[k]);
        for (int i = 0; i < runs[k].nbuffers; i++) if (runs[k].b[i].out) write_file(&runs[k].b[i]);
    }
    static int64_t times[MAX_REPEATS];
    for (int i = 0; i < warmup; i++) {
        if (flush) flush_caches(&runs[0]);
        call(entry, &runs[0]);
    }
    for (int i = 0; i < repeats; i++) {
        if (flush) flush_caches(&runs[0]);
        int64_t t0 = now_ns();
        call(entry, &runs[0]);
        times[i] = now_ns() - t0;
    }
    qsort(times, repeats, sizeof times[0], compare);
    printf("ok %ld %ld\n", times[0], times[repeats / 2]);
    return 0;
}
