#include "cbytes.h"
#include <string.h>

// Characters XML 1.0 forbids or HTML's parser reports as errors, in UTF-8: C0 controls
// but tab, line feed and carriage return; DEL; C1 controls (C2 80–C2 9F); the
// noncharacters U+FDD0–U+FDEF (EF B7 90–EF B7 AF) and U+FFFE, U+FFFF (EF BF BE/BF).
// Returns the number of bytes of the character at `p` that must go, or 0.
static size_t invalid_at(const uint8_t *p, const uint8_t *end) {
    uint8_t b = *p;
    if (b < 0x20) return (b == 0x09 || b == 0x0A || b == 0x0D) ? 0 : 1;
    if (b == 0x7F) return 1;
    if (b == 0xC2 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9F) return 2;
    if (b == 0xEF && p + 2 < end) {
        if (p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) return 3;
        if (p[1] == 0xB7 && p[2] >= 0x90 && p[2] <= 0xAF) return 3;
    }
    return 0;
}

ptrdiff_t dossier_markup_invalid_offset(const uint8_t *bytes, size_t length) {
    const uint8_t *p = bytes, *end = bytes + length;
    // Eight bytes at a time while all are printable ASCII (0x20–0x7E): then neither
    // x - 0x20 nor x + 1 sets a byte's high bit.
    while (end - p >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        if (((x - 0x2020202020202020ULL) | (x + 0x0101010101010101ULL)) & 0x8080808080808080ULL) break;
        p += 8;
    }
    for (; p < end; p++) {
        uint8_t b = *p;
        // Fast path: printable ASCII and the lead bytes that cannot start a bad character.
        if (b >= 0x20 && b < 0x7F) continue;
        if (invalid_at(p, end)) return p - bytes;
    }
    return -1;
}

size_t dossier_markup_invalid_length(const uint8_t *bytes, size_t length) {
    return length == 0 ? 0 : invalid_at(bytes, bytes + length);
}
