# SPDX-License-Identifier: GPL-2.0-or-later
# engine/local.mk: libvmkit-engine and the `vmkit` program.
noinst_LIBRARIES += engine/libvmkit-engine.a
ENGINE_CFLAGS = $(GLIB_CFLAGS) $(GIO_CFLAGS) $(SLIRP_CFLAGS) $(FDT_CFLAGS)
ENGINE_LIBS = $(top_builddir)/engine/libvmkit-engine.a $(GIO_LIBS) \
	$(GLIB_LIBS) $(SLIRP_LIBS) $(FDT_LIBS) $(LIBM) -lutil
engine_libvmkit_engine_a_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS) -O2
engine_libvmkit_engine_a_SOURCES = engine/include/emu.h \
	engine/include/emu-error.h
include engine/core/local.mk
include engine/cpu/riscv/local.mk
include engine/hw/local.mk
include engine/hw/virtio.mk
include engine/hw/e1000.mk
include engine/net/local.mk
include engine/net/backends.mk

bin_PROGRAMS += engine/vmkit
engine_vmkit_SOURCES = engine/main.c
engine_vmkit_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
engine_vmkit_LDADD = $(ENGINE_LIBS)
