#!/bin/sh
. "$VMKIT_SRCDIR/tests/lib.sh"; skip_all "todo"
