# SPDX-License-Identifier: GPL-2.0-or-later
# engine/hw/e1000.mk: the Intel 82540EM (e1000) PCI NIC — registers,
# EEPROM, PHY, interrupts and receive (e1000.c), transmit with checksum
# offload and TCP segmentation (e1000-tx.c); included from engine/local.mk.
engine_libvmkit_engine_a_SOURCES += \
	engine/hw/e1000-regs.h \
	engine/hw/e1000.c \
	engine/hw/e1000-tx.c
