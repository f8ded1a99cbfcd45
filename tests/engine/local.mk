# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/local.mk: engine tests — decoder/CPU units, devices,
# chardevs/monitor, the bare-metal ISA suite, the differential CPU test.
check_PROGRAMS += tests/engine/cpu/test-decode
TESTS += tests/engine/cpu/test-decode
tests_engine_cpu_test_decode_SOURCES = tests/engine/cpu/test-decode.c
tests_engine_cpu_test_decode_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_cpu_test_decode_LDADD = $(ENGINE_LIBS)

include tests/engine/cpu/fpu.mk
include tests/engine/hw/local.mk
include tests/engine/chr/local.mk
include tests/engine/isa/local.mk
include tests/engine/diff/local.mk
include tests/engine/net/local.mk
include tests/engine/virtio/local.mk
include tests/engine/netbe/local.mk
include tests/engine/e1000/local.mk
