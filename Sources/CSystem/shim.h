/* Linux interfaces that Glibc's Swift module does not bring: statfs (file-system magic),
 * memfd_create, rlimits, and posix_spawn's file actions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/vfs.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <spawn.h>

