/* SPDX-License-Identifier: GPL-2.0-or-later */
/* e1000-regs.h: the Intel 82540EM's register map, bits and descriptor
 * layouts (8254x Software Developer's Manual, rev 4.0: §13 registers,
 * §3 descriptors, §5 EEPROM, §13.5 PHY) and the model's state shared by
 * e1000.c (registers, EEPROM, PHY, interrupts, receive) and e1000-tx.c
 * (transmit, TCP segmentation, checksum offload). Not a public header. */
#ifndef EMU_HW_E1000_REGS_H
#define EMU_HW_E1000_REGS_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "emu-net.h"
#include "engine/core/machine.h"
#include "engine/hw/guest-log.h"
#include "engine/hw/pci.h"

/* ---- PCI identity (QEMU's "e1000") ----------------------------------- */
#define E1000_VENDOR_INTEL   0x8086
#define E1000_DEV_ID_82540EM 0x100e
#define E1000_REVISION       0x03
#define E1000_SUBSYS_VENDOR  0x1af4 /* QEMU's default subsystem IDs */
#define E1000_SUBSYS_ID      0x1100
#define E1000_CLASS_ETHERNET 0x020000
#define E1000_MMIO_SIZE      0x20000 /* BAR0: 128 KiB of registers */
#define E1000_IO_SIZE        0x40    /* BAR1: IOADDR/IODATA window */
#define E1000_IOADDR         0x00
#define E1000_IODATA         0x04

/* ---- registers (§13.4, Table 13-2) ----------------------------------- */
#define E1000_CTRL        0x0000
#define E1000_STATUS      0x0008
#define E1000_EECD        0x0010
#define E1000_EERD        0x0014
#define E1000_CTRL_EXT    0x0018
#define E1000_FLA         0x001c
#define E1000_MDIC        0x0020
#define E1000_FCAL        0x0028
#define E1000_FCAH        0x002c
#define E1000_FCT         0x0030
#define E1000_VET         0x0038
#define E1000_ICR         0x00c0
#define E1000_ITR         0x00c4
#define E1000_ICS         0x00c8
#define E1000_IMS         0x00d0
#define E1000_IMC         0x00d8
#define E1000_RCTL        0x0100
#define E1000_FCTTV       0x0170
#define E1000_TXCW        0x0178
#define E1000_RXCW        0x0180
#define E1000_TCTL        0x0400
#define E1000_TIPG        0x0410
#define E1000_AIFS        0x0458
#define E1000_LEDCTL      0x0e00
#define E1000_PBA         0x1000
#define E1000_FCRTL       0x2160
#define E1000_RDFH        0x2410 /* receive/transmit FIFO pointers */
#define E1000_RDFT        0x2418
#define E1000_RDFHS       0x2420
#define E1000_RDFTS       0x2428
#define E1000_RDFPC       0x2430
#define E1000_FCRTH       0x2168
#define E1000_RDBAL       0x2800
#define E1000_RDBAH       0x2804
#define E1000_RDLEN       0x2808
#define E1000_RDH         0x2810
#define E1000_RDT         0x2818
#define E1000_RDTR        0x2820
#define E1000_RXDCTL      0x2828
#define E1000_RADV        0x282c
#define E1000_RSRPD       0x2c00
#define E1000_TXDMAC      0x3000
#define E1000_TDFH        0x3410
#define E1000_TDFT        0x3418
#define E1000_TDFHS       0x3420
#define E1000_TDFTS       0x3428
#define E1000_TDFPC       0x3430
#define E1000_TDBAL       0x3800
#define E1000_TDBAH       0x3804
#define E1000_TDLEN       0x3808
#define E1000_TDH         0x3810
#define E1000_TDT         0x3818
#define E1000_TIDV        0x3820
#define E1000_TXDCTL      0x3828
#define E1000_TADV        0x382c
#define E1000_TSPMT       0x3830
#define E1000_STATS_FIRST 0x4000 /* CRCERRS */
#define E1000_STATS_LAST  0x40fc /* TSCTFC */
#define E1000_RXCSUM      0x5000
#define E1000_MTA         0x5200 /* 128 entries */
#define E1000_RA          0x5400 /* 16 RAL/RAH pairs */
#define E1000_VFTA        0x5600 /* 128 entries */
#define E1000_WUC         0x5800
#define E1000_WUFC        0x5808
#define E1000_WUS         0x5810
#define E1000_MANC        0x5820
#define E1000_IPAV        0x5838
#define E1000_IP4AT       0x5840
#define E1000_IP6AT       0x5880
#define E1000_WUPL        0x5900
#define E1000_WUPM        0x5a00
#define E1000_SWSM        0x5b50 /* software semaphore (U-Boot uses) */
#define E1000_SW_FW_SYNC  0x5b5c
#define E1000_FFLT        0x5f00
#define E1000_REG_SPACE   0x6000 /* registers kept in E1000.regs */

/* statistics (§13.7); all clear on read, 64-bit pairs on the high half */
#define E1000_MPC     0x4010
#define E1000_PRC64   0x405c
#define E1000_PRC127  0x4060
#define E1000_PRC255  0x4064
#define E1000_PRC511  0x4068
#define E1000_PRC1023 0x406c
#define E1000_PRC1522 0x4070
#define E1000_GPRC    0x4074
#define E1000_BPRC    0x4078
#define E1000_MPRC    0x407c
#define E1000_GPTC    0x4080
#define E1000_GORCL   0x4088
#define E1000_GORCH   0x408c
#define E1000_GOTCL   0x4090
#define E1000_GOTCH   0x4094
#define E1000_RNBC    0x40a0
#define E1000_ROC     0x40ac
#define E1000_TORL    0x40c0
#define E1000_TORH    0x40c4
#define E1000_TOTL    0x40c8
#define E1000_TOTH    0x40cc
#define E1000_TPR     0x40d0
#define E1000_TPT     0x40d4
#define E1000_PTC64   0x40d8
#define E1000_PTC127  0x40dc
#define E1000_PTC255  0x40e0
#define E1000_PTC511  0x40e4
#define E1000_PTC1023 0x40e8
#define E1000_PTC1522 0x40ec
#define E1000_MPTC    0x40f0
#define E1000_BPTC    0x40f4
#define E1000_TSCTC   0x40f8
#define E1000_TSCTFC  0x40fc

/* CTRL (§13.4.1) */
#define E1000_CTRL_FD       (1u << 0)
#define E1000_CTRL_SLU      (1u << 6)
#define E1000_CTRL_SPD_1000 (2u << 8)
#define E1000_CTRL_SWDPIN0  (1u << 18)
#define E1000_CTRL_SWDPIN2  (1u << 20)
#define E1000_CTRL_RST      (1u << 26)
#define E1000_CTRL_VME      (1u << 30)
#define E1000_CTRL_PHY_RST  (1u << 31)

/* STATUS (§13.4.2) */
#define E1000_STATUS_FD            (1u << 0)
#define E1000_STATUS_LU            (1u << 1)
#define E1000_STATUS_SPEED_1000    (2u << 6)
#define E1000_STATUS_ASDV_1000     (3u << 8)
#define E1000_STATUS_MTXCKOK       (1u << 10)
#define E1000_STATUS_GIO_MASTER_EN (1u << 19)

/* EECD (§13.4.3) and EERD (§13.4.4) */
#define E1000_EECD_SK            (1u << 0)
#define E1000_EECD_CS            (1u << 1)
#define E1000_EECD_DI            (1u << 2)
#define E1000_EECD_DO            (1u << 3)
#define E1000_EECD_FWE_MASK      (3u << 4)
#define E1000_EECD_REQ           (1u << 6)
#define E1000_EECD_GNT           (1u << 7)
#define E1000_EECD_PRES          (1u << 8)
#define E1000_EERD_START         (1u << 0)
#define E1000_EERD_DONE          (1u << 4)
#define E1000_EERD_ADDR_SHIFT    8
#define E1000_EERD_DATA_SHIFT    16
#define E1000_EEPROM_WORDS       64
#define E1000_EEPROM_SUM         0xbaba
#define E1000_EEPROM_READ_OPCODE 0x6 /* Microwire READ: start bit + 10b */

/* CTRL_EXT */
#define E1000_CTRL_EXT_EE_RST (1u << 13)

/* MDIC (§13.4.7) */
#define E1000_MDIC_DATA_MASK 0xffffu
#define E1000_MDIC_REG_SHIFT 16
#define E1000_MDIC_PHY_SHIFT 21
#define E1000_MDIC_OP_WRITE  (1u << 26)
#define E1000_MDIC_OP_READ   (2u << 26)
#define E1000_MDIC_READY     (1u << 28)
#define E1000_MDIC_INT_EN    (1u << 29)
#define E1000_MDIC_ERROR     (1u << 30)

/* interrupt causes: ICR/ICS/IMS/IMC (§13.4.17-21) */
#define E1000_ICR_TXDW    (1u << 0)
#define E1000_ICR_TXQE    (1u << 1)
#define E1000_ICR_LSC     (1u << 2)
#define E1000_ICR_RXSEQ   (1u << 3)
#define E1000_ICR_RXDMT0  (1u << 4)
#define E1000_ICR_RXO     (1u << 6)
#define E1000_ICR_RXT0    (1u << 7)
#define E1000_ICR_MDAC    (1u << 9)
#define E1000_ICR_TXD_LOW (1u << 15)
#define E1000_ICR_SRPD    (1u << 16)

/* RCTL (§13.4.22) */
#define E1000_RCTL_EN          (1u << 1)
#define E1000_RCTL_SBP         (1u << 2)
#define E1000_RCTL_UPE         (1u << 3)
#define E1000_RCTL_MPE         (1u << 4)
#define E1000_RCTL_LPE         (1u << 5)
#define E1000_RCTL_RDMTS_SHIFT 8
#define E1000_RCTL_MO_SHIFT    12
#define E1000_RCTL_BAM         (1u << 15)
#define E1000_RCTL_BSIZE_SHIFT 16
#define E1000_RCTL_VFE         (1u << 18)
#define E1000_RCTL_BSEX        (1u << 25)
#define E1000_RCTL_SECRC       (1u << 26)

/* TCTL (§13.4.33) */
#define E1000_TCTL_EN  (1u << 1)
#define E1000_TCTL_PSP (1u << 3)

/* RAH (§13.5.3) */
#define E1000_RAH_AV (1u << 31)

/* ---- descriptors (§3.2.3 receive, §3.3 transmit) --------------------- */
#define E1000_DESC_SIZE 16

/* receive: addr(8) length(2) csum(2) status(1) errors(1) special(2) */
#define E1000_RXD_STAT_DD   0x01
#define E1000_RXD_STAT_EOP  0x02
#define E1000_RXD_STAT_IXSM 0x04
#define E1000_RXD_STAT_VP   0x08
#define E1000_RXD_ERR_RXE   0x80

/* transmit, the command/length dword (bytes 8..11) */
#define E1000_TXD_LEN_MASK    0xffffu  /* legacy */
#define E1000_TXD_DTALEN_MASK 0xfffffu /* data, and PAYLEN of a context */
#define E1000_TXD_CSO_SHIFT   16       /* legacy */
#define E1000_TXD_DTYP_D      (1u << 20)
#define E1000_TXD_CMD_EOP     (1u << 24)
#define E1000_TXD_CMD_TCP     (1u << 24) /* context: TUCMD.TCP */
#define E1000_TXD_CMD_IFCS    (1u << 25)
#define E1000_TXD_CMD_IP      (1u << 25) /* context: TUCMD.IP */
#define E1000_TXD_CMD_IC      (1u << 26) /* legacy */
#define E1000_TXD_CMD_TSE     (1u << 26) /* context and data */
#define E1000_TXD_CMD_RS      (1u << 27)
#define E1000_TXD_CMD_RPS     (1u << 28)
#define E1000_TXD_CMD_DEXT    (1u << 29)
#define E1000_TXD_CMD_VLE     (1u << 30)
#define E1000_TXD_CMD_IDE     (1u << 31)
/* the status/special dword (bytes 12..15) */
#define E1000_TXD_STAT_DD    0x1u
#define E1000_TXD_STAT_MASK  0xfu
#define E1000_TXD_POPTS_IXSM 0x01 /* (dword >> 8) of a data desc */
#define E1000_TXD_POPTS_TXSM 0x02

/* ---- the model's limits (everything the guest sizes is bounded) ------ */
#define E1000_TX_MAX_PACKET   0x10000 /* assembled packet / one segment */
#define E1000_TX_MAX_HDR      255     /* HDRLEN is 8 bits */
#define E1000_TX_BURST_FRAMES 256     /* frames per run before yielding */
#define E1000_TX_BURST_DESCS  1024    /* descriptors per run */
#define E1000_MIN_FRAME       60      /* without FCS: receive pads to it */
#define E1000_FCS_LEN         4

/* ---- state shared by e1000.c and e1000-tx.c -------------------------- */

/* One offload context (§3.3.6): the checksum context and the TCP
 * segmentation context are kept apart, as QEMU does, so a checksum
 * context between TSO packets does not clobber the segmentation one. */
typedef struct E1000TxContext {
    uint8_t ipcss, ipcso;
    uint16_t ipcse;
    uint8_t tucss, tucso;
    uint16_t tucse;
    uint32_t paylen;
    uint8_t hdr_len;
    uint16_t mss;
    bool ip, tcp;
} E1000TxContext;

typedef struct E1000Tx {
    uint8_t *data; /* E1000_TX_MAX_PACKET: packet / segment */
    uint32_t size; /* bytes in @data */
    uint8_t header[E1000_TX_MAX_HDR + 1]; /* TSO: the headers to replay */
    E1000TxContext ctx;                   /* checksum context */
    E1000TxContext tso;                   /* segmentation context */
    /* the packet being assembled */
    bool in_packet;
    E1000TxContext pkt; /* its context, latched at its first
                         * descriptor: a context descriptor in the
                         * middle cannot move HDRLEN/MSS under it */
    bool tse;           /* segmented (first data descriptor's TSE) */
    bool drop;          /* malformed: consume up to EOP, send nothing */
    uint8_t popts;      /* IXSM/TXSM of the first data descriptor */
    uint8_t css;        /* legacy checksum start (first descriptor) */
    bool vlan;          /* insert an 802.1Q tag */
    uint16_t vlan_tci;
    uint32_t tso_frames; /* segments of this packet sent */
    /* the descriptor being processed: resumable after backpressure */
    bool have_desc;
    uint8_t desc[E1000_DESC_SIZE];
    uint32_t desc_done; /* bytes of its buffer consumed */
    bool waiting;       /* our frame waits in the peer's queue */
    GSource *bh;        /* continuation on the I/O thread */
} E1000Tx;

typedef struct E1000 {
    EmuMachine *m;
    EmuPciDevice *pci;
    EmuNetClient *nc;
    uint8_t macaddr[6]; /* the configured MAC (EEPROM words 0..2) */
    bool mitigation;    /* ITR honoured (mitigation=on) */

    uint32_t regs[E1000_REG_SPACE / 4];
    uint16_t phy[32];
    uint16_t eeprom[E1000_EEPROM_WORDS];
    struct {
        uint32_t val_in; /* bits shifted in by the driver */
        uint16_t bitnum_in;
        uint16_t bitnum_out;
        bool reading;
        uint32_t old; /* last EECD write (SK, CS, DI, FWE, REQ) */
    } ee;
    uint32_t ioaddr; /* BAR1 IOADDR */

    /* interrupt throttling (ITR, §13.4.18) */
    bool irq_level;      /* what we drive on INTA# */
    int64_t irq_next_us; /* earliest next assertion (monotonic) */
    GSource *itr_timer;

    E1000Tx tx;
    uint8_t *rx_buf; /* one received frame, filtered and padded */
    EmuGuestLog log;
} E1000;

static inline uint32_t e1000_reg(E1000 *s, uint32_t off)
{
    return s->regs[off >> 2];
}

static inline void e1000_reg_set(E1000 *s, uint32_t off, uint32_t v)
{
    s->regs[off >> 2] = v;
}

/* e1000.c, for e1000-tx.c (device lock held) */
void emu_e1000_set_ics(E1000 *s, uint32_t causes);
bool emu_e1000_dma_read(E1000 *s, uint64_t addr, void *buf, size_t len);
bool emu_e1000_dma_write(E1000 *s, uint64_t addr, const void *buf, size_t len);
void emu_e1000_stat_inc(E1000 *s, uint32_t off);
void emu_e1000_stat_add64(E1000 *s, uint32_t off_low, uint64_t n);
void emu_e1000_stat_size(E1000 *s, uint32_t first, size_t len);

/* e1000-tx.c */
void emu_e1000_tx_init(E1000 *s);
void emu_e1000_tx_cleanup(E1000 *s);
/* forgets the descriptor and packet in progress (ring reprogrammed,
 * transmitter disabled, reset) */
void emu_e1000_tx_abort(E1000 *s);
/* processes the transmit ring from TDH to TDT, in bounded bursts */
void emu_e1000_tx_run(E1000 *s);
/* the peer took the frame it had queued */
void emu_e1000_tx_sent(EmuNetClient *nc, ssize_t len);

#endif
