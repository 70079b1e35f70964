/*
 * Fault injection for the worker tests: on a file whose content starts with "FAULT:<kind>" this
 * module misbehaves the way hostile input makes real parsers misbehave. Built by the tests with cc.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "thor_plugin.h"

THOR_PLUGIN_EXPORT_ABI();

#define S(lit) ((thor_str){ lit, sizeof(lit) - 1 })

static int starts(const thor_object *o, const char *marker) {
    size_t n = strlen(marker);
    return o->content && o->content->map && o->content->size >= n && memcmp(o->content->map, marker, n) == 0;
}

static thor_status fault_init(const thor_init_args *a, void **inst) { (void)a; *inst = 0; return THOR_OK; }

static thor_status fault_scan(void *inst, const thor_object *o, void *ctx) {
    (void)inst; (void)ctx;
    if (starts(o, "FAULT:segv")) { volatile int *p = 0; *p = 1; }
    if (starts(o, "FAULT:abort")) abort();
    if (starts(o, "FAULT:loop")) { for (volatile unsigned long i = 0;; i++) {} }
    if (starts(o, "FAULT:alloc")) {
        for (;;) {
            char *p = malloc(64 << 20);
            if (!p) abort();
            memset(p, 1, 64 << 20);
        }
    }
    if (starts(o, "FAULT:garbage")) {
        /* Scribble over every socket this process has: the supervisor must notice. */
        static const char junk[] = "\xff\xff\xff\x7f garbage frame";
        for (int fd = 0; fd < 64; fd++) {
            struct stat st;
            if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) write(fd, junk, sizeof junk);
        }
    }
    if (starts(o, "FAULT:exit0")) _exit(0);
    return THOR_OK;
}

static void fault_finish(void *inst, void *ctx) { (void)inst; (void)ctx; }

static const thor_plugin d = {
    .struct_size = sizeof d, .abi_major = THOR_ABI_MAJOR, .abi_minor = THOR_ABI_MINOR,
    .name = S("fault"), .version = S("1.0"), .description = S("Misbehaves on marker files (tests only)"),
    .caps = THOR_CAP_NEEDS_CONTENT, .object_kinds = THOR_KIND_BIT(THOR_OBJ_FILE),
    .init = fault_init, .scan = fault_scan, .finish = fault_finish,
};

__attribute__((visibility("default"))) const thor_plugin *thor_plugin_entry(const thor_host_api *h) {
    (void)h;
    return &d;
}
