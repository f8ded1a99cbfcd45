/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memory.c: the guest physical address space — region table, RAM/ROM
 * backing, DMA helpers and MMIO access-width adaptation (done once here so
 * devices only ever see accesses they declared). */
#include "config.h"

#include <string.h>
#include <sys/mman.h>

#include "emu-error.h"
#include "engine/core/machine.h"
#include "engine/cpu/riscv/hart-api.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ULL << PAGE_SHIFT)

static bool region_overlaps(EmuMachine *m, uint64_t base, uint64_t size,
                            const char *name, GError **error)
{
    for (unsigned i = 0; i < m->nr_regions; i++) {
        EmuRegion *r = m->regions[i];
        if (base < r->base + r->size && r->base < base + size) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                        "region '%s' [0x%" G_GINT64_MODIFIER "x, 0x%"
                        G_GINT64_MODIFIER "x) overlaps '%s'",
                        name, base, base + size, r->name);
            return true;
        }
    }
    return false;
}

static void region_insert(EmuMachine *m, EmuRegion *r)
{
    unsigned i;

    m->regions = g_renew(EmuRegion *, m->regions, m->nr_regions + 1);
    for (i = m->nr_regions; i > 0 && m->regions[i - 1]->base > r->base;
         i--) {
        m->regions[i] = m->regions[i - 1];
    }
    m->regions[i] = r;
    m->nr_regions++;
}

EmuRegion *emu_mem_add_ram(EmuMachine *m, const char *name, uint64_t base,
                           uint64_t size, bool readonly, GError **error)
{
    EmuRegion *r;
    void *host;

    if (size == 0 || (base | size) & (PAGE_SIZE - 1) || base + size < base) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "region '%s': base and size must be non-zero multiples "
                    "of 4 KiB", name);
        return NULL;
    }
    if (region_overlaps(m, base, size, name, error)) {
        return NULL;
    }
    /* Anonymous mapping: zeroed, committed lazily by the host, so a large
     * -m costs nothing until the guest touches it. MAP_NORESERVE keeps
     * overcommit heuristics from refusing big sparse guests. */
    host = mmap(NULL, size, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (host == MAP_FAILED) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                    "cannot allocate %" G_GUINT64_FORMAT
                    " MiB for '%s': %s", size >> 20, name,
                    g_strerror(errno));
        return NULL;
    }
    r = g_new0(EmuRegion, 1);
    r->name = g_strdup(name);
    r->base = base;
    r->size = size;
    r->host = host;
    r->readonly = readonly;
    r->code_pages = g_new0(uint8_t, size >> PAGE_SHIFT);
    region_insert(m, r);
    return r;
}

EmuRegion *emu_mem_add_mmio(EmuMachine *m, const char *name, uint64_t base,
                            uint64_t size, const EmuMmioOps *ops,
                            void *opaque, GError **error)
{
    EmuRegion *r;

    if (size == 0 || base + size < base || !ops) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "region '%s': invalid size or ops", name);
        return NULL;
    }
    if (region_overlaps(m, base, size, name, error)) {
        return NULL;
    }
    r = g_new0(EmuRegion, 1);
    r->name = g_strdup(name);
    r->base = base;
    r->size = size;
    r->ops = ops;
    r->opaque = opaque;
    region_insert(m, r);
    return r;
}

void emu_mem_free_regions(EmuMachine *m)
{
    for (unsigned i = 0; i < m->nr_regions; i++) {
        EmuRegion *r = m->regions[i];
        if (r->host) {
            munmap(r->host, r->size);
        }
        g_free(r->code_pages);
        g_free(r->name);
        g_free(r);
    }
    g_free(m->regions);
    m->regions = NULL;
    m->nr_regions = 0;
}

EmuRegion *emu_mem_find(EmuMachine *m, uint64_t addr)
{
    unsigned lo = 0, hi = m->nr_regions;

    /* the main RAM is by far the most frequent answer */
    if (m->ram && addr - m->ram->base < m->ram->size) {
        return m->ram;
    }
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        EmuRegion *r = m->regions[mid];
        if (addr < r->base) {
            hi = mid;
        } else if (addr - r->base >= r->size) {
            lo = mid + 1;
        } else {
            return r;
        }
    }
    return NULL;
}

void *emu_mem_ram_ptr(EmuMachine *m, uint64_t addr, uint64_t len)
{
    EmuRegion *r = emu_mem_find(m, addr);

    if (!r || !r->host || len > r->size - (addr - r->base)) {
        return NULL;
    }
    return r->host + (addr - r->base);
}

void emu_mem_dirty(EmuMachine *m, uint64_t addr, uint64_t len)
{
    while (len > 0) {
        EmuRegion *r = emu_mem_find(m, addr);
        uint64_t off, chunk;

        if (!r) {
            return;
        }
        off = addr - r->base;
        chunk = MIN(len, r->size - off);
        if (r->host) {
            uint64_t first = off >> PAGE_SHIFT;
            uint64_t last = (off + chunk - 1) >> PAGE_SHIFT;
            for (uint64_t p = first; p <= last; p++) {
                uint8_t harts = __atomic_load_n(&r->code_pages[p],
                                                __ATOMIC_ACQUIRE);
                if (harts) {
                    emu_harts_code_written(m, r, p, harts);
                }
            }
        }
        addr += chunk;
        len -= chunk;
    }
}

bool emu_mem_write(EmuMachine *m, uint64_t addr, const void *buf,
                   size_t len)
{
    const uint8_t *src = buf;
    uint64_t a = addr;
    size_t left = len;

    while (left > 0) {
        EmuRegion *r = emu_mem_find(m, a);
        uint64_t off, chunk;

        if (!r || !r->host) {
            return false;
        }
        off = a - r->base;
        chunk = MIN(left, r->size - off);
        memcpy(r->host + off, src, chunk);
        src += chunk;
        a += chunk;
        left -= chunk;
    }
    emu_mem_dirty(m, addr, len);
    return true;
}

bool emu_mem_read(EmuMachine *m, uint64_t addr, void *buf, size_t len)
{
    uint8_t *dst = buf;

    while (len > 0) {
        EmuRegion *r = emu_mem_find(m, addr);
        uint64_t off, chunk;

        if (!r) {
            return false;
        }
        off = addr - r->base;
        chunk = MIN(len, r->size - off);
        if (r->host) {
            memcpy(dst, r->host + off, chunk);
        } else {
            emu_machine_lock(m);
            for (uint64_t i = 0; i < chunk; i++) {
                dst[i] = emu_mmio_read_locked(r, off + i, 1);
            }
            emu_machine_unlock(m);
        }
        dst += chunk;
        addr += chunk;
        len -= chunk;
    }
    return true;
}

/* ---- MMIO access-width adaptation ---------------------------------- */

static unsigned ops_min(const EmuMmioOps *ops)
{
    return ops->min_access ? ops->min_access : 1;
}

static unsigned ops_max(const EmuMmioOps *ops)
{
    return ops->max_access ? ops->max_access : 8;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/* One byte, read through the narrowest access the device accepts. */
static uint8_t mmio_read_byte(EmuRegion *r, uint64_t off)
{
    unsigned mn = ops_min(r->ops);
    uint64_t word = off & ~(uint64_t)(mn - 1);

    if (word + mn > r->size || !r->ops->read) {
        return 0;
    }
    return r->ops->read(r->opaque, word, mn) >> ((off - word) * 8);
}

uint64_t emu_mmio_read_locked(EmuRegion *r, uint64_t offset, unsigned size)
{
    const EmuMmioOps *ops = r->ops;
    unsigned mn = ops_min(ops), mx = ops_max(ops);
    uint64_t v = 0;

    if (offset >= r->size || size > r->size - offset) {
        return 0;
    }
    if ((offset & (size - 1)) == 0 && size >= mn && size <= mx) {
        return ops->read ? ops->read(r->opaque, offset, size) & size_mask(size)
                         : 0;
    }
    if ((offset & (size - 1)) == 0 && size > mx) {
        /* wide aligned access: split into the device's widest accesses */
        for (unsigned i = 0; i < size; i += mx) {
            uint64_t part = ops->read ? ops->read(r->opaque, offset + i, mx)
                                      : 0;
            v |= (part & size_mask(mx)) << (i * 8);
        }
        return v;
    }
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)mmio_read_byte(r, offset + i) << (i * 8);
    }
    return v;
}

static void mmio_write_byte(EmuRegion *r, uint64_t off, uint8_t byte)
{
    unsigned mn = ops_min(r->ops);
    uint64_t word = off & ~(uint64_t)(mn - 1);
    unsigned shift = (off - word) * 8;
    uint64_t v;

    if (word + mn > r->size || !r->ops->write) {
        return;
    }
    if (mn == 1) {
        r->ops->write(r->opaque, off, byte, 1);
        return;
    }
    /* narrower than the device accepts: read-modify-write its word */
    v = r->ops->read ? r->ops->read(r->opaque, word, mn) : 0;
    v = (v & ~(0xffULL << shift)) | ((uint64_t)byte << shift);
    r->ops->write(r->opaque, word, v & size_mask(mn), mn);
}

void emu_mmio_write_locked(EmuRegion *r, uint64_t offset, uint64_t value,
                           unsigned size)
{
    const EmuMmioOps *ops = r->ops;
    unsigned mn = ops_min(ops), mx = ops_max(ops);

    if (offset >= r->size || size > r->size - offset) {
        return;
    }
    value &= size_mask(size);
    if ((offset & (size - 1)) == 0 && size >= mn && size <= mx) {
        if (ops->write) {
            ops->write(r->opaque, offset, value, size);
        }
        return;
    }
    if ((offset & (size - 1)) == 0 && size > mx) {
        for (unsigned i = 0; i < size; i += mx) {
            if (ops->write) {
                ops->write(r->opaque, offset + i,
                           (value >> (i * 8)) & size_mask(mx), mx);
            }
        }
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        mmio_write_byte(r, offset + i, value >> (i * 8));
    }
}
