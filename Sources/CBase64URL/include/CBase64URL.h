#ifndef CBASE64URL_H
#define CBASE64URL_H

#include <stddef.h>
#include <stdint.h>

enum {
    /// Returned by `sst_base64url_decode` for text that is not canonical base64url.
    SST_BASE64URL_INVALID = -1,
    /// Returned by `sst_base64url_decode` and `sst_base64url_encode` where there is no vector
    /// path (other processors, or x86-64 without SSSE3): the caller does the work itself.
    SST_BASE64URL_NO_VECTOR_PATH = -2,
};

enum {
    /// `sst_base64url_decode_using`: 16 characters a step (SSSE3).
    SST_BASE64URL_PATH_SSSE3 = 1,
    /// `sst_base64url_decode_using`: 32 characters a step (AVX2), the rest as with SSSE3.
    SST_BASE64URL_PATH_AVX2 = 2,
};

/// Decodes `count` characters of unpadded base64url (RFC 4648 §5) with AVX2 or SSSE3 (the
/// widest the processor has), accepting only the canonical encoding: no length of the form
/// 4n+1, no byte outside the alphabet, and the unused low bits of the last character zero.
/// Returns the number of bytes written (`count * 3 / 4`), `SST_BASE64URL_INVALID` or
/// `SST_BASE64URL_NO_VECTOR_PATH`.
///
/// `output` must hold `count * 3 / 4` bytes. Reads exactly `count` bytes of `text` and
/// writes nothing past `count * 3 / 4` bytes of `output`; on a refusal, some of them may be
/// written (the text is public; the caller discards the buffer).
ptrdiff_t sst_base64url_decode(const uint8_t *text, size_t count, uint8_t *output);

/// `sst_base64url_decode` on the given path (`SST_BASE64URL_PATH_*`), for tests that hold each
/// path to the same results; `SST_BASE64URL_NO_VECTOR_PATH` where the processor lacks it.
ptrdiff_t sst_base64url_decode_using(const uint8_t *text, size_t count, uint8_t *output, int path);

/// Encodes `count` bytes as unpadded base64url (RFC 4648 §5) with SSSE3, the unused low bits
/// of the last character zero. Returns the number of characters written,
/// `(count * 4 + 2) / 3`, or `SST_BASE64URL_NO_VECTOR_PATH`.
///
/// `output` must hold `(count * 4 + 2) / 3` bytes. Reads exactly `count` bytes of `bytes`
/// and writes exactly the characters.
ptrdiff_t sst_base64url_encode(const uint8_t *bytes, size_t count, uint8_t *output);

#endif
