# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/virtio/local.mk: virtio device tests — the split virtqueue
# core against hostile rings, the MMIO and PCI transports and virtio-net,
# each driven from the test as a guest driver would (included from
# tests/engine/local.mk).
VIRTIO_TESTS = \
	tests/engine/virtio/test-virtio-net \
	tests/engine/virtio/test-virtio-hostile \
	tests/engine/virtio/test-virtio-mmio \
	tests/engine/virtio/test-virtio-pci
check_PROGRAMS += $(VIRTIO_TESTS)
TESTS += $(VIRTIO_TESTS)

tests_engine_virtio_test_virtio_net_SOURCES = \
	tests/engine/virtio/test-virtio-net.c tests/engine/virtio/virtio-test.h \
	tests/engine/nic-test.h
tests_engine_virtio_test_virtio_net_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_virtio_test_virtio_net_LDADD = $(ENGINE_LIBS)

tests_engine_virtio_test_virtio_hostile_SOURCES = \
	tests/engine/virtio/test-virtio-hostile.c \
	tests/engine/virtio/virtio-test.h \
	tests/engine/nic-test.h
tests_engine_virtio_test_virtio_hostile_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_virtio_test_virtio_hostile_LDADD = $(ENGINE_LIBS)

tests_engine_virtio_test_virtio_mmio_SOURCES = \
	tests/engine/virtio/test-virtio-mmio.c tests/engine/virtio/virtio-test.h \
	tests/engine/nic-test.h
tests_engine_virtio_test_virtio_mmio_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_virtio_test_virtio_mmio_LDADD = $(ENGINE_LIBS)

tests_engine_virtio_test_virtio_pci_SOURCES = \
	tests/engine/virtio/test-virtio-pci.c tests/engine/virtio/virtio-test.h \
	tests/engine/nic-test.h
tests_engine_virtio_test_virtio_pci_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_virtio_test_virtio_pci_LDADD = $(ENGINE_LIBS)
