# SPDX-License-Identifier: GPL-2.0-or-later
# engine/core/local.mk: context, machine, address space, chardevs, monitor.
engine_libvmkit_engine_a_SOURCES += \
	engine/core/error.c \
	engine/core/irq.h \
	engine/core/machine.c engine/core/machine.h \
	engine/core/memory.c engine/core/memory.h \
	engine/core/chardev.h
include engine/core/chr.mk
