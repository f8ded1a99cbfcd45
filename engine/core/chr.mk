# SPDX-License-Identifier: GPL-2.0-or-later
# engine/core/chr.mk: character backends and the human monitor (included
# from engine/core/local.mk; chardev.h is listed there).
engine_libvmkit_engine_a_SOURCES += \
	engine/core/chardev.c \
	engine/core/monitor.c engine/core/monitor.h
