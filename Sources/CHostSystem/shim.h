/* Linux interfaces that Glibc's Swift module does not bring: statfs (file-system magic),
 * memfd_create, syncfs, eventfd, epoll and SO_PEERCRED. No _GNU_SOURCE here: it would give glibc's structs other definitions than the
 * Glibc module's. */
#include <sys/vfs.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

/* memfd_create(name, MFD_CLOEXEC) through syscall(2), which Swift cannot call (variadic). */
static inline int thor_memfd_create(const char *name) {
    return (int)syscall(SYS_memfd_create, name, 1u);
}

/* syncfs(fd) through syscall(2): glibc declares it only with _GNU_SOURCE (see above). */
static inline int thor_syncfs(int fd) {
    return (int)syscall(SYS_syncfs, fd);
}

/* ioprio_set(IOPRIO_WHO_PROCESS, self, IOPRIO_PRIO_VALUE(cls, level)) and ioprio_get through
 * syscall(2): glibc has no wrapper. Classes: 1 real time, 2 best effort (levels 0-7), 3 idle. */
static inline int thor_set_io_priority(int cls, int level) {
    return (int)syscall(SYS_ioprio_set, 1, 0, (cls << 13) | level);
}

static inline int thor_get_io_priority(void) {
    return (int)syscall(SYS_ioprio_get, 1, 0);
}

/* O_NOATIME is behind _GNU_SOURCE (see above); the value is the kernel's generic one
 * (asm-generic/fcntl.h), which x86 and arm64 use. */
#define THOR_O_NOATIME 01000000

/* SCHED_BATCH is behind _GNU_SOURCE as well; the value is the kernel's (linux/sched.h). */
#define THOR_SCHED_BATCH 3

/* The process at the other end of a connected Unix socket (SO_PEERCRED: for a connection to a
 * listening socket, the process that called listen). struct ucred and SO_PEERCRED are behind
 * _GNU_SOURCE (see above); the layout and the value (17) are the kernel's generic ones. 0 when unknown. */
#include <sys/socket.h>
static inline int thor_peer_pid(int fd) {
    struct { int pid; unsigned uid; unsigned gid; } cred = { 0, 0, 0 };
    socklen_t length = sizeof cred;
    return getsockopt(fd, SOL_SOCKET, 17, &cred, &length) == 0 ? cred.pid : 0;
}

/* epoll with plain values: struct epoll_event is packed on x86-64, which Swift does not import
 * faithfully. Each registration's data is its descriptor. */
#include <sys/epoll.h>
static inline int thor_epoll_ctl(int epfd, int op, int fd, unsigned events) {
    struct epoll_event event = { .events = events, .data = { .fd = fd } };
    return epoll_ctl(epfd, op, fd, &event);
}

/* Up to 64 ready descriptors and their events; returns their number (-1 and errno on failure). */
static inline int thor_epoll_wait(int epfd, int *fds, unsigned *events, int max, int timeout) {
    struct epoll_event ready[64];
    int n = epoll_wait(epfd, ready, max < 64 ? max : 64, timeout);
    for (int i = 0; i < n; i++) { fds[i] = ready[i].data.fd; events[i] = ready[i].events; }
    return n;
}

/* accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC) through syscall(2): glibc declares it only
 * with _GNU_SOURCE (see above); the flag values are the kernel's generic ones. */
static inline int thor_accept_nonblocking(int fd) {
    return (int)syscall(SYS_accept4, fd, (void *)0, (void *)0, 04000 | 02000000);
}
