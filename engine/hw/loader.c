/* SPDX-License-Identifier: GPL-2.0-or-later */
/* loader.c: boot image parsing and loading — ELF64 (System V gABI,
 * "Program Header" PT_LOAD), the RISC-V Linux Image header
 * (Documentation/arch/riscv/boot-image-header.rst; Debian's EFI-stub Image
 * begins with "MZ" and carries the same header), gzip (RFC 1952) and raw
 * binaries. */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <gio/gio.h>

#include "emu-error.h"
#include "engine/hw/loader.h"

static uint16_t le16(const uint8_t *p)
{
    return p[0] | p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
    return le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void segment_free(gpointer p)
{
    EmuImageSegment *s = p;

    g_bytes_unref(s->data);
    g_free(s);
}

static EmuImage *image_new(const char *what, const char *path,
                           EmuImageKind kind)
{
    EmuImage *img = g_new0(EmuImage, 1);

    img->name = g_strdup_printf("%s '%s'", what, path);
    img->kind = kind;
    img->low = UINT64_MAX;
    img->segments = g_ptr_array_new_with_free_func(segment_free);
    return img;
}

void emu_image_free(EmuImage *img)
{
    if (img) {
        g_ptr_array_unref(img->segments);
        g_free(img->name);
        g_free(img);
    }
}

static void add_segment(EmuImage *img, uint64_t addr, GBytes *data,
                        uint64_t zero, uint64_t span)
{
    EmuImageSegment *s = g_new0(EmuImageSegment, 1);

    s->addr = addr;
    s->data = data;
    s->zero = zero;
    g_ptr_array_add(img->segments, s);
    img->low = MIN(img->low, addr);
    img->high = MAX(img->high, addr + span);
}

static bool in_ram(uint64_t addr, uint64_t len, uint64_t ram_base,
                   uint64_t ram_size)
{
    return addr >= ram_base && addr - ram_base <= ram_size &&
           len <= ram_size - (addr - ram_base);
}

/* ---- ELF ---------------------------------------------------------------- */

static bool is_elf(GBytes *data)
{
    gsize len;
    const uint8_t *p = g_bytes_get_data(data, &len);

    return len >= SELFMAG && memcmp(p, ELFMAG, SELFMAG) == 0;
}

static EmuImage *parse_elf(GBytes *data, const char *what, const char *path,
                           uint64_t ram_base, uint64_t ram_size, GError **error)
{
    gsize len;
    const uint8_t *p = g_bytes_get_data(data, &len);
    g_autoptr(EmuImage) img = NULL;
    uint64_t phoff;
    unsigned phentsize, phnum;

    if (len < sizeof(Elf64_Ehdr) || p[EI_CLASS] != ELFCLASS64 ||
        p[EI_DATA] != ELFDATA2LSB) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "%s '%s': not a little-endian ELF64 file", what, path);
        return NULL;
    }
    if (le16(p + offsetof(Elf64_Ehdr, e_machine)) != EM_RISCV) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "%s '%s': ELF file is not for RISC-V (e_machine %u)", what,
                    path, le16(p + offsetof(Elf64_Ehdr, e_machine)));
        return NULL;
    }
    phoff = le64(p + offsetof(Elf64_Ehdr, e_phoff));
    phentsize = le16(p + offsetof(Elf64_Ehdr, e_phentsize));
    phnum = le16(p + offsetof(Elf64_Ehdr, e_phnum));
    if (phentsize < sizeof(Elf64_Phdr) || phoff > len ||
        (uint64_t)phnum * phentsize > len - phoff) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "%s '%s': truncated ELF program headers", what, path);
        return NULL;
    }
    img = image_new(what, path, EMU_IMAGE_ELF);
    img->entry = le64(p + offsetof(Elf64_Ehdr, e_entry));
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = p + phoff + (uint64_t)i * phentsize;
        uint64_t off = le64(ph + offsetof(Elf64_Phdr, p_offset));
        uint64_t paddr = le64(ph + offsetof(Elf64_Phdr, p_paddr));
        uint64_t filesz = le64(ph + offsetof(Elf64_Phdr, p_filesz));
        uint64_t memsz = le64(ph + offsetof(Elf64_Phdr, p_memsz));

        if (le32(ph + offsetof(Elf64_Phdr, p_type)) != PT_LOAD || !memsz) {
            continue;
        }
        if (filesz > memsz || off > len || filesz > len - off) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "%s '%s': ELF segment %u lies outside the file", what,
                        path, i);
            return NULL;
        }
        if (!in_ram(paddr, memsz, ram_base, ram_size)) {
            g_set_error(
                error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                "%s '%s': ELF segment at 0x%" G_GINT64_MODIFIER
                "x (%" G_GUINT64_FORMAT " bytes) does not fit in RAM "
                "at 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x",
                what, path, paddr, memsz, ram_base, ram_base + ram_size - 1);
            return NULL;
        }
        add_segment(img, paddr, g_bytes_new_from_bytes(data, off, filesz),
                    memsz - filesz, memsz);
    }
    if (img->segments->len == 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "%s '%s': ELF file has no loadable segment", what, path);
        return NULL;
    }
    return g_steal_pointer(&img);
}

/* ---- gzip --------------------------------------------------------------- */

static bool is_gzip(GBytes *data)
{
    gsize len;
    const uint8_t *p = g_bytes_get_data(data, &len);

    return len >= 18 && p[0] == 0x1f && p[1] == 0x8b;
}

/* Inflates at most @max bytes: a gzip bomb cannot exceed guest RAM. */
static GBytes *gunzip(GBytes *data, const char *what, const char *path,
                      uint64_t max, GError **error)
{
    g_autoptr(GConverter) z =
        G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP));
    g_autoptr(GByteArray) out = g_byte_array_new();
    gsize len, in_pos = 0;
    const uint8_t *in = g_bytes_get_data(data, &len);
    uint8_t buf[64 * 1024];

    for (;;) {
        gsize rd = 0, wr = 0;
        g_autoptr(GError) err = NULL;
        GConverterResult r =
            g_converter_convert(z, in + in_pos, len - in_pos, buf, sizeof(buf),
                                G_CONVERTER_INPUT_AT_END, &rd, &wr, &err);

        if (r == G_CONVERTER_ERROR) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "%s '%s': bad gzip data: %s", what, path, err->message);
            return NULL;
        }
        in_pos += rd;
        if (out->len + wr > max) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                        "%s '%s' inflates to more than %" G_GUINT64_FORMAT
                        " bytes of RAM",
                        what, path, max);
            return NULL;
        }
        g_byte_array_append(out, buf, wr);
        if (r == G_CONVERTER_FINISHED) {
            break;
        }
    }
    return g_byte_array_free_to_bytes(g_steal_pointer(&out));
}

/* ---- raw and Linux Image ---------------------------------------------------
 */

static bool has_linux_header(const uint8_t *p, gsize len)
{
    return len >= 0x40 &&
           (memcmp(p + EMU_LINUX_HDR_MAGIC, "RISCV\0\0\0", 8) == 0 ||
            memcmp(p + EMU_LINUX_HDR_MAGIC2, "RSC\x05", 4) == 0);
}

EmuImage *emu_image_parse(GBytes *data, const char *what, const char *path,
                          uint64_t load_addr, uint64_t ram_base,
                          uint64_t ram_size, unsigned flags, GError **error)
{
    g_autoptr(GBytes) bytes = g_bytes_ref(data);
    g_autoptr(EmuImage) img = NULL;
    const uint8_t *p;
    gsize len;
    uint64_t span;

    if ((flags & EMU_IMAGE_ALLOW_ELF) && is_elf(bytes)) {
        return parse_elf(bytes, what, path, ram_base, ram_size, error);
    }
    if ((flags & EMU_IMAGE_ALLOW_LINUX) && is_gzip(bytes)) {
        GBytes *raw = gunzip(bytes, what, path, ram_size, error);

        if (!raw) {
            return NULL;
        }
        g_bytes_unref(bytes);
        bytes = raw;
    }
    p = g_bytes_get_data(bytes, &len);
    img = image_new(what, path, EMU_IMAGE_RAW);
    span = len;
    if ((flags & EMU_IMAGE_ALLOW_LINUX) && has_linux_header(p, len)) {
        /* image_size covers .bss too: the kernel needs all of it free */
        img->kind = EMU_IMAGE_LINUX;
        span = MAX(span, le64(p + EMU_LINUX_HDR_IMAGE_SIZE));
    }
    if (!in_ram(load_addr, span, ram_base, ram_size)) {
        g_set_error(
            error, EMU_ERROR, EMU_ERROR_TOO_BIG,
            "%s '%s' (%" G_GUINT64_FORMAT " bytes) does not fit in "
            "RAM at 0x%" G_GINT64_MODIFIER "x (RAM 0x%" G_GINT64_MODIFIER
            "x-0x%" G_GINT64_MODIFIER "x)",
            what, path, span, load_addr, ram_base, ram_base + ram_size - 1);
        return NULL;
    }
    img->entry = load_addr;
    add_segment(img, load_addr, g_bytes_ref(bytes), 0, span);
    return g_steal_pointer(&img);
}

EmuImage *emu_image_load_file(const char *path, const char *what,
                              uint64_t load_addr, uint64_t ram_base,
                              uint64_t ram_size, unsigned flags, GError **error)
{
    g_autofree char *contents = NULL;
    g_autoptr(GBytes) bytes = NULL;
    gsize len;
    struct stat st;
    GError *err = NULL;

    if (stat(path, &st) != 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                    "cannot open %s '%s': %s", what, path, g_strerror(errno));
        return NULL;
    }
    /* refuse before reading: a gzip file may inflate, so allow RAM size */
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > ram_size) {
        if (S_ISREG(st.st_mode)) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                        "%s '%s' (%" G_GUINT64_FORMAT " bytes) does not fit "
                        "in RAM at 0x%" G_GINT64_MODIFIER "x",
                        what, path, (uint64_t)st.st_size, load_addr);
        } else {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "%s '%s' is not a regular file", what, path);
        }
        return NULL;
    }
    if (!g_file_get_contents(path, &contents, &len, &err)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "cannot read %s '%s': %s",
                    what, path, err->message);
        g_error_free(err);
        return NULL;
    }
    bytes = g_bytes_new_take(g_steal_pointer(&contents), len);
    return emu_image_parse(bytes, what, path, load_addr, ram_base, ram_size,
                           flags, error);
}

bool emu_image_write(EmuMachine *m, const EmuImage *img, GError **error)
{
    for (unsigned i = 0; i < img->segments->len; i++) {
        const EmuImageSegment *s = g_ptr_array_index(img->segments, i);
        gsize len;
        const void *data = g_bytes_get_data(s->data, &len);
        uint8_t *zero;

        if (len && !emu_mem_write(m, s->addr, data, len)) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "%s: 0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER
                        "x is not RAM",
                        img->name, s->addr, s->addr + len - 1);
            return false;
        }
        if (!s->zero) {
            continue;
        }
        zero = emu_mem_ram_ptr(m, s->addr + len, s->zero);
        if (!zero) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "%s: .bss at 0x%" G_GINT64_MODIFIER "x is not RAM",
                        img->name, s->addr + len);
            return false;
        }
        memset(zero, 0, s->zero);
        emu_mem_dirty(m, s->addr + len, s->zero);
    }
    return true;
}
