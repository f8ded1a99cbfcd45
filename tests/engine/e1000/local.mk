# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/e1000/local.mk: build fragment (included by the lead).
