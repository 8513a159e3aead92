// CHistogram: the two loops of a float32 histogram (statistics, then the bucket count),
// vectorized where the CPU has AVX2 (chosen at run time; the package itself builds for
// baseline x86-64, where Swift's SIMD types lower to SSE2).
//
// This module provides no stable API; TensorBoard's `HistogramBuilder` is its only user and
// checks the preconditions below before calling.
#ifndef C_HISTOGRAM_H
#define C_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

/// Lanes of counters `c_histogram_count_floats` spreads its increments over.
enum { c_histogram_lanes = 8 };

/// Whether `c_histogram_count_floats` runs on this CPU (x86-64 with AVX2).
int c_histogram_is_available(void);

/// Counts `count` float values into `bucket_count + 1` counters per lane.
///
/// Each value's counter is `floor((x - low) * factor)` (computed in float), when that
/// product lies at least `margin` from every integer; otherwise it is settled exactly against
/// the double edges: starting from the clamped floor `i` in `0...bucket_count`, one step down
/// if `x < lower[i]`, else one step up if `x >= upper[i]`.
///
/// Preconditions (the caller proves them; the result is only exact under them): every value
/// is finite and in `[low, high]` of the caller's layout; the float estimate is within
/// `margin` of the exact one in bucket units, less each edge's own rounding; `lower` and
/// `upper` hold `bucket_count + 1` doubles, with `lower[0] = -infinity` (counter 0 never
/// steps down) and `upper[bucket_count - 1]`, `upper[bucket_count]` no value reaches (NaN:
/// the last two counters never step up). `counts` holds `c_histogram_lanes * (bucket_count + 1)`
/// zeroed counters; lane `l`'s counter `i` is `counts[l * (bucket_count + 1) + i]`.
/// Returns 0 without counting when the CPU lacks AVX2 (see `c_histogram_is_available`).
int c_histogram_count_floats(const float *values, size_t count, float low, float factor, float margin,
                             const double *lower, const double *upper, int32_t bucket_count, uint64_t *counts);

/// Count of NaN values, extremes and sums of float values, as `FloatStatistics` defines them.
typedef struct {
    uint64_t nan_count;
    float minimum;
    float maximum;
    double sum;
    double sum_of_squares;
} c_histogram_statistics;

/// NaN values are counted and left out of the rest; the extremes start at +infinity and
/// -infinity; the sums are added in double in eight interleaved partial sums (value `k`
/// into partial `k % 8` for all but the last `count % 8` values, which go to partial 0), each
/// square as the product of the double with itself (no fused multiply-add).
/// Returns 0 without reading when the CPU lacks AVX2.
int c_histogram_float_statistics(const float *values, size_t count, c_histogram_statistics *statistics);

#endif
