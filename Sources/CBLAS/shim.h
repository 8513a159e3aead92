// OpenBLAS's CBLAS interface, from Debian's libopenblas-dev: cblas_sgemm and
// openblas_set_num_threads.
#include <cblas.h>
#include <sched.h>

// A CPU hint for spin-wait loops (TFCore's ParallelGEMM helper thread waits for work
// between the products of a training step this way before it sleeps).
static inline void blas_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#else
    sched_yield();
#endif
}
