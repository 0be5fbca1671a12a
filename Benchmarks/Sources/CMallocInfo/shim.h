#ifndef CMALLOCINFO_SHIM_H
#define CMALLOCINFO_SHIM_H
// glibc's mallinfo2(), which Swift's Glibc module does not bring: the Curves group reads the
// allocator's bytes in use around building a revocation set.
#if defined(__linux__)
#include <malloc.h>
#endif
#endif
