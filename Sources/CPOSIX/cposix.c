// SPDX-License-Identifier: GPL-3.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/fs.h>
#include <malloc.h>
#include "cposix.h"

int cposix_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
    return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, flags);
}

unsigned int cposix_rename_exchange(void) { return RENAME_EXCHANGE; }
unsigned int cposix_rename_noreplace(void) { return RENAME_NOREPLACE; }

void cposix_release_freed_memory(void) { (void)malloc_trim(0); }

void cposix_limit_heap_retention(void) {
    (void)mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    (void)mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
}
