/* SPDX-License-Identifier: GPL-2.0-or-later */
/* syscon.c: the SiFive test finisher — guest-requested poweroff, reset and
 * failure exit, as QEMU's sifive_test (compatible "sifive,test1",
 * "sifive,test0", "syscon"; Linux drives it through syscon-poweroff and
 * syscon-reboot, OpenSBI through its sifive-test reset driver). */
#include "config.h"

#include "emu-error.h"
#include "engine/hw/guest-log.h"
#include "engine/hw/syscon.h"

struct EmuSyscon {
    EmuMachine *m;
    EmuRegion *region;
    EmuGuestLog log;
};

static uint64_t syscon_read(void *opaque, uint64_t off, unsigned size)
{
    return 0;
}

static void syscon_write(void *opaque, uint64_t off, uint64_t value,
                         unsigned size)
{
    EmuSyscon *s = opaque;
    uint32_t v = value;

    if (off != 0) {
        emu_guest_error(&s->log, "test", "write to offset 0x%" PRIx64, off);
        return;
    }
    switch (v & 0xffff) {
    case EMU_SYSCON_PASS:
        emu_machine_request(s->m, EMU_REQ_POWEROFF, 0);
        break;
    case EMU_SYSCON_RESET:
        emu_machine_request(s->m, EMU_REQ_RESET, 0);
        break;
    case EMU_SYSCON_FAIL:
        emu_machine_request(s->m, EMU_REQ_FAIL, v >> 16);
        break;
    default:
        emu_guest_error(&s->log, "test", "unknown command 0x%08x", v);
        break;
    }
}

static const EmuMmioOps syscon_ops = {
    .read = syscon_read,
    .write = syscon_write,
    .min_access = 4,
    .max_access = 4,
};

EmuSyscon *emu_syscon_new(EmuMachine *m, uint64_t base, GError **error)
{
    EmuSyscon *s = g_new0(EmuSyscon, 1);

    s->m = m;
    s->region = emu_mem_add_mmio(m, "test", base, EMU_SYSCON_SIZE, &syscon_ops,
                                 s, error);
    if (!s->region) {
        g_free(s);
        return NULL;
    }
    return s;
}

void emu_syscon_free(EmuSyscon *s)
{
    g_free(s);
}
