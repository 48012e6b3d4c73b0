#ifndef DOSSIER_CJEMALLOC_SHIM_H
#define DOSSIER_CJEMALLOC_SHIM_H
// jemalloc replaces malloc for the whole process when the executable links it: cmark
// allocates a node and buffers per Markdown element, Swift a buffer per string, and
// glibc's allocator was a sixth of a large build's CPU on two threads.
#include <jemalloc/jemalloc.h>
#endif
