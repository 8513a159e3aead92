// CAtomicWords: atomic operations on 64-bit words in raw memory, and a prefetch for writing.
//
// Swift's Synchronization module makes atomics of stored properties only; a ring of
// records shared between threads (TFRecord's `RecordRing`) and a table read without a lock
// (TensorBoard's `ScalarTagTable`) publish words inside memory they allocated, and the
// ring keeps its two counters on cache lines of their own (a stored property cannot be
// placed so). All but the one-time feature check are inlined into their callers. The words
// must be 8-byte aligned.
#ifndef C_ATOMIC_WORDS_H
#define C_ATOMIC_WORDS_H

#include <stdint.h>

/// Loads `*word`; later reads see everything written before the store that wrote it.
static inline uint64_t c_atomic_word_load_acquire(const void *word) {
    return __atomic_load_n((const uint64_t *)word, __ATOMIC_ACQUIRE);
}

/// Stores `value`; a thread that loads it with `c_atomic_word_load_acquire` sees every
/// write made before this store.
static inline void c_atomic_word_store_release(void *word, uint64_t value) {
    __atomic_store_n((uint64_t *)word, value, __ATOMIC_RELEASE);
}

/// Loads `*word` with no ordering.
static inline uint64_t c_atomic_word_load_relaxed(const void *word) {
    return __atomic_load_n((const uint64_t *)word, __ATOMIC_RELAXED);
}

/// Adds `value` to `*word` in one atomic step, with no ordering; returns the old value.
static inline uint64_t c_atomic_word_fetch_add_relaxed(void *word, uint64_t value) {
    return __atomic_fetch_add((uint64_t *)word, value, __ATOMIC_RELAXED);
}

/// Sets the bits of `value` in `*word` in one atomic step, with no ordering; returns the
/// old value.
static inline uint64_t c_atomic_word_fetch_or_relaxed(void *word, uint64_t value) {
    return __atomic_fetch_or((uint64_t *)word, value, __ATOMIC_RELAXED);
}

/// 1 when `c_prefetch_for_writing` prefetches on this CPU (x86_64: the PRFCHW feature,
/// CPUID 0x80000001 ECX bit 8; arm64: always), else 0 (the call is then a hint not given).
int c_prefetch_for_writing_supported(void);

/// Asks the CPU to bring the cache line holding `address` into this core's cache ready to
/// be written (`prefetchw`; `prfm pstl1keep` on arm64), without waiting for it. A producer
/// of a ring calls it for memory it will fill soon, so that its stores do not wait for the
/// line then. Only call it where `c_prefetch_for_writing_supported()` returned 1.
static inline void c_prefetch_for_writing(const void *address) {
#if defined(__x86_64__)
    __asm__ __volatile__("prefetchw (%0)" : : "r"(address));
#elif defined(__aarch64__)
    __builtin_prefetch(address, 1, 3);
#else
    (void)address;
#endif
}

#endif
