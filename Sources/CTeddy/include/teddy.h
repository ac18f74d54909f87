#ifndef ENVCHECK_TEDDY_H
#define ENVCHECK_TEDDY_H

// The SIMD stage of the next_public scan's literal matcher (Swift: TeddyPlan.swift).
// It is C because Swift cannot compile SSSE3 or AVX2 code behind a run-time CPU check:
// a Swift module gets one target CPU for all its code, and baseline x86-64 has neither.

#include <stdint.h>

/// Fingerprint masks of a "slim Teddy" search (Hyperscan's Teddy, as in ripgrep): eight
/// buckets of needles, each needle represented by 2 or 3 of its bytes (the *width*); bit
/// b of `low[k][n]` says that some needle in bucket b has a byte whose low nibble is n at
/// position k of its fingerprint (`high` likewise for the high nibble). A bucket whose
/// needles are shorter than k+1 bytes has bit b set everywhere.
typedef struct {
    uint8_t low[3][16];
    uint8_t high[3][16];
} teddy_masks;

/// 0: no SIMD Teddy on this CPU (or not x86-64); 1: SSSE3; 2: AVX2 (which needs CPU and
/// OS support). docs/bench.md "next_public kernels" measures each.
int teddy_best_level(void);

/// Scans `bytes[from..<count]` at `level` (1 or 2, at most `teddy_best_level()`) for
/// positions p where bytes p..<p+width (width 2 or 3) match one bucket's fingerprint
/// (bytes past `count` count as 0). Writes `p << 8 | buckets` to `out` for each, in order, up to `capacity`
/// (at least 32) and returns how many; `*next` is where to resume (`count` when done).
int teddy_scan(const teddy_masks *masks, int level, int width, const uint8_t *bytes, int64_t count, int64_t from,
               uint64_t *out, int capacity, int64_t *next);

#endif
