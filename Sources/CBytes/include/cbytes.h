#ifndef DOSSIER_CBYTES_H
#define DOSSIER_CBYTES_H
#include <stddef.h>
#include <stdint.h>

// Small byte-level routines in C: SHA-256 with the x86 SHA instructions, and memmem.

/// SHA-256 (FIPS 180-4) of `length` bytes at `data` into `digest` (32 bytes). Uses the
/// x86 SHA extensions when the processor has them, portable C otherwise; the two give the
/// same digest. `allow_hardware` = 0 forces the portable code (tests).
void dossier_sha256(const void *data, size_t length, uint8_t digest[32], int allow_hardware);

/// The first occurrence of `needle` in `haystack`, or NULL (glibc's memmem, which the
/// Swift Glibc module does not export without _GNU_SOURCE).
const void *dossier_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

/// Counts word starts (a byte other than space, tab, newline, form feed or carriage
/// return after one of those) in `length` bytes. `after_space` carries the state across
/// pieces of one text: 1 at its start, updated on return.
size_t dossier_count_words(const uint8_t *bytes, size_t length, int *after_space);

/// The offset of the first character that XML 1.0 forbids or HTML reports as a parse
/// error (C0 controls but tab, LF and CR; DEL; C1 controls; U+FDD0–U+FDEF, U+FFFE,
/// U+FFFF) in UTF-8 text, or -1 when there is none.
ptrdiff_t dossier_markup_invalid_offset(const uint8_t *bytes, size_t length);

/// How many bytes of such a character start at `bytes` (0 when none does).
size_t dossier_markup_invalid_length(const uint8_t *bytes, size_t length);

#endif
