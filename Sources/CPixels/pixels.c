// The batch gather. See include/CPixels.h.
#include "CPixels.h"

// Rows prefetched ahead of the one being converted: far enough that a row has arrived
// from memory when its turn comes (a 784-byte row converts in ~100 ns), near enough to
// stay in L1.
enum { prefetch_distance = 2 };

static void prefetch_row(const uint8_t *row, size_t row_length) {
    for (size_t offset = 0; offset < row_length; offset += 64) {
        __builtin_prefetch(row + offset, 0, 3);
    }
}

static void convert_row_portable(const uint8_t *row, size_t length, float scale, float *out) {
    for (size_t k = 0; k < length; k++) {
        out[k] = (float)row[k] * scale;
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2")))
static void convert_row_avx2(const uint8_t *row, size_t length, float scale, float *out) {
    const __m256 scales = _mm256_set1_ps(scale);
    size_t k = 0;
    for (; k + 8 <= length; k += 8) {
        __m128i bytes = _mm_loadl_epi64((const __m128i *)(row + k));
        __m256 floats = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(bytes));
        _mm256_storeu_ps(out + k, _mm256_mul_ps(floats, scales));
    }
    convert_row_portable(row + k, length - k, scale, out + k);
}

static int has_avx2 = 0;

__attribute__((constructor))
static void c_pixels_detect(void) {
    __builtin_cpu_init();
    has_avx2 = __builtin_cpu_supports("avx2");
}
#endif

void c_pixels_gather_scaled(const uint8_t *pixels, size_t row_length, const int32_t *indices, size_t count,
                            float scale, float *out) {
    for (size_t i = 0; i < count && i < prefetch_distance; i++) {
        prefetch_row(pixels + (size_t)indices[i] * row_length, row_length);
    }
    for (size_t i = 0; i < count; i++) {
        if (i + prefetch_distance < count) {
            prefetch_row(pixels + (size_t)indices[i + prefetch_distance] * row_length, row_length);
        }
        const uint8_t *row = pixels + (size_t)indices[i] * row_length;
#if defined(__x86_64__)
        if (has_avx2) {
            convert_row_avx2(row, row_length, scale, out + i * row_length);
            continue;
        }
#endif
        convert_row_portable(row, row_length, scale, out + i * row_length);
    }
}
