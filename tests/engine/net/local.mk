# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/net/local.mk: build fragment (included by the lead).
