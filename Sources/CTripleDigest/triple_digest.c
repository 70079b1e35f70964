#include "triple_digest.h"

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>
#include <string.h>

/* Only the functions that use the SHA instructions are built for them, so the library still
   loads on a CPU without them; thor_triple_digest_available() is checked before they run. */
#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

static const uint32_t md5_t[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static const uint32_t sha256_k[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t load_le32(const uint8_t *p)
{
    uint32_t word;
    memcpy(&word, p, sizeof word);
    return word;
}

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
/* Stops the compiler from re-associating a sum: without it clang adds MD5's round constant after
   the round function, one more instruction on the critical path (measured: 490 vs 640 MB/s). */
#define OPAQUE(v) __asm__("" : "+r"(v))

/* MD5 (RFC 1321): step i of 64 uses function i/16, message word MD5_X(i) and shift MD5_S(i).
   Every index is a constant once the macros are expanded, so all of it folds away. Each round
   function is split into the part that does not need b, the word the step before computed
   (added early, off the critical path), and the part that does. */
#define MD5_EARLY(i, c, d) ((i) >= 16 && (i) < 32 ? ((c) & ~(d)) : 0)
#define MD5_LATE(i, b, c, d)                                                                   \
    ((i) < 16   ? ((d) ^ ((b) & ((c) ^ (d))))                                                  \
     : (i) < 32 ? ((b) & (d))                                                                  \
     : (i) < 48 ? ((b) ^ (c) ^ (d))                                                            \
                : ((c) ^ ((b) | ~(d))))
#define MD5_X(i)                                                                               \
    ((i) < 16 ? (i) : (i) < 32 ? (1 + 5 * (i)) & 15 : (i) < 48 ? (5 + 3 * (i)) & 15 : (7 * (i)) & 15)
static const int md5_s[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
#define MD5_S(i) md5_s[(i) >> 4][(i) & 3]
#define MD5_STEP(a, b, c, d, i)                                                                \
    do {                                                                                       \
        a += load_le32(md5_in + 4 * MD5_X(i)) + md5_t[i] + MD5_EARLY(i, c, d);                 \
        OPAQUE(a);                                                                             \
        a += MD5_LATE(i, b, c, d);                                                             \
        a = ROTL(a, MD5_S(i)) + b;                                                             \
    } while (0)
/* Steps 4j..4j+3, the four state words taking each role in turn. */
#define MD5_GROUP(j)                                                                           \
    do {                                                                                       \
        MD5_STEP(a, b, c, d, 4 * (j));                                                         \
        MD5_STEP(d, a, b, c, 4 * (j) + 1);                                                     \
        MD5_STEP(c, d, a, b, 4 * (j) + 2);                                                     \
        MD5_STEP(b, c, d, a, 4 * (j) + 3);                                                     \
    } while (0)

/* SHA-256 rounds 4g..4g+3 with the SHA extensions, and the part of the message schedule that
   goes with them: w[g & 3] holds words 4g..4g+3; the next group is finished (msg2) while rounds
   4..14 run, and the group after next started (msg1) while rounds 1..12 run. */
#define SHA256_GROUP(g)                                                                        \
    do {                                                                                       \
        __m128i k_ = _mm_add_epi32(w256[(g) & 3], _mm_load_si128((const __m128i *)(sha256_k + 4 * (g)))); \
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k_);                                          \
        if ((g) >= 3 && (g) <= 14)                                                             \
            w256[((g) + 1) & 3] = _mm_sha256msg2_epu32(                                        \
                _mm_add_epi32(w256[((g) + 1) & 3], _mm_alignr_epi8(w256[(g) & 3], w256[((g) + 3) & 3], 4)), \
                w256[(g) & 3]);                                                                \
        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(k_, 0x0E));                 \
        if ((g) >= 1 && (g) <= 12)                                                             \
            w256[((g) + 3) & 3] = _mm_sha256msg1_epu32(w256[((g) + 3) & 3], w256[(g) & 3]);   \
    } while (0)

/* SHA-1 rounds 4g..4g+3 (g < 20): E alternates between two registers, and each group finishes,
   extends and starts the schedule of the groups 1, 2 and 3 ahead. */
#define SHA1_GROUP(g)                                                                          \
    do {                                                                                       \
        if ((g) == 0) {                                                                        \
            e0 = _mm_add_epi32(e0, w1[0]);                                                     \
            e1 = abcd;                                                                         \
            abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);                                           \
        } else if ((g) & 1) {                                                                  \
            e1 = _mm_sha1nexte_epu32(e1, w1[(g) & 3]);                                         \
            e0 = abcd;                                                                         \
            abcd = _mm_sha1rnds4_epu32(abcd, e1, (g) / 5);                                     \
        } else {                                                                               \
            e0 = _mm_sha1nexte_epu32(e0, w1[(g) & 3]);                                         \
            e1 = abcd;                                                                         \
            abcd = _mm_sha1rnds4_epu32(abcd, e0, (g) / 5);                                     \
        }                                                                                      \
        if ((g) >= 3 && (g) <= 18) w1[((g) + 1) & 3] = _mm_sha1msg2_epu32(w1[((g) + 1) & 3], w1[(g) & 3]); \
        if ((g) >= 1 && (g) <= 16) w1[((g) + 3) & 3] = _mm_sha1msg1_epu32(w1[((g) + 3) & 3], w1[(g) & 3]); \
        if ((g) >= 2 && (g) <= 17) w1[((g) + 2) & 3] = _mm_xor_si128(w1[((g) + 2) & 3], w1[(g) & 3]); \
    } while (0)

/* Keeps the slots in order: left alone, clang schedules long runs of MD5 steps together, and the
   SHA work no longer fills MD5's idle cycles (measured: 5-10% slower). The empty asm claims to read
   and write every state register, so nothing moves across it; it emits no instruction. */
#define INTERLEAVE_FENCE()                                                                     \
    __asm__ volatile("" : "+r"(a), "+r"(b), "+r"(c), "+r"(d), "+x"(abef), "+x"(cdgh), "+x"(abcd), "+x"(e0), "+x"(e1))

/* One sixteenth of a block for each digest; SHA-1's 20 groups spread over the 16 slots. */
#define SLOT(j)                                                                                \
    do {                                                                                       \
        MD5_GROUP(j);                                                                          \
        SHA256_GROUP(j);                                                                       \
        SHA1_GROUP((5 * (j)) / 4);                                                             \
        if ((5 * (j) + 5) / 4 - (5 * (j)) / 4 == 2) SHA1_GROUP((5 * (j)) / 4 + 1);             \
        INTERLEAVE_FENCE();                                                                    \
    } while (0)

/* `blocks` 64-byte blocks into all three states. MD5 reads `md5_in`, the SHAs `sha_in`: the same
   bytes, except for the final padding, where the length is little-endian for MD5 only. */
SHA_TARGET static void digest_blocks(thor_triple_digest *digest, const uint8_t *md5_in, const uint8_t *sha_in, size_t blocks)
{
    const __m128i swap256 = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    const __m128i swap1 = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
    uint32_t a = digest->md5[0], b = digest->md5[1], c = digest->md5[2], d = digest->md5[3];

    /* The SHA-256 instructions keep the state as (A, B, E, F) and (C, D, G, H). */
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&digest->sha256[0]), 0xB1);
    __m128i cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&digest->sha256[4]), 0x1B);
    __m128i abef = _mm_alignr_epi8(tmp, cdgh, 8);
    cdgh = _mm_blend_epi16(cdgh, tmp, 0xF0);
    /* The SHA-1 ones as A..D in one register, highest lane first, and E in the highest lane. */
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)digest->sha1), 0x1B);
    __m128i e0 = _mm_set_epi32((int)digest->sha1[4], 0, 0, 0), e1 = _mm_setzero_si128();

    for (; blocks > 0; blocks--, md5_in += 64, sha_in += 64) {
        __m128i w256[4], w1[4];
        for (int g = 0; g < 4; g++) {
            __m128i raw = _mm_loadu_si128((const __m128i *)(sha_in + 16 * g));
            w256[g] = _mm_shuffle_epi8(raw, swap256);
            w1[g] = _mm_shuffle_epi8(raw, swap1);
        }
        const uint32_t a0 = a, b0 = b, c0 = c, d0 = d;
        const __m128i abef0 = abef, cdgh0 = cdgh, abcd0 = abcd, e00 = e0;

        SLOT(0); SLOT(1); SLOT(2); SLOT(3); SLOT(4); SLOT(5); SLOT(6); SLOT(7);
        SLOT(8); SLOT(9); SLOT(10); SLOT(11); SLOT(12); SLOT(13); SLOT(14); SLOT(15);

        a += a0; b += b0; c += c0; d += d0;
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
        e0 = _mm_sha1nexte_epu32(e0, e00);
        abcd = _mm_add_epi32(abcd, abcd0);
    }

    digest->md5[0] = a; digest->md5[1] = b; digest->md5[2] = c; digest->md5[3] = d;
    tmp = _mm_shuffle_epi32(abef, 0x1B);
    cdgh = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&digest->sha256[0], _mm_blend_epi16(tmp, cdgh, 0xF0));
    _mm_storeu_si128((__m128i *)&digest->sha256[4], _mm_alignr_epi8(cdgh, tmp, 8));
    _mm_storeu_si128((__m128i *)digest->sha1, _mm_shuffle_epi32(abcd, 0x1B));
    digest->sha1[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}

int thor_triple_digest_available(void)
{
    static int available = -1;
    if (available < 0) {
        unsigned eax, ebx, ecx, edx;
        int sse = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_SSE4_1) && (ecx & bit_SSSE3);
        int sha = __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (ebx & bit_SHA);
        available = sse && sha;
    }
    return available;
}

void thor_triple_digest_init(thor_triple_digest *digest)
{
    static const uint32_t md5[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    static const uint32_t sha1[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    static const uint32_t sha256[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(digest->md5, md5, sizeof md5);
    memcpy(digest->sha1, sha1, sizeof sha1);
    memcpy(digest->sha256, sha256, sizeof sha256);
    digest->length = 0;
}

void thor_triple_digest_update(thor_triple_digest *digest, const void *bytes, size_t count)
{
    const uint8_t *in = bytes;
    size_t used = (size_t)(digest->length & 63);
    digest->length += count;
    if (used > 0) {
        size_t take = 64 - used < count ? 64 - used : count;
        memcpy(digest->pending + used, in, take);
        in += take;
        count -= take;
        if (used + take < 64) return;
        digest_blocks(digest, digest->pending, digest->pending, 1);
    }
    size_t whole = count / 64;
    if (whole > 0) digest_blocks(digest, in, in, whole);
    memcpy(digest->pending, in + whole * 64, count - whole * 64);
}

void thor_triple_digest_final(thor_triple_digest *digest, uint8_t md5[16], uint8_t sha1[20], uint8_t sha256[32])
{
    /* One or two padding blocks: 0x80, zeros, and the length in bits, which MD5 stores
       little-endian and the SHAs big-endian. */
    uint8_t md5_tail[128] = {0}, sha_tail[128];
    size_t used = (size_t)(digest->length & 63);
    size_t total = used < 56 ? 64 : 128;
    uint64_t bits = digest->length * 8;
    memcpy(md5_tail, digest->pending, used);
    md5_tail[used] = 0x80;
    memcpy(sha_tail, md5_tail, total);
    for (int i = 0; i < 8; i++) {
        md5_tail[total - 8 + i] = (uint8_t)(bits >> (8 * i));
        sha_tail[total - 1 - i] = (uint8_t)(bits >> (8 * i));
    }
    digest_blocks(digest, md5_tail, sha_tail, total / 64);

    for (int i = 0; i < 16; i++) md5[i] = (uint8_t)(digest->md5[i / 4] >> (8 * (i % 4)));
    for (int i = 0; i < 20; i++) sha1[i] = (uint8_t)(digest->sha1[i / 4] >> (24 - 8 * (i % 4)));
    for (int i = 0; i < 32; i++) sha256[i] = (uint8_t)(digest->sha256[i / 4] >> (24 - 8 * (i % 4)));
}

#else

int thor_triple_digest_available(void) { return 0; }

#endif
