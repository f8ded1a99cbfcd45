#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/isa/run-threaded.sh: the ISA suite on the portable
# threaded-code executor (VMKIT_JIT=off), so both block executors stay
# tested on hosts where the native backend is the default.
VMKIT_JIT=off
export VMKIT_JIT
exec "$VMKIT_SRCDIR/tests/engine/isa/run.sh" "$@"
