// SPDX-License-Identifier: GPL-2.0
/* Window facts for remap error messages (see window_probe.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vmxctl.h"
#include "window_probe.h"

int window_extent(pid_t pid, uint64_t addr, uint64_t *start, uint64_t *end)
{
	const char *dev = vmx_device_path();
	char path[64], line[512];
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		uint64_t s, e;
		int name = 0;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %*s %*s %*s %*s %n",
			   &s, &e, &name) < 2 || !name)
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (addr >= s && addr < e && !strcmp(line + name, dev)) {
			*start = s;
			*end = e;
			found = 0;
		}
	}
	fclose(f);
	return found;
}
