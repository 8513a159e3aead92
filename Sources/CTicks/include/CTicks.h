// CTicks: the CPU's constant-rate tick counter, for the TensorBoard writer's wall clock.
//
// This module provides no stable API; TensorBoard's `WallClock` is its only user. Swift has
// no way to emit `rdtsc` (x86_64) or to read `cntvct_el0` (arm64); each is one instruction,
// a fraction of the cost of a `clock_gettime` call.
#ifndef C_TICKS_H
#define C_TICKS_H

#include <stdint.h>

/// 1 when this architecture has a counter c_ticks_read reads (whether the counter ticks at
/// a constant rate, in step on every core, is the caller's to check), else 0.
static inline int c_ticks_supported(void) {
#if defined(__x86_64__) || defined(__aarch64__)
    return 1;
#else
    return 0;
#endif
}

/// The tick counter: the time-stamp counter on x86_64, the virtual counter on arm64;
/// 0 elsewhere.
static inline uint64_t c_ticks_read(void) {
#if defined(__x86_64__)
    return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
    uint64_t ticks;
    __asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(ticks));
    return ticks;
#else
    return 0;
#endif
}

#endif
