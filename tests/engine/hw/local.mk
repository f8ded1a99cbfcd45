# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/hw/local.mk: board and device tests (CLINT, PLIC, UART, RTC,
# test device, virtio-mmio slots, PCIe host, device tree, loader, board).
HW_TESTS = \
	tests/engine/hw/test-clint \
	tests/engine/hw/test-plic \
	tests/engine/hw/test-uart \
	tests/engine/hw/test-devices \
	tests/engine/hw/test-pcie \
	tests/engine/hw/test-pcie-port \
	tests/engine/hw/test-fdt \
	tests/engine/hw/test-loader \
	tests/engine/hw/test-virt
check_PROGRAMS += $(HW_TESTS)
TESTS += $(HW_TESTS)
EXTRA_DIST += tests/engine/hw/hw-test.h

tests_engine_hw_test_clint_SOURCES = tests/engine/hw/test-clint.c
tests_engine_hw_test_clint_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_hw_test_clint_LDADD = $(ENGINE_LIBS)

tests_engine_hw_test_plic_SOURCES = tests/engine/hw/test-plic.c
tests_engine_hw_test_plic_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_hw_test_plic_LDADD = $(ENGINE_LIBS)

tests_engine_hw_test_uart_SOURCES = tests/engine/hw/test-uart.c
tests_engine_hw_test_uart_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_hw_test_uart_LDADD = $(ENGINE_LIBS)

tests_engine_hw_test_devices_SOURCES = tests/engine/hw/test-devices.c
tests_engine_hw_test_devices_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_hw_test_devices_LDADD = $(ENGINE_LIBS)

tests_engine_hw_test_pcie_SOURCES = tests/engine/hw/test-pcie.c \
	tests/engine/hw/pcie-test.h
tests_engine_hw_test_pcie_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_hw_test_pcie_LDADD = $(ENGINE_LIBS)

tests_engine_hw_test_pcie_port_SOURCES = tests/engine/hw/test-pcie-port.c \
	tests/engine/hw/pcie-test.h
tests_engine_hw_test_pcie_port_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_hw_test_pcie_port_LDADD = $(ENGINE_LIBS)

tests_engine_hw_test_fdt_SOURCES = tests/engine/hw/test-fdt.c
tests_engine_hw_test_fdt_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_hw_test_fdt_LDADD = $(ENGINE_LIBS)

tests_engine_hw_test_loader_SOURCES = tests/engine/hw/test-loader.c
tests_engine_hw_test_loader_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_hw_test_loader_LDADD = $(ENGINE_LIBS)

tests_engine_hw_test_virt_SOURCES = tests/engine/hw/test-virt.c
tests_engine_hw_test_virt_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_hw_test_virt_LDADD = $(ENGINE_LIBS)
