#ifndef ENVCHECK_HASHSCAN_H
#define ENVCHECK_HASHSCAN_H

// The hash filter of the next_public scan's literal matcher, for many needles (Swift:
// HashPlan.swift). It is C so that its inner loop has no bounds checks and stays as
// written; it needs no SIMD, so it runs on every CPU.

#include <stdint.h>

/// The multiplier of the hash (Fibonacci hashing: 2^32 / the golden ratio, odd).
#define HASH_SCAN_MULTIPLIER 2654435761u

/// Every 4-byte window w of `bytes[from..<count]` whose hash `(w * HASH_SCAN_MULTIPLIER) >>
/// (32 - bits)` (w read little-endian) has its bit set in `bitmap` (2^bits bits, 16 <= bits
/// <= 24). Writes each window's position to `out`, in order, up to `capacity` (at least 4)
/// and returns how many; `*next` is where to resume (`count` when done).
int hash_scan(const uint64_t *bitmap, int bits, const uint8_t *bytes, int64_t count, int64_t from,
              uint64_t *out, int capacity, int64_t *next);

#endif
