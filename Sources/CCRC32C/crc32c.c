// Hardware CRC32C. See include/CCRC32C.h.
#include "CCRC32C.h"

#include <string.h>

#if defined(__x86_64__)

#include <nmmintrin.h>

int c_crc32c_hardware_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

// x86_64 loads need no alignment, so short payloads (most event records are 20-60 bytes)
// go straight to 8-byte steps, then one 4-, 2- and 1-byte step for the tail.
__attribute__((target("sse4.2")))
uint32_t c_crc32c_extend_hardware(uint32_t crc, const void *data, size_t length) {
    const unsigned char *p = (const unsigned char *)data;
    uint64_t c = (uint32_t)~crc;
    while (length >= 32) {
        uint64_t w0, w1, w2, w3;
        memcpy(&w0, p, 8);
        memcpy(&w1, p + 8, 8);
        memcpy(&w2, p + 16, 8);
        memcpy(&w3, p + 24, 8);
        c = _mm_crc32_u64(c, w0);
        c = _mm_crc32_u64(c, w1);
        c = _mm_crc32_u64(c, w2);
        c = _mm_crc32_u64(c, w3);
        p += 32;
        length -= 32;
    }
    while (length >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = _mm_crc32_u64(c, w);
        p += 8;
        length -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    if (length & 4) {
        uint32_t w;
        memcpy(&w, p, 4);
        c32 = _mm_crc32_u32(c32, w);
        p += 4;
    }
    if (length & 2) {
        uint16_t w;
        memcpy(&w, p, 2);
        c32 = _mm_crc32_u16(c32, w);
        p += 2;
    }
    if (length & 1) {
        c32 = _mm_crc32_u8(c32, *p);
    }
    return ~c32;
}

__attribute__((target("sse4.2")))
uint32_t c_crc32c_pair_hardware(const void *first, size_t first_length,
                                const void *second, size_t second_length, uint32_t *second_crc) {
    *second_crc = c_crc32c_extend_hardware(0, second, second_length);
    return c_crc32c_extend_hardware(0, first, first_length);
}

#elif defined(__aarch64__) && defined(__linux__)

#include <arm_acle.h>
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

int c_crc32c_hardware_available(void) {
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) ? 1 : 0;
}

__attribute__((target("crc")))
uint32_t c_crc32c_extend_hardware(uint32_t crc, const void *data, size_t length) {
    const unsigned char *p = (const unsigned char *)data;
    uint32_t c = ~crc;
    while (length >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = __crc32cd(c, w);
        p += 8;
        length -= 8;
    }
    while (length > 0) {
        c = __crc32cb(c, *p++);
        length--;
    }
    return ~c;
}

__attribute__((target("crc")))
uint32_t c_crc32c_pair_hardware(const void *first, size_t first_length,
                                const void *second, size_t second_length, uint32_t *second_crc) {
    *second_crc = c_crc32c_extend_hardware(0, second, second_length);
    return c_crc32c_extend_hardware(0, first, first_length);
}

#else

int c_crc32c_hardware_available(void) { return 0; }

uint32_t c_crc32c_extend_hardware(uint32_t crc, const void *data, size_t length) {
    (void)data;
    (void)length;
    return crc;
}

uint32_t c_crc32c_pair_hardware(const void *first, size_t first_length,
                                const void *second, size_t second_length, uint32_t *second_crc) {
    (void)first;
    (void)first_length;
    (void)second;
    (void)second_length;
    *second_crc = 0;
    return 0;
}

#endif

int c_crc32c_hardware = 0;

// Runs before main, so callers read a plain global instead of checking the CPU (or a
// lazily initialized Swift global) on every checksum.
__attribute__((constructor))
static void c_crc32c_detect(void) {
    c_crc32c_hardware = c_crc32c_hardware_available();
}
