/* SPDX-License-Identifier: GPL-2.0-or-later */
/* eth.c: Ethernet/IP helpers for NIC models — receive checksum validation
 * (RFC 791, 793, 768, 8200 §8.1 pseudo-headers; RFC 1071 sum). */
#include "config.h"

#include "engine/net/eth.h"

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
    while (len > 1) {
        sum += (uint32_t)p[0] << 8 | p[1];
        p += 2;
        len -= 2;
    }
    if (len) {
        sum += (uint32_t)p[0] << 8;
    }
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t)sum;
}

static bool l4_ok(uint32_t pseudo, unsigned proto, const uint8_t *l4,
                  size_t l4len)
{
    if (proto == 6) {
        if (l4len < 20) {
            return false;
        }
    } else if (proto == 17) {
        if (l4len < 8) {
            return false;
        }
        if (l4[6] == 0 && l4[7] == 0) {
            return false; /* no checksum (IPv4): nothing to vouch for */
        }
    } else {
        return false;
    }
    return fold(sum16(pseudo, l4, l4len)) == 0xffff;
}

bool emu_eth_l4_csum_ok(const uint8_t *f, size_t len)
{
    unsigned type;

    if (len < 14) {
        return false;
    }
    type = (unsigned)f[12] << 8 | f[13];
    f += 14;
    len -= 14;
    if (type == 0x0800) {
        unsigned ihl, total, proto;
        uint32_t pseudo;
        if (len < 20 || (f[0] >> 4) != 4) {
            return false;
        }
        ihl = (f[0] & 15) * 4;
        total = (unsigned)f[2] << 8 | f[3];
        if (ihl < 20 || total < ihl || total > len) {
            return false;
        }
        if ((f[6] & 0x3f) || f[7]) {
            return false; /* a fragment: the guest reassembles and checks */
        }
        proto = f[9];
        pseudo = sum16(0, f + 12, 8) + proto + (total - ihl);
        return l4_ok(pseudo, proto, f + ihl, total - ihl);
    }
    if (type == 0x86dd) {
        unsigned plen, proto;
        uint32_t pseudo;
        if (len < 40 || (f[0] >> 4) != 6) {
            return false;
        }
        plen = (unsigned)f[4] << 8 | f[5];
        proto = f[6]; /* extension headers: not validated here */
        if (plen + 40 > len) {
            return false;
        }
        pseudo = sum16(0, f + 8, 32) + proto + plen;
        return l4_ok(pseudo, proto, f + 40, plen);
    }
    return false;
}
