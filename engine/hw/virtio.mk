# SPDX-License-Identifier: GPL-2.0-or-later
# engine/hw/virtio.mk: the virtio core (split virtqueues, status, features),
# its MMIO and PCI transports and virtio-net; included from
# engine/hw/local.mk.
engine_libvmkit_engine_a_SOURCES += \
	engine/hw/virtio.c engine/hw/virtio.h \
	engine/hw/virtio-mmio.c \
	engine/hw/virtio-pci.c \
	engine/hw/virtio-net.c
