// SPDX-License-Identifier: GPL-3.0-or-later
// The few Linux calls Swift's Glibc module does not expose (it is built without _GNU_SOURCE).
#ifndef SALESMOTION_CPOSIX_H
#define SALESMOTION_CPOSIX_H

/// renameat2(2): RENAME_EXCHANGE swaps two paths in one step, RENAME_NOREPLACE refuses an
/// existing target. Returns 0 or -1 with errno set (ENOSYS or EINVAL where unsupported).
int cposix_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

/// The flag values, so Swift need not know them.
unsigned int cposix_rename_exchange(void);
unsigned int cposix_rename_noreplace(void);

/// malloc_trim(0): gives the pages of freed heap memory back to the system.
void cposix_release_freed_memory(void);

/// mallopt: blocks of 4 MiB or more are mapped apart and unmapped when freed, and more than
/// 1 MiB free at the heap's top is given back (glibc otherwise raises both after the first large
/// block is freed, and keeps large freed arrays resident).
void cposix_limit_heap_retention(void);

#endif
