// Counts calls to malloc, calloc and realloc in a process, for tools/bench: built as a
// shared library and loaded with LD_PRELOAD; bench-ours reads the count through
// bench_malloc_calls() (found with dlsym) to report allocations per training step.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdatomic.h>

static atomic_ulong calls;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);

unsigned long bench_malloc_calls(void) { return atomic_load(&calls); }

void *malloc(size_t size) {
    if (!real_malloc) real_malloc = dlsym(RTLD_NEXT, "malloc");
    atomic_fetch_add(&calls, 1);
    return real_malloc(size);
}

// dlsym itself may call calloc: serve that first call from a static buffer.
static char bootstrap[4096];
static int bootstrapping;

void *calloc(size_t count, size_t size) {
    if (!real_calloc) {
        if (bootstrapping) return bootstrap;
        bootstrapping = 1;
        real_calloc = dlsym(RTLD_NEXT, "calloc");
        bootstrapping = 0;
    }
    atomic_fetch_add(&calls, 1);
    return real_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    if (!real_realloc) real_realloc = dlsym(RTLD_NEXT, "realloc");
    atomic_fetch_add(&calls, 1);
    return real_realloc(pointer, size);
}
