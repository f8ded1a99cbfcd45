/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdt.c: builds the virt board's device tree with libfdt's sequential
 * writer, node for node as QEMU's hw/riscv/virt.c lays it out (Devicetree
 * Specification v0.4; Linux bindings riscv/cpus.yaml, riscv/extensions.yaml,
 * interrupt-controller/sifive,plic-1.0.0.yaml, timer/sifive,clint.yaml,
 * pci/host-generic-pci.yaml, power/reset/syscon-{poweroff,reboot}.yaml). */
#include "config.h"

#include <string.h>
#include <libfdt.h>

#include "emu-error.h"
#include "engine/hw/fdt.h"
#include "engine/hw/plic.h"

#define IRQ_M_SOFT  3
#define IRQ_M_TIMER 7
#define IRQ_S_EXT   9
#define IRQ_M_EXT   11

/* Every libfdt call funnels its status here; the first error sticks. */
typedef struct Fdt {
    void *buf;
    int err;
    const EmuVirtFdtParams *p;
} Fdt;

static void check(Fdt *f, int r)
{
    if (r < 0 && !f->err) {
        f->err = r;
    }
}

static void begin(Fdt *f, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void begin(Fdt *f, const char *fmt, ...)
{
    g_autofree char *name = NULL;
    va_list ap;

    va_start(ap, fmt);
    name = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    check(f, fdt_begin_node(f->buf, name));
}

static void end(Fdt *f)
{
    check(f, fdt_end_node(f->buf));
}

static void prop_u32(Fdt *f, const char *name, uint32_t v)
{
    check(f, fdt_property_u32(f->buf, name, v));
}

static void prop_u64(Fdt *f, const char *name, uint64_t v)
{
    check(f, fdt_property_u64(f->buf, name, v));
}

static void prop_str(Fdt *f, const char *name, const char *s)
{
    check(f, fdt_property_string(f->buf, name, s));
}

static void prop_empty(Fdt *f, const char *name)
{
    check(f, fdt_property(f->buf, name, NULL, 0));
}

static void prop_cells(Fdt *f, const char *name, const uint32_t *cells,
                       unsigned n)
{
    g_autofree fdt32_t *be = g_new(fdt32_t, n ? n : 1);

    for (unsigned i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    check(f, fdt_property(f->buf, name, be, n * sizeof(fdt32_t)));
}

/* A string list ("a\0b\0c\0") from a NULL-terminated array. */
static void prop_strlist(Fdt *f, const char *name, const char *const *list)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (unsigned i = 0; list[i]; i++) {
        g_string_append_len(s, list[i], strlen(list[i]) + 1);
    }
    check(f, fdt_property(f->buf, name, s->str, s->len));
}

/* reg = <base size> with #address-cells = #size-cells = 2 */
static void prop_reg(Fdt *f, uint64_t base, uint64_t size)
{
    uint32_t c[4] = {base >> 32, (uint32_t)base, size >> 32, (uint32_t)size};

    prop_cells(f, "reg", c, 4);
}

/*
 * riscv,isa-base and riscv,isa-extensions (bindings riscv/extensions.yaml)
 * derived from the ISA string, so the two forms never disagree: single
 * letters after "rv64" (g = imafd + zicsr + zifencei), then the
 * underscore-separated multi-letter extensions.
 */
static void prop_isa(Fdt *f, const char *isa)
{
    g_autoptr(GString) exts = g_string_new(NULL);
    g_autofree char *lower = g_ascii_strdown(isa, -1);
    g_auto(GStrv) parts = g_strsplit(lower, "_", -1);
    const char *letters = parts[0];
    g_autofree char *base = NULL;

    if (g_str_has_prefix(letters, "rv64") ||
        g_str_has_prefix(letters, "rv32")) {
        base = g_strndup(letters, 4);
        letters += 4;
    } else {
        base = g_strdup("rv64");
    }
    {
        g_autofree char *isa_base = g_strconcat(base, "i", NULL);
        prop_str(f, "riscv,isa-base", isa_base);
    }
    for (const char *c = letters; *c; c++) {
        if (*c == 'g') {
            static const char *const g[] = {"i", "m",     "a",       "f",
                                            "d", "zicsr", "zifencei"};

            for (unsigned i = 0; i < G_N_ELEMENTS(g); i++) {
                g_string_append_len(exts, g[i], strlen(g[i]) + 1);
            }
        } else {
            g_string_append_c(exts, *c);
            g_string_append_c(exts, '\0');
        }
    }
    for (unsigned i = 1; parts[i]; i++) {
        if (*parts[i]) {
            g_string_append_len(exts, parts[i], strlen(parts[i]) + 1);
        }
    }
    check(f,
          fdt_property(f->buf, "riscv,isa-extensions", exts->str, exts->len));
}

static void cpus_node(Fdt *f)
{
    const EmuVirtFdtParams *p = f->p;
    unsigned n = p->nr_harts;

    begin(f, "cpus");
    prop_u32(f, "#address-cells", 1);
    prop_u32(f, "#size-cells", 0);
    prop_u32(f, "timebase-frequency", EMU_TIMEBASE_HZ);
    for (unsigned h = 0; h < n; h++) {
        begin(f, "cpu@%u", h);
        prop_u32(f, "phandle", EMU_FDT_CPU_PHANDLE(n, h));
        prop_str(f, "device_type", "cpu");
        prop_u32(f, "reg", h);
        prop_str(f, "status", "okay");
        prop_str(f, "compatible", "riscv");
        prop_str(f, "riscv,isa", p->isa);
        prop_isa(f, p->isa);
        prop_str(f, "mmu-type", p->mmu_type ? p->mmu_type : "riscv,sv48");
        begin(f, "interrupt-controller");
        prop_u32(f, "#interrupt-cells", 1);
        prop_empty(f, "interrupt-controller");
        prop_str(f, "compatible", "riscv,cpu-intc");
        prop_u32(f, "phandle", EMU_FDT_INTC_PHANDLE(n, h));
        end(f);
        end(f);
    }
    begin(f, "cpu-map");
    begin(f, "cluster0");
    for (unsigned h = 0; h < n; h++) {
        begin(f, "core%u", h);
        prop_u32(f, "cpu", EMU_FDT_CPU_PHANDLE(n, h));
        end(f);
    }
    end(f);
    end(f);
    end(f);
}

/* A device on the PLIC: interrupt-parent + one-cell interrupts. */
static void plic_irq(Fdt *f, unsigned irq)
{
    prop_u32(f, "interrupts", irq);
    prop_u32(f, "interrupt-parent", EMU_FDT_PLIC_PHANDLE(f->p->nr_harts));
}

static void simple_node(Fdt *f, const EmuVirtMapEntry *e, uint64_t base,
                        unsigned irq)
{
    begin(f, "%s@%" G_GINT64_MODIFIER "x", e->node, base);
    if (irq) {
        plic_irq(f, irq);
    }
    prop_reg(f, base, e->size);
    prop_strlist(f, "compatible", e->compat);
}

static void pci_node(Fdt *f)
{
    const EmuVirtFdtParams *p = f->p;
    const EmuVirtMapEntry *ecam = &p->map[EMU_VIRT_PCIE_ECAM];
    const EmuVirtMapEntry *pio = &p->map[EMU_VIRT_PCIE_PIO];
    const EmuVirtMapEntry *mmio = &p->map[EMU_VIRT_PCIE_MMIO];
    uint32_t plic = EMU_FDT_PLIC_PHANDLE(p->nr_harts);
    uint32_t map[4 * 4 * 6];
    uint32_t ranges[3 * 7];
    unsigned nr = 0, i = 0;

    begin(f, "%s@%" G_GINT64_MODIFIER "x", ecam->node, ecam->base);
    /* interrupt-map: 4 slots x 4 pins, the standard swizzle; the mask
     * (slot bits 0x1800 of phys.hi, and the pin) makes it repeat for
     * every further slot */
    prop_cells(f, "interrupt-map-mask", (uint32_t[]){0x1800, 0, 0, 7}, 4);
    for (unsigned slot = 0; slot < 4; slot++) {
        for (unsigned pin = 1; pin <= 4; pin++) {
            map[i++] = slot << 11; /* devfn << 8 */
            map[i++] = 0;
            map[i++] = 0;
            map[i++] = pin;
            map[i++] = plic;
            map[i++] = EMU_VIRT_PCIE_IRQ + (slot + pin - 1) % 4;
        }
    }
    prop_cells(f, "interrupt-map", map, i);
    /* ranges: I/O at bus 0, 32-bit MMIO identity, 64-bit MMIO identity */
    ranges[nr++] = 0x01000000;
    ranges[nr++] = 0;
    ranges[nr++] = 0;
    ranges[nr++] = pio->base >> 32;
    ranges[nr++] = (uint32_t)pio->base;
    ranges[nr++] = pio->size >> 32;
    ranges[nr++] = (uint32_t)pio->size;
    ranges[nr++] = 0x02000000;
    ranges[nr++] = mmio->base >> 32;
    ranges[nr++] = (uint32_t)mmio->base;
    ranges[nr++] = mmio->base >> 32;
    ranges[nr++] = (uint32_t)mmio->base;
    ranges[nr++] = mmio->size >> 32;
    ranges[nr++] = (uint32_t)mmio->size;
    if (p->high_mmio_size) {
        ranges[nr++] = 0x03000000;
        ranges[nr++] = p->high_mmio_base >> 32;
        ranges[nr++] = (uint32_t)p->high_mmio_base;
        ranges[nr++] = p->high_mmio_base >> 32;
        ranges[nr++] = (uint32_t)p->high_mmio_base;
        ranges[nr++] = p->high_mmio_size >> 32;
        ranges[nr++] = (uint32_t)p->high_mmio_size;
    }
    prop_cells(f, "ranges", ranges, nr);
    prop_reg(f, ecam->base, ecam->size);
    prop_empty(f, "dma-coherent");
    prop_cells(f, "bus-range", (uint32_t[]){0, (ecam->size >> 20) - 1}, 2);
    prop_u32(f, "linux,pci-domain", 0);
    prop_str(f, "device_type", "pci");
    prop_strlist(f, "compatible", ecam->compat);
    prop_u32(f, "#size-cells", 2);
    prop_u32(f, "#interrupt-cells", 1);
    prop_u32(f, "#address-cells", 3);
    end(f);
}

static void soc_node(Fdt *f)
{
    const EmuVirtFdtParams *p = f->p;
    const EmuVirtMapEntry *map = p->map;
    unsigned n = p->nr_harts;
    g_autofree uint32_t *cells = g_new(uint32_t, 4 * n);
    const EmuVirtMapEntry *e;

    begin(f, "soc");
    prop_u32(f, "#address-cells", 2);
    prop_u32(f, "#size-cells", 2);
    prop_str(f, "compatible", "simple-bus");
    prop_empty(f, "ranges");

    e = &map[EMU_VIRT_RTC];
    simple_node(f, e, e->base, e->irq);
    end(f);

    e = &map[EMU_VIRT_UART0];
    simple_node(f, e, e->base, e->irq);
    prop_u32(f, "clock-frequency", 3686400);
    end(f);

    e = &map[EMU_VIRT_TEST];
    simple_node(f, e, e->base, 0);
    prop_u32(f, "phandle", EMU_FDT_TEST_PHANDLE(n));
    end(f);

    pci_node(f);

    /* virtio-mmio from the highest slot down, as in QEMU's tree: Linux
     * probes in this order, and transports claim the highest slot first */
    e = &map[EMU_VIRT_VIRTIO];
    for (unsigned i = e->count; i-- > 0;) {
        simple_node(f, e, e->base + i * e->size, e->irq + i);
        end(f);
    }

    e = &map[EMU_VIRT_PLIC];
    begin(f, "%s@%" G_GINT64_MODIFIER "x", e->node, e->base);
    prop_u32(f, "phandle", EMU_FDT_PLIC_PHANDLE(n));
    prop_u32(f, "riscv,ndev", EMU_PLIC_NDEV);
    prop_reg(f, e->base, e->size);
    for (unsigned h = 0; h < n; h++) {
        cells[4 * h + 0] = EMU_FDT_INTC_PHANDLE(n, h);
        cells[4 * h + 1] = IRQ_M_EXT;
        cells[4 * h + 2] = EMU_FDT_INTC_PHANDLE(n, h);
        cells[4 * h + 3] = IRQ_S_EXT;
    }
    prop_cells(f, "interrupts-extended", cells, 4 * n);
    prop_empty(f, "interrupt-controller");
    prop_strlist(f, "compatible", e->compat);
    prop_u32(f, "#address-cells", 0);
    prop_u32(f, "#interrupt-cells", 1);
    end(f);

    e = &map[EMU_VIRT_CLINT];
    begin(f, "%s@%" G_GINT64_MODIFIER "x", e->node, e->base);
    for (unsigned h = 0; h < n; h++) {
        cells[4 * h + 0] = EMU_FDT_INTC_PHANDLE(n, h);
        cells[4 * h + 1] = IRQ_M_SOFT;
        cells[4 * h + 2] = EMU_FDT_INTC_PHANDLE(n, h);
        cells[4 * h + 3] = IRQ_M_TIMER;
    }
    prop_cells(f, "interrupts-extended", cells, 4 * n);
    prop_reg(f, e->base, e->size);
    prop_strlist(f, "compatible", e->compat);
    end(f);

    end(f);
}

static void syscon_action(Fdt *f, const char *name, const char *compat,
                          uint32_t value)
{
    begin(f, "%s", name);
    prop_u32(f, "value", value);
    prop_u32(f, "offset", 0);
    prop_u32(f, "regmap", EMU_FDT_TEST_PHANDLE(f->p->nr_harts));
    prop_str(f, "compatible", compat);
    end(f);
}

static void build(Fdt *f)
{
    const EmuVirtFdtParams *p = f->p;
    const EmuVirtMapEntry *map = p->map;
    g_autofree char *stdout_path =
        g_strdup_printf("/soc/%s@%" G_GINT64_MODIFIER "x",
                        map[EMU_VIRT_UART0].node, map[EMU_VIRT_UART0].base);

    check(f, fdt_finish_reservemap(f->buf));
    begin(f, "%s", "");
    prop_u32(f, "#address-cells", 2);
    prop_u32(f, "#size-cells", 2);
    prop_str(f, "compatible", "riscv-virtio");
    prop_str(f, "model", "riscv-virtio,qemu");

    begin(f, "chosen");
    if (p->have_initrd) {
        prop_u64(f, "linux,initrd-end", p->initrd_end);
        prop_u64(f, "linux,initrd-start", p->initrd_start);
    }
    if (p->rng_seed && p->rng_seed_len) {
        check(f,
              fdt_property(f->buf, "rng-seed", p->rng_seed, p->rng_seed_len));
    }
    if (p->bootargs) {
        prop_str(f, "bootargs", p->bootargs);
    }
    prop_str(f, "stdout-path", stdout_path);
    end(f);

    syscon_action(f, "poweroff", "syscon-poweroff", 0x5555);
    syscon_action(f, "reboot", "syscon-reboot", 0x7777);

    begin(f, "memory@%" G_GINT64_MODIFIER "x", map[EMU_VIRT_DRAM].base);
    prop_str(f, "device_type", "memory");
    prop_reg(f, map[EMU_VIRT_DRAM].base, p->ram_size);
    end(f);

    cpus_node(f);
    soc_node(f);
    end(f);
    check(f, fdt_finish(f->buf));
}

GBytes *emu_virt_fdt_build(const EmuVirtFdtParams *p, GError **error)
{
    size_t size = 64 * 1024;

    if (p->nr_harts == 0 || p->nr_harts > EMU_MAX_HARTS || !p->isa) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "device tree: bad hart count %u or no ISA string",
                    p->nr_harts);
        return NULL;
    }
    for (;;) {
        Fdt f = {.buf = g_malloc0(size), .p = p};

        check(&f, fdt_create(f.buf, size));
        if (!f.err) {
            build(&f);
        }
        if (!f.err) {
            return g_bytes_new_take(f.buf, fdt_totalsize(f.buf));
        }
        g_free(f.buf);
        if (f.err != -FDT_ERR_NOSPACE || size >= 16 * 1024 * 1024) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_FAILED, "device tree: %s",
                        fdt_strerror(f.err));
            return NULL;
        }
        size *= 2;
    }
}

bool emu_fdt_write_file(GBytes *blob, const char *path, GError **error)
{
    gsize len;
    const char *data = g_bytes_get_data(blob, &len);
    GError *err = NULL;

    if (!g_file_set_contents(path, data, len, &err)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "cannot write the device tree: %s", err->message);
        g_error_free(err);
        return false;
    }
    return true;
}
