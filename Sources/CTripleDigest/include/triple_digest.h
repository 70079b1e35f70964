#ifndef THOR_TRIPLE_DIGEST_H
#define THOR_TRIPLE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/*
 * MD5, SHA-1 and SHA-256 of one byte stream in one pass, block by block.
 *
 * Why not three libcrypto digests one after the other: MD5 is a single chain of dependent
 * additions and rotations, so while it runs most of the core's execution units sit idle. On x86-64
 * CPUs with the SHA extensions, SHA-1 and SHA-256 run on other units, and the three interleaved in
 * one instruction stream cost little more than MD5 alone.
 *
 * thor_triple_digest_available() says whether this CPU has what the interleaved code needs; when
 * it returns 0 (or on other architectures, where only it is defined) use another implementation.
 */
typedef struct {
    uint32_t md5[4];
    uint32_t sha1[5];
    uint32_t sha256[8];
    /* Bytes fed so far; the last length % 64 of them wait in `pending` for a whole block. */
    uint64_t length;
    uint8_t pending[64];
} thor_triple_digest;

int thor_triple_digest_available(void);

void thor_triple_digest_init(thor_triple_digest *digest);
void thor_triple_digest_update(thor_triple_digest *digest, const void *bytes, size_t count);
/* Writes the three digests; the state must be initialised again before it is reused. */
void thor_triple_digest_final(thor_triple_digest *digest, uint8_t md5[16], uint8_t sha1[20], uint8_t sha256[32]);

#endif
