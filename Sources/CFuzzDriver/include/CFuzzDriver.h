#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's documented entry point for programs that bring their own main
/// (https://llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library). Declared only: it is
/// resolved from the libFuzzer runtime in fuzzing builds and never referenced otherwise.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
