// CAtomicWords: atomic loads and stores of 64-bit words in raw memory.
//
// Swift's Synchronization module makes atomics of stored properties only; a ring of
// records shared between threads (TFRecord's `RecordRing`) and a table read without a lock
// (TensorBoard's `ScalarTagTable`) publish words inside memory they allocated. These
// functions are that publication, and are inlined into their callers. The words must be
// 8-byte aligned.
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

#endif
