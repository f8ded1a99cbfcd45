# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/hw/local.mk: board and device tests (CLINT, PLIC, UART, RTC,
# test device, PCIe host, virtio-mmio slots, device tree, loader, board).
