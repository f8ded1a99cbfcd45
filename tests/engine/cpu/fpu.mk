# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/cpu/fpu.mk: build fragment.
