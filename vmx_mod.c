// SPDX-License-Identifier: GPL-2.0
/*
 * vmx: look inside (and experiment with) any process's page tables.
 * This file owns the lifetime of /dev/vmx; requests are handled in ioctl/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "vmx_priv.h"

static int vmx_open(struct inode *inode, struct file *file)
{
	/*
	 * The file mode already keeps out everyone but root; the capability
	 * check also stops root processes that dropped CAP_SYS_ADMIN, because
	 * vmx reveals physical addresses as pagemap does only to that holder.
	 */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

static long vmx_unlocked_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	return vmx_file_ioctl(file, cmd, arg);
}

static const struct file_operations vmx_fops = {
	.owner		= THIS_MODULE,
	.open		= vmx_open,
	.unlocked_ioctl	= vmx_unlocked_ioctl,
	.mmap		= vmx_window_mmap,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice vmx_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vmx",
	.fops	= &vmx_fops,
	.mode	= 0600,
};

static int __init vmx_init(void)
{
	int ret;

	vmx_stats_init();
	ret = misc_register(&vmx_misc);
	if (ret) {
		pr_err("cannot register /dev/vmx: %d\n", ret);
		vmx_stats_exit();
	}
	return ret;
}

static void __exit vmx_exit(void)
{
	misc_deregister(&vmx_misc);
	vmx_stats_exit();
}

module_init(vmx_init);
module_exit(vmx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Inspect and experiment with process page tables");
MODULE_AUTHOR("The vmx developers");
