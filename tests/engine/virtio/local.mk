# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/virtio/local.mk: build fragment (included by the lead).
