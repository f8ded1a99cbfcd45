/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-virt.c: the whole board — memory map, MROM reset vector and
 * fw_dynamic info, image placement, device tree in RAM, reset, errors,
 * and a bare-metal program run on the harts from the reset vector. */
#include "config.h"

#include <string.h>
#include <libfdt.h>

#include "engine/cpu/riscv/hart-api.h"
#include "engine/hw/virt.h"
#include "hw-test.h"

#define RAM 0x80000000ULL

typedef struct {
    char *dir;
} TmpDir;

static char *write_tmp(TmpDir *t, const char *name, const void *data,
                       size_t len)
{
    char *path = g_build_filename(t->dir, name, NULL);

    g_assert_true(g_file_set_contents(path, data, len, NULL));
    return path;
}

static void tmp_init(TmpDir *t)
{
    t->dir = g_dir_make_tmp("vmkit-virt-XXXXXX", NULL);
    g_assert_nonnull(t->dir);
}

static void tmp_fini(TmpDir *t)
{
    g_autoptr(GDir) d = g_dir_open(t->dir, 0, NULL);
    const char *n;

    while (d && (n = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(t->dir, n, NULL);
        g_unlink(p);
    }
    g_rmdir(t->dir);
    g_free(t->dir);
}

static uint64_t rd64(EmuMachine *m, uint64_t addr)
{
    uint64_t v;

    g_assert_true(emu_mem_read(m, addr, &v, 8));
    return GUINT64_FROM_LE(v);
}

static uint32_t rdm32(EmuMachine *m, uint64_t addr)
{
    uint32_t v;

    g_assert_true(emu_mem_read(m, addr, &v, 4));
    return GUINT32_FROM_LE(v);
}

static const char *region_name(EmuMachine *m, uint64_t addr)
{
    EmuRegion *r = emu_mem_find(m, addr);

    return r ? r->name : NULL;
}

static uint64_t chosen_u64(const void *fdt, const char *name)
{
    int len;
    const fdt64_t *p =
        fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), name, &len);

    g_assert_nonnull(p);
    g_assert_cmpint(len, ==, 8);
    return fdt64_ld(p);
}

static void test_bare_kernel(void)
{
    g_autoptr(GError) err = NULL;
    TmpDir t;
    g_autofree char *kernel = NULL, *initrd = NULL, *dtb = NULL;
    g_autofree char *dumped = NULL;
    EmuMachine *m = emu_machine_new();
    EmuVirtConfig cfg = {
        .ram_size = 128ULL << 20,
        .smp = 2,
        .bios = "none",
        .append = "console=ttyS0",
    };
    uint64_t fdt_addr;
    const void *fdt;
    gsize len;
    uint8_t back[16];

    tmp_init(&t);
    kernel = write_tmp(&t, "kernel.bin", "\x6f\x00\x00\x00kernel!", 11);
    initrd = write_tmp(&t, "initrd", "INITRD-CONTENT", 14);
    dtb = g_build_filename(t.dir, "out.dtb", NULL);
    cfg.kernel = kernel;
    cfg.initrd = initrd;
    cfg.dumpdtb = dtb;
    g_assert_true(emu_virt_build(m, &cfg, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(m->nr_harts, ==, 2);

    /* the memory map */
    g_assert_cmpstr(region_name(m, 0x1000), ==, "mrom");
    g_assert_cmpstr(region_name(m, 0x100000), ==, "test");
    g_assert_cmpstr(region_name(m, 0x101000), ==, "rtc");
    g_assert_cmpstr(region_name(m, 0x2000000), ==, "clint");
    g_assert_cmpstr(region_name(m, 0x3000000), ==, "pcie-pio");
    g_assert_cmpstr(region_name(m, 0xc000000), ==, "plic");
    g_assert_cmpstr(region_name(m, 0x10000000), ==, "uart0");
    g_assert_cmpstr(region_name(m, 0x10001000), ==, "virtio-mmio.0");
    g_assert_cmpstr(region_name(m, 0x10008000), ==, "virtio-mmio.7");
    g_assert_cmpstr(region_name(m, 0x30000000), ==, "pcie-ecam");
    g_assert_cmpstr(region_name(m, 0x40000000), ==, "pcie-mmio");
    g_assert_cmpstr(region_name(m, 0x400000000ULL), ==, "pcie-mmio-high");
    g_assert_cmpstr(region_name(m, RAM), ==, "ram");
    g_assert_null(emu_mem_find(m, RAM + (128ULL << 20)));
    g_assert_true(m->ram == emu_mem_find(m, RAM));
    g_assert_cmphex(m->ram_base, ==, RAM);
    g_assert_cmphex(m->ram_size, ==, 128ULL << 20);
    /* devices answer through the map */
    g_assert_cmphex(rd32(m, 0x10008000), ==, 0x74726976);
    g_assert_cmphex(rd32(m, 0x30000000), ==, 0x00081b36);
    g_assert_cmphex(rd8(m, 0x10000005), ==, 0x60);

    /* MROM: QEMU's reset vector, then start address and FDT address */
    g_assert_cmphex(rdm32(m, 0x1000), ==, 0x00000297);
    g_assert_cmphex(rdm32(m, 0x1004), ==, 0x02828613);
    g_assert_cmphex(rdm32(m, 0x1008), ==, 0xf1402573);
    g_assert_cmphex(rdm32(m, 0x100c), ==, 0x0202b583);
    g_assert_cmphex(rdm32(m, 0x1010), ==, 0x0182b283);
    g_assert_cmphex(rdm32(m, 0x1014), ==, 0x00028067);
    /* -bios none: the kernel runs in M-mode from RAM base */
    g_assert_cmphex(rd64(m, 0x1018), ==, RAM);
    fdt_addr = rd64(m, 0x1020);
    g_assert_cmphex(fdt_addr, ==, emu_virt_fdt_addr(m));
    g_assert_cmphex(rd64(m, 0x1028), ==, 0x4942534f);
    g_assert_cmphex(rd64(m, 0x1030), ==, 2);
    g_assert_cmphex(rd64(m, 0x1040), ==, 1);

    /* FDT at the end of RAM, 2 MiB aligned */
    fdt = g_bytes_get_data(emu_virt_fdt(m), &len);
    g_assert_cmphex(fdt_addr & ((2 << 20) - 1), ==, 0);
    g_assert_cmphex(fdt_addr, ==,
                    (RAM + (128ULL << 20) - len) & ~((2ULL << 20) - 1));
    g_assert_cmphex(GUINT32_FROM_BE(GUINT32_TO_LE(rdm32(m, fdt_addr))), ==,
                    0xd00dfeed);
    g_assert_true(emu_mem_read(m, fdt_addr, back, sizeof(back)));
    g_assert_cmpmem(back, sizeof(back), fdt, sizeof(back));
    g_assert_cmpstr(
        fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", NULL), ==,
        "console=ttyS0");
    g_assert_cmpstr(fdt_getprop(fdt, fdt_path_offset(fdt, "/cpus/cpu@0"),
                                "riscv,isa", NULL),
                    ==, emu_riscv_isa_string());
    g_assert_cmpint(fdt_path_offset(fdt, "/cpus/cpu@1"), >=, 0);
    g_assert_cmpint(fdt_path_offset(fdt, "/cpus/cpu@2"), <, 0);

    /* images: kernel at RAM base, initrd at entry + min(RAM/2, 128 MiB) */
    g_assert_true(emu_mem_read(m, RAM, back, 11));
    g_assert_cmpmem(back, 11, "\x6f\x00\x00\x00kernel!", 11);
    g_assert_cmphex(chosen_u64(fdt, "linux,initrd-start"), ==,
                    RAM + (64ULL << 20));
    g_assert_cmphex(chosen_u64(fdt, "linux,initrd-end"), ==,
                    RAM + (64ULL << 20) + 14);
    g_assert_true(emu_mem_read(m, RAM + (64ULL << 20), back, 14));
    g_assert_cmpmem(back, 14, "INITRD-CONTENT", 14);

    /* -dumpdtb */
    g_assert_true(g_file_get_contents(dtb, &dumped, &len, NULL));
    g_assert_cmpmem(dumped, len, fdt, g_bytes_get_size(emu_virt_fdt(m)));

    /* reset rewrites clobbered images and the MROM */
    g_assert_true(emu_mem_write(m, RAM, "XXXX", 4));
    g_assert_true(emu_mem_write(m, 0x1000, "XXXX", 4));
    g_assert_true(emu_virt_reset(m, &err));
    g_assert_true(emu_mem_read(m, RAM, back, 11));
    g_assert_cmpmem(back, 11, "\x6f\x00\x00\x00kernel!", 11);
    g_assert_cmphex(rdm32(m, 0x1000), ==, 0x00000297);

    emu_virt_free(m);
    emu_machine_free(m);
    tmp_fini(&t);
}

static void test_with_firmware(void)
{
    g_autoptr(GError) err = NULL;
    TmpDir t;
    g_autofree char *fw = NULL, *kernel = NULL;
    EmuMachine *m = emu_machine_new();
    EmuVirtConfig cfg = {.ram_size = 256ULL << 20, .smp = 1};
    uint8_t hdr[0x40] = {0};
    uint8_t back[4];

    tmp_init(&t);
    fw = write_tmp(&t, "fw_dynamic.bin", "FIRMWARE", 8);
    hdr[0] = 'M';
    hdr[1] = 'Z';
    hdr[0x12] = 0x10; /* image_size 1 MiB */
    memcpy(hdr + 0x38, "RSC\x05", 4);
    kernel = write_tmp(&t, "Image", hdr, sizeof(hdr));
    cfg.bios = fw;
    cfg.kernel = kernel;
    g_assert_true(emu_virt_build(m, &cfg, &err));
    g_assert_no_error(err);

    /* firmware at RAM base, kernel 2 MiB after it */
    g_assert_true(emu_mem_read(m, RAM, back, 4));
    g_assert_cmpmem(back, 4, "FIRM", 4);
    g_assert_true(emu_mem_read(m, RAM + 0x200000, back, 2));
    g_assert_cmpmem(back, 2, "MZ", 2);
    g_assert_cmphex(rd64(m, 0x1018), ==, RAM);                 /* start */
    g_assert_cmphex(rd64(m, 0x1028 + 16), ==, RAM + 0x200000); /* next */
    g_assert_cmphex(rd64(m, 0x1028 + 24), ==, 1);              /* S-mode */
    g_assert_cmphex(rd64(m, 0x1028 + 40), ==, ~0ULL);          /* any hart */
    emu_virt_free(m);
    emu_machine_free(m);

    /* the default firmware comes from the guest cache */
    {
        g_autofree char *images = g_build_filename(t.dir, "images", NULL);
        g_autofree char *cached =
            g_build_filename(images, "fw_dynamic.bin", NULL);
        g_autofree char *found = NULL;

        g_assert_cmpint(g_mkdir(images, 0700), ==, 0);
        g_assert_true(g_file_set_contents(cached, "CACHEDFW", 8, NULL));
        g_setenv("VMKIT_GUEST_CACHE", t.dir, TRUE);
        found = emu_virt_default_bios(&err);
        g_assert_no_error(err);
        g_assert_cmpstr(found, ==, cached);

        m = emu_machine_new();
        cfg.bios = NULL;
        cfg.kernel = NULL;
        g_assert_true(emu_virt_build(m, &cfg, &err));
        g_assert_true(emu_mem_read(m, RAM, back, 4));
        g_assert_cmpmem(back, 4, "CACH", 4);
        /* no kernel: OpenSBI is still told where one would be */
        g_assert_cmphex(rd64(m, 0x1028 + 16), ==, RAM + 0x200000);
        emu_virt_free(m);
        emu_machine_free(m);
        g_unlink(cached);
        g_rmdir(images);
        g_unsetenv("VMKIT_GUEST_CACHE");
    }
    tmp_fini(&t);
}

static void test_errors(void)
{
    g_autoptr(GError) err = NULL;
    TmpDir t;
    g_autofree char *big = NULL;
    g_autofree char *zeros = g_malloc0(3 << 20);
    EmuMachine *m;
    EmuVirtConfig cfg = {.ram_size = 2ULL << 20, .smp = 1, .bios = "none"};

    tmp_init(&t);
    big = write_tmp(&t, "big", zeros, 3 << 20);

    /* missing kernel: named */
    m = emu_machine_new();
    cfg.kernel = "/nonexistent/vmkit-kernel";
    g_assert_false(emu_virt_build(m, &cfg, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_NOT_FOUND);
    g_assert_nonnull(strstr(err->message, "/nonexistent/vmkit-kernel"));
    g_assert_null(m->board);
    g_clear_error(&err);
    emu_machine_free(m);

    /* too big for RAM */
    m = emu_machine_new();
    cfg.kernel = big;
    g_assert_false(emu_virt_build(m, &cfg, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_TOO_BIG);
    g_assert_nonnull(strstr(err->message, "does not fit in RAM"));
    g_clear_error(&err);
    emu_machine_free(m);

    /* kernel fits, but then the device tree has no room */
    m = emu_machine_new();
    cfg.ram_size = 3ULL << 20;
    g_assert_false(emu_virt_build(m, &cfg, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_TOO_BIG);
    g_clear_error(&err);
    emu_machine_free(m);

    /* bad -smp, absurd -m */
    m = emu_machine_new();
    cfg.kernel = NULL;
    cfg.smp = 9;
    g_assert_false(emu_virt_build(m, &cfg, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_INVALID);
    g_clear_error(&err);
    cfg.smp = 1;
    cfg.ram_size = 1ULL << 50;
    g_assert_false(emu_virt_build(m, &cfg, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_TOO_BIG);
    g_clear_error(&err);
    emu_machine_free(m);

    /* no firmware anywhere */
    if (!g_file_test(
            "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
            G_FILE_TEST_EXISTS) &&
        !g_file_test("/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin",
                     G_FILE_TEST_EXISTS)) {
        g_setenv("VMKIT_GUEST_CACHE", t.dir, TRUE);
        g_assert_null(emu_virt_default_bios(&err));
        g_assert_error(err, EMU_ERROR, EMU_ERROR_NOT_FOUND);
        g_clear_error(&err);
        g_unsetenv("VMKIT_GUEST_CACHE");
    }
    tmp_fini(&t);
}

/* watchdog: a broken CPU must fail the test, not hang it */
static gboolean watchdog(gpointer data)
{
    emu_machine_request(data, EMU_REQ_FAIL, 99);
    return G_SOURCE_REMOVE;
}

/* Runs @code (raw, at RAM base, M-mode: -bios none) on @smp harts until
 * a request; returns the stopped machine (board freed, RAM kept), the
 * serial output and the FDT address the harts got. */
static EmuMachine *run_prog(const uint32_t *code, size_t n, unsigned smp,
                            EmuRequest *req, char **serial, uint64_t *fdt_addr)
{
    g_autoptr(GError) err = NULL;
    TmpDir t;
    g_autofree char *kernel = NULL, *out = NULL, *spec = NULL;
    g_autofree uint32_t *prog = g_new(uint32_t, n);
    EmuMachine *m = emu_machine_new();
    EmuVirtConfig cfg = {.ram_size = 64ULL << 20, .smp = smp, .bios = "none"};
    GSource *dog;
    int code_ = 0;

    tmp_init(&t);
    for (size_t i = 0; i < n; i++) {
        prog[i] = GUINT32_TO_LE(code[i]);
    }
    kernel = write_tmp(&t, "prog.bin", prog, n * 4);
    out = g_build_filename(t.dir, "serial.out", NULL);
    spec = g_strconcat("file:", out, NULL);
    cfg.kernel = kernel;
    cfg.serial = emu_chardev_new(m, spec, &err);
    g_assert_no_error(err);
    g_assert_true(emu_virt_build(m, &cfg, &err));
    g_assert_no_error(err);

    dog = g_timeout_source_new_seconds(20);
    g_source_set_callback(dog, watchdog, m, NULL);
    g_source_attach(dog, m->io_ctx);
    emu_machine_start_io(m);
    for (unsigned h = 0; h < m->nr_harts; h++) {
        emu_hart_start(m->harts[h]);
    }
    *req = emu_machine_wait_request(m, &code_);
    for (unsigned h = 0; h < m->nr_harts; h++) {
        emu_hart_join(m->harts[h]);
    }
    g_source_destroy(dog);
    g_source_unref(dog);

    *fdt_addr = emu_virt_fdt_addr(m);
    emu_virt_free(m);             /* stops the I/O thread, detaches the UART */
    emu_chardev_free(cfg.serial); /* flushes the output */
    g_assert_true(g_file_get_contents(out, serial, NULL, NULL));
    tmp_fini(&t);
    return m;
}

/*
 * M-mode program from the reset vector (-bios none): hart 0 stores a1
 * (FDT) and a2 (fw_dynamic info) to RAM, prints "OK" on the UART and
 * powers off through the test device; other harts sleep in WFI.
 *   auipc t2,0; bnez a0,park; sd a1,256(t2); sd a2,264(t2);
 *   lui t0,0x10000; li t1,'O'; sb t1,0(t0); li t1,'K'; sb t1,0(t0);
 *   lui t0,0x100; li t1,0x5555; sw t1,0(t0); park: wfi; j park
 */
static const uint32_t boot_prog[] = {
    0x00000397, 0x02051863, 0x10b3b023, 0x10c3b423, 0x100002b7,
    0x04f00313, 0x00628023, 0x04b00313, 0x00628023, 0x001002b7,
    0x00005337, 0x5553031b, 0x0062a023, 0x10500073, 0xffdff06f,
};

static void test_boot(void)
{
    g_autofree char *serial = NULL;
    EmuRequest req;
    uint64_t fdt_addr;
    EmuMachine *m = run_prog(boot_prog, G_N_ELEMENTS(boot_prog), 2, &req,
                             &serial, &fdt_addr);

    g_assert_cmpint(req, ==, EMU_REQ_POWEROFF);
    g_assert_cmphex(rd64(m, RAM + 0x100), ==, fdt_addr);
    g_assert_cmphex(rd64(m, RAM + 0x108), ==, 0x1028);
    g_assert_cmpstr(serial, ==, "OK");
    emu_machine_free(m);
}

/*
 * The PLIC drives mip.SEIP; a CSRRS on mip must not latch that level into
 * the software-writable SEIP bit (privileged spec §3.1.9: the RMW uses
 * the software bit only). The UART's THR-empty interrupt (source 10) is
 * routed to hart 0's S context, SSIP is set with csrsi, the line drops:
 * SEIP must go with it.
 *   csrr a0,mhartid; bnez a0,park; auipc t2,0;
 *   prio[10]=1; enable ctx1 bit 10; UART IER=ETBEI;
 *   csrr t5,mip; sd t5,256(t2); csrsi mip,2; UART IER=0;
 *   csrr t5,mip; sd t5,264(t2); poweroff; park: wfi; j park
 */
static const uint32_t seip_prog[] = {
    0xf1402573, 0x04051a63, 0x00000397, 0x0c0002b7, 0x00100313, 0x0262a423,
    0x0c002e37, 0x40000313, 0x086e2023, 0x10000eb7, 0x00200313, 0x006e80a3,
    0x34402f73, 0x11e3b023, 0x34416073, 0x000e80a3, 0x34402f73, 0x11e3b423,
    0x001002b7, 0x00005337, 0x5553031b, 0x0062a023, 0x10500073, 0xffdff06f,
};

static void test_seip_rmw(void)
{
    g_autofree char *serial = NULL;
    EmuRequest req;
    uint64_t fdt_addr;
    EmuMachine *m = run_prog(seip_prog, G_N_ELEMENTS(seip_prog), 1, &req,
                             &serial, &fdt_addr);
    uint64_t before = rd64(m, RAM + 8 + 0x100);
    uint64_t after = rd64(m, RAM + 8 + 0x108);

    g_assert_cmpint(req, ==, EMU_REQ_POWEROFF);
    /* the PLIC raised SEIP on hart 0 */
    g_assert_cmphex(before & MIP_SEIP, ==, MIP_SEIP);
    g_assert_cmphex(after & MIP_SSIP, ==, MIP_SSIP);
    emu_machine_free(m);
    /* csrrs mip must not latch the PLIC's SEIP into the software bit */
    g_assert_cmphex(after & MIP_SEIP, ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hw/virt/bare-kernel", test_bare_kernel);
    g_test_add_func("/hw/virt/firmware", test_with_firmware);
    g_test_add_func("/hw/virt/errors", test_errors);
    g_test_add_func("/hw/virt/boot", test_boot);
    g_test_add_func("/hw/virt/mip-seip-rmw", test_seip_rmw);
    return g_test_run();
}
