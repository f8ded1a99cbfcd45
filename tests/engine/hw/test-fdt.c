/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-fdt.c: the generated device tree, parsed back with libfdt. */
#include "config.h"

#include <string.h>
#include <libfdt.h>

#include "engine/hw/fdt.h"
#include "engine/hw/plic.h"
#include "hw-test.h"

#define ISA "rv64imafdc_zicsr_zifencei"

static GBytes *build(unsigned harts, bool initrd, const char *bootargs)
{
    g_autoptr(GError) err = NULL;
    static const uint8_t seed[32] = {1, 2, 3};
    EmuVirtFdtParams p = {
        .map = emu_virt_memmap(),
        .nr_harts = harts,
        .ram_size = 512ULL << 20,
        .isa = ISA,
        .bootargs = bootargs,
        .have_initrd = initrd,
        .initrd_start = 0x88000000,
        .initrd_end = 0x88123456,
        .high_mmio_base = 0x400000000ULL,
        .high_mmio_size = 0x400000000ULL,
        .rng_seed = seed,
        .rng_seed_len = sizeof(seed),
    };
    GBytes *b = emu_virt_fdt_build(&p, &err);

    g_assert_no_error(err);
    g_assert_nonnull(b);
    g_assert_cmpint(fdt_check_header(g_bytes_get_data(b, NULL)), ==, 0);
    g_assert_cmpuint(fdt_totalsize(g_bytes_get_data(b, NULL)), ==,
                     g_bytes_get_size(b));
    return b;
}

static int node(const void *fdt, const char *path)
{
    int off = fdt_path_offset(fdt, path);

    if (off < 0) {
        g_error("node %s: %s", path, fdt_strerror(off));
    }
    return off;
}

static const void *prop(const void *fdt, const char *path, const char *name,
                        int *len)
{
    const void *v = fdt_getprop(fdt, node(fdt, path), name, len);

    if (!v) {
        g_error("%s:%s missing", path, name);
    }
    return v;
}

static uint32_t cell(const void *fdt, const char *path, const char *name,
                     unsigned i)
{
    int len;
    const fdt32_t *c = prop(fdt, path, name, &len);

    g_assert_cmpint(len, >, (int)(4 * i));
    return fdt32_to_cpu(c[i]);
}

static void assert_reg(const void *fdt, const char *path, uint64_t base,
                       uint64_t size)
{
    int len;
    const fdt32_t *c = prop(fdt, path, "reg", &len);

    g_assert_cmpint(len, ==, 16);
    g_assert_cmphex((uint64_t)fdt32_to_cpu(c[0]) << 32 | fdt32_to_cpu(c[1]), ==,
                    base);
    g_assert_cmphex((uint64_t)fdt32_to_cpu(c[2]) << 32 | fdt32_to_cpu(c[3]), ==,
                    size);
}

static bool compatible(const void *fdt, const char *path, const char *c)
{
    return fdt_node_check_compatible(fdt, node(fdt, path), c) == 0;
}

static void assert_plic_irq(const void *fdt, const char *path, unsigned irq)
{
    int plic = node(fdt, "/soc/plic@c000000");

    g_assert_cmpuint(cell(fdt, path, "interrupts", 0), ==, irq);
    g_assert_cmpint(
        fdt_node_offset_by_phandle(fdt, cell(fdt, path, "interrupt-parent", 0)),
        ==, plic);
}

static void test_layout(void)
{
    g_autoptr(GBytes) b = build(2, true, "console=ttyS0 root=/dev/vda");
    const void *fdt = g_bytes_get_data(b, NULL);
    int len, intc0, intc1;
    const fdt32_t *c;
    const char *s;

    g_assert_cmpstr(prop(fdt, "/", "compatible", NULL), ==, "riscv-virtio");
    g_assert_cmpstr(prop(fdt, "/", "model", NULL), ==, "riscv-virtio,qemu");
    g_assert_cmpuint(cell(fdt, "/", "#address-cells", 0), ==, 2);

    /* cpus */
    g_assert_cmpuint(cell(fdt, "/cpus", "timebase-frequency", 0), ==, 10000000);
    for (unsigned h = 0; h < 2; h++) {
        g_autofree char *cpu = g_strdup_printf("/cpus/cpu@%u", h);
        g_autofree char *intc = g_strconcat(cpu, "/interrupt-controller", NULL);
        g_autofree char *core =
            g_strdup_printf("/cpus/cpu-map/cluster0/core%u", h);

        g_assert_cmpstr(prop(fdt, cpu, "riscv,isa", NULL), ==, ISA);
        g_assert_cmpstr(prop(fdt, cpu, "riscv,isa-base", NULL), ==, "rv64i");
        g_assert_cmpstr(prop(fdt, cpu, "mmu-type", NULL), ==, "riscv,sv48");
        g_assert_cmpstr(prop(fdt, cpu, "device_type", NULL), ==, "cpu");
        g_assert_cmpstr(prop(fdt, cpu, "status", NULL), ==, "okay");
        g_assert_cmpuint(cell(fdt, cpu, "reg", 0), ==, h);
        g_assert_true(compatible(fdt, cpu, "riscv"));
        g_assert_true(compatible(fdt, intc, "riscv,cpu-intc"));
        g_assert_cmpuint(cell(fdt, intc, "#interrupt-cells", 0), ==, 1);
        g_assert_nonnull(prop(fdt, intc, "interrupt-controller", NULL));
        g_assert_cmpint(
            fdt_node_offset_by_phandle(fdt, cell(fdt, core, "cpu", 0)), ==,
            node(fdt, cpu));
    }
    /* isa-extensions as a string list */
    c = prop(fdt, "/cpus/cpu@0", "riscv,isa-extensions", &len);
    g_assert_cmpint(fdt_stringlist_count(fdt, node(fdt, "/cpus/cpu@0"),
                                         "riscv,isa-extensions"),
                    ==, 8);
    g_assert_cmpint(fdt_stringlist_search(fdt, node(fdt, "/cpus/cpu@0"),
                                          "riscv,isa-extensions", "zifencei"),
                    ==, 7);
    g_assert_cmpint(fdt_stringlist_search(fdt, node(fdt, "/cpus/cpu@0"),
                                          "riscv,isa-extensions", "c"),
                    ==, 5);

    /* memory */
    assert_reg(fdt, "/memory@80000000", 0x80000000, 512ULL << 20);
    g_assert_cmpstr(prop(fdt, "/memory@80000000", "device_type", NULL), ==,
                    "memory");

    /* chosen */
    g_assert_cmpstr(prop(fdt, "/chosen", "bootargs", NULL), ==,
                    "console=ttyS0 root=/dev/vda");
    g_assert_cmpstr(prop(fdt, "/chosen", "stdout-path", NULL), ==,
                    "/soc/serial@10000000");
    c = prop(fdt, "/chosen", "linux,initrd-start", &len);
    g_assert_cmpint(len, ==, 8);
    g_assert_cmphex(fdt64_ld((const fdt64_t *)c), ==, 0x88000000);
    c = prop(fdt, "/chosen", "linux,initrd-end", &len);
    g_assert_cmphex(fdt64_ld((const fdt64_t *)c), ==, 0x88123456);
    prop(fdt, "/chosen", "rng-seed", &len);
    g_assert_cmpint(len, ==, 32);

    /* interrupt controllers */
    intc0 = cell(fdt, "/cpus/cpu@0/interrupt-controller", "phandle", 0);
    intc1 = cell(fdt, "/cpus/cpu@1/interrupt-controller", "phandle", 0);
    assert_reg(fdt, "/soc/plic@c000000", 0xc000000, 0x600000);
    g_assert_true(compatible(fdt, "/soc/plic@c000000", "sifive,plic-1.0.0"));
    g_assert_true(compatible(fdt, "/soc/plic@c000000", "riscv,plic0"));
    g_assert_cmpuint(cell(fdt, "/soc/plic@c000000", "riscv,ndev", 0), ==,
                     EMU_PLIC_NDEV);
    g_assert_cmpuint(cell(fdt, "/soc/plic@c000000", "#interrupt-cells", 0), ==,
                     1);
    g_assert_cmpuint(cell(fdt, "/soc/plic@c000000", "#address-cells", 0), ==,
                     0);
    c = prop(fdt, "/soc/plic@c000000", "interrupts-extended", &len);
    g_assert_cmpint(len, ==, 2 * 4 * 4);
    g_assert_cmpuint(fdt32_to_cpu(c[0]), ==, intc0);
    g_assert_cmpuint(fdt32_to_cpu(c[1]), ==, 11);
    g_assert_cmpuint(fdt32_to_cpu(c[2]), ==, intc0);
    g_assert_cmpuint(fdt32_to_cpu(c[3]), ==, 9);
    g_assert_cmpuint(fdt32_to_cpu(c[4]), ==, intc1);
    assert_reg(fdt, "/soc/clint@2000000", 0x2000000, 0x10000);
    g_assert_true(compatible(fdt, "/soc/clint@2000000", "riscv,clint0"));
    c = prop(fdt, "/soc/clint@2000000", "interrupts-extended", &len);
    g_assert_cmpint(len, ==, 2 * 4 * 4);
    g_assert_cmpuint(fdt32_to_cpu(c[1]), ==, 3);
    g_assert_cmpuint(fdt32_to_cpu(c[3]), ==, 7);
    g_assert_cmpuint(fdt32_to_cpu(c[6]), ==, intc1);

    /* devices */
    assert_reg(fdt, "/soc/serial@10000000", 0x10000000, 0x100);
    g_assert_true(compatible(fdt, "/soc/serial@10000000", "ns16550a"));
    g_assert_cmpuint(cell(fdt, "/soc/serial@10000000", "clock-frequency", 0),
                     ==, 0x384000);
    assert_plic_irq(fdt, "/soc/serial@10000000", 10);
    assert_reg(fdt, "/soc/rtc@101000", 0x101000, 0x1000);
    g_assert_true(compatible(fdt, "/soc/rtc@101000", "google,goldfish-rtc"));
    assert_plic_irq(fdt, "/soc/rtc@101000", 11);
    assert_reg(fdt, "/soc/test@100000", 0x100000, 0x1000);
    g_assert_true(compatible(fdt, "/soc/test@100000", "sifive,test1"));
    g_assert_true(compatible(fdt, "/soc/test@100000", "sifive,test0"));
    g_assert_true(compatible(fdt, "/soc/test@100000", "syscon"));
    for (unsigned i = 0; i < 8; i++) {
        g_autofree char *v =
            g_strdup_printf("/soc/virtio_mmio@%x", 0x10001000 + i * 0x1000);
        assert_reg(fdt, v, 0x10001000 + i * 0x1000, 0x1000);
        g_assert_true(compatible(fdt, v, "virtio,mmio"));
        assert_plic_irq(fdt, v, 1 + i);
    }
    /* QEMU's order: the highest virtio slot first */
    g_assert_cmpstr(
        fdt_get_name(fdt, fdt_next_subnode(fdt, node(fdt, "/soc/pci@30000000")),
                     NULL),
        ==, "virtio_mmio@10008000");

    /* poweroff / reboot through the test device */
    s = prop(fdt, "/poweroff", "compatible", NULL);
    g_assert_cmpstr(s, ==, "syscon-poweroff");
    g_assert_cmphex(cell(fdt, "/poweroff", "value", 0), ==, 0x5555);
    g_assert_cmphex(cell(fdt, "/poweroff", "offset", 0), ==, 0);
    g_assert_cmpint(
        fdt_node_offset_by_phandle(fdt, cell(fdt, "/poweroff", "regmap", 0)),
        ==, node(fdt, "/soc/test@100000"));
    g_assert_cmphex(cell(fdt, "/reboot", "value", 0), ==, 0x7777);
    g_assert_true(compatible(fdt, "/reboot", "syscon-reboot"));
}

static void test_pci(void)
{
    g_autoptr(GBytes) b = build(1, false, NULL);
    const void *fdt = g_bytes_get_data(b, NULL);
    const char *pci = "/soc/pci@30000000";
    uint32_t plic = cell(fdt, "/soc/plic@c000000", "phandle", 0);
    const fdt32_t *c;
    int len;
    static const uint32_t ranges[] = {
        0x01000000, 0, 0,          0, 0x3000000,  0, 0x10000,
        0x02000000, 0, 0x40000000, 0, 0x40000000, 0, 0x40000000,
        0x03000000, 4, 0,          4, 0,          4, 0,
    };

    g_assert_true(compatible(fdt, pci, "pci-host-ecam-generic"));
    g_assert_cmpstr(prop(fdt, pci, "device_type", NULL), ==, "pci");
    assert_reg(fdt, pci, 0x30000000, 0x10000000);
    g_assert_cmpuint(cell(fdt, pci, "bus-range", 0), ==, 0);
    g_assert_cmpuint(cell(fdt, pci, "bus-range", 1), ==, 255);
    g_assert_cmpuint(cell(fdt, pci, "#address-cells", 0), ==, 3);
    g_assert_cmpuint(cell(fdt, pci, "#size-cells", 0), ==, 2);
    g_assert_cmpuint(cell(fdt, pci, "#interrupt-cells", 0), ==, 1);
    g_assert_cmpuint(cell(fdt, pci, "linux,pci-domain", 0), ==, 0);
    g_assert_nonnull(prop(fdt, pci, "dma-coherent", NULL));
    c = prop(fdt, pci, "ranges", &len);
    g_assert_cmpint(len, ==, sizeof(ranges));
    for (unsigned i = 0; i < G_N_ELEMENTS(ranges); i++) {
        g_assert_cmphex(fdt32_to_cpu(c[i]), ==, ranges[i]);
    }
    c = prop(fdt, pci, "interrupt-map-mask", &len);
    g_assert_cmpint(len, ==, 16);
    g_assert_cmphex(fdt32_to_cpu(c[0]), ==, 0x1800);
    g_assert_cmphex(fdt32_to_cpu(c[3]), ==, 7);
    c = prop(fdt, pci, "interrupt-map", &len);
    g_assert_cmpint(len, ==, 16 * 6 * 4);
    for (unsigned slot = 0; slot < 4; slot++) {
        for (unsigned pin = 1; pin <= 4; pin++) {
            const fdt32_t *e = c + 6 * (4 * slot + pin - 1);

            g_assert_cmphex(fdt32_to_cpu(e[0]), ==, slot << 11);
            g_assert_cmpuint(fdt32_to_cpu(e[3]), ==, pin);
            g_assert_cmpuint(fdt32_to_cpu(e[4]), ==, plic);
            g_assert_cmpuint(fdt32_to_cpu(e[5]), ==, 32 + (slot + pin - 1) % 4);
        }
    }
    /* no initrd, no bootargs: no such properties */
    g_assert_null(
        fdt_getprop(fdt, node(fdt, "/chosen"), "linux,initrd-start", NULL));
    g_assert_null(fdt_getprop(fdt, node(fdt, "/chosen"), "bootargs", NULL));
}

static void test_isa_g_and_file(void)
{
    g_autoptr(GError) err = NULL;
    EmuVirtFdtParams p = {
        .map = emu_virt_memmap(),
        .nr_harts = 8,
        .ram_size = 1ULL << 30,
        .isa = "rv64gc_sstc",
    };
    g_autoptr(GBytes) b = emu_virt_fdt_build(&p, &err);
    g_autofree char *dir = g_dir_make_tmp("vmkit-fdt-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "virt.dtb", NULL);
    g_autofree char *back = NULL;
    gsize len;
    const void *fdt;

    g_assert_no_error(err);
    fdt = g_bytes_get_data(b, NULL);
    g_assert_cmpint(fdt_stringlist_count(fdt, node(fdt, "/cpus/cpu@7"),
                                         "riscv,isa-extensions"),
                    ==, 9);
    g_assert_cmpint(fdt_stringlist_search(fdt, node(fdt, "/cpus/cpu@7"),
                                          "riscv,isa-extensions", "sstc"),
                    ==, 8);
    g_assert_cmpint(fdt_stringlist_search(fdt, node(fdt, "/cpus/cpu@7"),
                                          "riscv,isa-extensions", "zicsr"),
                    >=, 0);

    g_assert_true(emu_fdt_write_file(b, path, &err));
    g_assert_true(g_file_get_contents(path, &back, &len, NULL));
    g_assert_cmpmem(back, len, fdt, g_bytes_get_size(b));
    g_unlink(path);
    g_rmdir(dir);

    p.nr_harts = 0;
    g_assert_null(emu_virt_fdt_build(&p, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_INVALID);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hw/fdt/layout", test_layout);
    g_test_add_func("/hw/fdt/pci", test_pci);
    g_test_add_func("/hw/fdt/isa-g-and-file", test_isa_g_and_file);
    return g_test_run();
}
