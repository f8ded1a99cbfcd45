/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virt.c: the QEMU-"virt"-compatible board — memory map, device wiring,
 * boot images, MROM reset vector with OpenSBI fw_dynamic info, device tree
 * placement, reset. Layout and boot protocol after QEMU hw/riscv/virt.c
 * and hw/riscv/boot.c; fw_dynamic_info after OpenSBI
 * include/sbi/fw_dynamic.h (version 2). */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <sys/random.h>

#include "emu-error.h"
#include "engine/cpu/riscv/hart-api.h"
#include "engine/hw/clint.h"
#include "engine/hw/fdt.h"
#include "engine/hw/goldfish-rtc.h"
#include "engine/hw/loader.h"
#include "engine/hw/pci.h"
#include "engine/hw/plic.h"
#include "engine/hw/syscon.h"
#include "engine/hw/uart16550.h"
#include "engine/hw/virt.h"
#include "engine/hw/virtio-slots.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* The one table: regions are registered from it and the device tree is
 * written from it (QEMU virt_memmap + its IRQ numbers and compatibles). */
/* clang-format off */
static const EmuVirtMapEntry virt_map[EMU_VIRT_NR] = {
    [EMU_VIRT_MROM] = {NULL, 0x1000, 0xf000, 0, 1, {NULL}},
    [EMU_VIRT_TEST] = {"test", 0x100000, 0x1000, 0, 1,
                       {"sifive,test1", "sifive,test0", "syscon", NULL}},
    [EMU_VIRT_RTC] = {"rtc", 0x101000, 0x1000, 11, 1,
                      {"google,goldfish-rtc", NULL}},
    [EMU_VIRT_CLINT] = {"clint", 0x2000000, EMU_CLINT_SIZE, 0, 1,
                        {"sifive,clint0", "riscv,clint0", NULL}},
    [EMU_VIRT_PCIE_PIO] = {NULL, 0x3000000, 0x10000, 0, 1, {NULL}},
    [EMU_VIRT_PLIC] = {"plic", 0xc000000, EMU_PLIC_SIZE, 0, 1,
                       {"sifive,plic-1.0.0", "riscv,plic0", NULL}},
    [EMU_VIRT_UART0] = {"serial", 0x10000000, EMU_UART_SIZE, 10, 1,
                        {"ns16550a", NULL}},
    [EMU_VIRT_VIRTIO] = {"virtio_mmio", 0x10001000, 0x1000, 1,
                         EMU_VIRTIO_SLOT_MAX, {"virtio,mmio", NULL}},
    [EMU_VIRT_PCIE_ECAM] = {"pci", 0x30000000, 0x10000000, 0, 1,
                            {"pci-host-ecam-generic", NULL}},
    [EMU_VIRT_PCIE_MMIO] = {NULL, 0x40000000, 0x40000000, 0, 1, {NULL}},
    [EMU_VIRT_DRAM] = {"memory", 0x80000000, 0, 0, 1, {NULL}},
};
/* clang-format on */

/* MROM layout (QEMU riscv_setup_rom_reset_vec, RV64) */
#define ROM_START_ADDR         24 /* .dword start address */
#define ROM_FDT_ADDR           32 /* .dword FDT address */
#define ROM_FW_DYNAMIC         40 /* struct fw_dynamic_info */
#define FW_DYNAMIC_NEXT_MODE_S 1

typedef struct ResetHook {
    void (*fn)(void *opaque);
    void *opaque;
} ResetHook;

typedef struct EmuVirt {
    EmuMachine *m;
    uint64_t ram_size;
    unsigned smp;
    EmuClint *clint;
    EmuPlic *plic;
    EmuUart16550 *uart;
    EmuGoldfishRtc *rtc;
    EmuSyscon *test;
    EmuPciHost *pci;
    EmuVirtioSlots *virtio;
    EmuImage *firmware, *kernel, *initrd;
    GBytes *fdt;
    uint64_t fdt_addr;
    uint64_t start_addr; /* where the reset vector jumps */
    uint64_t next_addr;  /* fw_dynamic next stage */
    uint8_t rom[ROM_FW_DYNAMIC + 6 * 8];
    GArray *resets; /* ResetHook */
} EmuVirt;

const EmuVirtMapEntry *emu_virt_memmap(void)
{
    return virt_map;
}

static EmuVirt *board(EmuMachine *m)
{
    return m->board;
}

/* ---- firmware lookup ---------------------------------------------------- */

static char *guest_cache_images(void)
{
    const char *env = g_getenv("VMKIT_GUEST_CACHE");

    if (env && *env) {
        return g_build_filename(env, "images", NULL);
    }
    env = g_getenv("XDG_CACHE_HOME");
    if (env && *env) {
        return g_build_filename(env, "vmkit", "images", NULL);
    }
    if (geteuid() == 0) {
        return g_strdup("/var/cache/vmkit/images");
    }
    return g_build_filename(g_get_home_dir(), ".cache", "vmkit", "images",
                            NULL);
}

char *emu_virt_default_bios(GError **error)
{
    g_autofree char *dir = guest_cache_images();
    const char *candidates[] = {
        NULL, /* the guest cache, filled below */
        /* Debian's opensbi package, then the copy qemu-system-data ships */
        "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
        "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin",
    };
    g_autofree char *cached = g_build_filename(dir, "fw_dynamic.bin", NULL);

    candidates[0] = cached;
    for (unsigned i = 0; i < G_N_ELEMENTS(candidates); i++) {
        if (g_file_test(candidates[i], G_FILE_TEST_IS_REGULAR)) {
            return g_strdup(candidates[i]);
        }
    }
    g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                "no default firmware: looked for %s, %s and %s (run "
                "'make fetch-guest', or pass -bios PATH or -bios none)",
                candidates[0], candidates[1], candidates[2]);
    return NULL;
}

/* ---- MROM reset vector -------------------------------------------------- */

static uint32_t rv_i(unsigned op, unsigned rd, unsigned f3, unsigned rs1,
                     int32_t imm)
{
    return (uint32_t)imm << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static void put64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++) {
        p[i] = v >> (8 * i);
    }
}

/*
 * QEMU's reset vector, so firmware sees the same entry state:
 *   auipc t0, 0            t0 = 0x1000
 *   addi  a2, t0, 40       a2 = &fw_dynamic_info
 *   csrr  a0, mhartid
 *   ld    a1, 32(t0)       a1 = FDT address
 *   ld    t0, 24(t0)       t0 = start address
 *   jr    t0
 * followed by the two .dwords and struct fw_dynamic_info
 * { magic, version, next_addr, next_mode, options, boot_hart }.
 */
static void build_rom(EmuVirt *vb)
{
    enum { T0 = 5, A0 = 10, A1 = 11, A2 = 12 };
    const uint32_t code[6] = {
        T0 << 7 | 0x17,                        /* auipc t0, 0 */
        rv_i(0x13, A2, 0, T0, ROM_FW_DYNAMIC), /* addi a2, t0, 40 */
        rv_i(0x73, A0, 2, 0, 0xf14),           /* csrrs a0, mhartid, x0 */
        rv_i(0x03, A1, 3, T0, ROM_FDT_ADDR),   /* ld a1, 32(t0) */
        rv_i(0x03, T0, 3, T0, ROM_START_ADDR), /* ld t0, 24(t0) */
        rv_i(0x67, 0, 0, T0, 0),               /* jalr x0, 0(t0) */
    };
    uint8_t *info = vb->rom + ROM_FW_DYNAMIC;

    memset(vb->rom, 0, sizeof(vb->rom));
    for (unsigned i = 0; i < G_N_ELEMENTS(code); i++) {
        for (unsigned b = 0; b < 4; b++) {
            vb->rom[4 * i + b] = code[i] >> (8 * b);
        }
    }
    put64(vb->rom + ROM_START_ADDR, vb->start_addr);
    put64(vb->rom + ROM_FDT_ADDR, vb->fdt_addr);
    put64(info + 0, EMU_VIRT_FW_DYNAMIC_MAGIC);
    put64(info + 8, EMU_VIRT_FW_DYNAMIC_VERSION);
    put64(info + 16, vb->next_addr);
    put64(info + 24, FW_DYNAMIC_NEXT_MODE_S);
    put64(info + 32, 0);          /* options */
    put64(info + 40, UINT64_MAX); /* boot_hart: -1 = any (lottery) */
}

/* ---- images ------------------------------------------------------------- */

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

static bool load_images(EmuVirt *vb, const EmuVirtConfig *cfg, GError **error)
{
    uint64_t ram_base = virt_map[EMU_VIRT_DRAM].base;
    uint64_t ram_size = vb->ram_size;
    uint64_t kernel_start = ram_base;
    g_autofree char *bios = NULL;

    if (!cfg->bios) {
        bios = emu_virt_default_bios(error);
        if (!bios) {
            return false;
        }
    } else if (strcmp(cfg->bios, "none") != 0) {
        bios = g_strdup(cfg->bios);
    }
    if (bios) {
        vb->firmware =
            emu_image_load_file(bios, "firmware", ram_base, ram_base, ram_size,
                                EMU_IMAGE_ALLOW_ELF, error);
        if (!vb->firmware) {
            return false;
        }
        /* the kernel goes 2 MiB-aligned after the firmware (QEMU's
         * riscv_calc_kernel_start_addr): 0x80200000 for OpenSBI */
        kernel_start = (vb->firmware->high + EMU_VIRT_KERNEL_ALIGN - 1) &
                       ~(EMU_VIRT_KERNEL_ALIGN - 1);
    }
    vb->next_addr = kernel_start;
    if (cfg->kernel) {
        vb->kernel = emu_image_load_file(
            cfg->kernel, "kernel", kernel_start, ram_base, ram_size,
            EMU_IMAGE_ALLOW_ELF | EMU_IMAGE_ALLOW_LINUX, error);
        if (!vb->kernel) {
            return false;
        }
        if (vb->firmware &&
            ranges_overlap(
                vb->firmware->low, vb->firmware->high - vb->firmware->low,
                vb->kernel->low, vb->kernel->high - vb->kernel->low)) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID, "%s overlaps %s",
                        vb->kernel->name, vb->firmware->name);
            return false;
        }
        vb->next_addr = vb->kernel->entry;
    }
    if (cfg->initrd) {
        uint64_t entry = vb->kernel ? vb->kernel->entry : kernel_start;
        /* QEMU riscv_load_initrd: far enough that the kernel does not
         * clobber it, low enough for small RAM; never inside the
         * kernel's image_size */
        uint64_t start = entry + MIN(ram_size / 2, 128 * MiB);

        if (vb->kernel && start < vb->kernel->high) {
            start = (vb->kernel->high + EMU_VIRT_KERNEL_ALIGN - 1) &
                    ~(EMU_VIRT_KERNEL_ALIGN - 1);
        }
        vb->initrd = emu_image_load_file(cfg->initrd, "initrd", start, ram_base,
                                         ram_size, 0, error);
        if (!vb->initrd) {
            return false;
        }
    }
    if (vb->firmware) {
        vb->start_addr = vb->firmware->kind == EMU_IMAGE_ELF
                             ? vb->firmware->entry
                             : ram_base;
    } else {
        /* -bios none: the kernel itself runs in M-mode */
        vb->start_addr = vb->kernel ? vb->kernel->entry : ram_base;
    }
    return true;
}

/* QEMU riscv_compute_fdt_addr: the end of RAM (below 3 GiB so 32-bit
 * code reaches it), 2 MiB aligned, leaving firmware room to grow it. */
static bool place_fdt(EmuVirt *vb, GError **error)
{
    uint64_t ram_base = virt_map[EMU_VIRT_DRAM].base;
    uint64_t ram_end = ram_base + vb->ram_size;
    uint64_t top = ram_base < 3 * GiB ? MIN(ram_end, 3 * GiB) : ram_end;
    gsize size = g_bytes_get_size(vb->fdt);
    const EmuImage *imgs[] = {vb->firmware, vb->kernel, vb->initrd};

    if (size > top - ram_base) {
        goto too_small;
    }
    vb->fdt_addr = (top - size) & ~(EMU_VIRT_KERNEL_ALIGN - 1);
    if (vb->fdt_addr < ram_base) {
        goto too_small;
    }
    for (unsigned i = 0; i < G_N_ELEMENTS(imgs); i++) {
        if (imgs[i] && ranges_overlap(vb->fdt_addr, size, imgs[i]->low,
                                      imgs[i]->high - imgs[i]->low)) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                        "%s (up to 0x%" G_GINT64_MODIFIER "x) overlaps the "
                        "device tree at 0x%" G_GINT64_MODIFIER "x: use more "
                        "RAM (-m)",
                        imgs[i]->name, imgs[i]->high, vb->fdt_addr);
            return false;
        }
    }
    return true;

too_small:
    g_set_error(error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                "RAM (%" G_GUINT64_FORMAT " bytes) too small for the device "
                "tree",
                vb->ram_size);
    return false;
}

static bool build_fdt(EmuVirt *vb, const EmuVirtConfig *cfg, GError **error)
{
    uint8_t seed[32];
    EmuVirtFdtParams p = {
        .map = virt_map,
        .nr_harts = vb->smp,
        .ram_size = vb->ram_size,
        .isa = emu_riscv_isa_string(),
        .bootargs = cfg->append,
        .rng_seed = seed,
        .rng_seed_len = sizeof(seed),
    };
    uint64_t ram_end = virt_map[EMU_VIRT_DRAM].base + vb->ram_size;

    /* the guest's entropy pool seed, as QEMU passes one */
    if (getrandom(seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed)) {
        for (unsigned i = 0; i < sizeof(seed); i += 4) {
            uint32_t r = g_random_int();
            memcpy(seed + i, &r, 4);
        }
    }
    p.high_mmio_size = EMU_VIRT_HIGH_MMIO_SIZE;
    p.high_mmio_base = (ram_end + EMU_VIRT_HIGH_MMIO_SIZE - 1) &
                       ~(EMU_VIRT_HIGH_MMIO_SIZE - 1);
    if (vb->initrd) {
        p.have_initrd = true;
        p.initrd_start = vb->initrd->low;
        p.initrd_end = vb->initrd->high;
    }
    vb->fdt = emu_virt_fdt_build(&p, error);
    return vb->fdt && place_fdt(vb, error);
}

/* Writes images, device tree and MROM into guest memory. */
static bool write_boot(EmuVirt *vb, GError **error)
{
    EmuMachine *m = vb->m;
    const EmuImage *imgs[] = {vb->firmware, vb->kernel, vb->initrd};
    gsize fdt_size;
    const void *fdt = g_bytes_get_data(vb->fdt, &fdt_size);

    for (unsigned i = 0; i < G_N_ELEMENTS(imgs); i++) {
        if (imgs[i] && !emu_image_write(m, imgs[i], error)) {
            return false;
        }
    }
    if (!emu_mem_write(m, vb->fdt_addr, fdt, fdt_size) ||
        !emu_mem_write(m, virt_map[EMU_VIRT_MROM].base, vb->rom,
                       sizeof(vb->rom))) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_FAILED,
                    "cannot write the device tree or the reset vector");
        return false;
    }
    return true;
}

static void reset_harts(EmuVirt *vb)
{
    for (unsigned h = 0; h < vb->m->nr_harts; h++) {
        if (vb->m->harts[h]) {
            emu_hart_reset(vb->m->harts[h], virt_map[EMU_VIRT_MROM].base,
                           vb->fdt_addr,
                           virt_map[EMU_VIRT_MROM].base + ROM_FW_DYNAMIC);
        }
    }
}

/* ---- devices ------------------------------------------------------------ */

static bool create_devices(EmuVirt *vb, const EmuVirtConfig *cfg,
                           GError **error)
{
    EmuMachine *m = vb->m;
    const EmuVirtMapEntry *e;
    EmuIrq *virtio_irqs[EMU_VIRTIO_SLOT_MAX];
    EmuPcieHostConfig pcfg = {0};
    uint64_t ram_end = virt_map[EMU_VIRT_DRAM].base + vb->ram_size;

    vb->plic = emu_plic_new(m, virt_map[EMU_VIRT_PLIC].base, vb->smp, error);
    if (!vb->plic) {
        return false;
    }
    vb->clint = emu_clint_new(m, virt_map[EMU_VIRT_CLINT].base, vb->smp, error);
    if (!vb->clint) {
        return false;
    }
    e = &virt_map[EMU_VIRT_UART0];
    vb->uart = emu_uart16550_new(m, e->base, emu_plic_irq(vb->plic, e->irq),
                                 cfg->serial, error);
    if (!vb->uart) {
        return false;
    }
    e = &virt_map[EMU_VIRT_RTC];
    vb->rtc =
        emu_goldfish_rtc_new(m, e->base, emu_plic_irq(vb->plic, e->irq), error);
    if (!vb->rtc) {
        return false;
    }
    vb->test = emu_syscon_new(m, virt_map[EMU_VIRT_TEST].base, error);
    if (!vb->test) {
        return false;
    }
    e = &virt_map[EMU_VIRT_VIRTIO];
    for (unsigned i = 0; i < e->count; i++) {
        virtio_irqs[i] = emu_plic_irq(vb->plic, e->irq + i);
    }
    vb->virtio =
        emu_virtio_slots_new(m, e->base, e->size, e->count, virtio_irqs, error);
    if (!vb->virtio) {
        return false;
    }
    pcfg.ecam_base = virt_map[EMU_VIRT_PCIE_ECAM].base;
    pcfg.ecam_size = virt_map[EMU_VIRT_PCIE_ECAM].size;
    pcfg.mmio_base = virt_map[EMU_VIRT_PCIE_MMIO].base;
    pcfg.mmio_size = virt_map[EMU_VIRT_PCIE_MMIO].size;
    pcfg.high_mmio_size = EMU_VIRT_HIGH_MMIO_SIZE;
    pcfg.high_mmio_base = (ram_end + EMU_VIRT_HIGH_MMIO_SIZE - 1) &
                          ~(EMU_VIRT_HIGH_MMIO_SIZE - 1);
    pcfg.pio_base = virt_map[EMU_VIRT_PCIE_PIO].base;
    pcfg.pio_size = virt_map[EMU_VIRT_PCIE_PIO].size;
    for (unsigned i = 0; i < 4; i++) {
        pcfg.intx[i] = emu_plic_irq(vb->plic, EMU_VIRT_PCIE_IRQ + i);
    }
    vb->pci = emu_pcie_host_new(m, &pcfg, error);
    return vb->pci != NULL;
}

/* ---- public ------------------------------------------------------------- */

bool emu_virt_build(EmuMachine *m, const EmuVirtConfig *cfg, GError **error)
{
    EmuVirt *vb;
    const EmuVirtMapEntry *ram = &virt_map[EMU_VIRT_DRAM];
    const EmuVirtMapEntry *rom = &virt_map[EMU_VIRT_MROM];
    uint64_t ram_size = (cfg->ram_size + 0xfff) & ~0xfffULL;

    if (m->board) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "the machine already has a board");
        return false;
    }
    if (cfg->smp < 1 || cfg->smp > EMU_MAX_HARTS) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "-smp %u: the virt board supports 1 to %u harts", cfg->smp,
                    EMU_MAX_HARTS);
        return false;
    }
    /* RAM must stay below the 64-bit PCIe window, which follows it */
    if (ram_size == 0 || ram_size > (1ULL << 40)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                    "-m %" G_GUINT64_FORMAT " MiB: RAM size must be between "
                    "4 KiB and 1 TiB",
                    cfg->ram_size >> 20);
        return false;
    }
    vb = g_new0(EmuVirt, 1);
    vb->m = m;
    vb->ram_size = ram_size;
    vb->smp = cfg->smp;
    vb->resets = g_array_new(FALSE, FALSE, sizeof(ResetHook));
    m->board = vb;

    m->ram = emu_mem_add_ram(m, "ram", ram->base, ram_size, false, error);
    if (!m->ram) {
        goto fail;
    }
    m->ram_base = ram->base;
    m->ram_size = ram_size;
    if (!emu_mem_add_ram(m, "mrom", rom->base, rom->size, true, error)) {
        goto fail;
    }
    if (cfg->serial && !m->serial) {
        m->serial = cfg->serial;
    }
    if (!create_devices(vb, cfg, error)) {
        goto fail;
    }
    for (unsigned h = 0; h < vb->smp; h++) {
        if (!emu_hart_new(m, h)) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_FAILED,
                        "cannot create hart %u", h);
            goto fail;
        }
    }
    if (!load_images(vb, cfg, error) || !build_fdt(vb, cfg, error)) {
        goto fail;
    }
    if (cfg->dumpdtb && !emu_fdt_write_file(vb->fdt, cfg->dumpdtb, error)) {
        goto fail;
    }
    build_rom(vb);
    if (!write_boot(vb, error)) {
        goto fail;
    }
    reset_harts(vb);
    return true;

fail:
    /* Regions and harts stay in the machine until emu_machine_free();
     * nothing calls into the devices before that. */
    emu_virt_free(m);
    return false;
}

bool emu_virt_reset(EmuMachine *m, GError **error)
{
    EmuVirt *vb = board(m);

    if (!vb) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID, "no board to reset");
        return false;
    }
    emu_machine_lock(m);
    emu_plic_reset(vb->plic);
    emu_clint_reset(vb->clint);
    emu_uart16550_reset(vb->uart);
    emu_goldfish_rtc_reset(vb->rtc);
    emu_pcie_host_reset(vb->pci);
    emu_virtio_slots_reset(vb->virtio);
    for (unsigned i = 0; i < vb->resets->len; i++) {
        ResetHook *r = &g_array_index(vb->resets, ResetHook, i);
        r->fn(r->opaque);
    }
    emu_machine_unlock(m);
    if (!write_boot(vb, error)) {
        return false;
    }
    reset_harts(vb);
    return true;
}

void emu_virt_free(EmuMachine *m)
{
    EmuVirt *vb = board(m);

    if (!vb) {
        return;
    }
    /* alarm timers and chardev callbacks run there */
    emu_machine_stop_io(m);
    emu_uart16550_free(vb->uart);
    emu_goldfish_rtc_free(vb->rtc);
    emu_syscon_free(vb->test);
    emu_clint_free(vb->clint);
    emu_pcie_host_free(vb->pci);
    emu_virtio_slots_free(vb->virtio);
    emu_plic_free(vb->plic);
    emu_image_free(vb->firmware);
    emu_image_free(vb->kernel);
    emu_image_free(vb->initrd);
    if (vb->fdt) {
        g_bytes_unref(vb->fdt);
    }
    g_array_unref(vb->resets);
    g_free(vb);
    m->board = NULL;
}

GBytes *emu_virt_fdt(EmuMachine *m)
{
    return board(m) ? board(m)->fdt : NULL;
}

uint64_t emu_virt_fdt_addr(EmuMachine *m)
{
    return board(m) ? board(m)->fdt_addr : 0;
}

EmuPciHost *emu_virt_pci_host(EmuMachine *m)
{
    return board(m) ? board(m)->pci : NULL;
}

EmuVirtioSlots *emu_virt_virtio_slots(EmuMachine *m)
{
    return board(m) ? board(m)->virtio : NULL;
}

EmuPlic *emu_virt_plic(EmuMachine *m)
{
    return board(m) ? board(m)->plic : NULL;
}

void emu_virt_add_reset(EmuMachine *m, void (*fn)(void *opaque), void *opaque)
{
    ResetHook r = {fn, opaque};

    if (board(m)) {
        g_array_append_val(board(m)->resets, r);
    }
}
