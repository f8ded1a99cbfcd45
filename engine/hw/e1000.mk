# SPDX-License-Identifier: GPL-2.0-or-later
# engine/hw/e1000.mk: build fragment (included by the lead).
