# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/net.mk: build fragment (included by the lead).
