#!/bin/bash
# Print the kernel splats in a console log; exit 1 if there is any.
# Any BUG, Oops, WARNING, KASAN or lockdep report, "Bad page", sleeping in
# atomic context, a hung task, a soft lockup or a kmemleak report fails.
set -u
log=${1:?usage: splat-scan.sh CONSOLE.LOG}
pattern='BUG:|Oops|WARNING:|KASAN|kernel BUG|general protection fault|'
pattern+='Bad page|bad page|BUG: sleeping function|possible recursive locking|'
pattern+='circular locking dependency|suspicious RCU usage|inconsistent lock state|'
pattern+='blocked for more than|soft lockup|hard LOCKUP|rcu_sched self-detected stall|'
pattern+='detected stall|suspected memory leak|Kernel panic|UBSAN:|refcount_t:|'
pattern+='list_add corruption|list_del corruption'
if grep -nE "$pattern" "$log"; then
	exit 1
fi
exit 0
