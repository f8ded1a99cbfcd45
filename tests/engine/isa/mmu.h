/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mmu.h: the body of the Sv39 and Sv48 tests (privileged spec §4.3-4.5),
 * included by mmu-sv39.c / mmu-sv48.c after defining VK_LEVELS (3 or 4).
 * Page tables are built by hand: 4 KiB pages, 2 MiB / 1 GiB (/ 512 GiB)
 * superpages, misaligned superpages, U/S rules with SUM, MXR, every R/W/X
 * combination including the reserved ones, invalid and non-leaf-at-level-0
 * PTEs, hardware A/D updates, fault causes and tval, SFENCE.VMA after a PTE
 * change, two address spaces with different ASIDs, MPRV in M-mode,
 * non-canonical addresses, the upper half, and an instruction fetch that
 * faults on its second half. Probes run in S (or U) through vk_call_mode;
 * a page fault there goes to M (nothing is delegated). */
#include "macros.h"

#if VK_LEVELS == 3
#define SATP_MODE   SATP_MODE_SV39
#define VA_BITS     39
#define VA_HIGH     0xffffffc000000000UL    /* root[256]: the upper half */
#define VA_NONCANON 0x0000004000000000UL    /* bit 38 set, 63:39 clear */
#elif VK_LEVELS == 4
#define SATP_MODE   SATP_MODE_SV48
#define VA_BITS     48
#define VA_HIGH     0xffff800000000000UL
#define VA_NONCANON 0x0000800000000000UL
#else
#error "VK_LEVELS must be 3 or 4"
#endif

#define PAGE        4096UL
#define MEGA        (PAGE << 9)
#define GIGA        (MEGA << 9)
#define TERA        (GIGA << 9)     /* 512 GiB */

/* the test's virtual layout (all in the lower half unless noted) */
#define VA_RAM      0x80000000UL    /* identity gigapage: code, data, stack */
#define VA_PAGES    0x40000000UL    /* 4 KiB pages, one per case */
#define VA_PG(k)    (VA_PAGES + (k) * PAGE)
#define VA_MEGA     0x40200000UL    /* a 2 MiB page */
#define VA_MEGA_BAD 0x40400000UL    /* a misaligned 2 MiB page */
#define VA_UALIAS   0x41000000UL    /* the image again, for U-mode: U RWX */
#define VA_GIGA     0x100000000UL   /* a 1 GiB page onto RAM */
#define VA_GIGA_BAD 0x140000000UL   /* a misaligned 1 GiB page */
#define VA_TERA     0x8000000000UL  /* Sv48: a 512 GiB page onto PA 0 */
#define VA_TERA_BAD 0x10000000000UL /* Sv48: a misaligned one */
#define PA_MEGA     0x80600000UL    /* 2 MiB of free RAM above the image */

#define PTE_LEAF_RW   (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define PTE_LEAF_RWX  (PTE_LEAF_RW | PTE_X)

/* ---- pages the tests map ---------------------------------------------- */
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
static uint64_t page_c[512] __attribute__((aligned(4096)));
static uint64_t u_stack[512] __attribute__((aligned(4096)));
static uint64_t pool[40][512] __attribute__((aligned(4096)));
static unsigned pool_used;

/* code pages: exec_page returns 0x1234, exec_page3 0x5678; in exec_page2
 * a 32-bit instruction starts 2 bytes before the end of the page */
extern char exec_page[], exec_page2_end[], exec_page3[];
__asm__(
    "   .pushsection .text.mmu_exec, \"ax\", @progbits\n"
    "   .balign 4096\n"
    "   .option push\n"
    "   .option norvc\n"
    "exec_page:\n"
    "   li a0, 0x1234\n"
    "   ret\n"
    "   .balign 4096\n"
    "exec_page2:\n"
    "   .fill 2047, 2, 0x0001\n"        /* c.nop */
    "exec_page2_end:\n"                 /* page end - 2 */
    "   lui a0, 0x5\n"
    "   ret\n"
    "   .balign 4096\n"
    "exec_page3:\n"
    "   li a0, 0x5678\n"
    "   ret\n"
    "   .balign 4096\n"
    "   .option pop\n"
    "   .popsection\n");

static uint64_t *alloc_table(void)
{
    uint64_t *t;
    unsigned i;

    if (pool_used >= sizeof(pool) / sizeof(pool[0])) {
        vk_fail_msg(vk_testnum, "page table pool exhausted");
    }
    t = pool[pool_used++];
    for (i = 0; i < 512; i++) {
        t[i] = 0;
    }
    return t;
}

static unsigned vpn(unsigned long va, int level)
{
    return (va >> (12 + 9 * level)) & 511;
}

static uint64_t pte_table(uint64_t *t)
{
    return ((uint64_t)t >> 12) << 10 | PTE_V;
}

static uint64_t *pte_next(uint64_t pte)
{
    return (uint64_t *)((pte >> 10) << 12);
}

/* the PTE for va at leaf level `level` under root, creating tables */
static uint64_t *pte_at(uint64_t *root, unsigned long va, int level)
{
    uint64_t *t = root;
    int l;

    for (l = VK_LEVELS - 1; l > level; l--) {
        uint64_t *e = &t[vpn(va, l)];

        if (!(*e & PTE_V)) {
            *e = pte_table(alloc_table());
        }
        t = pte_next(*e);
    }
    return &t[vpn(va, level)];
}

static void map(uint64_t *root, unsigned long va, unsigned long pa,
                int level, uint64_t flags)
{
    *pte_at(root, va, level) = (pa >> 12) << 10 | flags;
}

static unsigned long satp_for(uint64_t *root, unsigned long asid)
{
    return (unsigned long)SATP_MODE << 60 | asid << SATP_ASID_SHIFT |
        (unsigned long)root >> 12;
}

/* ---- probes, run in S or U ---------------------------------------------- */
static long probe_ld(long va)
{
    return *(volatile long *)va;
}

static long probe_sd(long va)
{
    *(volatile long *)va = 0x5d5d5d5d5d5d5d5dL;
    return 0;
}

static long probe_amo(long va)
{
    long old;

    __asm__ volatile("amoadd.d %0, %1, (%2)"
                     : "=r"(old) : "r"(1L), "r"(va) : "memory");
    return old;
}

static long probe_exec(long va)
{
    return ((long (*)(void))va)();
}

static long run_s(long (*fn)(long), unsigned long va)
{
    vk_call_ret_addr = 0;
    return vk_call_mode(PRV_S, fn, (long)va, 0);
}

/* U runs the same function through the U alias of the image */
#define U_ALIAS(p) ((unsigned long)(p) - VA_RAM + VA_UALIAS)
static long run_u(long (*fn)(long), unsigned long va)
{
    long r;

    vk_call_ret_addr = U_ALIAS(vk_call_return);
    r = vk_call_mode(PRV_U, (long (*)(long))U_ALIAS(fn), (long)va,
                     (void *)U_ALIAS(&u_stack[512]));
    vk_call_ret_addr = 0;
    return r;
}

/* the access must work and give v */
#define CHECK_OK(n, r, v) do { \
        long r_ = (r); \
        CHECK((n), vk_call_trapped ? vk_trap_cause : 0, 0); \
        CHECK((n), r_, (v)); \
    } while (0)

/* the access must fault with cause, tval = va */
#define CHECK_FAULT(n, r, cause, va) do { \
        (void)(r); \
        CHECK((n), vk_call_trapped, 1); \
        CHECK((n), vk_trap_cause, (cause)); \
        CHECK((n), vk_trap_tval, (va)); \
    } while (0)

static inline void sfence_va(unsigned long va)
{
    __asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory");
}

int test_main(void)
{
    uint64_t *root = alloc_table();
    uint64_t *root2;
    unsigned long pa_off;
    long r;
    int i;

    for (i = 0; i < 512; i++) {
        page_a[i] = 0xaaaa000000000000UL + i;
        page_b[i] = 0xbbbb000000000000UL + i;
        page_c[i] = 0xcccc000000000000UL + i;
        ((volatile uint64_t *)PA_MEGA)[i] = 0x3e3e000000000000UL + i;
    }
    ((volatile uint64_t *)(PA_MEGA + MEGA - 8))[0] = 0x3e3e3e3e3e3e3e3eUL;

    /* identity gigapage for the image (S only, global) */
    map(root, VA_RAM, VA_RAM, 2, PTE_LEAF_RWX | PTE_G);
    /* 4 KiB cases */
    map(root, VA_PG(0), (unsigned long)page_a, 0, PTE_LEAF_RW);
    map(root, VA_PG(1), (unsigned long)page_a, 0, PTE_V | PTE_R | PTE_A);
    map(root, VA_PG(2), (unsigned long)exec_page, 0, PTE_V | PTE_X | PTE_A);
    map(root, VA_PG(3), (unsigned long)page_b, 0, PTE_LEAF_RW | PTE_U);
    map(root, VA_PG(4), (unsigned long)exec_page, 0,
        PTE_V | PTE_R | PTE_X | PTE_A | PTE_U);
    map(root, VA_PG(5), (unsigned long)page_b, 0,
        PTE_V | PTE_W | PTE_A | PTE_D);                   /* reserved */
    map(root, VA_PG(6), (unsigned long)exec_page, 0,
        PTE_V | PTE_W | PTE_X | PTE_A | PTE_D);           /* reserved */
    map(root, VA_PG(7), (unsigned long)page_a, 0, PTE_LEAF_RW & ~PTE_V);
    map(root, VA_PG(8), (unsigned long)page_c, 0, PTE_V | PTE_R | PTE_W);
    map(root, VA_PG(9), (unsigned long)page_c, 0, PTE_V | PTE_R | PTE_W |
        PTE_A);
    map(root, VA_PG(10), (unsigned long)page_a, 0, PTE_LEAF_RW);
    map(root, VA_PG(11), (unsigned long)exec_page, 0,
        PTE_V | PTE_R | PTE_X | PTE_A);
    map(root, VA_PG(12), (unsigned long)page_a, 0, PTE_V);  /* non-leaf */
    map(root, VA_PG(13), (unsigned long)page_b, 0,
        PTE_V | PTE_R | PTE_A | PTE_U);
    map(root, VA_PG(14), (unsigned long)exec_page2_end & ~(PAGE - 1), 0,
        PTE_V | PTE_R | PTE_X | PTE_A);
    /* VA_PG(15) stays invalid */
    map(root, VA_PG(16), (unsigned long)exec_page, 0,
        PTE_V | PTE_R | PTE_X | PTE_A);
    /* superpages */
    map(root, VA_MEGA, PA_MEGA, 1, PTE_LEAF_RW);
    map(root, VA_MEGA_BAD, PA_MEGA + PAGE, 1, PTE_LEAF_RW);
    map(root, VA_UALIAS, VA_RAM, 1, PTE_LEAF_RWX | PTE_U);
    map(root, VA_GIGA, VA_RAM, 2, PTE_LEAF_RW);
    map(root, VA_GIGA_BAD, VA_RAM + MEGA, 2, PTE_LEAF_RW);
    map(root, VA_HIGH, VA_RAM, 2, PTE_LEAF_RW);
#if VK_LEVELS == 4
    map(root, VA_TERA, 0, 3, PTE_LEAF_RW);
    map(root, VA_TERA_BAD, GIGA, 3, PTE_LEAF_RW);
#endif
    if ((unsigned long)vk_image_end > VA_RAM + MEGA ||
        (unsigned long)vk_image_end > PA_MEGA) {
        vk_fail_msg(1, "image too large for the U alias / PA_MEGA");
    }

    vk_testnum = 1;
    csr_write(satp, satp_for(root, 1));
    sfence_vma_all();
    CHECK(1, csr_read(satp), satp_for(root, 1));

    /* ---- basic accesses through each page size ---- */
    CHECK_OK(10, run_s(probe_ld, VA_PG(0) + 8), 0xaaaa000000000001L);
    CHECK_OK(11, run_s(probe_sd, VA_PG(0) + 16), 0);
    CHECK(12, page_a[2], 0x5d5d5d5d5d5d5d5dUL);
    page_a[2] = 0xaaaa000000000002UL;
    CHECK_OK(13, run_s(probe_exec, VA_PG(11)), 0x1234);
    CHECK_OK(14, run_s(probe_ld, VA_MEGA + 8), 0x3e3e000000000001L);
    CHECK_OK(15, run_s(probe_ld, VA_MEGA + MEGA - 8), 0x3e3e3e3e3e3e3e3eL);
    pa_off = (unsigned long)&page_b[3] - VA_RAM;
    CHECK_OK(16, run_s(probe_ld, VA_GIGA + pa_off), 0xbbbb000000000003L);
    CHECK_OK(17, run_s(probe_ld, VA_HIGH + pa_off), 0xbbbb000000000003L);
    CHECK_OK(18, run_s(probe_sd, VA_HIGH + pa_off), 0);
    CHECK(19, page_b[3], 0x5d5d5d5d5d5d5d5dUL);
    page_b[3] = 0xbbbb000000000003UL;
#if VK_LEVELS == 4
    CHECK_OK(20, run_s(probe_ld, VA_TERA + (unsigned long)&page_c[4]),
             0xcccc000000000004L);
    CHECK_FAULT(21, run_s(probe_ld, VA_TERA_BAD + 64), CAUSE_LOAD_PAGE,
                VA_TERA_BAD + 64);
#endif
    /* misaligned superpages are page faults */
    CHECK_FAULT(22, run_s(probe_ld, VA_MEGA_BAD), CAUSE_LOAD_PAGE,
                VA_MEGA_BAD);
    CHECK_FAULT(23, run_s(probe_sd, VA_MEGA_BAD + 8), CAUSE_STORE_PAGE,
                VA_MEGA_BAD + 8);
    CHECK_FAULT(24, run_s(probe_ld, VA_GIGA_BAD + 0x100), CAUSE_LOAD_PAGE,
                VA_GIGA_BAD + 0x100);
    /* addresses whose upper bits are not a copy of bit VA_BITS - 1 */
    CHECK_FAULT(25, run_s(probe_ld, VA_NONCANON), CAUSE_LOAD_PAGE,
                VA_NONCANON);
    CHECK_FAULT(26, run_s(probe_sd, VA_NONCANON + 8), CAUSE_STORE_PAGE,
                VA_NONCANON + 8);
    CHECK_FAULT(27, run_s(probe_exec, VA_NONCANON + 0x40), CAUSE_FETCH_PAGE,
                VA_NONCANON + 0x40);
    /* nothing mapped: invalid PTEs at some level */
    CHECK_FAULT(28, run_s(probe_ld, 0x1000), CAUSE_LOAD_PAGE, 0x1000);
    CHECK_FAULT(29, run_s(probe_ld, VA_PG(100)), CAUSE_LOAD_PAGE,
                VA_PG(100));

    /* ---- permissions: R/W/X combinations ---- */
    CHECK_OK(30, run_s(probe_ld, VA_PG(1) + 24), 0xaaaa000000000003L);
    CHECK_FAULT(31, run_s(probe_sd, VA_PG(1)), CAUSE_STORE_PAGE, VA_PG(1));
    CHECK_FAULT(32, run_s(probe_amo, VA_PG(1)), CAUSE_STORE_PAGE, VA_PG(1));
    CHECK_FAULT(33, run_s(probe_exec, VA_PG(1)), CAUSE_FETCH_PAGE, VA_PG(1));
    CHECK_FAULT(34, run_s(probe_exec, VA_PG(0)), CAUSE_FETCH_PAGE, VA_PG(0));
    CHECK_OK(35, run_s(probe_amo, VA_PG(0) + 8), 0xaaaa000000000001L);
    CHECK(36, page_a[1], 0xaaaa000000000002UL);
    page_a[1] = 0xaaaa000000000001UL;
    /* execute-only: fetch yes, load only with MXR, store never */
    CHECK_OK(37, run_s(probe_exec, VA_PG(2)), 0x1234);
    CHECK_FAULT(38, run_s(probe_ld, VA_PG(2)), CAUSE_LOAD_PAGE, VA_PG(2));
    CHECK_FAULT(39, run_s(probe_sd, VA_PG(2)), CAUSE_STORE_PAGE, VA_PG(2));
    csr_set(mstatus, MSTATUS_MXR);
    CHECK_OK(40, run_s(probe_ld, VA_PG(2)),
             *(volatile long *)exec_page);
    CHECK_FAULT(41, run_s(probe_sd, VA_PG(2)), CAUSE_STORE_PAGE, VA_PG(2));
    csr_clear(mstatus, MSTATUS_MXR);
    /* W without R is reserved: every access faults */
    CHECK_FAULT(42, run_s(probe_ld, VA_PG(5)), CAUSE_LOAD_PAGE, VA_PG(5));
    CHECK_FAULT(43, run_s(probe_sd, VA_PG(5)), CAUSE_STORE_PAGE, VA_PG(5));
    CHECK_FAULT(44, run_s(probe_exec, VA_PG(6)), CAUSE_FETCH_PAGE, VA_PG(6));
    CHECK_FAULT(45, run_s(probe_sd, VA_PG(6) + 8), CAUSE_STORE_PAGE,
                VA_PG(6) + 8);
    /* V = 0 */
    CHECK_FAULT(46, run_s(probe_ld, VA_PG(7)), CAUSE_LOAD_PAGE, VA_PG(7));
    CHECK_FAULT(47, run_s(probe_sd, VA_PG(7)), CAUSE_STORE_PAGE, VA_PG(7));
    CHECK_FAULT(48, run_s(probe_exec, VA_PG(7)), CAUSE_FETCH_PAGE, VA_PG(7));
    /* a pointer (R = W = X = 0) at the last level */
    CHECK_FAULT(49, run_s(probe_ld, VA_PG(12)), CAUSE_LOAD_PAGE, VA_PG(12));
    CHECK_FAULT(50, run_s(probe_exec, VA_PG(12)), CAUSE_FETCH_PAGE,
                VA_PG(12));

    /* ---- U and S ---- */
    CHECK_FAULT(60, run_s(probe_ld, VA_PG(3)), CAUSE_LOAD_PAGE, VA_PG(3));
    CHECK_FAULT(61, run_s(probe_sd, VA_PG(3)), CAUSE_STORE_PAGE, VA_PG(3));
    csr_set(mstatus, MSTATUS_SUM);
    CHECK_OK(62, run_s(probe_ld, VA_PG(3) + 8), 0xbbbb000000000001L);
    CHECK_OK(63, run_s(probe_sd, VA_PG(3) + 16), 0);
    CHECK(64, page_b[2], 0x5d5d5d5d5d5d5d5dUL);
    page_b[2] = 0xbbbb000000000002UL;
    /* S never executes U pages, SUM or not */
    CHECK_FAULT(65, run_s(probe_exec, VA_PG(4)), CAUSE_FETCH_PAGE, VA_PG(4));
    csr_clear(mstatus, MSTATUS_SUM);
    CHECK_FAULT(66, run_s(probe_exec, VA_PG(4)), CAUSE_FETCH_PAGE, VA_PG(4));
    /* U: its own pages yes, S pages no */
    CHECK_OK(67, run_u(probe_ld, VA_PG(3) + 8), 0xbbbb000000000001L);
    CHECK_OK(68, run_u(probe_exec, VA_PG(4)), 0x1234);
    CHECK_OK(69, run_u(probe_ld, VA_PG(13)), 0xbbbb000000000000L);
    CHECK_FAULT(70, run_u(probe_sd, VA_PG(13)), CAUSE_STORE_PAGE, VA_PG(13));
    CHECK_FAULT(71, run_u(probe_ld, VA_PG(0)), CAUSE_LOAD_PAGE, VA_PG(0));
    CHECK_FAULT(72, run_u(probe_sd, VA_PG(0)), CAUSE_STORE_PAGE, VA_PG(0));
    CHECK_FAULT(73, run_u(probe_exec, VA_PG(11)), CAUSE_FETCH_PAGE,
                VA_PG(11));
    csr_set(mstatus, MSTATUS_SUM);  /* SUM does not open S pages to U */
    CHECK_FAULT(74, run_u(probe_ld, VA_PG(0)), CAUSE_LOAD_PAGE, VA_PG(0));
    csr_clear(mstatus, MSTATUS_SUM);
    /* U execute-only page with MXR: U may load it too */
    map(root, VA_PG(17), (unsigned long)exec_page, 0,
        PTE_V | PTE_X | PTE_A | PTE_U);
    sfence_vma_all();
    CHECK_FAULT(75, run_u(probe_ld, VA_PG(17)), CAUSE_LOAD_PAGE, VA_PG(17));
    csr_set(mstatus, MSTATUS_MXR);
    CHECK_OK(76, run_u(probe_ld, VA_PG(17)), *(volatile long *)exec_page);
    csr_clear(mstatus, MSTATUS_MXR);
    CHECK_OK(77, run_u(probe_exec, VA_PG(17)), 0x1234);

    /* ---- A and D are set by the hardware (as QEMU does) ---- */
    CHECK_OK(80, run_s(probe_ld, VA_PG(8) + 8), 0xcccc000000000001L);
    CHECK(81, *pte_at(root, VA_PG(8), 0) & (PTE_A | PTE_D), PTE_A);
    CHECK_OK(82, run_s(probe_sd, VA_PG(8) + 8), 0);
    CHECK(83, *pte_at(root, VA_PG(8), 0) & (PTE_A | PTE_D), PTE_A | PTE_D);
    CHECK_OK(84, run_s(probe_sd, VA_PG(9) + 16), 0);
    CHECK(85, *pte_at(root, VA_PG(9), 0) & (PTE_A | PTE_D), PTE_A | PTE_D);
    CHECK(86, page_c[2], 0x5d5d5d5d5d5d5d5dUL);
    page_c[1] = 0xcccc000000000001UL;
    page_c[2] = 0xcccc000000000002UL;
    /* an access that faults sets nothing */
    *pte_at(root, VA_PG(8), 0) = ((unsigned long)page_c >> 12) << 10 |
        PTE_V | PTE_R;
    sfence_va(VA_PG(8));
    CHECK_FAULT(87, run_s(probe_sd, VA_PG(8)), CAUSE_STORE_PAGE, VA_PG(8));
    CHECK(88, *pte_at(root, VA_PG(8), 0) & (PTE_A | PTE_D), 0);

    /* ---- SFENCE.VMA after changing a PTE ---- */
    CHECK_OK(90, run_s(probe_ld, VA_PG(10)), 0xaaaa000000000000L);
    *pte_at(root, VA_PG(10), 0) = ((unsigned long)page_b >> 12) << 10 |
        PTE_LEAF_RW;
    sfence_va(VA_PG(10));
    CHECK_OK(91, run_s(probe_ld, VA_PG(10)), 0xbbbb000000000000L);
    *pte_at(root, VA_PG(10), 0) &= ~(uint64_t)PTE_V;
    sfence_vma_all();
    CHECK_FAULT(92, run_s(probe_ld, VA_PG(10)), CAUSE_LOAD_PAGE, VA_PG(10));
    *pte_at(root, VA_PG(10), 0) = ((unsigned long)page_c >> 12) << 10 |
        PTE_LEAF_RW;
    __asm__ volatile("sfence.vma zero, %0" :: "r"(1UL) : "memory");
    CHECK_OK(93, run_s(probe_ld, VA_PG(10) + 8), 0xcccc000000000001L);
    /* code: a page changes from one function to another */
    CHECK_OK(94, run_s(probe_exec, VA_PG(16)), 0x1234);
    *pte_at(root, VA_PG(16), 0) = ((unsigned long)exec_page3 >> 12) << 10 |
        PTE_V | PTE_R | PTE_X | PTE_A;
    sfence_va(VA_PG(16));
    CHECK_OK(95, run_s(probe_exec, VA_PG(16)), 0x5678);

    /* ---- a fetch that faults on the second half of an instruction:
     * mepc = the instruction, mtval = the faulting part (§3.1.16) ---- */
    r = run_s(probe_exec, VA_PG(14) + PAGE - 2);
    CHECK(100, vk_call_trapped, 1);
    CHECK(101, vk_trap_cause, CAUSE_FETCH_PAGE);
    CHECK(102, vk_trap_epc, VA_PG(14) + PAGE - 2);
    CHECK(103, vk_trap_tval, VA_PG(15));
    (void)r;

    /* ---- two address spaces, two ASIDs ---- */
    root2 = alloc_table();
    map(root2, VA_RAM, VA_RAM, 2, PTE_LEAF_RWX | PTE_G);
    map(root2, VA_PG(0), (unsigned long)page_b, 0, PTE_LEAF_RW);
    CHECK_OK(110, run_s(probe_ld, VA_PG(0)), 0xaaaa000000000000L);
    csr_write(satp, satp_for(root2, 2));
    CHECK_OK(111, run_s(probe_ld, VA_PG(0)), 0xbbbb000000000000L);
    CHECK_FAULT(112, run_s(probe_ld, VA_PG(1)), CAUSE_LOAD_PAGE, VA_PG(1));
    csr_write(satp, satp_for(root, 1));
    CHECK_OK(113, run_s(probe_ld, VA_PG(0) + 8), 0xaaaa000000000001L);
    csr_write(satp, satp_for(root2, 2));
    CHECK_OK(114, run_s(probe_ld, VA_PG(0) + 8), 0xbbbb000000000001L);
    /* same root, new ASID, after a PTE change + SFENCE for that ASID */
    map(root2, VA_PG(0), (unsigned long)page_c, 0, PTE_LEAF_RW);
    __asm__ volatile("sfence.vma zero, %0" :: "r"(2UL) : "memory");
    CHECK_OK(115, run_s(probe_ld, VA_PG(0)), 0xcccc000000000000L);
    csr_write(satp, satp_for(root, 1));
    CHECK_OK(116, run_s(probe_ld, VA_PG(0)), 0xaaaa000000000000L);

    /* ---- M-mode with MPRV = 1 translates loads and stores as MPP ---- */
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MPP_S);
    r = TRY("li a0, 0x20000\n\tcsrs mstatus, a0\n\t"
            "ld a2, 0(a1)\n\tsd a2, 8(a1)\n\t"
            "csrc mstatus, a0\n\tmv a1, a2", VA_PG(0));
    csr_clear(mstatus, MSTATUS_MPRV);
    CHECK(120, r, -1UL);
    CHECK(121, page_a[1], 0xaaaa000000000000UL);
    page_a[1] = 0xaaaa000000000001UL;
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MPP_S);
    r = TRY("li a0, 0x20000\n\tcsrs mstatus, a0\n\t"
            "ld a2, 0(a1)\n\tcsrc mstatus, a0", VA_PG(3));
    csr_clear(mstatus, MSTATUS_MPRV);
    CHECK(122, r, CAUSE_LOAD_PAGE);     /* a U page, SUM = 0 */
    CHECK(123, vk_trap_tval, VA_PG(3));
    csr_clear(mstatus, MSTATUS_MPP);    /* MPP = U: the U page is fine */
    r = TRY("li a0, 0x20000\n\tcsrs mstatus, a0\n\t"
            "ld a2, 0(a1)\n\tcsrc mstatus, a0", VA_PG(3));
    csr_clear(mstatus, MSTATUS_MPRV);
    CHECK(124, r, -1UL);
    csr_clear(mstatus, MSTATUS_MPP);    /* MPP = S: VA_GIGA is RAM ... */
    csr_set(mstatus, MSTATUS_MPP_S);
    r = TRY("li a0, 0x20000\n\tcsrs mstatus, a0\n\t"
            "ld a2, 0(a1)\n\tcsrc mstatus, a0", VA_GIGA + pa_off);
    csr_clear(mstatus, MSTATUS_MPRV);
    CHECK(125, r, -1UL);
    csr_set(mstatus, MSTATUS_MPP);      /* ... MPP = M: no translation, and
                                         * there is nothing at that PA */
    r = TRY("li a0, 0x20000\n\tcsrs mstatus, a0\n\t"
            "ld a2, 0(a1)\n\tcsrc mstatus, a0", VA_GIGA + pa_off);
    csr_clear(mstatus, MSTATUS_MPRV);
    CHECK(126, r, CAUSE_LOAD_ACCESS);
    CHECK(127, vk_trap_tval, VA_GIGA + pa_off);
    /* instruction fetch in M ignores MPRV: M code keeps running while
     * MPRV = 1 and MPP = U (the identity map is S-only) */
    csr_clear(mstatus, MSTATUS_MPP);
    r = TRY("li a0, 0x20000\n\tcsrs mstatus, a0\n\tnop\n\tnop\n\t"
            "csrc mstatus, a0", 0);
    csr_clear(mstatus, MSTATUS_MPRV);
    CHECK(128, r, -1UL);

    csr_write(satp, 0);
    sfence_vma_all();
    return 0;
}
