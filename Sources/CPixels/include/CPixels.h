// CPixels: the batch gather of the MNIST module.
//
// This module provides no stable API; MNIST's `DataSet` is its only user. A batch is 100
// rows picked at random from 43 MB of pixel bytes: without prefetching, each row's first
// cache lines wait on memory, which doubles the gather's time. Swift has no prefetch
// instruction, so the loop lives here (with an AVX2 conversion where the CPU has it).
#ifndef C_PIXELS_H
#define C_PIXELS_H

#include <stddef.h>
#include <stdint.h>

/// For each i < count, writes row indices[i] of `pixels` (rows of `row_length` bytes) to
/// out[i * row_length ...] as floats `(float)byte * scale`, rounded as that expression
/// rounds in C. Prefetches the rows a few ahead. Indices must be valid rows.
void c_pixels_gather_scaled(const uint8_t *pixels, size_t row_length, const int32_t *indices, size_t count,
                            float scale, float *out);

#endif
