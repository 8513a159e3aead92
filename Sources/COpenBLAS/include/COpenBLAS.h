// COpenBLAS: OpenBLAS loaded at run time, after its kernel is chosen, and the CPU facts
// that choice is made from. Not API: TFCore's BLASLibrary and CPUFacts are the Swift face.
//
// Why C, and why not link OpenBLAS: Debian's OpenBLAS (DYNAMIC_ARCH) picks its kernel in
// a library constructor, from the environment variable OPENBLAS_CORETYPE or its own table
// of CPU models. A linked library runs that constructor before any code of ours, so on a
// CPU model its table does not know it falls back to a generic kernel 3-4x slower. Loaded
// with dlopen instead, it initializes once the choice is in the environment.
#ifndef C_OPENBLAS_H
#define C_OPENBLAS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// CBLAS's constants (cblas.h), so no OpenBLAS header is needed to build.
enum { C_TFBLAS_ROW_MAJOR = 101, C_TFBLAS_NO_TRANS = 111, C_TFBLAS_TRANS = 112 };

typedef void (*c_tfblas_sgemm_fn)(int order, int transposeA, int transposeB, int m, int n, int k, float alpha,
                                  const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);
typedef void (*c_tfblas_saxpy_fn)(int n, float alpha, const float *x, int incx, float *y, int incy);
typedef void (*c_tfblas_set_threads_fn)(int threads);
typedef char *(*c_tfblas_string_fn)(void);

/// How the kernel in use was selected.
typedef enum {
    /// Not loaded, or loading failed (see `message`).
    C_TFBLAS_NOT_LOADED = 0,
    /// OPENBLAS_CORETYPE was set to the caller's choice while the library initialized.
    C_TFBLAS_CHOSEN = 1,
    /// The caller had no choice (or the user's own OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
    /// is set): the library's own detection, or the user's setting, decided.
    C_TFBLAS_LIBRARY_DECIDED = 2,
    /// The chosen kernel computed a wrong product; a second copy of the library, loaded
    /// without the choice, is in use.
    C_TFBLAS_FALLBACK_AFTER_WRONG_RESULT = 3,
    /// OpenBLAS was already in the process (linked by someone else) before we loaded it:
    /// its kernel was fixed then.
    C_TFBLAS_ALREADY_LOADED = 4,
} c_tfblas_selection;

typedef struct {
    c_tfblas_sgemm_fn sgemm;
    c_tfblas_saxpy_fn saxpy;
    c_tfblas_set_threads_fn set_threads;
    c_tfblas_string_fn corename;
    c_tfblas_string_fn config;
    c_tfblas_selection selection;
    /// What went wrong, when something did (empty otherwise).
    char message[512];
} c_tfblas_state;

/// The loaded library. Read it only after `c_tfblas_load` returned.
extern c_tfblas_state c_tfblas_current;

/// Loads OpenBLAS once per process; later calls return at once, whatever their arguments.
/// `coretype` is set as OPENBLAS_CORETYPE while the library initializes (NULL: no choice).
/// `simulate_wrong_result` makes the first self-check fail, to exercise the fallback.
/// Returns 0 when a library with a correct kernel is in use, -1 otherwise (see
/// `c_tfblas_current.message`).
int c_tfblas_load(const char *coretype, int simulate_wrong_result);

// The loaded functions. Call them only after `c_tfblas_load` returned 0 (TFCore's Session
// loads the library before it runs anything).
static inline void c_tfblas_sgemm(int transposeA, int transposeB, int m, int n, int k, float alpha, const float *a,
                                  int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    c_tfblas_current.sgemm(C_TFBLAS_ROW_MAJOR, transposeA ? C_TFBLAS_TRANS : C_TFBLAS_NO_TRANS,
                           transposeB ? C_TFBLAS_TRANS : C_TFBLAS_NO_TRANS, m, n, k, alpha, a, lda, b, ldb, beta, c,
                           ldc);
}
static inline void c_tfblas_saxpy(int n, float alpha, const float *x, float *y) {
    c_tfblas_current.saxpy(n, alpha, x, 1, y, 1);
}
static inline void c_tfblas_set_threads(int threads) { c_tfblas_current.set_threads(threads); }

// What `c_tfblas_load` loaded (read after it returned): the kernel's name and the library's
// build description ("unknown" where the library does not say), how the kernel was
// selected, and the load's message ("" when there is nothing to say).
const char *c_tfblas_kernel_name(void);
const char *c_tfblas_configuration(void);
c_tfblas_selection c_tfblas_selection_made(void);
const char *c_tfblas_message(void);

/// `regs` = eax, ebx, ecx, edx of `cpuid(leaf, subleaf)`; all 0 where there is no cpuid.
void c_tfblas_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
/// XCR0 (which register states the OS saves), 0 where there is none.
uint64_t c_tfblas_xgetbv0(void);
/// The auxiliary vector's AT_HWCAP (arm64 feature bits), 0 where there is none.
uint64_t c_tfblas_hwcap(void);

/// A CPU hint for spin-wait loops (TFCore's ParallelGEMM helper thread waits for work
/// between the products of a training step this way before it sleeps).
static inline void c_tfblas_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#ifdef __cplusplus
}
#endif
#endif
