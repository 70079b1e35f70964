// Folding as in Intel's "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ":
// each 128-bit lane is multiplied by x^(D+32) and x^(D-32) mod P (bit-reflected) for a fold
// distance D and XORed into the data D bits further on. The remainder stays congruent to the
// message modulo P, so its ordinary CRC is the message's CRC.
#include "evtx_crc_fold.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

int evtx_crc32_fold_available(void) {
    return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}

__attribute__((target("pclmul,sse4.1")))
static inline __m128i fold(__m128i x, __m128i k, __m128i next) {
    __m128i lo = _mm_clmulepi64_si128(x, k, 0x00);
    __m128i hi = _mm_clmulepi64_si128(x, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

__attribute__((target("pclmul,sse4.1")))
size_t evtx_crc32_fold(uint32_t state, const uint8_t *p, size_t len, uint8_t remainder[16]) {
    if (len < 64) return 0;
    // Distance 512 bits (four lanes) and 128 bits (one lane).
    const __m128i k512 = _mm_set_epi64x(0x1c6e41596LL, 0x154442bd4LL);
    const __m128i k128 = _mm_set_epi64x(0x0ccaa009eLL, 0x1751997d0LL);
    __m128i x0 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)p), _mm_cvtsi32_si128((int)state));
    __m128i x1 = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(p + 48));
    size_t i = 64;
    while (len - i >= 64) {
        x0 = fold(x0, k512, _mm_loadu_si128((const __m128i *)(p + i)));
        x1 = fold(x1, k512, _mm_loadu_si128((const __m128i *)(p + i + 16)));
        x2 = fold(x2, k512, _mm_loadu_si128((const __m128i *)(p + i + 32)));
        x3 = fold(x3, k512, _mm_loadu_si128((const __m128i *)(p + i + 48)));
        i += 64;
    }
    __m128i x = fold(x0, k128, x1);
    x = fold(x, k128, x2);
    x = fold(x, k128, x3);
    while (len - i >= 16) {
        x = fold(x, k128, _mm_loadu_si128((const __m128i *)(p + i)));
        i += 16;
    }
    _mm_storeu_si128((__m128i *)remainder, x);
    return i;
}

#else

int evtx_crc32_fold_available(void) { return 0; }

size_t evtx_crc32_fold(uint32_t state, const uint8_t *p, size_t len, uint8_t remainder[16]) {
    (void)state; (void)p; (void)len; (void)remainder;
    return 0;
}

#endif
