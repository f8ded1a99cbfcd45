/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mmu-sv39.c: page-based virtual memory with Sv39 (privileged spec
 * §4.4); the checks are in mmu.h. */
#define VK_LEVELS 3
#include "mmu.h"
