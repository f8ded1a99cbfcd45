/* SPDX-License-Identifier: GPL-2.0-or-later */
/* e1000-test.h: the e1000 device tests' driver side — on nic-test.h's
 * board, the NIC found through ECAM and programmed through BAR0 as a
 * driver would, descriptor rings in guest RAM, frame builders and
 * independent checksum checks. Register offsets and bits are written out
 * from the 8254x SDM here rather than taken from the model's header, so a
 * wrong constant there shows up as a failure. */
#ifndef TESTS_E1000_TEST_H
#define TESTS_E1000_TEST_H

#include "tests/engine/nic-test.h"

#define PIO_BASE  0x3000000ULL
#define BAR0_ADDR PCI_MMIO
#define BAR1_IO   0x1000ULL
#define NIC_IRQ   (32 + (NIC_SLOT + 1 - 1) % 4) /* INTA# swizzled */

/* SDM §13.4 registers */
#define CTRL     0x0000
#define STATUS   0x0008
#define EECD     0x0010
#define EERD     0x0014
#define CTRL_EXT 0x0018
#define MDIC     0x0020
#define VET      0x0038
#define ICR      0x00c0
#define ITR      0x00c4
#define ICS      0x00c8
#define IMS      0x00d0
#define IMC      0x00d8
#define RCTL     0x0100
#define TCTL     0x0400
#define TIPG     0x0410
#define RDBAL    0x2800
#define RDBAH    0x2804
#define RDLEN    0x2808
#define RDH      0x2810
#define RDT      0x2818
#define RDTR     0x2820
#define RADV     0x282c
#define TDBAL    0x3800
#define TDBAH    0x3804
#define TDLEN    0x3808
#define TDH      0x3810
#define TDT      0x3818
#define TIDV     0x3820
#define TADV     0x382c
#define MPC      0x4010
#define GPRC     0x4074
#define BPRC     0x4078
#define MPRC     0x407c
#define GPTC     0x4080
#define GORCL    0x4088
#define GORCH    0x408c
#define GOTCL    0x4090
#define GOTCH    0x4094
#define TPR      0x40d0
#define TPT      0x40d4
#define TSCTC    0x40f8
#define MTA      0x5200
#define RAL0     0x5400
#define RAH0     0x5404
#define VFTA     0x5600
#define MANC     0x5820
#define WUC      0x5800
#define SWSM     0x5b50

#define CTRL_SLU          (1u << 6)
#define CTRL_RST          (1u << 26)
#define CTRL_VME          (1u << 30)
#define STATUS_FD         0x1u
#define STATUS_LU         0x2u
#define STATUS_SPEED_1000 0x80u
#define ICR_TXDW          0x01u
#define ICR_TXQE          0x02u
#define ICR_LSC           0x04u
#define ICR_RXDMT0        0x10u
#define ICR_RXT0          0x80u
#define ICR_MDAC          0x200u
#define RCTL_EN           (1u << 1)
#define RCTL_UPE          (1u << 3)
#define RCTL_MPE          (1u << 4)
#define RCTL_LPE          (1u << 5)
#define RCTL_BAM          (1u << 15)
#define RCTL_BSIZE_256    (3u << 16)
#define RCTL_VFE          (1u << 18)
#define RCTL_SECRC        (1u << 26)
#define TCTL_EN           (1u << 1)
#define TCTL_PSP          (1u << 3)
#define RAH_AV            (1u << 31)

/* transmit descriptor command bits (in the length/command dword) */
#define TXD_EOP     (1u << 24)
#define TXD_IFCS    (1u << 25)
#define TXD_IC      (1u << 26)
#define TXD_TSE     (1u << 26)
#define TXD_RS      (1u << 27)
#define TXD_DEXT    (1u << 29)
#define TXD_VLE     (1u << 30)
#define TXD_DTYP_D  (1u << 20)
#define TXD_CTX_TCP (1u << 24)
#define TXD_CTX_IP  (1u << 25)
#define POPTS_IXSM  0x01u
#define POPTS_TXSM  0x02u

/* receive status */
#define RXD_DD  0x01
#define RXD_EOP 0x02
#define RXD_VP  0x08

/* guest RAM layout */
#define TX_RING       (RAM_BASE + 0x100000)
#define RX_RING       (RAM_BASE + 0x110000)
#define TX_BUFS       (RAM_BASE + 0x200000)
#define RX_BUFS       (RAM_BASE + 0x400000)
#define RX_BUF_STRIDE 0x4000

/* ---- the machine ------------------------------------------------------------
 */

typedef struct Fixture {
    EmuMachine *m;
    EmuNet *net;
    Peer peer;
    uint64_t cfg; /* the NIC's ECAM base */
    uint64_t bar0;
} Fixture;

static const uint8_t nic_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

static inline void machine_setup(Fixture *f)
{
    memset(f, 0, sizeof(*f));
    f->m = nic_board_new(&f->net, &f->peer);
}

/* runs pending bottom halves (no I/O thread in the tests) */
static inline void run_bhs(Fixture *f)
{
    nic_board_run_bhs(f->m, 100000);
}

static inline void machine_teardown(Fixture *f)
{
    nic_board_free(f->m, f->net, &f->peer, 100000);
}

/* the NIC through its public constructor, connected to the peer, with
 * BAR0/BAR1 placed and memory, I/O and bus mastering enabled */
static inline void nic_create(Fixture *f, EmuOpts *opts)
{
    g_autoptr(GError) err = NULL;
    bool ok;

    ok = emu_e1000_create(f->m, f->peer.nc, nic_mac, "nic0", opts, &err);
    g_assert_no_error(err);
    g_assert_true(ok);
    f->cfg = pci_cfg_base(NIC_SLOT);
    g_assert_cmphex(hw_rd(f->m, f->cfg, 4), ==, 0x100e8086);
    pci_bar_set(f->m, f->cfg, 0, BAR0_ADDR, false);
    pci_bar_set(f->m, f->cfg, 1, BAR1_IO, false);
    pci_enable(f->m, f->cfg,
               EMU_PCI_COMMAND_IO | EMU_PCI_COMMAND_MEMORY |
                   EMU_PCI_COMMAND_MASTER);
    f->bar0 = BAR0_ADDR;
}

static inline uint32_t rd(Fixture *f, uint32_t reg)
{
    return hw_rd(f->m, f->bar0 + reg, 4);
}

static inline void wr(Fixture *f, uint32_t reg, uint32_t v)
{
    hw_wr(f->m, f->bar0 + reg, v, 4);
}

/* PLIC pending bit = the level of the NIC's INTx line */
static inline bool nic_irq(Fixture *f)
{
    return plic_line(f->m, NIC_IRQ);
}

/* ---- rings -----------------------------------------------------------------
 */

/* a transmit ring of @n descriptors at TX_RING, enabled */
static inline void tx_setup(Fixture *f, unsigned n)
{
    g_autofree uint8_t *zero = g_malloc0(n * 16);

    gw(f->m, TX_RING, zero, n * 16);
    wr(f, TDBAL, (uint32_t)TX_RING);
    wr(f, TDBAH, TX_RING >> 32);
    wr(f, TDLEN, n * 16);
    wr(f, TDH, 0);
    wr(f, TDT, 0);
    wr(f, TIPG, 10);
    wr(f, TCTL, TCTL_EN | TCTL_PSP);
}

static inline void tx_desc(Fixture *f, unsigned i, uint64_t addr,
                           uint32_t lower, uint32_t upper)
{
    gw64(f->m, TX_RING + 16 * i, addr);
    gw32(f->m, TX_RING + 16 * i + 8, lower);
    gw32(f->m, TX_RING + 16 * i + 12, upper);
}

/* a context descriptor (§3.3.6) */
static inline void tx_ctx(Fixture *f, unsigned i, uint8_t ipcss, uint8_t ipcso,
                          uint16_t ipcse, uint8_t tucss, uint8_t tucso,
                          uint16_t tucse, uint32_t cmd_len, uint8_t hdr_len,
                          uint16_t mss)
{
    uint8_t d[16] = {
        ipcss, ipcso, ipcse, ipcse >> 8, tucss, tucso, tucse, tucse >> 8,
    };

    gw(f->m, TX_RING + 16 * i, d, 8);
    gw32(f->m, TX_RING + 16 * i + 8, cmd_len | TXD_DEXT);
    gw32(f->m, TX_RING + 16 * i + 12,
         (uint32_t)hdr_len << 8 | (uint32_t)mss << 16);
}

static inline uint8_t tx_status(Fixture *f, unsigned i)
{
    return gr8(f->m, TX_RING + 16 * i + 12) & 0xf;
}

/* a receive ring of @n descriptors, buffers RX_BUF_STRIDE apart; the
 * driver hands all but one to the NIC (RDT = n - 1) */
static inline void rx_setup(Fixture *f, unsigned n, uint32_t rctl)
{
    for (unsigned i = 0; i < n; i++) {
        gw64(f->m, RX_RING + 16 * i, RX_BUFS + (uint64_t)i * RX_BUF_STRIDE);
        gw64(f->m, RX_RING + 16 * i + 8, 0);
    }
    wr(f, RDBAL, (uint32_t)RX_RING);
    wr(f, RDBAH, RX_RING >> 32);
    wr(f, RDLEN, n * 16);
    wr(f, RDH, 0);
    wr(f, RDT, n - 1);
    wr(f, RCTL, rctl | RCTL_EN);
}

static inline uint16_t rx_len(Fixture *f, unsigned i)
{
    return gr16(f->m, RX_RING + 16 * i + 8);
}

static inline uint8_t rx_status(Fixture *f, unsigned i)
{
    return gr8(f->m, RX_RING + 16 * i + 12);
}

static inline uint8_t rx_errors(Fixture *f, unsigned i)
{
    return gr8(f->m, RX_RING + 16 * i + 13);
}

/* ---- frames -------------------------------------------------------------- */

static inline uint16_t be16(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

static inline uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* RFC 1071, written independently of the model */
static inline uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        sum += i & 1 ? p[i] : (uint32_t)p[i] << 8;
    }
    return sum;
}

static inline uint16_t fold16(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

/* the IPv4 header at @ip checks out */
static inline bool ipv4_csum_ok(const uint8_t *ip)
{
    return fold16(sum16(0, ip, (ip[0] & 15) * 4)) == 0xffff;
}

/* the TCP/UDP segment after the IPv4 header at @ip checks out */
static inline bool l4_csum_ok(const uint8_t *ip)
{
    unsigned ihl = (ip[0] & 15) * 4;
    unsigned len = be16(ip + 2) - ihl;
    uint32_t sum = sum16(0, ip + 12, 8);

    sum += ip[9] + len;
    sum = sum16(sum, ip + ihl, len);
    return fold16(sum) == 0xffff;
}

/* the partial sum Linux leaves in the checksum field: the pseudo header
 * (~csum_tcpudp_magic(saddr, daddr, len, proto, 0)); @len 0 for TSO */
static inline uint16_t pseudo_sum(const uint8_t *ip, unsigned len)
{
    uint32_t sum = sum16(0, ip + 12, 8);

    sum += ip[9] + len;
    return fold16(sum);
}

/* An Ethernet + IPv4 + TCP (or UDP) frame with @payload bytes of a
 * counting pattern; checksum fields zero. Returns the length. */
static inline size_t build_ipv4(uint8_t *buf, bool tcp, size_t payload,
                                uint8_t tcp_flags)
{
    static const uint8_t dst[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};
    unsigned l4 = tcp ? 20 : 8;
    uint8_t *ip = buf + 14, *th = ip + 20;

    memcpy(buf, dst, 6);
    memcpy(buf + 6, nic_mac, 6);
    put_be16(buf + 12, 0x0800);
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put_be16(ip + 2, 20 + l4 + payload);
    put_be16(ip + 4, 0x1234);
    ip[6] = 0x40; /* DF */
    ip[8] = 64;
    ip[9] = tcp ? 6 : 17;
    memcpy(ip + 12, "\x0a\x00\x02\x0f\x0a\x00\x02\x02", 8);
    memset(th, 0, l4);
    put_be16(th, 40000);
    put_be16(th + 2, 8080);
    if (tcp) {
        put_be32(th + 4, 0xfffff000); /* wraps during segmentation */
        put_be32(th + 8, 0x01020304);
        th[12] = 5 << 4;
        th[13] = tcp_flags;
        put_be16(th + 14, 0xffff);
    } else {
        put_be16(th + 4, 8 + payload);
    }
    for (size_t i = 0; i < payload; i++) {
        th[l4 + i] = i * 7 + 3;
    }
    return 14 + 20 + l4 + payload;
}

/* IEEE 802.3 CRC-32, bit by bit (independent of the model's table) */
static inline uint32_t crc32_bits(const uint8_t *p, size_t len)
{
    uint32_t crc = 0xffffffff;

    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++) {
            crc = crc & 1 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
        }
    }
    return ~crc;
}

#endif
