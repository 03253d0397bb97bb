// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the process a request names, and holding its address space for
 * the length of the request (an mm_users reference keeps exit_mmap away).
 */
#include <linux/jiffies.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/time_namespace.h>

#include "vmx_priv.h"

/*
 * /proc/pid/stat's starttime as the caller reads it there: clock ticks
 * since boot, in the caller's time namespace (fs/proc/array.c adds its
 * boot-time offset the same way).
 */
static u64 vmx_task_start_ticks(struct task_struct *task)
{
	return div_u64(timens_add_boottime_ns(task->start_boottime),
		       NSEC_PER_SEC / USER_HZ);
}

struct mm_struct *vmx_target_mm(pid_t pid, u64 start_time)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *p;

	if (pid <= 0)
		return ERR_PTR(-ESRCH);
	/*
	 * The caller's own thread (PTEditor's usual case, and a tool's
	 * per-address loop): no lookup, and no task lock, as only the task
	 * itself changes its own mm.
	 */
	if (pid == task_pid_vnr(current)) {
		if (start_time && vmx_task_start_ticks(current) != start_time)
			return ERR_PTR(-ESRCH);
		mm = current->mm;
		if (!mm || (current->flags & PF_KTHREAD))
			return ERR_PTR(-ENXIO);
		mmget(mm);
		return mm;
	}
	/* The pid needs no reference of its own while RCU keeps it. */
	rcu_read_lock();
	p = find_vpid(pid);
	task = p ? get_pid_task(p, PIDTYPE_PID) : NULL;
	rcu_read_unlock();
	if (!task)
		return ERR_PTR(-ESRCH);
	if (start_time && vmx_task_start_ticks(task) != start_time) {
		put_task_struct(task);
		return ERR_PTR(-ESRCH);
	}
	/* NULL for kernel threads and for a process whose mm is gone. */
	mm = get_task_mm(task);
	put_task_struct(task);
	return mm ?: ERR_PTR(-ENXIO);
}
