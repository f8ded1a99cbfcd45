# SPDX-License-Identifier: GPL-2.0-or-later
# daemon/local.mk: build fragment (included from the top Makefile.am).
