# SPDX-License-Identifier: GPL-2.0-or-later
# engine/net/local.mk: the net layer — core, queues, hubs, option syntax,
# user-mode networking (libslirp), monitor commands. The tap/bridge/socket
# backends add their files below.
engine_libvmkit_engine_a_SOURCES += \
	engine/include/emu-net.h \
	engine/net/net-internal.h \
	engine/net/net.c \
	engine/net/eth.c engine/net/eth.h \
	engine/net/queue.c \
	engine/net/hub.c \
	engine/net/opts.c \
	engine/net/options.c \
	engine/net/slirp.c \
	engine/net/monitor-net.c \
	engine/net/hotplug.c
