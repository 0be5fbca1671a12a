// The vector paths of the token codec (Sources/SessionToken/Format/Base64URL.swift). Swift's
// SIMD types have no table shuffle (`pshufb`), which both directions are built on, so those
// pieces of the token path live here. The Swift codec keeps its table-driven loops for other
// processors.
//
// Decoding, per block of 16 characters: one load, a validity check from two nibble lookups,
// the 6-bit values from a per-high-nibble offset (and a fix for '_', which shares its high
// nibble with 'P'-'Z'), then two multiply-adds pack four values into 24 bits and a shuffle
// takes out the three bytes of each group in order. The last characters go through the same
// block, padded. Where AVX2 is present, whole blocks of 32 characters go first, each 128-bit
// half as above (AVX2's shuffle works within halves) and a lane permute joining the results.

#include "CBase64URL.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <stdatomic.h>
#include <immintrin.h>

// Bits of a validity class, one per high nibble kind; a character is outside the alphabet
// exactly when its high nibble's class bit is also set in its low nibble's entry.
enum {
    HI_2 = 0x01,    // 0x2_: only '-' (0x2D)
    HI_3 = 0x02,    // 0x3_: '0'-'9'
    HI_46 = 0x04,   // 0x4_, 0x6_: 'A'-'O', 'a'-'o' (not 0x40 or 0x60)
    HI_5 = 0x08,    // 0x5_: 'P'-'Z' and '_' (0x5F)
    HI_7 = 0x10,    // 0x7_: 'p'-'z'
    HI_NONE = 0x20, // any other high nibble, bytes >= 0x80 included
};

// The last `rest` (1-15) bytes of `source[0..<count]` in the low lanes, `pad` in the others.
// With 16 bytes or more it loads the 16 ending at the last byte and shifts them down with a
// shuffle: copying the rest into a padded stack block and loading that as a vector stalls (a
// 16-byte load cannot be forwarded from the smaller stores), and measured no faster than the
// Swift loops it replaced.
__attribute__((target("ssse3"), always_inline))
static inline __m128i last_block(const uint8_t *source, size_t count, size_t rest, uint8_t pad) {
    // Lane j of the shuffle is 16 - rest + j for j < rest, and zeroes the lane after that.
    static const int8_t shift_down[32] = {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    // Lane j is 0 for j < rest, 0xFF after.
    static const int8_t after_rest[32] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    const __m128i padding = _mm_and_si128(
        _mm_loadu_si128((const __m128i *)(const void *)(after_rest + 16 - rest)), _mm_set1_epi8((char)pad));
    if (count >= 16) {
        const __m128i last16 = _mm_loadu_si128((const __m128i *)(const void *)(source + count - 16));
        const __m128i shift = _mm_loadu_si128((const __m128i *)(const void *)(shift_down + 16 - rest));
        return _mm_or_si128(_mm_shuffle_epi8(last16, shift), padding);
    }
    // A short text: its bytes copied (the stall does not matter at this length).
    uint8_t block[16] = {0};
    memcpy(block, source + count - rest, rest);
    return _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)block), padding);
}

// The first `n` (0-15) bytes of `source` to `output`, as at most four stores of 8, 4, 2 and
// 1 bytes (a call to memcpy for a length known only now costs more than the block).
static inline void store_prefix(uint8_t *output, const uint8_t *source, size_t n) {
    if (n & 8) { memcpy(output, source, 8); output += 8; source += 8; }
    if (n & 4) { memcpy(output, source, 4); output += 4; source += 4; }
    if (n & 2) { memcpy(output, source, 2); output += 2; source += 2; }
    if (n & 1) { *output = *source; }
}

// The constants of a decoding block. The 32-character block uses each in both of its 128-bit
// lanes: AVX2's byte shuffle looks up within a lane, so the same tables serve.
typedef struct {
    __m128i lo_invalid, hi_class, hi_offset, underscore, underscore_fix, nibble, pair6, pair12, pack;
} decode_tables;

__attribute__((target("ssse3"), always_inline))
static inline decode_tables decode_constants(void) {
    decode_tables t;
    // For low nibble l: the classes in which l is not a character of the alphabet.
    t.lo_invalid = _mm_setr_epi8(
        HI_2 | HI_46 | HI_NONE,                 // 0: '0', 'P', 'p' valid; 0x40, 0x60 not
        HI_2 | HI_NONE, HI_2 | HI_NONE, HI_2 | HI_NONE, HI_2 | HI_NONE, HI_2 | HI_NONE,
        HI_2 | HI_NONE, HI_2 | HI_NONE, HI_2 | HI_NONE, HI_2 | HI_NONE,  // 1-9
        HI_2 | HI_3 | HI_NONE,                  // A: 'J', 'Z', 'j', 'z'
        HI_2 | HI_3 | HI_5 | HI_7 | HI_NONE,    // B
        HI_2 | HI_3 | HI_5 | HI_7 | HI_NONE,    // C
        HI_3 | HI_5 | HI_7 | HI_NONE,           // D: '-' valid under 0x2_
        HI_2 | HI_3 | HI_5 | HI_7 | HI_NONE,    // E
        HI_2 | HI_3 | HI_7 | HI_NONE);          // F: '_' valid under 0x5_
    t.hi_class = _mm_setr_epi8(
        HI_NONE, HI_NONE, HI_2, HI_3, HI_46, HI_5, HI_46, HI_7,
        HI_NONE, HI_NONE, HI_NONE, HI_NONE, HI_NONE, HI_NONE, HI_NONE, HI_NONE);
    // Added to a character to give its value, by high nibble: '-' 45 -> 62, '0' 48 -> 52,
    // 'A' 65 -> 0 (and 'P' 80 -> 15), 'a' 97 -> 26 (and 'p' 112 -> 41).
    t.hi_offset = _mm_setr_epi8(
        0, 0, 62 - 45, 52 - 48, -65, -65, 26 - 97, 26 - 97, 0, 0, 0, 0, 0, 0, 0, 0);
    // '_' 95 -> 63 needs -32, not the -65 of its high nibble.
    t.underscore = _mm_set1_epi8('_');
    t.underscore_fix = _mm_set1_epi8((char)(-32 - -65));
    t.nibble = _mm_set1_epi8(0x0F);
    // Pairs of values to 12 bits (first value high), then pairs of those to 24 bits.
    t.pair6 = _mm_set1_epi32(0x01400140);
    t.pair12 = _mm_set1_epi32(0x00011000);
    // The three bytes of each 24-bit group, most significant first, packed to the front.
    t.pack = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    return t;
}

// One block of 16 characters to 12 bytes in the low lanes of `*bytes`; false (and `*bytes`
// untouched) when a character is outside the alphabet.
__attribute__((target("ssse3"), always_inline))
static inline int decode_block(__m128i chars, __m128i *bytes) {
    const decode_tables t = decode_constants();
    const __m128i hi = _mm_and_si128(_mm_srli_epi32(chars, 4), t.nibble);
    const __m128i lo = _mm_and_si128(chars, t.nibble);
    const __m128i invalid = _mm_and_si128(_mm_shuffle_epi8(t.lo_invalid, lo), _mm_shuffle_epi8(t.hi_class, hi));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(invalid, _mm_setzero_si128())) != 0xFFFF) return 0;

    __m128i offset = _mm_shuffle_epi8(t.hi_offset, hi);
    offset = _mm_add_epi8(offset, _mm_and_si128(_mm_cmpeq_epi8(chars, t.underscore), t.underscore_fix));
    const __m128i values = _mm_add_epi8(chars, offset);
    const __m128i twelve = _mm_maddubs_epi16(values, t.pair6);
    const __m128i groups = _mm_madd_epi16(twelve, t.pair12);
    *bytes = _mm_shuffle_epi8(groups, t.pack);
    return 1;
}

// The same for 32 characters with AVX2: 24 bytes in the low lanes of `*bytes` (each 128-bit
// half decodes as above, then a lane permute closes the gap between the two 12-byte results).
__attribute__((target("avx2"), always_inline))
static inline int decode_block32(__m256i chars, __m256i *bytes) {
    const decode_tables t = decode_constants();
    const __m256i nibble = _mm256_broadcastsi128_si256(t.nibble);
    const __m256i hi = _mm256_and_si256(_mm256_srli_epi32(chars, 4), nibble);
    const __m256i lo = _mm256_and_si256(chars, nibble);
    const __m256i invalid = _mm256_and_si256(
        _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(t.lo_invalid), lo),
        _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(t.hi_class), hi));
    if (_mm256_movemask_epi8(_mm256_cmpeq_epi8(invalid, _mm256_setzero_si256())) != -1) return 0;

    __m256i offset = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(t.hi_offset), hi);
    offset = _mm256_add_epi8(offset, _mm256_and_si256(
        _mm256_cmpeq_epi8(chars, _mm256_broadcastsi128_si256(t.underscore)),
        _mm256_broadcastsi128_si256(t.underscore_fix)));
    const __m256i values = _mm256_add_epi8(chars, offset);
    const __m256i twelve = _mm256_maddubs_epi16(values, _mm256_broadcastsi128_si256(t.pair6));
    const __m256i groups = _mm256_madd_epi16(twelve, _mm256_broadcastsi128_si256(t.pair12));
    const __m256i packed = _mm256_shuffle_epi8(groups, _mm256_broadcastsi128_si256(t.pack));
    *bytes = _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7));
    return 1;
}

__attribute__((target("ssse3")))
static ptrdiff_t decode_ssse3(const uint8_t *text, size_t count, uint8_t *output) {
    if (count % 4 == 1) return SST_BASE64URL_INVALID;
    const size_t length = count / 4 * 3 + (count % 4 == 0 ? 0 : count % 4 - 1);
    size_t i = 0, o = 0;
    __m128i bytes;
    for (; count - i >= 16; i += 16, o += 12) {
        if (!decode_block(_mm_loadu_si128((const __m128i *)(const void *)(text + i)), &bytes)) {
            return SST_BASE64URL_INVALID;
        }
        // Exactly twelve bytes: the caller's buffer may hold other decoded parts right after.
        _mm_storel_epi64((__m128i *)(void *)(output + o), bytes);
        const uint32_t last = (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(bytes, 8));
        memcpy(output + o + 8, &last, 4);
    }
    const size_t rest = count - i;
    if (rest > 0) {
        // The last 2-15 characters as one block, padded with 'A' (value 0). The padding
        // decodes to zero bits, so the byte right after the real ones is zero exactly when
        // the last character's unused low bits are: the canonical-encoding check.
        if (!decode_block(last_block(text, count, rest, 'A'), &bytes)) return SST_BASE64URL_INVALID;
        uint8_t decoded[16];
        _mm_storeu_si128((__m128i *)(void *)decoded, bytes);
        const size_t tail = length - o;
        if (decoded[tail] != 0) return SST_BASE64URL_INVALID;
        store_prefix(output + o, decoded, tail);
    }
    return (ptrdiff_t)length;
}

// Blocks of 32 characters with AVX2, then the rest (0-31 characters) as decode_ssse3 does
// it. The rest keeps the text's length modulo 4, so the refusal of a 4n+1 length and the
// canonical check of the last character happen there.
__attribute__((target("avx2")))
static ptrdiff_t decode_avx2(const uint8_t *text, size_t count, uint8_t *output) {
    if (count % 4 == 1) return SST_BASE64URL_INVALID;
    size_t i = 0, o = 0;
    __m256i bytes;
    for (; count - i >= 32; i += 32, o += 24) {
        if (!decode_block32(_mm256_loadu_si256((const __m256i *)(const void *)(text + i)), &bytes)) {
            return SST_BASE64URL_INVALID;
        }
        // Exactly 24 bytes (16 + 8).
        _mm_storeu_si128((__m128i *)(void *)(output + o), _mm256_castsi256_si128(bytes));
        _mm_storel_epi64((__m128i *)(void *)(output + o + 16), _mm256_extracti128_si256(bytes, 1));
    }
    if (i == count) return (ptrdiff_t)o;
    const ptrdiff_t rest = decode_ssse3(text + i, count - i, output + o);
    return rest < 0 ? rest : (ptrdiff_t)o + rest;
}

// Encoding, per block of 12 bytes: each group of three bytes spread over a 32-bit lane, its
// four 6-bit values cut out with a multiply-high and a multiply-low, then each value moved to
// its character by an offset chosen by range (0-25, 26-51, 52-61, 62, 63).
__attribute__((target("ssse3"), always_inline))
static inline __m128i encode_block(__m128i input) {
    // Group k (bytes b0 b1 b2) to lane k as b1 b0 b2 b1: its low half is b0:b1 and its high
    // half b1:b2, read as 16-bit numbers.
    const __m128i spread = _mm_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
    // First and third values: bits 10-15 of the low half (>> 10) and 6-11 of the high (>> 6).
    const __m128i mask_ac = _mm_set1_epi32(0x0FC0FC00);
    const __m128i shift_ac = _mm_set1_epi32(0x04000040);
    // Second and fourth: bits 4-9 of the low half (<< 4) and 0-5 of the high (<< 8), into the
    // odd bytes.
    const __m128i mask_bd = _mm_set1_epi32(0x003F03F0);
    const __m128i shift_bd = _mm_set1_epi32(0x01000010);
    // Values 0-51 go to 0 (and 0-25 then to 13), 52-63 to 1-12; each index picks the offset
    // from value to character.
    const __m128i offsets = _mm_setr_epi8(
        'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
        '0' - 52, '-' - 62, '_' - 63, 'A' - 0, 0, 0);
    const __m128i fifty_one = _mm_set1_epi8(51);
    const __m128i twenty_six = _mm_set1_epi8(26);
    const __m128i thirteen = _mm_set1_epi8(13);

    const __m128i lanes = _mm_shuffle_epi8(input, spread);
    const __m128i ac = _mm_mulhi_epu16(_mm_and_si128(lanes, mask_ac), shift_ac);
    const __m128i bd = _mm_mullo_epi16(_mm_and_si128(lanes, mask_bd), shift_bd);
    const __m128i values = _mm_or_si128(ac, bd);
    __m128i range = _mm_subs_epu8(values, fifty_one);
    range = _mm_or_si128(range, _mm_and_si128(_mm_cmpgt_epi8(twenty_six, values), thirteen));
    return _mm_add_epi8(values, _mm_shuffle_epi8(offsets, range));
}

__attribute__((target("ssse3")))
static ptrdiff_t encode_ssse3(const uint8_t *bytes, size_t count, uint8_t *output) {
    size_t i = 0, o = 0;
    for (; count - i >= 12; i += 12, o += 16) {
        // Twelve bytes exactly (8 + 4), never a 16-byte load past the input's end.
        uint32_t last;
        memcpy(&last, bytes + i + 8, 4);
        const __m128i input = _mm_unpacklo_epi64(
            _mm_loadl_epi64((const __m128i *)(const void *)(bytes + i)), _mm_cvtsi32_si128((int)last));
        _mm_storeu_si128((__m128i *)(void *)(output + o), encode_block(input));
    }
    const size_t rest = count - i;
    if (rest > 0) {
        // The last 1-11 bytes as one block padded with zero bytes, so the unused low bits of
        // the last character are zero (the canonical encoding); only their characters are
        // written.
        uint8_t chars[16];
        _mm_storeu_si128((__m128i *)(void *)chars, encode_block(last_block(bytes, count, rest, 0)));
        const size_t written = (rest * 4 + 2) / 3;
        store_prefix(output + o, chars, written);
        o += written;
    }
    return (ptrdiff_t)o;
}

// What the processor offers, read once per call: a relaxed load of a value that stops
// changing after the first call (no shared write on the opening path once it is set).
enum { LEVEL_UNKNOWN = 0, LEVEL_NONE = 1, LEVEL_SSSE3 = 2, LEVEL_AVX2 = 3 };
static _Atomic int vector_level_cached = LEVEL_UNKNOWN;

static int vector_level(void) {
    int level = atomic_load_explicit(&vector_level_cached, memory_order_relaxed);
    if (level == LEVEL_UNKNOWN) {
        unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
        level = LEVEL_NONE;
        if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_SSSE3)) {
            level = LEVEL_SSSE3;
            // AVX2 also needs the system to save the 256-bit registers: OSXSAVE, then the SSE
            // and AVX bits of XCR0.
            if ((ecx & bit_OSXSAVE) && (ecx & bit_AVX)) {
                unsigned int xcr0_low = 0, xcr0_high = 0;
                __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
                if ((xcr0_low & 6) == 6 && __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (ebx & bit_AVX2)) {
                    level = LEVEL_AVX2;
                }
            }
        }
        atomic_store_explicit(&vector_level_cached, level, memory_order_relaxed);
    }
    return level;
}

ptrdiff_t sst_base64url_decode(const uint8_t *text, size_t count, uint8_t *output) {
    switch (vector_level()) {
    // Under 32 characters (a token's tag) there is no AVX2 block to take.
    case LEVEL_AVX2: return count >= 32 ? decode_avx2(text, count, output) : decode_ssse3(text, count, output);
    case LEVEL_SSSE3: return decode_ssse3(text, count, output);
    default: return SST_BASE64URL_NO_VECTOR_PATH;
    }
}

ptrdiff_t sst_base64url_decode_using(const uint8_t *text, size_t count, uint8_t *output, int path) {
    const int level = vector_level();
    if (path == SST_BASE64URL_PATH_AVX2 && level >= LEVEL_AVX2) return decode_avx2(text, count, output);
    if (path == SST_BASE64URL_PATH_SSSE3 && level >= LEVEL_SSSE3) return decode_ssse3(text, count, output);
    return SST_BASE64URL_NO_VECTOR_PATH;
}

ptrdiff_t sst_base64url_encode(const uint8_t *bytes, size_t count, uint8_t *output) {
    if (vector_level() < LEVEL_SSSE3) return SST_BASE64URL_NO_VECTOR_PATH;
    return encode_ssse3(bytes, count, output);
}

#else

ptrdiff_t sst_base64url_encode(const uint8_t *bytes, size_t count, uint8_t *output) {
    (void)bytes;
    (void)count;
    (void)output;
    return SST_BASE64URL_NO_VECTOR_PATH;
}

ptrdiff_t sst_base64url_decode(const uint8_t *text, size_t count, uint8_t *output) {
    (void)text;
    (void)count;
    (void)output;
    return SST_BASE64URL_NO_VECTOR_PATH;
}

ptrdiff_t sst_base64url_decode_using(const uint8_t *text, size_t count, uint8_t *output, int path) {
    (void)text;
    (void)count;
    (void)output;
    (void)path;
    return SST_BASE64URL_NO_VECTOR_PATH;
}

#endif
