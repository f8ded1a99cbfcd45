/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench-int.c: integer CPU workload for `make bench` — sieve, CRC32 and
 * a small hash loop; bare metal on the ISA runtime (tests/engine/isa). */
#include <stdint.h>

const char vk_test_name[] = __BASE_FILE__;
int test_main(void);

#define N 200000
static uint8_t sieve[N];

static unsigned count_primes(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < N; i++) {
        sieve[i] = 1;
    }
    for (unsigned i = 2; i < N; i++) {
        if (sieve[i]) {
            n++;
            for (unsigned j = i * 2; j < N; j += i) {
                sieve[j] = 0;
            }
        }
    }
    return n;
}

static uint32_t crc32(const uint8_t *p, unsigned len, uint32_t crc)
{
    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
        }
    }
    return ~crc;
}

int test_main(void)
{
    volatile uint32_t sink = 0;
    uint64_t h = 1469598103934665603ULL;

    for (int round = 0; round < 20; round++) {
        sink += count_primes();
        sink ^= crc32(sieve, N, round);
        for (uint64_t i = 0; i < 2000000; i++) {
            h = (h ^ i) * 1099511628211ULL;
            h += h >> 29;
        }
    }
    sink += (uint32_t)h;
    return 0;
}
