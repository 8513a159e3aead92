// Most of the module is static inline functions in its header; this file holds the
// feature check a ring makes once, when it is created.
#include "CAtomicWords.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

int c_prefetch_for_writing_supported(void) {
#if defined(__x86_64__)
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx >> 8) & 1;
#elif defined(__aarch64__)
    return 1;
#else
    return 0;
#endif
}
