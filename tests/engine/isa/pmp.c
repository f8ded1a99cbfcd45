/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pmp.c: physical memory protection (privileged spec §3.7): NAPOT (4 KiB,
 * 16 KiB, 8 bytes), TOR (also from address 0) and NA4 regions denying S
 * and U reads, writes and fetches (access faults 5, 7, 1 with mtval = the
 * address); M-mode unaffected unless the entry is locked; a locked entry
 * binds M and ignores writes to its pmpcfg byte and pmpaddr (and to the
 * previous pmpaddr for TOR); the lowest-numbered matching entry decides;
 * an access matching only part of an entry fails; with entries set, an S/U
 * access that matches none fails while M is allowed; page-table walks
 * are checked as S-mode reads. Entry 15 is crt's allow-all background. */
#include "macros.h"

#define PAGE 4096UL

static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
static uint64_t region[4][512] __attribute__((aligned(16384)));
static uint64_t ptroot[512] __attribute__((aligned(4096)));
static uint64_t ptl1[512] __attribute__((aligned(4096)));
static uint64_t lock_page[512] __attribute__((aligned(4096)));
static uint64_t lock_page2[512] __attribute__((aligned(4096)));
#define PA_FREE 0x80600000UL    /* RAM no entry but 15 covers */

extern char pmp_code[];
__asm__(
    "   .pushsection .text.pmp_code, \"ax\", @progbits\n"
    "   .balign 4096\n"
    "pmp_code:\n"
    "   li a0, 0x77\n"
    "   ret\n"
    "   .balign 4096\n"
    "   .popsection\n");

static unsigned long napot(const void *base, unsigned long size)
{
    return ((unsigned long)base >> 2) | ((size >> 3) - 1);
}

static void pmpaddr_write(int i, unsigned long v)
{
    switch (i) {
    case 0: csr_write(pmpaddr0, v); break;
    case 1: csr_write(pmpaddr1, v); break;
    case 12: csr_write(pmpaddr12, v); break;
    case 13: csr_write(pmpaddr13, v); break;
    case 14: csr_write(pmpaddr14, v); break;
    default: vk_fail_msg(vk_testnum, "pmpaddr_write: entry not used");
    }
}

static unsigned long pmpaddr_read(int i)
{
    switch (i) {
    case 0: return csr_read(pmpaddr0);
    case 1: return csr_read(pmpaddr1);
    case 12: return csr_read(pmpaddr12);
    case 13: return csr_read(pmpaddr13);
    case 14: return csr_read(pmpaddr14);
    default: vk_fail_msg(vk_testnum, "pmpaddr_read: entry not used");
    }
}

/* set entry i's configuration byte, keep the others */
static void pmpcfg_set(int i, unsigned cfg)
{
    int shift = (i & 7) * 8;
    unsigned long v = i < 8 ? csr_read(pmpcfg0) : csr_read(pmpcfg2);

    v = (v & ~(0xffUL << shift)) | ((unsigned long)cfg << shift);
    if (i < 8) {
        csr_write(pmpcfg0, v);
    } else {
        csr_write(pmpcfg2, v);
    }
    /* §3.7.2: SFENCE.VMA after PMP changes when paging exists */
    sfence_vma_all();
}

static unsigned pmpcfg_get(int i)
{
    unsigned long v = i < 8 ? csr_read(pmpcfg0) : csr_read(pmpcfg2);

    return (v >> ((i & 7) * 8)) & 0xff;
}

static void pmp_entry(int i, unsigned long addr, unsigned cfg)
{
    pmpcfg_set(i, 0);
    pmpaddr_write(i, addr);
    pmpcfg_set(i, cfg);
}

static void pmp_clear_low(void)
{
    csr_write(pmpcfg0, 0);
    csr_write(pmpaddr0, 0);
    csr_write(pmpaddr1, 0);
    sfence_vma_all();
}

/* ---- probes, run in S or U (no translation but in the last part) ---- */
static long probe_ld(long a)
{
    return *(volatile long *)a;
}

static long probe_lw(long a)
{
    return *(volatile int *)a;
}

static long probe_sd(long a)
{
    *(volatile long *)a = 0x5e5e5e5e5e5e5e5eL;
    return 0;
}

static long probe_exec(long a)
{
    return ((long (*)(void))a)();
}

static long run(int prv, long (*fn)(long), const void *addr)
{
    return vk_call_mode(prv, fn, (long)addr, 0);
}

/* M-mode access with a trap armed: the cause, or -1 */
static unsigned long m_ld(const void *a)
{
    return TRY("ld a0, 0(a1)", a);
}

static unsigned long m_sd(const void *a)
{
    return TRY("sd a1, 0(a1)", a);
}

#define CHECK_OK(n, r) do { \
        (void)(r); \
        CHECK((n), vk_call_trapped ? vk_trap_cause : 0, 0); \
    } while (0)

#define CHECK_FAULT(n, r, cause, addr) do { \
        (void)(r); \
        CHECK((n), vk_call_trapped, 1); \
        CHECK((n), vk_trap_cause, (cause)); \
        CHECK((n), vk_trap_tval, (unsigned long)(addr)); \
    } while (0)

int test_main(void)
{
    unsigned long v;
    long r;

    page_a[1] = 0xa1;
    page_b[0] = 0xb0;

    /* ---- NAPOT 4 KiB, read-only for S/U ---- */
    pmp_entry(0, napot(page_a, PAGE), PMP_NAPOT | PMP_R);
    CHECK(1, pmpcfg_get(0), PMP_NAPOT | PMP_R);
    CHECK(2, pmpaddr_read(0), napot(page_a, PAGE));
    r = run(PRV_S, probe_ld, &page_a[1]);
    CHECK_OK(10, r);
    CHECK(10, r, 0xa1);
    CHECK_FAULT(11, run(PRV_S, probe_sd, &page_a[2]), CAUSE_STORE_ACCESS,
                &page_a[2]);
    CHECK_FAULT(12, run(PRV_S, probe_exec, &page_a[4]), CAUSE_FETCH_ACCESS,
                &page_a[4]);
    CHECK(13, m_ld(&page_a[1]), -1UL);          /* M: not locked */
    CHECK(14, m_sd(&page_a[2]), -1UL);
    CHECK_OK(15, run(PRV_U, probe_ld, &page_a[1]));
    CHECK_FAULT(16, run(PRV_U, probe_sd, &page_a[511]), CAUSE_STORE_ACCESS,
                &page_a[511]);
    CHECK_OK(17, run(PRV_S, probe_sd, &page_b[0]));  /* outside: entry 15 */

    /* ---- no permissions at all ---- */
    pmp_entry(0, napot(page_a, PAGE), PMP_NAPOT);
    CHECK_FAULT(20, run(PRV_S, probe_ld, &page_a[1]), CAUSE_LOAD_ACCESS,
                &page_a[1]);
    CHECK_FAULT(21, run(PRV_U, probe_ld, &page_a[0]), CAUSE_LOAD_ACCESS,
                &page_a[0]);
    CHECK(22, m_ld(&page_a[1]), -1UL);

    /* ---- execute permission ---- */
    pmp_entry(0, napot(pmp_code, PAGE), PMP_NAPOT | PMP_R | PMP_X);
    r = run(PRV_S, probe_exec, pmp_code);
    CHECK_OK(30, r);
    CHECK(30, r, 0x77);
    pmp_entry(0, napot(pmp_code, PAGE), PMP_NAPOT | PMP_R);
    CHECK_FAULT(31, run(PRV_S, probe_exec, pmp_code), CAUSE_FETCH_ACCESS,
                pmp_code);
    CHECK_FAULT(32, run(PRV_U, probe_exec, pmp_code), CAUSE_FETCH_ACCESS,
                pmp_code);
    CHECK(33, ((long (*)(void))pmp_code)(), 0x77);  /* M runs it */
    r = run(PRV_S, probe_ld, pmp_code);             /* and S reads it */
    CHECK_OK(34, r);

    /* ---- TOR: [pmpaddr0, pmpaddr1), entry 0 off ---- */
    pmp_entry(0, (unsigned long)page_b >> 2, PMP_OFF);
    pmp_entry(1, ((unsigned long)page_b + PAGE) >> 2, PMP_TOR);
    CHECK_FAULT(40, run(PRV_S, probe_ld, &page_b[0]), CAUSE_LOAD_ACCESS,
                &page_b[0]);
    CHECK_FAULT(41, run(PRV_S, probe_sd, &page_b[511]), CAUSE_STORE_ACCESS,
                &page_b[511]);
    CHECK_OK(42, run(PRV_S, probe_ld, (char *)page_b - 8));
    CHECK_OK(43, run(PRV_S, probe_ld, (char *)page_b + PAGE));
    CHECK(44, m_ld(&page_b[0]), -1UL);
    /* TOR with pmpaddr0 >= pmpaddr1 matches nothing */
    pmp_entry(0, ((unsigned long)page_b + PAGE) >> 2, PMP_OFF);
    CHECK_OK(45, run(PRV_S, probe_ld, &page_b[0]));
    pmp_clear_low();

    /* ---- NA4 and an 8-byte NAPOT, partial matches ---- */
    pmp_entry(0, ((unsigned long)&page_a[1]) >> 2, PMP_NA4);  /* bytes 8..11 */
    CHECK_FAULT(50, run(PRV_S, probe_lw, (char *)page_a + 8),
                CAUSE_LOAD_ACCESS, (char *)page_a + 8);
    CHECK_OK(51, run(PRV_S, probe_lw, (char *)page_a + 12));
    CHECK_OK(52, run(PRV_S, probe_lw, (char *)page_a + 4));
    /* an 8-byte load covering bytes 8..15 only partly matches entry 0:
     * it fails whatever the permissions (§3.7.1.3) */
    CHECK_FAULT(53, run(PRV_S, probe_ld, (char *)page_a + 8),
                CAUSE_LOAD_ACCESS, (char *)page_a + 8);
    pmp_entry(0, ((unsigned long)&page_a[1]) >> 2, PMP_NA4 | PMP_R);
    CHECK_FAULT(54, run(PRV_S, probe_ld, (char *)page_a + 8),
                CAUSE_LOAD_ACCESS, (char *)page_a + 8);
    CHECK_OK(55, run(PRV_S, probe_lw, (char *)page_a + 8));
    pmp_entry(0, napot(&page_a[2], 8), PMP_NAPOT);             /* 16..23 */
    CHECK_FAULT(56, run(PRV_S, probe_ld, &page_a[2]), CAUSE_LOAD_ACCESS,
                &page_a[2]);
    CHECK_OK(57, run(PRV_S, probe_ld, &page_a[3]));
    CHECK_OK(58, run(PRV_S, probe_ld, &page_a[1]));
    pmp_clear_low();

    /* ---- the lowest-numbered matching entry decides ---- */
    pmp_entry(0, napot(region[1], PAGE), PMP_NAPOT | PMP_R);
    pmp_entry(1, napot(region, 4 * PAGE), PMP_NAPOT | PMP_R | PMP_W);
    CHECK_FAULT(60, run(PRV_S, probe_sd, &region[1][3]), CAUSE_STORE_ACCESS,
                &region[1][3]);
    CHECK_OK(61, run(PRV_S, probe_sd, &region[0][3]));
    CHECK_OK(62, run(PRV_S, probe_sd, &region[3][511]));
    CHECK_FAULT(63, run(PRV_S, probe_exec, &region[2][0]),
                CAUSE_FETCH_ACCESS, &region[2][0]);
    pmp_entry(0, napot(region, 4 * PAGE), PMP_NAPOT | PMP_R | PMP_W);
    pmp_entry(1, napot(region[1], PAGE), PMP_NAPOT | PMP_R);
    CHECK_OK(64, run(PRV_S, probe_sd, &region[1][3]));
    pmp_clear_low();

    /* ---- with entries set, S/U accesses matching none fail ---- */
    pmp_entry(0, (unsigned long)vk_image_end >> 2, PMP_TOR | PMP_R | PMP_W |
              PMP_X);                       /* [0, end of image) */
    v = csr_read(pmpcfg2);
    csr_write(pmpcfg2, v & ~(0xffUL << 56)); /* entry 15 off */
    sfence_vma_all();
    r = run(PRV_S, probe_ld, &page_a[1]);
    CHECK_OK(70, r);
    CHECK(70, r, 0xa1);
    CHECK_FAULT(71, run(PRV_S, probe_ld, (void *)PA_FREE), CAUSE_LOAD_ACCESS,
                PA_FREE);
    CHECK_FAULT(72, run(PRV_U, probe_sd, (void *)PA_FREE),
                CAUSE_STORE_ACCESS, PA_FREE);
    CHECK(73, m_ld((void *)PA_FREE), -1UL);   /* M: allowed */
    CHECK(74, m_sd((void *)PA_FREE), -1UL);
    csr_write(pmpcfg2, v);
    pmp_clear_low();

    /* ---- page-table walks are S-mode reads under PMP: the code runs
     * through a gigapage in the root, data at VA 0x40000000 through a
     * second-level table that PMP then hides from S ---- */
    ptroot[2] = (0x80000000UL >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X |
        PTE_A | PTE_D;                       /* identity gigapage */
    ptroot[1] = ((unsigned long)ptl1 >> 12) << 10 | PTE_V;
    ptl1[0] = (0x80000000UL >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_A |
        PTE_D;                               /* 2 MiB: the image */
    csr_write(satp, (unsigned long)SATP_MODE_SV39 << 60 |
              (unsigned long)ptroot >> 12);
    sfence_vma_all();
#define VA_OF(p) ((unsigned long)(p) - 0x80000000UL + 0x40000000UL)
    r = run(PRV_S, probe_ld, (void *)VA_OF(&page_a[1]));
    CHECK_OK(80, r);
    CHECK(80, r, 0xa1);
    pmp_entry(0, napot(ptl1, PAGE), PMP_NAPOT);     /* S may not read it */
    CHECK_FAULT(81, run(PRV_S, probe_ld, (void *)VA_OF(&page_a[1])),
                CAUSE_LOAD_ACCESS, VA_OF(&page_a[1]));
    CHECK_FAULT(82, run(PRV_S, probe_sd, (void *)VA_OF(&page_b[1])),
                CAUSE_STORE_ACCESS, VA_OF(&page_b[1]));
    r = run(PRV_S, probe_ld, &page_a[1]);   /* the identity map still works */
    CHECK_OK(83, r);
    pmp_entry(0, napot(ptl1, PAGE), PMP_NAPOT | PMP_R);
    CHECK_OK(84, run(PRV_S, probe_ld, (void *)VA_OF(&page_a[1])));
    /* the root itself hidden: even the fetch of the probe faults */
    pmp_entry(0, napot(ptroot, PAGE), PMP_NAPOT);
    CHECK_FAULT(85, run(PRV_S, probe_ld, &page_a[1]), CAUSE_FETCH_ACCESS,
                probe_ld);
    csr_write(satp, 0);
    pmp_clear_low();

    /* ---- locked entries bind M too and cannot be changed (last: only
     * a reset unlocks them) ---- */
    lock_page[0] = 0x10c;
    pmp_entry(14, napot(lock_page, PAGE), PMP_L | PMP_NAPOT | PMP_R);
    CHECK(90, m_ld(&lock_page[0]), -1UL);
    CHECK(91, m_sd(&lock_page[1]), CAUSE_STORE_ACCESS);
    CHECK(92, vk_trap_tval, (unsigned long)&lock_page[1]);
    CHECK(93, TRY("jalr a1", lock_page), CAUSE_FETCH_ACCESS);
    CHECK_FAULT(94, run(PRV_S, probe_sd, &lock_page[2]), CAUSE_STORE_ACCESS,
                &lock_page[2]);
    pmpaddr_write(14, napot(page_a, PAGE));         /* ignored */
    CHECK(95, pmpaddr_read(14), napot(lock_page, PAGE));
    pmpcfg_set(14, PMP_NAPOT | PMP_R | PMP_W);      /* ignored */
    CHECK(96, pmpcfg_get(14), PMP_L | PMP_NAPOT | PMP_R);
    CHECK(97, m_sd(&lock_page[1]), CAUSE_STORE_ACCESS);
    /* a locked TOR entry also locks the pmpaddr below it */
    pmp_entry(12, (unsigned long)lock_page2 >> 2, PMP_OFF);
    pmp_entry(13, ((unsigned long)lock_page2 + PAGE) >> 2,
              PMP_L | PMP_TOR | PMP_R | PMP_W);
    CHECK(98, m_sd(&lock_page2[0]), -1UL);
    CHECK(99, TRY("jalr a1", lock_page2), CAUSE_FETCH_ACCESS);
    pmpaddr_write(12, 0);                           /* ignored */
    CHECK(100, pmpaddr_read(12), (unsigned long)lock_page2 >> 2);
    pmpaddr_write(13, 0);                           /* ignored */
    CHECK(101, pmpaddr_read(13), ((unsigned long)lock_page2 + PAGE) >> 2);
    return 0;
}
