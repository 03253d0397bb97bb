// SPDX-License-Identifier: GPL-2.0
/* Window facts for remap error messages (see window_probe.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "vmxctl.h"
#include "window_probe.h"

int window_extent(pid_t pid, uint64_t addr, uint64_t *start, uint64_t *end)
{
	const char *dev = vmx_device_path();
	char path[64], line[4096];
	struct stat st;
	int found = -1, by_inode = !stat(dev, &st);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		unsigned int maj, min;
		unsigned long ino;
		uint64_t s, e;
		int name = 0;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %*s %*s %x:%x %lu %n",
			   &s, &e, &maj, &min, &ino, &name) < 5 || addr < s || addr >= e)
			continue;
		line[strcspn(line, "\n")] = '\0';
		/* The device's inode, whatever path it was opened by. */
		if (by_inode ? maj == major(st.st_dev) && min == minor(st.st_dev) &&
			       ino == st.st_ino :
			       name && !strcmp(line + name, dev)) {
			*start = s;
			*end = e;
			found = 0;
		}
	}
	fclose(f);
	return found;
}
