// SPDX-License-Identifier: GPL-2.0
/*
 * vmxtest selfmap: one process maps its own shared page into its own
 * window through VMX_IOC_REMAP, reads it back there, and exits with the
 * window still mapped and the pin held, so that exit alone must clean up.
 * One round of the insmod/map/exit/rmmod loop. Exit status 0 when the
 * window showed the page's bytes.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi/vmx.h"
#include "vmxtest.h"

/* /proc/self/stat field 22, after the parenthesised command name. */
static unsigned long long self_start_time(void)
{
	char buf[1024], *p;
	unsigned long long t = 0;
	FILE *f = fopen("/proc/self/stat", "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		return 0;
	fclose(f);
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%*u %*u %*d %*d %*d %*d %*d %*d %llu", &t) != 1)
		return 0;
	return t;
}

int selfmap(void)
{
	int fd = open(VMX_DEVICE_PATH, O_RDWR);
	char *src = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *win = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	struct vmx_remap r = {
		.size = sizeof(r), .op = VMX_REMAP_MAP, .pages = 1,
		.src_pid = getpid(), .win_pid = getpid(),
		.src_addr = (unsigned long)src, .win_addr = (unsigned long)win,
	};

	r.src_start_time = r.win_start_time = self_start_time();
	if (fd < 0 || src == MAP_FAILED || win == MAP_FAILED || !r.src_start_time) {
		perror("vmxtest selfmap");
		return 1;
	}
	strcpy(src, "selfmap");
	if (ioctl(fd, VMX_IOC_REMAP, &r) < 0) {
		perror("vmxtest selfmap: VMX_IOC_REMAP");
		return 1;
	}
	close(fd);	/* the window keeps the file, and so the module, open */
	return strcmp(win, "selfmap") != 0;
}
