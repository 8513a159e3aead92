// CCRC32C: hardware CRC32C (Castagnoli) for the TFRecord module.
//
// This module provides no stable API; TFRecord's `CRC32C` is its only user. Swift has no
// portable way to emit the SSE4.2 `crc32` or the ARMv8 `crc32c` instructions, which are
// ~10x faster than a byte table, so they live here behind a run-time CPU check.
#ifndef C_CRC32C_H
#define C_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has a CRC32C instruction that c_crc32c_extend_hardware may use.
int c_crc32c_hardware_available(void);

/// c_crc32c_hardware_available(), computed once before main.
extern int c_crc32c_hardware;

/// Reads c_crc32c_hardware (an inline load, written only before main).
static inline int c_crc32c_uses_hardware(void) { return c_crc32c_hardware; }

/// Extends a finished CRC32C value `crc` (0 for none) over `length` bytes at `data` and
/// returns the finished value. Only call when c_crc32c_hardware_available() returned 1.
uint32_t c_crc32c_extend_hardware(uint32_t crc, const void *data, size_t length);

/// The CRC32C values of two byte ranges in one call (a TFRecord's length field and its
/// payload): returns the first's and stores the second's in *second_crc. Only call when
/// c_crc32c_hardware_available() returned 1.
uint32_t c_crc32c_pair_hardware(const void *first, size_t first_length,
                                const void *second, size_t second_length, uint32_t *second_crc);

#endif
