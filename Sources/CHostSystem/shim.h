/* Linux interfaces that Glibc's Swift module does not bring: statfs (file-system magic) and
 * memfd_create. No _GNU_SOURCE here: it would give glibc's structs other definitions than the
 * Glibc module's. */
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* memfd_create(name, MFD_CLOEXEC) through syscall(2), which Swift cannot call (variadic). */
static inline int thor_memfd_create(const char *name) {
    return (int)syscall(SYS_memfd_create, name, 1u);
}
