/* SPDX-License-Identifier: GPL-2.0-or-later */
/* uart16550.c: NS16550A UART — registers, 16-byte RX FIFO with trigger
 * levels, interrupt identification and loopback. National Semiconductor
 * PC16550D datasheet (June 1995): Table II registers, Table IV interrupt
 * priorities, §8.4 FCR, §8.6 LSR, §8.7 MCR loopback, §8.8 MSR. */
#include "config.h"

#include <string.h>

#include "emu-error.h"
#include "engine/hw/guest-log.h"
#include "engine/hw/uart16550.h"

/* register offsets (reg-shift 0) */
enum {
    REG_RBR_THR_DLL = 0,
    REG_IER_DLM = 1,
    REG_IIR_FCR = 2,
    REG_LCR = 3,
    REG_MCR = 4,
    REG_LSR = 5,
    REG_MSR = 6,
    REG_SCR = 7,
};

#define IER_ERBFI 0x01 /* received data available */
#define IER_ETBEI 0x02 /* THR empty */
#define IER_ELSI  0x04 /* receiver line status */
#define IER_EDSSI 0x08 /* modem status */

#define IIR_NO_INT 0x01
#define IIR_MSI    0x00
#define IIR_THRI   0x02
#define IIR_RDI    0x04
#define IIR_RLSI   0x06
#define IIR_CTI    0x0c
#define IIR_FIFO   0xc0

#define FCR_ENABLE   0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04

#define LCR_DLAB 0x80

#define MCR_DTR  0x01
#define MCR_RTS  0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10

#define LSR_DR   0x01
#define LSR_OE   0x02
#define LSR_BI   0x10
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_CTS  0x10
#define MSR_DSR  0x20
#define MSR_RI   0x40
#define MSR_DCD  0x80

struct EmuUart16550 {
    EmuMachine *m;
    EmuRegion *region;
    EmuIrq *irq;
    EmuChardev *chr;

    uint8_t rx[EMU_UART_FIFO];
    unsigned rx_head, rx_count;
    bool rx_timeout;    /* character timeout indication (§8.5, CTI) */
    bool thr_ipending;  /* THRE interrupt latched until IIR read/THR write */
    uint8_t lsr_errors; /* OE/BI, cleared by reading LSR */
    uint8_t ier, fcr, lcr, mcr, msr, scr, dll, dlm;
    bool irq_level;
    EmuChardevFrontend fe;
    EmuGuestLog log;
};

static const unsigned trigger_levels[4] = {1, 4, 8, 14};

static bool fifo_enabled(EmuUart16550 *u)
{
    return u->fcr & FCR_ENABLE;
}

static unsigned rx_capacity(EmuUart16550 *u)
{
    return fifo_enabled(u) ? EMU_UART_FIFO : 1;
}

static unsigned rx_trigger(EmuUart16550 *u)
{
    return fifo_enabled(u) ? trigger_levels[u->fcr >> 6] : 1;
}

static uint8_t lsr_value(EmuUart16550 *u)
{
    /* Output is handed to the backend at once: the transmitter is always
     * empty from the guest's point of view. */
    return (u->rx_count ? LSR_DR : 0) | u->lsr_errors | LSR_THRE | LSR_TEMT;
}

/* Table IV: line status > RX data / timeout > THR empty > modem status */
static uint8_t iir_id(EmuUart16550 *u)
{
    if ((u->ier & IER_ELSI) && u->lsr_errors) {
        return IIR_RLSI;
    }
    if ((u->ier & IER_ERBFI) && u->rx_count) {
        if (u->rx_count >= rx_trigger(u)) {
            return IIR_RDI;
        }
        if (u->rx_timeout) {
            return IIR_CTI;
        }
    }
    if ((u->ier & IER_ETBEI) && u->thr_ipending) {
        return IIR_THRI;
    }
    if ((u->ier & IER_EDSSI) && (u->msr & 0x0f)) {
        return IIR_MSI;
    }
    return IIR_NO_INT;
}

static void update_irq(EmuUart16550 *u)
{
    bool level = iir_id(u) != IIR_NO_INT;

    if (level != u->irq_level) {
        u->irq_level = level;
        emu_irq_set(u->irq, level);
    }
}

static void rx_push(EmuUart16550 *u, uint8_t byte)
{
    if (u->rx_count >= rx_capacity(u)) {
        u->lsr_errors |= LSR_OE;
        return;
    }
    u->rx[(u->rx_head + u->rx_count) % EMU_UART_FIFO] = byte;
    u->rx_count++;
}

static void rx_clear(EmuUart16550 *u)
{
    u->rx_head = 0;
    u->rx_count = 0;
    u->rx_timeout = false;
}

/* The guest made room: let the backend deliver what it holds back. */
static void accept_input(EmuUart16550 *u)
{
    if (u->chr && !(u->mcr & MCR_LOOP)) {
        emu_chardev_accept_input(u->chr);
    }
}

/* §8.7: in loopback the modem outputs drive the modem status inputs */
static uint8_t msr_inputs(EmuUart16550 *u)
{
    if (!(u->mcr & MCR_LOOP)) {
        return MSR_DCD | MSR_DSR | MSR_CTS;
    }
    return (u->mcr & MCR_RTS ? MSR_CTS : 0) | (u->mcr & MCR_DTR ? MSR_DSR : 0) |
           (u->mcr & MCR_OUT1 ? MSR_RI : 0) | (u->mcr & MCR_OUT2 ? MSR_DCD : 0);
}

static void set_msr_inputs(EmuUart16550 *u, uint8_t in)
{
    uint8_t old = u->msr & 0xf0;
    uint8_t delta = 0;

    if ((old ^ in) & MSR_CTS) {
        delta |= MSR_DCTS;
    }
    if ((old ^ in) & MSR_DSR) {
        delta |= MSR_DDSR;
    }
    if ((old & MSR_RI) && !(in & MSR_RI)) {
        delta |= MSR_TERI; /* trailing edge only */
    }
    if ((old ^ in) & MSR_DCD) {
        delta |= MSR_DDCD;
    }
    u->msr = in | (u->msr & 0x0f) | delta;
}

static void transmit(EmuUart16550 *u, uint8_t byte)
{
    if (u->mcr & MCR_LOOP) {
        rx_push(u, byte);
        u->rx_timeout = true;
    } else if (u->chr) {
        emu_chardev_write(u->chr, &byte, 1);
    }
    /* the byte left THR at once: THRE rises again (and interrupts) */
    u->thr_ipending = true;
}

static uint64_t uart_read(void *opaque, uint64_t off, unsigned size)
{
    EmuUart16550 *u = opaque;
    uint8_t v = 0;

    switch (off) {
    case REG_RBR_THR_DLL:
        if (u->lcr & LCR_DLAB) {
            return u->dll;
        }
        if (u->rx_count) {
            v = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % EMU_UART_FIFO;
            u->rx_count--;
            /* reading RBR resets the timeout; an empty FIFO stops it */
            if (!u->rx_count) {
                u->rx_timeout = false;
            }
            accept_input(u);
        }
        break;
    case REG_IER_DLM:
        return u->lcr & LCR_DLAB ? u->dlm : u->ier;
    case REG_IIR_FCR: {
        uint8_t id = iir_id(u);

        /* reading IIR acknowledges a THR-empty interrupt (Table IV) */
        if (id == IIR_THRI) {
            u->thr_ipending = false;
        }
        v = id | (fifo_enabled(u) ? IIR_FIFO : 0);
        break;
    }
    case REG_LCR:
        return u->lcr;
    case REG_MCR:
        return u->mcr;
    case REG_LSR:
        v = lsr_value(u);
        u->lsr_errors = 0;
        break;
    case REG_MSR:
        v = u->msr;
        u->msr &= 0xf0;
        break;
    case REG_SCR:
        return u->scr;
    default:
        return 0;
    }
    update_irq(u);
    return v;
}

static void write_fcr(EmuUart16550 *u, uint8_t v)
{
    bool grow;

    /* §8.4: toggling the FIFO enable clears both FIFOs */
    if ((v ^ u->fcr) & FCR_ENABLE) {
        rx_clear(u);
    }
    if (v & FCR_CLEAR_RX) {
        rx_clear(u);
    }
    /* TX FIFO is always empty: nothing to clear */
    grow = (v & FCR_ENABLE) && !fifo_enabled(u);
    u->fcr = v & (FCR_ENABLE | 0xc0);
    if (grow || (v & FCR_CLEAR_RX)) {
        accept_input(u);
    }
}

static void uart_write(void *opaque, uint64_t off, uint64_t value,
                       unsigned size)
{
    EmuUart16550 *u = opaque;
    uint8_t v = value;

    switch (off) {
    case REG_RBR_THR_DLL:
        if (u->lcr & LCR_DLAB) {
            u->dll = v;
            return;
        }
        u->thr_ipending = false;
        transmit(u, v);
        break;
    case REG_IER_DLM:
        if (u->lcr & LCR_DLAB) {
            u->dlm = v;
            return;
        }
        /* enabling ETBEI while THR is empty raises THRI at once (the 8250
         * driver's THRE test relies on it) */
        if ((v & IER_ETBEI) && !(u->ier & IER_ETBEI)) {
            u->thr_ipending = true;
        }
        u->ier = v & 0x0f;
        break;
    case REG_IIR_FCR:
        write_fcr(u, v);
        break;
    case REG_LCR:
        u->lcr = v;
        return;
    case REG_MCR: {
        bool was_loop = u->mcr & MCR_LOOP;

        u->mcr = v & 0x1f;
        set_msr_inputs(u, msr_inputs(u));
        if (was_loop && !(u->mcr & MCR_LOOP)) {
            accept_input(u);
        }
        break;
    }
    case REG_LSR:
    case REG_MSR:
        /* factory test registers on the real part: ignore */
        emu_guest_error(&u->log, "uart", "write to read-only register %u",
                        (unsigned)off);
        return;
    case REG_SCR:
        u->scr = v;
        return;
    default:
        return;
    }
    update_irq(u);
}

static const EmuMmioOps uart_ops = {
    .read = uart_read,
    .write = uart_write,
    .min_access = 1,
    .max_access = 1,
};

size_t emu_uart16550_can_receive(EmuUart16550 *u)
{
    if (u->mcr & MCR_LOOP) {
        return 0; /* the serial input is disconnected in loopback */
    }
    return rx_capacity(u) - u->rx_count;
}

void emu_uart16550_receive(EmuUart16550 *u, const uint8_t *buf, size_t len)
{
    if (u->mcr & MCR_LOOP) {
        return;
    }
    for (size_t i = 0; i < len; i++) {
        rx_push(u, buf[i]);
    }
    /*
     * The backend hands over everything it has in one call, so once it
     * returns no further character follows "soon": raise the character
     * timeout now rather than after four character times.
     */
    if (len) {
        u->rx_timeout = true;
    }
    update_irq(u);
}

static size_t fe_can_read(void *opaque)
{
    return emu_uart16550_can_receive(opaque);
}

static void fe_receive(void *opaque, const uint8_t *buf, size_t len)
{
    emu_uart16550_receive(opaque, buf, len);
}

void emu_uart16550_reset(EmuUart16550 *u)
{
    rx_clear(u);
    u->thr_ipending = false;
    u->lsr_errors = 0;
    u->ier = 0;
    u->fcr = 0;
    u->lcr = 0;
    u->mcr = MCR_OUT2;
    u->msr = msr_inputs(u);
    u->scr = 0;
    u->dll = 0x0c; /* 9600 baud at 1.8432 MHz: a harmless default */
    u->dlm = 0;
    update_irq(u);
    accept_input(u);
}

EmuUart16550 *emu_uart16550_new(EmuMachine *m, uint64_t base, EmuIrq *irq,
                                EmuChardev *chr, GError **error)
{
    EmuUart16550 *u = g_new0(EmuUart16550, 1);

    u->m = m;
    u->irq = irq;
    u->chr = chr;
    u->region =
        emu_mem_add_mmio(m, "uart0", base, EMU_UART_SIZE, &uart_ops, u, error);
    if (!u->region) {
        g_free(u);
        return NULL;
    }
    u->mcr = MCR_OUT2;
    u->msr = msr_inputs(u);
    u->dll = 0x0c;
    if (chr) {
        u->fe.can_read = fe_can_read;
        u->fe.receive = fe_receive;
        u->fe.opaque = u;
        emu_chardev_set_frontend(chr, &u->fe);
    }
    return u;
}

void emu_uart16550_free(EmuUart16550 *u)
{
    if (!u) {
        return;
    }
    if (u->chr) {
        emu_chardev_set_frontend(u->chr, NULL);
    }
    g_free(u);
}
