# SPDX-License-Identifier: GPL-2.0-or-later
# engine/hw/local.mk: the QEMU-virt-compatible board and its devices.
engine_libvmkit_engine_a_SOURCES += \
	engine/hw/guest-log.c engine/hw/guest-log.h \
	engine/hw/clint.c engine/hw/clint.h \
	engine/hw/plic.c engine/hw/plic.h \
	engine/hw/uart16550.c engine/hw/uart16550.h \
	engine/hw/goldfish-rtc.c engine/hw/goldfish-rtc.h \
	engine/hw/syscon.c engine/hw/syscon.h \
	engine/hw/pci.c engine/hw/pci.h engine/hw/pci-internal.h \
	engine/hw/pcie-host.c engine/hw/pcie-root-port.c \
	engine/hw/virtio-slots.c engine/hw/virtio-slots.h \
	engine/hw/fdt.c engine/hw/fdt.h \
	engine/hw/loader.c engine/hw/loader.h \
	engine/hw/virt.c engine/hw/virt.h
