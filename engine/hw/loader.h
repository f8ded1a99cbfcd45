/* SPDX-License-Identifier: GPL-2.0-or-later */
/* loader.h: boot images — ELF64 RISC-V, Linux Image (incl. the EFI-stub
 * and gzip-compressed forms), raw binaries and initrds — parsed once and
 * written into guest RAM at build and at every reset. */
#ifndef EMU_HW_LOADER_H
#define EMU_HW_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "engine/core/machine.h"

typedef enum {
    EMU_IMAGE_RAW,   /* bytes at the load address */
    EMU_IMAGE_ELF,   /* PT_LOAD segments at their physical addresses */
    EMU_IMAGE_LINUX, /* raw with a RISC-V Linux Image header */
} EmuImageKind;

/* what a file may be, for emu_image_load_file() */
#define EMU_IMAGE_ALLOW_ELF   0x1
#define EMU_IMAGE_ALLOW_LINUX 0x2 /* parse the Image header, gunzip */

typedef struct EmuImageSegment {
    uint64_t addr;
    GBytes *data;  /* file bytes */
    uint64_t zero; /* bytes zeroed after data (ELF .bss) */
} EmuImageSegment;

typedef struct EmuImage {
    char *name; /* "kernel 'PATH'" style, for messages */
    EmuImageKind kind;
    uint64_t entry;
    uint64_t low, high;  /* guest range it occupies, incl. bss/image_size */
    GPtrArray *segments; /* EmuImageSegment* */
} EmuImage;

/* RISC-V Linux Image header (Documentation/arch/riscv/boot-image-header.rst) */
#define EMU_LINUX_HDR_TEXT_OFFSET 0x08
#define EMU_LINUX_HDR_IMAGE_SIZE  0x10
#define EMU_LINUX_HDR_MAGIC       0x30 /* "RISCV\0\0\0" (deprecated) */
#define EMU_LINUX_HDR_MAGIC2      0x38 /* "RSC\x05" */

/**
 * emu_image_parse:
 * @data: the image bytes (referenced, not copied)
 * @what: "kernel", "firmware", "initrd": used in messages
 * @path: file name, used in messages
 * @load_addr: where a raw/Linux image goes
 * @ram_base, @ram_size: every byte must land in RAM
 * @flags: EMU_IMAGE_ALLOW_*
 *
 * Recognises an ELF64 RISC-V file (when allowed), a Linux Image header
 * (when allowed; also under a gzip wrapper) or takes the bytes raw.
 * Returns: the image, or NULL with @error set: "kernel 'PATH' (N bytes)
 * does not fit in RAM at 0x…" when it overflows, or an ELF error.
 * Thread: any thread.
 */
EmuImage *emu_image_parse(GBytes *data, const char *what, const char *path,
                          uint64_t load_addr, uint64_t ram_base,
                          uint64_t ram_size, unsigned flags, GError **error);

/**
 * emu_image_load_file:
 * Reads @path (refusing files larger than RAM before reading them) and
 * parses it as emu_image_parse() does.
 * Returns: the image, or NULL with @error naming the file.
 * Thread: main thread.
 */
EmuImage *emu_image_load_file(const char *path, const char *what,
                              uint64_t load_addr, uint64_t ram_base,
                              uint64_t ram_size, unsigned flags,
                              GError **error);

/**
 * emu_image_write:
 * Copies the image into guest memory (invalidating translated code).
 * Returns: false with @error set if a byte is not RAM/ROM.
 * Thread: main thread, harts stopped.
 */
bool emu_image_write(EmuMachine *m, const EmuImage *img, GError **error);

void emu_image_free(EmuImage *img);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EmuImage, emu_image_free)

#endif
