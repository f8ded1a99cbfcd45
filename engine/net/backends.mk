# SPDX-License-Identifier: GPL-2.0-or-later
# engine/net/backends.mk: the host-facing net backends — tap, bridge
# (helper client), socket, stream, dgram — and the example tap scripts
# (included from engine/net/local.mk).
engine_libvmkit_engine_a_SOURCES += \
	engine/net/backends.h \
	engine/net/backends.c \
	engine/net/tap.c \
	engine/net/tap-helper.c \
	common/fdpass.c common/fdpass.h \
	engine/net/socket.c \
	engine/net/stream.c \
	engine/net/dgram.c

# -netdev tap runs $(sysconfdir)/vmkit/vmkit-ifup IFNAME (and vmkit-ifdown
# at exit) unless script=/downscript= say otherwise, as QEMU does with
# /etc/qemu-ifup.
netscriptdir = $(sysconfdir)/vmkit
dist_netscript_SCRIPTS = data/vmkit-ifup data/vmkit-ifdown
