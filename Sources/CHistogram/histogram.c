// The float statistics and bucket count. See include/CHistogram.h.
#include "CHistogram.h"

// The estimate is a float product; contracting it into a fused multiply-add would change
// its rounding from what the caller's error bound assumes.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__)
#include <immintrin.h>

static int has_avx2 = 0;

__attribute__((constructor))
static void c_histogram_detect(void) {
    __builtin_cpu_init();
    has_avx2 = __builtin_cpu_supports("avx2");
}

// The exact counter of `x`, starting from the estimate's clamped floor `index`.
static inline int32_t settle(float value, int32_t index, const double *lower, const double *upper) {
    double x = (double)value;
    if (x < lower[index]) return index - 1;
    if (x >= upper[index]) return index + 1;
    return index;
}

__attribute__((target("avx2")))
static void count_avx2(const float *values, size_t count, float low, float factor, float margin,
                       const double *lower, const double *upper, int32_t bucket_count, uint64_t *counts) {
    const size_t stride = (size_t)bucket_count + 1;
    const __m256 lows = _mm256_set1_ps(low);
    const __m256 factors = _mm256_set1_ps(factor);
    const __m256 margins = _mm256_set1_ps(margin);
    const __m256 upper_margins = _mm256_set1_ps(1.0f - margin);
    const __m256i zero = _mm256_setzero_si256();
    const __m256i last = _mm256_set1_epi32(bucket_count);
    int32_t indices[8] __attribute__((aligned(32)));
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 x = _mm256_loadu_ps(values + i);
        __m256 estimate = _mm256_mul_ps(_mm256_sub_ps(x, lows), factors);
        __m256 floor = _mm256_round_ps(estimate, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
        __m256 fraction = _mm256_sub_ps(estimate, floor);
        __m256 near = _mm256_or_ps(_mm256_cmp_ps(fraction, margins, _CMP_LT_OQ),
                                   _mm256_cmp_ps(fraction, upper_margins, _CMP_GT_OQ));
        __m256i index = _mm256_min_epi32(_mm256_max_epi32(_mm256_cvttps_epi32(floor), zero), last);
        _mm256_store_si256((__m256i *)indices, index);
        int needs_settling = _mm256_movemask_ps(near);
        while (needs_settling) {
            int lane = __builtin_ctz((unsigned)needs_settling);
            indices[lane] = settle(values[i + lane], indices[lane], lower, upper);
            needs_settling &= needs_settling - 1;
        }
        for (int lane = 0; lane < 8; lane++) {
            counts[(size_t)lane * stride + (size_t)indices[lane]] += 1;
        }
    }
    for (; i < count; i++) {
        int32_t index = (int32_t)__builtin_floorf((values[i] - low) * factor);
        index = index < 0 ? 0 : (index > bucket_count ? bucket_count : index);
        counts[settle(values[i], index, lower, upper)] += 1;
    }
}

__attribute__((target("avx2")))
static void statistics_avx2(const float *values, size_t count, c_histogram_statistics *statistics) {
    __m256 low = _mm256_set1_ps(__builtin_inff());
    __m256 high = _mm256_set1_ps(-__builtin_inff());
    __m256d sums_low = _mm256_setzero_pd(), sums_high = _mm256_setzero_pd();
    __m256d squares_low = _mm256_setzero_pd(), squares_high = _mm256_setzero_pd();
    uint64_t nan_count = 0;
    const size_t octets = count / 8;
    // Lanes count NaNs in 32 bits: chunks of 2^30 octets move them out before they could wrap.
    for (size_t chunk = 0; chunk < octets; chunk += (size_t)1 << 30) {
        size_t end = octets - chunk < ((size_t)1 << 30) ? octets : chunk + ((size_t)1 << 30);
        __m256i nans = _mm256_setzero_si256();
        for (size_t octet = chunk; octet < end; octet++) {
            __m256 x = _mm256_loadu_ps(values + octet * 8);
            __m256 is_nan = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
            // With a NaN operand, min and max return the second one: NaN never becomes an extreme.
            low = _mm256_min_ps(x, low);
            high = _mm256_max_ps(x, high);
            nans = _mm256_sub_epi32(nans, _mm256_castps_si256(is_nan));
            __m256 clean = _mm256_andnot_ps(is_nan, x);
            __m256d first = _mm256_cvtps_pd(_mm256_castps256_ps128(clean));
            __m256d second = _mm256_cvtps_pd(_mm256_extractf128_ps(clean, 1));
            sums_low = _mm256_add_pd(sums_low, first);
            sums_high = _mm256_add_pd(sums_high, second);
            squares_low = _mm256_add_pd(squares_low, _mm256_mul_pd(first, first));
            squares_high = _mm256_add_pd(squares_high, _mm256_mul_pd(second, second));
        }
        uint32_t lanes[8];
        _mm256_storeu_si256((__m256i *)lanes, nans);
        for (int lane = 0; lane < 8; lane++) nan_count += lanes[lane];
    }
    float lows[8], highs[8];
    double sums[8], squares[8];
    _mm256_storeu_ps(lows, low);
    _mm256_storeu_ps(highs, high);
    _mm256_storeu_pd(sums, sums_low);
    _mm256_storeu_pd(sums + 4, sums_high);
    _mm256_storeu_pd(squares, squares_low);
    _mm256_storeu_pd(squares + 4, squares_high);
    float minimum = lows[0], maximum = highs[0];
    for (int lane = 1; lane < 8; lane++) {
        minimum = lows[lane] < minimum ? lows[lane] : minimum;
        maximum = highs[lane] > maximum ? highs[lane] : maximum;
    }
    for (size_t i = octets * 8; i < count; i++) {
        float x = values[i];
        if (x != x) {
            nan_count += 1;
            continue;
        }
        minimum = x < minimum ? x : minimum;
        maximum = x > maximum ? x : maximum;
        sums[0] += (double)x;
        squares[0] += (double)x * (double)x;
    }
    statistics->nan_count = nan_count;
    statistics->minimum = minimum;
    statistics->maximum = maximum;
    statistics->sum = ((sums[0] + sums[1]) + (sums[2] + sums[3])) + ((sums[4] + sums[5]) + (sums[6] + sums[7]));
    statistics->sum_of_squares =
        ((squares[0] + squares[1]) + (squares[2] + squares[3])) + ((squares[4] + squares[5]) + (squares[6] + squares[7]));
}
#endif

int c_histogram_is_available(void) {
#if defined(__x86_64__)
    return has_avx2;
#else
    return 0;
#endif
}

int c_histogram_count_floats(const float *values, size_t count, float low, float factor, float margin,
                             const double *lower, const double *upper, int32_t bucket_count, uint64_t *counts) {
#if defined(__x86_64__)
    if (has_avx2) {
        count_avx2(values, count, low, factor, margin, lower, upper, bucket_count, counts);
        return 1;
    }
#endif
    (void)values; (void)count; (void)low; (void)factor; (void)margin;
    (void)lower; (void)upper; (void)bucket_count; (void)counts;
    return 0;
}

int c_histogram_float_statistics(const float *values, size_t count, c_histogram_statistics *statistics) {
#if defined(__x86_64__)
    if (has_avx2) {
        statistics_avx2(values, count, statistics);
        return 1;
    }
#endif
    (void)values; (void)count; (void)statistics;
    return 0;
}
