# SPDX-License-Identifier: GPL-2.0-or-later
# engine/net/backends.mk: build fragment (included by the lead).
