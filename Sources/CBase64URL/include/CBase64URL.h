#ifndef CBASE64URL_H
#define CBASE64URL_H

#include <stddef.h>
#include <stdint.h>

/// Decodes whole blocks of 16 base64url characters (RFC 4648 §5 alphabet) into 12 bytes each,
/// with SSSE3 where the processor has it, and returns the number of blocks decoded. Stops
/// before the first block holding a byte outside the alphabet; decodes nothing (returns 0)
/// where there is no vector path (other processors, or x86-64 without SSSE3). Either way the
/// caller decodes the rest from where it stopped, and its own checks refuse the bad byte.
///
/// Reads at most `16 * blocks` bytes of `text` and writes exactly 12 bytes a decoded block,
/// never past `12 * blocks` bytes of `output`.
size_t sst_base64url_decode_blocks(const uint8_t *text, size_t blocks, uint8_t *output);

/// Encodes whole blocks of 12 bytes into 16 base64url characters each, with SSSE3 where the
/// processor has it, and returns the number of blocks encoded: `blocks`, or 0 where there is
/// no vector path. The caller encodes the rest from where it stopped.
///
/// Reads exactly `12 * blocks` bytes of `bytes` and writes exactly `16 * blocks` bytes of
/// `output`.
size_t sst_base64url_encode_blocks(const uint8_t *bytes, size_t blocks, uint8_t *output);

#endif
