#include "teddy.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <string.h>
#include <immintrin.h>

int teddy_best_level(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3)) return 0;
    // AVX needs the OS to save its registers: OSXSAVE, then XCR0 (XMM and YMM).
    if (!(c & bit_OSXSAVE) || !(c & bit_AVX)) return 1;
    unsigned xcr0, xcr0High;
    __asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(xcr0High) : "c"(0));
    unsigned a7, b7, c7, d7;
    if ((xcr0 & 0x06) != 0x06 || !__get_cpuid_count(7, 0, &a7, &b7, &c7, &d7) || !(b7 & bit_AVX2)) return 1;
    return 2;
}

// Bucket bits of the fingerprint position `k` for each byte of `v`.
#define TEDDY_LOOKUP(shuffle, and, srli, v, lo, hi, nib) \
    and(shuffle(lo, and(v, nib)), shuffle(hi, and(srli(v, 4), nib)))

/// Appends the candidates of one block (its per-byte bucket bytes in `res`, its hit
/// bits in `hits`); returns false, writing nothing, when they do not all fit.
static inline int emit(const uint8_t *res, uint64_t hits, int64_t base, int64_t count,
                       uint64_t *out, int capacity, int *written) {
    if (*written + __builtin_popcountll(hits) > capacity) return 0;
    while (hits) {
        int j = __builtin_ctzll(hits);
        hits &= hits - 1;
        if (base + j < count) out[(*written)++] = (uint64_t)(base + j) << 8 | res[j];
    }
    return 1;
}

// The bucket bits of a whole fingerprint of `width` bytes starting at each byte of `p`.
__attribute__((target("ssse3"), always_inline))
static inline __m128i fingerprints16(const teddy_masks *m, const uint8_t *p, int width) {
    const __m128i nib = _mm_set1_epi8(0x0f);
    __m128i acc = _mm_set1_epi8((char)0xff);
    for (int k = 0; k < width; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + k));
        __m128i lo = _mm_loadu_si128((const __m128i *)m->low[k]);
        __m128i hi = _mm_loadu_si128((const __m128i *)m->high[k]);
        acc = _mm_and_si128(acc, TEDDY_LOOKUP(_mm_shuffle_epi8, _mm_and_si128, _mm_srli_epi16, v, lo, hi, nib));
    }
    return acc;
}

__attribute__((target("ssse3")))
static uint32_t block16(const teddy_masks *m, const uint8_t *p, int width, uint8_t *res) {
    __m128i acc = width == 2 ? fingerprints16(m, p, 2) : fingerprints16(m, p, 3);
    uint32_t hits = ~(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(acc, _mm_setzero_si128())) & 0xffff;
    if (hits) _mm_storeu_si128((__m128i *)res, acc);
    return hits;
}

__attribute__((target("avx2"), always_inline))
static inline __m256i fingerprints32(const uint8_t *p, const __m256i *lo, const __m256i *hi, int width) {
    const __m256i nib = _mm256_set1_epi8(0x0f);
    __m256i acc = _mm256_set1_epi8((char)0xff);
    for (int k = 0; k < width; k++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + k));
        acc = _mm256_and_si256(acc, TEDDY_LOOKUP(_mm256_shuffle_epi8, _mm256_and_si256, _mm256_srli_epi16, v, lo[k], hi[k], nib));
    }
    return acc;
}

__attribute__((target("avx2"), always_inline))
static inline int64_t scan_avx2_width(const teddy_masks *m, const uint8_t *bytes, int64_t count, int64_t i,
                                      uint64_t *out, int capacity, int *written, int width) {
    __m256i lo[3], hi[3];
    for (int k = 0; k < 3; k++) {
        lo[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)m->low[k]));
        hi[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)m->high[k]));
    }
    uint8_t res[32];
    for (; i + 34 <= count; i += 32) {
        __m256i acc = fingerprints32(bytes + i, lo, hi, width);
        if (__builtin_expect(!_mm256_testz_si256(acc, acc), 0)) {
            uint32_t hits = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(acc, _mm256_setzero_si256()));
            _mm256_storeu_si256((__m256i *)res, acc);
            if (!emit(res, hits, i, count, out, capacity, written)) break;
        }
    }
    return i;
}

__attribute__((target("avx2")))
static int64_t scan_avx2(const teddy_masks *m, const uint8_t *bytes, int64_t count, int64_t i,
                         uint64_t *out, int capacity, int *written, int width) {
    // One loop per width, so that the compiler unrolls the fingerprint positions.
    return width == 2 ? scan_avx2_width(m, bytes, count, i, out, capacity, written, 2)
                      : scan_avx2_width(m, bytes, count, i, out, capacity, written, 3);
}

int teddy_scan(const teddy_masks *m, int level, int width, const uint8_t *bytes, int64_t count, int64_t from,
               uint64_t *out, int capacity, int64_t *next) {
    int written = 0;
    int64_t i = from;
    uint8_t res[16];
    if (level >= 2) {
        i = scan_avx2(m, bytes, count, i, out, capacity, &written, width);
        if (i + 34 <= count) { *next = i; return written; }
    }
    for (; i + 18 <= count; i += 16) {
        uint32_t hits = block16(m, bytes + i, width, res);
        if (hits && !emit(res, hits, i, count, out, capacity, &written)) { *next = i; return written; }
    }
    // The tail (under 18 bytes), zero-padded so that a block can read 2 bytes past it.
    while (i < count) {
        uint8_t tail[32] = {0};
        memcpy(tail, bytes + i, (size_t)(count - i < 18 ? count - i : 18));
        uint32_t hits = block16(m, tail, width, res);
        if (hits && !emit(res, hits, i, count, out, capacity, &written)) { *next = i; return written; }
        i += 16;
    }
    *next = count;
    return written;
}

#else

int teddy_best_level(void) { return 0; }

int teddy_scan(const teddy_masks *m, int level, int width, const uint8_t *bytes, int64_t count, int64_t from,
               uint64_t *out, int capacity, int64_t *next) {
    (void)m; (void)level; (void)width; (void)bytes; (void)out; (void)capacity; (void)from;
    *next = count;
    return 0;
}

#endif
