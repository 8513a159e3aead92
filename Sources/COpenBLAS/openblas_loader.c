// Loads OpenBLAS with dlopen once its kernel is chosen, and checks the kernel with one
// small product against a plain loop before anything uses it. See COpenBLAS.h for why.
#if defined(__linux__)
#define _GNU_SOURCE
#endif
#include "COpenBLAS.h"

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

c_tfblas_state c_tfblas_current;

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static int load_attempted = 0;
static int load_result = -1;

static const char *const library_names[] = {
#if defined(__APPLE__)
    "libopenblas.0.dylib", "libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
    "/usr/local/opt/openblas/lib/libopenblas.dylib",
#else
    "libopenblas.so.0", "libopenblas.so",
#endif
};
enum { library_name_count = sizeof(library_names) / sizeof(library_names[0]) };

static void set_message(const char *format, const char *argument) {
    snprintf(c_tfblas_current.message, sizeof(c_tfblas_current.message), format, argument);
}

/// Resolves the functions we use from `handle`; 0 when every required one is there.
static int resolve(void *handle, c_tfblas_state *state) {
    state->sgemm = (c_tfblas_sgemm_fn)dlsym(handle, "cblas_sgemm");
    state->saxpy = (c_tfblas_saxpy_fn)dlsym(handle, "cblas_saxpy");
    state->set_threads = (c_tfblas_set_threads_fn)dlsym(handle, "openblas_set_num_threads");
    state->corename = (c_tfblas_string_fn)dlsym(handle, "openblas_get_corename");
    state->config = (c_tfblas_string_fn)dlsym(handle, "openblas_get_config");
    return state->sgemm && state->saxpy && state->set_threads ? 0 : -1;
}

/// One 37x29x23 product in each transpose combination against a plain loop, on values
/// whose exact products are small integers over 64 (so any correct kernel is within
/// rounding of the loop). 1 when every element agrees.
static int product_is_correct(c_tfblas_sgemm_fn sgemm) {
    enum { M = 37, N = 29, K = 23 };
    float a[M * K], b[K * N], c[M * N], expected[M * N];
    for (int i = 0; i < M * K; i++) a[i] = (float)((i * 7 + 3) % 17 - 8) / 8.0f;
    for (int i = 0; i < K * N; i++) b[i] = (float)((i * 5 + 1) % 13 - 6) / 8.0f;
    for (int transposeA = 0; transposeA < 2; transposeA++) {
        for (int transposeB = 0; transposeB < 2; transposeB++) {
            // Row-major op(a) is M x K and op(b) is K x N; a transposed a is stored K x M.
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    double sum = 0;
                    for (int p = 0; p < K; p++) {
                        float x = transposeA ? a[p * M + i] : a[i * K + p];
                        float y = transposeB ? b[j * K + p] : b[p * N + j];
                        sum += (double)x * y;
                    }
                    expected[i * N + j] = (float)sum;
                    c[i * N + j] = -1000.0f;
                }
            }
            sgemm(C_TFBLAS_ROW_MAJOR, transposeA ? C_TFBLAS_TRANS : C_TFBLAS_NO_TRANS,
                  transposeB ? C_TFBLAS_TRANS : C_TFBLAS_NO_TRANS, M, N, K, 1.0f, a, transposeA ? M : K, b,
                  transposeB ? K : N, 0.0f, c, N);
            for (int i = 0; i < M * N; i++) {
                if (!(fabsf(c[i] - expected[i]) <= 1e-4f)) return 0;
            }
        }
    }
    return 1;
}

static const char *name_of(c_tfblas_state *state) {
    return state->corename ? state->corename() : "unknown";
}

/// A second, independent copy of the library in a new link-map namespace, initialized
/// without OPENBLAS_CORETYPE: the library's own choice. NULL where that is not possible.
static void *load_fresh_copy_with_library_choice(void) {
#if defined(__GLIBC__)
    for (int i = 0; i < library_name_count; i++) {
        void *handle = dlmopen(LM_ID_NEWLM, library_names[i], RTLD_NOW | RTLD_LOCAL);
        if (handle) return handle;
    }
#endif
    return NULL;
}

static int load_locked(const char *coretype, int simulate_wrong_result) {
    memset(&c_tfblas_current, 0, sizeof(c_tfblas_current));
    const char *user_coretype = getenv("OPENBLAS_CORETYPE");
    const char *user_l2 = getenv("OPENBLAS_L2_SIZE");
    int user_decides = (user_coretype && *user_coretype) || (user_l2 && *user_l2);

    void *handle = NULL;
    for (int i = 0; i < library_name_count && !handle; i++) {
        handle = dlopen(library_names[i], RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    }
    c_tfblas_selection selection = C_TFBLAS_ALREADY_LOADED;
    if (!handle) {
        int choose = coretype && *coretype && !user_decides;
        if (choose) setenv("OPENBLAS_CORETYPE", coretype, 1);
        for (int i = 0; i < library_name_count && !handle; i++) {
            handle = dlopen(library_names[i], RTLD_NOW | RTLD_LOCAL);
        }
        if (choose) unsetenv("OPENBLAS_CORETYPE");
        selection = choose ? C_TFBLAS_CHOSEN : C_TFBLAS_LIBRARY_DECIDED;
    }
    if (!handle) {
        set_message("cannot load OpenBLAS (%s): install it (Debian: apt-get install libopenblas0)", library_names[0]);
        return -1;
    }
    if (resolve(handle, &c_tfblas_current) != 0) {
        set_message("%s lacks cblas_sgemm, cblas_saxpy or openblas_set_num_threads: it is not OpenBLAS", library_names[0]);
        return -1;
    }
    c_tfblas_current.selection = selection;
    int correct = product_is_correct(c_tfblas_current.sgemm) && !simulate_wrong_result;
    if (correct) {
        return 0;
    }
    char rejected[64];
    snprintf(rejected, sizeof(rejected), "%s", name_of(&c_tfblas_current));
    if (selection != C_TFBLAS_CHOSEN) {
        set_message("OpenBLAS's %s kernel computes wrong matrix products on this CPU: set OPENBLAS_CORETYPE to a "
                    "kernel the CPU supports (for example HASWELL, or PRESCOTT for the most portable one)",
                    rejected);
        return -1;
    }
    void *fallback = load_fresh_copy_with_library_choice();
    c_tfblas_state second;
    memset(&second, 0, sizeof(second));
    if (!fallback || resolve(fallback, &second) != 0 || !product_is_correct(second.sgemm)) {
        set_message("OpenBLAS's %s kernel computes wrong matrix products on this CPU, and no other copy of the "
                    "library could be checked: set OPENBLAS_CORETYPE to a kernel the CPU supports",
                    rejected);
        return -1;
    }
    second.selection = C_TFBLAS_FALLBACK_AFTER_WRONG_RESULT;
    c_tfblas_current = second;
    snprintf(c_tfblas_current.message, sizeof(c_tfblas_current.message),
             "OpenBLAS's %s kernel computed a wrong product in the start-up check; using the library's own choice, %s, "
             "instead",
             rejected, name_of(&c_tfblas_current));
    fprintf(stderr, "warning: %s\n", c_tfblas_current.message);
    return 0;
}

const char *c_tfblas_kernel_name(void) {
    return c_tfblas_current.corename ? c_tfblas_current.corename() : "unknown";
}

const char *c_tfblas_configuration(void) {
    return c_tfblas_current.config ? c_tfblas_current.config() : "unknown";
}

c_tfblas_selection c_tfblas_selection_made(void) { return c_tfblas_current.selection; }

const char *c_tfblas_message(void) { return c_tfblas_current.message; }

int c_tfblas_load(const char *coretype, int simulate_wrong_result) {
    pthread_mutex_lock(&load_lock);
    if (!load_attempted) {
        load_attempted = 1;
        load_result = load_locked(coretype, simulate_wrong_result);
    }
    int result = load_result;
    pthread_mutex_unlock(&load_lock);
    return result;
}
