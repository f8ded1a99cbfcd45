/* SPDX-License-Identifier: GPL-2.0-or-later */
/* eth.h: Ethernet/IP helpers shared by NIC models (checksum validation
 * for receive-checksum offload). */
#ifndef EMU_NET_ETH_H
#define EMU_NET_ETH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * emu_eth_l4_csum_ok:
 * Returns: true when @frame is an unfragmented IPv4 or IPv6 TCP/UDP packet
 * whose transport checksum is correct (what a NIC's receive-checksum
 * offload reports as "validated"); false otherwise, including for frames
 * it does not understand (the guest then checks them itself).
 * Thread: any thread.
 */
bool emu_eth_l4_csum_ok(const uint8_t *frame, size_t len);

#endif
