/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memory.h: the guest physical address space — RAM/ROM and MMIO regions. */
#ifndef EMU_MEMORY_H
#define EMU_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

typedef struct EmuMachine EmuMachine;

/*
 * MMIO callbacks. The core adapts access widths in one place: a device
 * declares the access sizes it handles natively (min..max bytes, powers of
 * two); wider guest accesses are split and narrower ones are widened with a
 * read-modify-write (for writes) or a shift (for reads). A device thus never
 * sees an access outside [min, max] nor one not aligned to its size.
 *
 * Thread: both callbacks run with the machine's device lock held, on a hart
 * thread (guest access) or on the I/O thread.
 */
typedef struct EmuMmioOps {
    uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
    void (*write)(void *opaque, uint64_t offset, uint64_t value,
                  unsigned size);
    unsigned min_access; /* 1, 2, 4 or 8; 0 means 1 */
    unsigned max_access; /* 1, 2, 4 or 8; 0 means 8 */
} EmuMmioOps;

typedef struct EmuRegion {
    char *name;
    uint64_t base;
    uint64_t size;
    uint8_t *host;        /* RAM/ROM: host memory; NULL for MMIO */
    bool readonly;        /* ROM: guest stores fault */
    const EmuMmioOps *ops;
    void *opaque;
    uint32_t ram_index;   /* RAM: index among RAM regions (code tracking) */
    uint8_t *code_pages;  /* RAM: per 4 KiB page, bit per hart with TBs */
} EmuRegion;

/**
 * emu_mem_add_ram:
 * @m: the machine
 * @name: region name for messages
 * @base: guest physical base (4 KiB aligned)
 * @size: bytes (4 KiB multiple)
 * @readonly: true for ROM
 * @error: set when the region overlaps another or memory cannot be mapped
 *
 * Registers host-backed guest memory (zeroed, lazily allocated by the host).
 * Returns: the region, or NULL with @error set.
 * Thread: main thread, before the machine runs.
 */
EmuRegion *emu_mem_add_ram(EmuMachine *m, const char *name, uint64_t base,
                           uint64_t size, bool readonly, GError **error);

/**
 * emu_mem_add_mmio:
 * Registers a device region; overlapping regions are refused.
 * Returns: the region, or NULL with @error set.
 * Thread: main thread, before the machine runs.
 */
EmuRegion *emu_mem_add_mmio(EmuMachine *m, const char *name, uint64_t base,
                            uint64_t size, const EmuMmioOps *ops,
                            void *opaque, GError **error);

/**
 * emu_mem_free_regions:
 * Unmaps and frees every region.
 * Thread: main thread, machine stopped.
 */
void emu_mem_free_regions(EmuMachine *m);

/**
 * emu_mem_find:
 * Returns: the region containing @addr, or NULL.
 * Thread: any thread (the region table is immutable once running).
 */
EmuRegion *emu_mem_find(EmuMachine *m, uint64_t addr);

/**
 * emu_mem_ram_ptr:
 * Returns: a host pointer to @len bytes of RAM/ROM at @addr when the whole
 * range lies in one RAM/ROM region, else NULL. Writes through this pointer
 * bypass code invalidation: use emu_mem_write() or call
 * emu_mem_dirty() after writing.
 * Thread: any thread.
 */
void *emu_mem_ram_ptr(EmuMachine *m, uint64_t addr, uint64_t len);

/**
 * emu_mem_read:
 * DMA/loader read of guest memory (RAM or MMIO).
 * Returns: false when any byte is unmapped.
 * Thread: any thread; takes the device lock for MMIO unless @locked.
 */
bool emu_mem_read(EmuMachine *m, uint64_t addr, void *buf, size_t len);

/**
 * emu_mem_write:
 * DMA/loader write of guest RAM; invalidates translated code on the pages
 * it touches. ROM is writable this way (loaders fill it).
 * Returns: false when any byte is not RAM/ROM.
 * Thread: any thread.
 */
bool emu_mem_write(EmuMachine *m, uint64_t addr, const void *buf,
                   size_t len);

/**
 * emu_mem_dirty:
 * Tells the translator that [addr, addr+len) was written by the host.
 * Thread: any thread.
 */
void emu_mem_dirty(EmuMachine *m, uint64_t addr, uint64_t len);

/**
 * emu_mmio_access:
 * Performs a guest access of @size bytes (1,2,4,8, any alignment within the
 * region) on an MMIO region, adapting to the device's access widths.
 * The caller holds the device lock.
 * Thread: hart thread or I/O thread.
 */
uint64_t emu_mmio_read_locked(EmuRegion *r, uint64_t offset, unsigned size);
void emu_mmio_write_locked(EmuRegion *r, uint64_t offset, uint64_t value,
                           unsigned size);

#endif
