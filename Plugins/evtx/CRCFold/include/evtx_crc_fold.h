// CRC-32 (IEEE, reflected) folding with carry-less multiplication for the EVTX parser.
#ifndef EVTX_CRC_FOLD_H
#define EVTX_CRC_FOLD_H

#include <stddef.h>
#include <stdint.h>

/// 1 when the CPU can run evtx_crc32_fold, else 0.
int evtx_crc32_fold_available(void);

/// Folds the first bytes of p[0..<len] (len >= 64) with the running CRC state `state` (the
/// inverted CRC) XORed into the first four bytes, down to a 16-byte remainder written to
/// `remainder`. Returns how many bytes were folded (a multiple of 16, at most len). The CRC of
/// the folded bytes is then the plain table CRC, from state 0, of the remainder.
size_t evtx_crc32_fold(uint32_t state, const uint8_t *p, size_t len, uint8_t remainder[16]);

#endif
