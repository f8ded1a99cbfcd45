# SPDX-License-Identifier: GPL-2.0-or-later
# net-helper/local.mk: vmkit-bridge-helper, installed setuid root in libexecdir.

NET_HELPER_SOURCES = \
	net-helper/main.c \
	net-helper/acl.c net-helper/acl.h \
	net-helper/tap.c net-helper/tap.h \
	common/fdpass.c common/fdpass.h

libexec_PROGRAMS += net-helper/vmkit-bridge-helper
net_helper_vmkit_bridge_helper_SOURCES = $(NET_HELPER_SOURCES)
# The ACL path is compiled in, never taken from the environment or argv.
net_helper_vmkit_bridge_helper_CPPFLAGS = $(AM_CPPFLAGS) \
	-DVMKIT_BRIDGE_ACL=\"$(sysconfdir)/vmkit/bridge.conf\"
net_helper_vmkit_bridge_helper_CFLAGS = $(AM_CFLAGS) \
	$(GLIB_CFLAGS) $(CAPNG_CFLAGS)
net_helper_vmkit_bridge_helper_LDADD = $(GLIB_LIBS) $(CAPNG_LIBS)

EXTRA_DIST += net-helper/README.md net-helper/bridge.conf.example

# setuid root, like qemu-bridge-helper (the program drops to CAP_NET_ADMIN
# and the caller's ids at once).  A non-root install (a DESTDIR package
# build, `make distcheck`) cannot chown to root: it says so and leaves the
# mode alone; packagers set owner and mode themselves.
install-exec-hook: install-net-helper-setuid
install-net-helper-setuid:
	@f='$(DESTDIR)$(libexecdir)/vmkit-bridge-helper$(EXEEXT)'; \
	if test "`id -u`" = 0; then \
	  echo " chown root '$$f' && chmod u+s '$$f'"; \
	  chown root "$$f" && chmod u+s "$$f"; \
	else \
	  echo "NOTE: not root: $$f is not setuid root;"; \
	  echo "NOTE: as root run: chown root '$$f' && chmod u+s '$$f'"; \
	fi
.PHONY: install-net-helper-setuid
