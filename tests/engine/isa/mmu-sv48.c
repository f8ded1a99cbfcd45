/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mmu-sv48.c: page-based virtual memory with Sv48 (privileged spec
 * §4.5); the checks are in mmu.h. */
#define VK_LEVELS 4
#include "mmu.h"
