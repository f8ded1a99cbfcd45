# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/local.mk: build fragment (included from the top Makefile.am).
