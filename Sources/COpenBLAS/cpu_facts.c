// The CPU facts the BLAS kernel is chosen from: cpuid and XCR0 on x86, the auxiliary
// vector's feature bits on arm64. Swift cannot issue these instructions itself.
#include "COpenBLAS.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#if defined(__linux__)
#include <sys/auxv.h>
#endif

void c_tfblas_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]) {
    regs[0] = regs[1] = regs[2] = regs[3] = 0;
#if defined(__x86_64__) || defined(__i386__)
    uint32_t highest = __get_cpuid_max(leaf & 0x80000000u, 0);
    if (highest == 0 || leaf > highest) return;
    __cpuid_count(leaf, subleaf, regs[0], regs[1], regs[2], regs[3]);
#else
    (void)leaf;
    (void)subleaf;
#endif
}

uint64_t c_tfblas_xgetbv0(void) {
#if defined(__x86_64__) || defined(__i386__)
    uint32_t regs[4];
    c_tfblas_cpuid(1, 0, regs);
    if (!(regs[2] & (1u << 27))) return 0;  // no OSXSAVE: the OS saves no extended state
    uint32_t low, high;
    __asm__ __volatile__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return ((uint64_t)high << 32) | low;
#else
    return 0;
#endif
}

uint64_t c_tfblas_hwcap(void) {
#if defined(__linux__) && defined(AT_HWCAP)
    return (uint64_t)getauxval(AT_HWCAP);
#else
    return 0;
#endif
}
