/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VMXTEST_H
#define VMXTEST_H

#include <stdint.h>
#include <sys/types.h>

int pagemap_compare(pid_t pid);
int ptdump_compare(pid_t pid, const char *ptdump_file);
int maps_compare(pid_t pid);
int mtree_compare(pid_t pid);
int selfmap(void);
int abi1_compare(pid_t pid, uint64_t addr);
int compact_compare(pid_t pid);

#endif
