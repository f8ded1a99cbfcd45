# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/hw/local.mk: build fragment.
