# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/virtio/local.mk: virtio device tests — the split virtqueue
# core, the MMIO and PCI transports and virtio-net, driven from the test as
# a guest driver would (included from tests/engine/local.mk).
VIRTIO_TESTS = \
	tests/engine/virtio/test-virtio-net \
	tests/engine/virtio/test-virtio-hostile
check_PROGRAMS += $(VIRTIO_TESTS)
TESTS += $(VIRTIO_TESTS)
EXTRA_DIST += tests/engine/virtio/virtio-test.h

tests_engine_virtio_test_virtio_net_SOURCES = \
	tests/engine/virtio/test-virtio-net.c tests/engine/virtio/virtio-test.h
tests_engine_virtio_test_virtio_net_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_virtio_test_virtio_net_LDADD = $(ENGINE_LIBS)

tests_engine_virtio_test_virtio_hostile_SOURCES = \
	tests/engine/virtio/test-virtio-hostile.c \
	tests/engine/virtio/virtio-test.h
tests_engine_virtio_test_virtio_hostile_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_virtio_test_virtio_hostile_LDADD = $(ENGINE_LIBS)
