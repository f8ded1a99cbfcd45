/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench-mem.c: memory workload for `make bench` — block copies and a
 * pseudo-random walk over 8 MiB (TLB and load/store paths). */
#include <stdint.h>

const char vk_test_name[] = __BASE_FILE__;
int test_main(void);

#define WORDS (1u << 20) /* 8 MiB of uint64_t */
static uint64_t a[WORDS], b[WORDS];

int test_main(void)
{
    volatile uint64_t sink = 0;
    uint32_t x = 12345;

    for (unsigned i = 0; i < WORDS; i++) {
        a[i] = i * 0x9e3779b97f4a7c15ULL;
    }
    for (int round = 0; round < 12; round++) {
        for (unsigned i = 0; i < WORDS; i++) {
            b[i] = a[i] + round;
        }
        for (unsigned i = 0; i < WORDS; i++) {
            x = x * 1664525u + 1013904223u;
            sink += b[x & (WORDS - 1)];
            a[(x >> 7) & (WORDS - 1)] ^= sink;
        }
    }
    return 0;
}
