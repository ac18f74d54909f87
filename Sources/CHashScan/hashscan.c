#include "hashscan.h"

#include <string.h>

// One multiply, one shift and one bit test per text position, whatever the number of
// needles: the cost Teddy's eight buckets cannot keep once hundreds of needles share them.

static inline uint32_t window4(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

int hash_scan(const uint64_t *bitmap, int bits, const uint8_t *bytes, int64_t count, int64_t from,
              uint64_t *out, int capacity, int64_t *next) {
    const int shift = 32 - bits;
    int written = 0;
    int64_t i = from;
    const int64_t last = count - 4;  // the last position a whole window starts at
    for (; i + 3 <= last; i += 4) {
        // Four positions per round, tested before any is written: the common case (no
        // candidate among them) is one branch.
        uint32_t h0 = (window4(bytes + i) * HASH_SCAN_MULTIPLIER) >> shift;
        uint32_t h1 = (window4(bytes + i + 1) * HASH_SCAN_MULTIPLIER) >> shift;
        uint32_t h2 = (window4(bytes + i + 2) * HASH_SCAN_MULTIPLIER) >> shift;
        uint32_t h3 = (window4(bytes + i + 3) * HASH_SCAN_MULTIPLIER) >> shift;
        uint64_t t0 = bitmap[h0 >> 6] >> (h0 & 63) & 1;
        uint64_t t1 = bitmap[h1 >> 6] >> (h1 & 63) & 1;
        uint64_t t2 = bitmap[h2 >> 6] >> (h2 & 63) & 1;
        uint64_t t3 = bitmap[h3 >> 6] >> (h3 & 63) & 1;
        if (__builtin_expect((t0 | t1 | t2 | t3) != 0, 0)) {
            if (written + 4 > capacity) { *next = i; return written; }
            if (t0) out[written++] = (uint64_t)i;
            if (t1) out[written++] = (uint64_t)(i + 1);
            if (t2) out[written++] = (uint64_t)(i + 2);
            if (t3) out[written++] = (uint64_t)(i + 3);
        }
    }
    for (; i <= last; i++) {
        uint32_t h = (window4(bytes + i) * HASH_SCAN_MULTIPLIER) >> shift;
        if (bitmap[h >> 6] >> (h & 63) & 1) {
            if (written == capacity) { *next = i; return written; }
            out[written++] = (uint64_t)i;
        }
    }
    *next = count;
    return written;
}
