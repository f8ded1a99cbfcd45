/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-loader.c: ELF64 built in the test, Linux Image headers (plain,
 * EFI-stub, gzip), raw binaries, size and file errors. */
#include "config.h"

#include <elf.h>
#include <string.h>
#include <gio/gio.h>

#include "engine/hw/loader.h"
#include "hw-test.h"

#define RAM      0x80000000ULL
#define RAM_SIZE (4ULL << 20)

/* An ELF64 RISC-V executable: two PT_LOAD segments (one with .bss) and a
 * PT_NOTE that must be ignored. */
static GBytes *make_elf(uint16_t machine, uint64_t paddr2)
{
    const size_t code = 0x200, data = 0x300;
    uint8_t *buf = g_malloc0(0x400);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
    Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));

    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = machine;
    eh->e_version = EV_CURRENT;
    eh->e_entry = RAM + 0x1000;
    eh->e_phoff = sizeof(*eh);
    eh->e_ehsize = sizeof(*eh);
    eh->e_phentsize = sizeof(*ph);
    eh->e_phnum = 3;

    ph[0].p_type = PT_LOAD;
    ph[0].p_offset = code;
    ph[0].p_vaddr = 0xffffffff80001000ULL; /* virtual != physical */
    ph[0].p_paddr = RAM + 0x1000;
    ph[0].p_filesz = 16;
    ph[0].p_memsz = 16;
    ph[1].p_type = PT_NOTE;
    ph[1].p_offset = 0;
    ph[1].p_paddr = 0x1234;
    ph[1].p_filesz = 4;
    ph[1].p_memsz = 4;
    ph[2].p_type = PT_LOAD;
    ph[2].p_offset = data;
    ph[2].p_paddr = paddr2;
    ph[2].p_filesz = 8;
    ph[2].p_memsz = 0x100;
    for (unsigned i = 0; i < 16; i++) {
        buf[code + i] = 0xa0 + i;
    }
    memcpy(buf + data, "DATADATA", 8);
    return g_bytes_new_take(buf, 0x400);
}

static void test_elf(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GBytes) elf = make_elf(EM_RISCV, RAM + 0x2000);
    g_autoptr(EmuImage) img = emu_image_parse(
        elf, "kernel", "test.elf", RAM + 0x200000, RAM, RAM_SIZE,
        EMU_IMAGE_ALLOW_ELF | EMU_IMAGE_ALLOW_LINUX, &err);
    EmuMachine *m = emu_machine_new();
    uint8_t *ram;

    g_assert_no_error(err);
    g_assert_cmpint(img->kind, ==, EMU_IMAGE_ELF);
    g_assert_cmphex(img->entry, ==, RAM + 0x1000);
    g_assert_cmphex(img->low, ==, RAM + 0x1000);
    g_assert_cmphex(img->high, ==, RAM + 0x2100);
    g_assert_cmpuint(img->segments->len, ==, 2);

    g_assert_nonnull(emu_mem_add_ram(m, "ram", RAM, RAM_SIZE, false, &err));
    ram = emu_mem_ram_ptr(m, RAM, RAM_SIZE);
    memset(ram, 0xff, RAM_SIZE);
    g_assert_true(emu_image_write(m, img, &err));
    g_assert_no_error(err);
    for (unsigned i = 0; i < 16; i++) {
        g_assert_cmphex(ram[0x1000 + i], ==, 0xa0 + i);
    }
    g_assert_cmpmem(ram + 0x2000, 8, "DATADATA", 8);
    for (unsigned i = 8; i < 0x100; i++) {
        g_assert_cmphex(ram[0x2000 + i], ==, 0); /* .bss zeroed */
    }
    g_assert_cmphex(ram[0x2100], ==, 0xff);
    g_assert_cmphex(ram[0xfff], ==, 0xff);
    emu_machine_free(m);
}

static void test_elf_errors(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GBytes) arm = make_elf(EM_AARCH64, RAM + 0x2000);
    g_autoptr(GBytes) out = make_elf(EM_RISCV, RAM + RAM_SIZE - 0x80);
    g_autoptr(GBytes) trunc = NULL;

    g_assert_null(emu_image_parse(arm, "kernel", "arm.elf", RAM, RAM, RAM_SIZE,
                                  EMU_IMAGE_ALLOW_ELF, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_INVALID);
    g_assert_nonnull(strstr(err->message, "arm.elf"));
    g_clear_error(&err);

    /* .bss past the end of RAM */
    g_assert_null(emu_image_parse(out, "kernel", "big.elf", RAM, RAM, RAM_SIZE,
                                  EMU_IMAGE_ALLOW_ELF, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_TOO_BIG);
    g_clear_error(&err);

    /* program headers cut off */
    trunc = g_bytes_new_from_bytes(out, 0, sizeof(Elf64_Ehdr) + 8);
    g_assert_null(emu_image_parse(trunc, "kernel", "t.elf", RAM, RAM, RAM_SIZE,
                                  EMU_IMAGE_ALLOW_ELF, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_INVALID);
    g_clear_error(&err);

    /* ELF not allowed (an initrd): taken raw */
    {
        g_autoptr(EmuImage) raw =
            emu_image_parse(out, "initrd", "x", RAM, RAM, RAM_SIZE, 0, &err);
        g_assert_no_error(err);
        g_assert_cmpint(raw->kind, ==, EMU_IMAGE_RAW);
        g_assert_cmphex(raw->high, ==, RAM + 0x400);
    }
}

/* A RISC-V Linux Image: header per boot-image-header.rst */
static GBytes *make_image(bool efi, uint64_t image_size, size_t file_size)
{
    uint8_t *buf = g_malloc0(file_size);

    if (efi) {
        buf[0] = 'M';
        buf[1] = 'Z';
    } else {
        buf[0] = 0x6f; /* j +… */
    }
    buf[0x08] = 0x00; /* text_offset 0x200000 */
    buf[0x0a] = 0x20;
    for (unsigned i = 0; i < 8; i++) {
        buf[0x10 + i] = image_size >> (8 * i);
    }
    memcpy(buf + 0x30, "RISCV\0\0\0", 8);
    memcpy(buf + 0x38, "RSC\x05", 4);
    return g_bytes_new_take(buf, file_size);
}

static void test_linux_image(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GBytes) img_bytes = make_image(false, 0x180000, 0x1000);
    g_autoptr(GBytes) efi_bytes = make_image(true, 0x1000, 0x2000);
    g_autoptr(EmuImage) img = emu_image_parse(
        img_bytes, "kernel", "Image", RAM + 0x200000, RAM, RAM_SIZE,
        EMU_IMAGE_ALLOW_ELF | EMU_IMAGE_ALLOW_LINUX, &err);
    g_autoptr(EmuImage) efi = NULL;
    g_autoptr(EmuImage) raw = NULL;

    g_assert_no_error(err);
    g_assert_cmpint(img->kind, ==, EMU_IMAGE_LINUX);
    g_assert_cmphex(img->entry, ==, RAM + 0x200000);
    /* image_size (incl. .bss) counts, not just the file */
    g_assert_cmphex(img->high, ==, RAM + 0x200000 + 0x180000);

    efi = emu_image_parse(efi_bytes, "kernel", "vmlinuz", RAM + 0x200000, RAM,
                          RAM_SIZE, EMU_IMAGE_ALLOW_LINUX, &err);
    g_assert_no_error(err);
    g_assert_cmpint(efi->kind, ==, EMU_IMAGE_LINUX);
    g_assert_cmphex(efi->high, ==, RAM + 0x202000);

    /* image_size beyond RAM: refused with the size in the message */
    {
        g_autoptr(GBytes) huge = make_image(false, 3ULL << 20, 0x1000);
        g_assert_null(emu_image_parse(huge, "kernel", "Image", RAM + 0x200000,
                                      RAM, RAM_SIZE, EMU_IMAGE_ALLOW_LINUX,
                                      &err));
        g_assert_error(err, EMU_ERROR, EMU_ERROR_TOO_BIG);
        g_assert_nonnull(strstr(err->message,
                                "kernel 'Image' (3145728 bytes) does not fit "
                                "in RAM at 0x80200000"));
        g_clear_error(&err);
    }

    /* plain bytes without a header: raw */
    {
        g_autoptr(GBytes) b = g_bytes_new_static("\x13\0\0\0", 4);
        raw = emu_image_parse(b, "firmware", "fw.bin", RAM, RAM, RAM_SIZE,
                              EMU_IMAGE_ALLOW_ELF, &err);
        g_assert_no_error(err);
        g_assert_cmpint(raw->kind, ==, EMU_IMAGE_RAW);
        g_assert_cmphex(raw->entry, ==, RAM);
        g_assert_cmphex(raw->high, ==, RAM + 4);
    }
}

static GBytes *gzip(GBytes *in)
{
    g_autoptr(GConverter) z =
        G_CONVERTER(g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6));
    gsize len, rd, wr;
    const void *p = g_bytes_get_data(in, &len);
    uint8_t *out = g_malloc(len + 1024);
    GConverterResult r = g_converter_convert(
        z, p, len, out, len + 1024, G_CONVERTER_INPUT_AT_END, &rd, &wr, NULL);

    g_assert_cmpint(r, ==, G_CONVERTER_FINISHED);
    return g_bytes_new_take(out, wr);
}

static void test_gzip(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GBytes) plain = make_image(true, 0x100000, 0x40000);
    g_autoptr(GBytes) gz = gzip(plain);
    g_autoptr(EmuImage) img =
        emu_image_parse(gz, "kernel", "Image.gz", RAM + 0x200000, RAM, RAM_SIZE,
                        EMU_IMAGE_ALLOW_ELF | EMU_IMAGE_ALLOW_LINUX, &err);
    const EmuImageSegment *s;

    g_assert_no_error(err);
    g_assert_cmpuint(g_bytes_get_size(gz), <, 0x40000);
    g_assert_cmpint(img->kind, ==, EMU_IMAGE_LINUX);
    s = g_ptr_array_index(img->segments, 0);
    g_assert_true(g_bytes_equal(s->data, plain));

    /* inflating past RAM is refused */
    {
        g_autoptr(EmuImage) none =
            emu_image_parse(gz, "kernel", "Image.gz", RAM, RAM, 0x10000,
                            EMU_IMAGE_ALLOW_LINUX, &err);
        g_assert_null(none);
        g_assert_error(err, EMU_ERROR, EMU_ERROR_TOO_BIG);
    }
}

static void test_files(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("vmkit-loader-XXXXXX", NULL);
    g_autofree char *small = g_build_filename(dir, "small.bin", NULL);
    g_autofree char *big = g_build_filename(dir, "big.bin", NULL);
    g_autofree char *missing = g_build_filename(dir, "missing", NULL);
    g_autofree char *zeros = g_malloc0(RAM_SIZE + 1);
    g_autoptr(EmuImage) img = NULL;

    g_assert_true(g_file_set_contents(small, "abcdefgh", 8, NULL));
    g_assert_true(g_file_set_contents(big, zeros, RAM_SIZE + 1, NULL));

    img = emu_image_load_file(small, "initrd", RAM + 0x1000, RAM, RAM_SIZE, 0,
                              &err);
    g_assert_no_error(err);
    g_assert_cmphex(img->low, ==, RAM + 0x1000);
    g_assert_cmphex(img->high, ==, RAM + 0x1008);
    g_assert_true(g_str_has_prefix(img->name, "initrd '"));

    g_assert_null(
        emu_image_load_file(missing, "kernel", RAM, RAM, RAM_SIZE, 0, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_NOT_FOUND);
    g_assert_nonnull(strstr(err->message, missing));
    g_clear_error(&err);

    g_assert_null(
        emu_image_load_file(big, "kernel", RAM, RAM, RAM_SIZE, 0, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_TOO_BIG);
    g_assert_nonnull(strstr(err->message, "does not fit in RAM"));
    g_assert_nonnull(strstr(err->message, big));
    g_clear_error(&err);

    /* fits as a file, not at this address */
    g_assert_null(emu_image_load_file(small, "initrd", RAM + RAM_SIZE - 4, RAM,
                                      RAM_SIZE, 0, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_TOO_BIG);
    g_clear_error(&err);

    g_assert_null(
        emu_image_load_file(dir, "kernel", RAM, RAM, RAM_SIZE, 0, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_INVALID);

    g_unlink(small);
    g_unlink(big);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hw/loader/elf", test_elf);
    g_test_add_func("/hw/loader/elf-errors", test_elf_errors);
    g_test_add_func("/hw/loader/linux-image", test_linux_image);
    g_test_add_func("/hw/loader/gzip", test_gzip);
    g_test_add_func("/hw/loader/files", test_files);
    return g_test_run();
}
