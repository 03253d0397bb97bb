/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared by the parts of vmx.ko (not part of the uapi). */
#ifndef _VMX_PRIV_H
#define _VMX_PRIV_H

#include <linux/types.h>
#include "uapi/vmx.h"

/* ioctl/dispatch.c: the single entry point of every VMX_IOC_* request. */
long vmx_ioctl(unsigned int cmd, unsigned long arg);

/* ioctl/info.c */
int vmx_ioc_info(void *req);

/* walker/paging_x86.c: facts about the MMU as the running kernel uses it. */
void vmx_describe_paging(struct vmx_info *info);

#endif /* _VMX_PRIV_H */
