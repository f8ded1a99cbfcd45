# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/net-be.mk: build fragment (included by the lead).
