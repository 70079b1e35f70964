/* Linux interfaces that Glibc's Swift module does not bring: statfs (file-system magic),
 * memfd_create, prctl, and posix_spawn's file actions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/vfs.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <spawn.h>

/* prctl is variadic, which Swift cannot call. */
static inline int thor_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}
