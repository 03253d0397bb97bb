// SPDX-License-Identifier: GPL-2.0
/*
 * Hand an exit status to the host and power off: QEMU's isa-debug-exit
 * device (port 0xf4) makes QEMU exit with status (v << 1) | 1.
 *   vmx-exit STATUS        now
 *   vmx-exit --serve FIFO  take the port at once, then wait for STATUS on
 *                          FIFO: a test may lock the kernel down meanwhile,
 *                          after which ioperm() is refused, but a port
 *                          already granted stays usable
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/reboot.h>
#include <unistd.h>

static void leave(int have_port, int status)
{
	if (have_port)
		outb((unsigned char)status, 0xf4);
	/* Without the device (or the port), at least stop the VM: QEMU runs
	 * with -no-reboot, so a reboot ends it.
	 */
	sync();
	reboot(RB_AUTOBOOT);
}

int main(int argc, char **argv)
{
	char buf[16] = "";
	int have_port, fd;

	if (argc == 3 && !strcmp(argv[1], "--serve")) {
		have_port = ioperm(0xf4, 1, 1) == 0;
		fd = open(argv[2], O_RDONLY);	/* blocks until init writes */
		if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
			return 1;
		leave(have_port, atoi(buf));
		return 1;
	}
	leave(ioperm(0xf4, 1, 1) == 0, argc > 1 ? atoi(argv[1]) : 0);
	return 1;
}
