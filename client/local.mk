# SPDX-License-Identifier: GPL-2.0-or-later
# client/local.mk: vmctl, the virsh-like command-line client of vmd, and
# its bash completion.
bin_PROGRAMS += client/vmctl
client_vmctl_SOURCES = \
	client/vmctl.h \
	client/vmctl.c \
	client/args.c \
	client/bus.c \
	client/output.c \
	client/domxml.c \
	client/console.c \
	client/cmd-domain.c \
	client/cmd-monitor.c \
	client/cmd-iface.c \
	client/cmd-hub.c
client_vmctl_CFLAGS = $(AM_CFLAGS) $(GIO_CFLAGS) $(GLIB_CFLAGS) \
	$(XML_CFLAGS)
client_vmctl_LDADD = $(GIO_LIBS) $(GLIB_LIBS) $(XML_LIBS) $(LIBINTL)

# bash-completion's directory for completions loaded on demand; below
# $(datadir) so that `make distcheck` installs it in its own prefix.
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = data/bash-completion/vmctl
