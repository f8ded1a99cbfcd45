# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/e1000.mk: build fragment (included by the lead).
