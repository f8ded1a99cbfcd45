# SPDX-License-Identifier: GPL-2.0-or-later
# tests/client/local.mk: build fragment (included from the top Makefile.am).
