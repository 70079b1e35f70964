/*
 * thor_plugin.h -- the one contract between the thor host and its scan modules.
 *
 * ABI version 1.2 (1.1 added THOR_CAP_NO_HASHES; 1.2 added thor_host_api.report_version and
 * require_hashes).
 * A module is a shared object (.so) that includes only this header.
 *
 * Loading, in this order (the host runs no module code before step 3):
 *   1. dlopen(RTLD_NOW | RTLD_LOCAL).
 *   2. Read the data symbols `thor_plugin_abi_major` and `thor_plugin_abi_minor`
 *      (use THOR_PLUGIN_EXPORT_ABI() once in a module to define them). A module is refused
 *      when its major differs from the host's or its minor is newer than the host's.
 *   3. Call `thor_plugin_entry(host)`; it returns the module's static descriptor, or NULL to
 *      refuse the host (for example a host table that is too short for what it needs).
 *   4. Call `descriptor->init(args, &instance)`; any status but THOR_OK refuses the module.
 *   A module is never unloaded (Swift libraries cannot be).
 *
 * Evolution rules:
 *   - Every struct begins with `struct_size`. Fields are only ever appended; a reader uses a
 *     field only when struct_size says it is there, and a zero field means "old behaviour".
 *   - Bumping the minor appends fields or functions; bumping the major breaks compatibility.
 *
 * Memory:
 *   - Everything the host passes in is borrowed for the duration of the call only.
 *   - Everything a module emits (findings, child objects, log text) is copied by the host before
 *     the callback returns, so a module may pass pointers to its stack or reusable buffers.
 *   - Strings are UTF-8 with explicit length (thor_str); they need not be NUL-terminated.
 *
 * Threads:
 *   - init and finish run once, on one thread.
 *   - scan is never called concurrently on one instance unless the module sets
 *     THOR_CAP_THREADSAFE. Host callbacks may only be used on the thread that runs the call,
 *     with the ctx pointer that call received.
 *
 * Errors never cross the boundary as exceptions, panics or Swift errors: only thor_status.
 */
#ifndef THOR_PLUGIN_H
#define THOR_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define THOR_ABI_MAJOR 1
#define THOR_ABI_MINOR 2

/* A UTF-8 string with length; not NUL-terminated. {NULL, 0} is the empty string. */
typedef struct thor_str {
    const char *ptr;
    size_t len;
} thor_str;

typedef struct thor_kv {
    thor_str key;
    thor_str value;
} thor_kv;

/* Status codes returned by module and host functions. */
typedef int32_t thor_status;
#define THOR_OK                0
#define THOR_E_ABI             1  /* version or struct-size mismatch */
#define THOR_E_INVALID_ARG     2
#define THOR_E_UNSUPPORTED     3  /* the object or option is not something this module handles */
#define THOR_E_CORRUPT_INPUT   4  /* hostile or broken data: logged, not retried */
#define THOR_E_LIMIT           5  /* a size, depth or count budget was reached */
#define THOR_E_ABORTED         6  /* should_abort() said stop (deadline, cancel) */
#define THOR_E_NOMEM           7
#define THOR_E_IO              8
#define THOR_E_INTERNAL        9  /* a module bug: counts toward disabling the module */

/* Log levels for host->log. */
typedef int32_t thor_log_level;
#define THOR_LOG_DEBUG   0
#define THOR_LOG_INFO    1
#define THOR_LOG_NOTICE  2
#define THOR_LOG_WARNING 3
#define THOR_LOG_ERROR   4

/* Object kinds. A module accepts a set of kinds as a mask of (1u << kind). */
typedef uint32_t thor_object_kind;
#define THOR_OBJ_FILE ((thor_object_kind)1)            /* a file on disk or an uploaded sample; has content */
#define THOR_OBJ_EVENT ((thor_object_kind)2)           /* an event record (EVTX, Eventlog); fields, no content */
#define THOR_OBJ_REGISTRY_KEY ((thor_object_kind)3)  
#define THOR_OBJ_REGISTRY_VALUE ((thor_object_kind)4) 
#define THOR_OBJ_LOG_LINE ((thor_object_kind)5)      
#define THOR_OBJ_MEMORY ((thor_object_kind)6)          /* a memory region (dump, process); has content */
#define THOR_OBJ_PROCESS ((thor_object_kind)7)       
#define THOR_OBJ_RECORD ((thor_object_kind)8)          /* any other key/value record (WER report, ...) */
#define THOR_KIND_BIT(kind) (1u << (kind))

/* Capability bits, module -> host. Unknown bits are ignored. */
#define THOR_CAP_THREADSAFE      (1u << 0)  /* scan may run concurrently on one instance */
#define THOR_CAP_EMITS_CHILDREN  (1u << 1)  /* calls emit_child (parsers, unpackers) */
#define THOR_CAP_NEEDS_CONTENT   (1u << 2)  /* wants the object's bytes in content.map */
/* (ABI 1.1) Never reads the md5, sha1 and sha256 fields. When every module that accepts a file
 * sets it, the host hashes only files that end up with findings (their log lines still carry the
 * digests), so these modules may see file objects without those three fields. A module without
 * the bit (every 1.0 module) always sees them. */
#define THOR_CAP_NO_HASHES       (1u << 3)

/*
 * The bytes of an object, borrowed for the scan call. When `map` is not NULL it holds all
 * `size` bytes. Otherwise `read_at` reads up to `len` bytes at `offset` into `buf` and returns
 * the count read (0 at the end) or a negative thor_status.
 */
typedef struct thor_reader {
    uint32_t struct_size;
    uint64_t size;
    const uint8_t *map;
    int64_t (*read_at)(void *rctx, uint64_t offset, void *buf, size_t len);
    void *rctx;
} thor_reader;

/*
 * One object to scan. `fields` carry everything known about it, with lower-case keys.
 * File objects always have: filename, filepath, extension, filetype, size, owner, group,
 * filemode, and md5, sha1, sha256 when their content was read (see THOR_CAP_NO_HASHES). Event objects carry
 * their System and EventData values (EventID, Channel, Provider_Name, ...).
 * `type_tags` are the tags given by magic bytes, extension and tagging rules (e.g. "EVTX").
 */
typedef struct thor_object {
    uint32_t struct_size;
    thor_object_kind kind;
    uint32_t depth;               /* 0 for walked files, parent depth + 1 for children */
    thor_str path;                /* full path, or "parent|member" for children */
    thor_str name;                /* display name: basename, record id, key name */
    thor_str type;                /* primary type tag from magic bytes, e.g. "EXE", "EVTX" */
    const thor_str *type_tags;
    size_t n_type_tags;
    const thor_kv *fields;
    size_t n_fields;
    const thor_reader *content;   /* NULL when the object has no bytes */
} thor_object;

/* One matched string of a finding. */
typedef struct thor_match {
    uint32_t struct_size;
    thor_str identifier;          /* e.g. "$s1", or the IOC value */
    uint64_t offset;              /* byte offset in the content, when it has one */
    thor_str data;                /* the matched bytes (binary allowed) */
    thor_str context;             /* bytes around the match (--string-context) */
    thor_str field;               /* for record objects: the field that matched */
} thor_match;

/* A finding: one signature that matched one object. */
typedef struct thor_finding {
    uint32_t struct_size;
    thor_str rule_name;
    thor_str description;
    thor_str reference;
    thor_str author;
    thor_str date;
    thor_str sig_class;           /* "YARA Rule", "Hash IOC", "Filename IOC", "Sigma Rule", ... */
    thor_str sig_type;            /* "internal" or "custom" */
    int32_t score;                /* sub-score 0..100; negative lowers the total */
    const thor_str *tags;
    size_t n_tags;
    const thor_match *matches;
    size_t n_matches;
    const thor_kv *extra;         /* more KEY: value pairs for the log line */
    size_t n_extra;
} thor_finding;

/*
 * The host's function table, given to thor_plugin_entry and init. Every function takes the
 * opaque ctx that the current call received.
 */
typedef struct thor_host_api {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    thor_str host_version;
    void (*log)(void *ctx, thor_log_level level, thor_str message);
    thor_status (*emit_finding)(void *ctx, const thor_finding *finding);
    /* A child object (an event of a log, a member of an archive). Its content, if any, must be
     * mapped. The host may answer THOR_E_LIMIT when depth or count budgets are spent. */
    thor_status (*emit_child)(void *ctx, const thor_object *child);
    /* Non-zero: stop this call soon and return THOR_E_ABORTED. Poll every few MB or ms. */
    int32_t (*should_abort)(void *ctx);
    /* Adds a type tag to the object being scanned, so later modules that accept it run. */
    thor_status (*add_type_tag)(void *ctx, thor_str tag);
    /* 1.2; during init only. Names the version of something the module's results depend on: a
     * library ("yara" -> "4.2.3") or a signature set ("signatures", "sigma" -> "2026/11/29-101500",
     * UTC, THOR's format). The host reports them (the scan log's start, Thunderstorm's /api/info);
     * of several versions of one component it keeps the greatest. Older hosts lack the field:
     * check struct_size before calling. */
    thor_status (*report_version)(void *ctx, thor_str component, thor_str version);
    /* 1.2; during init only. The instance needs the md5, sha1 and sha256 fields after all, as if
     * its descriptor lacked THOR_CAP_NO_HASHES: for modules that learn it from their signatures
     * (a YARA rule that reads the md5 external). */
    thor_status (*require_hashes)(void *ctx);
} thor_host_api;

/* What init receives. Options are the scan's settings as strings ("intense" -> "1",
 * "yara-dir" -> path, ...); a module ignores keys it does not know. */
typedef struct thor_init_args {
    uint32_t struct_size;
    const thor_host_api *host;
    void *ctx;                    /* for host->log during init */
    const thor_kv *options;
    size_t n_options;
    const thor_str *signature_dirs; /* signatures/ and custom-signatures/ folders, in order */
    size_t n_signature_dirs;
    thor_str cache_dir;           /* writable; never the program folder */
} thor_init_args;

/* The module's descriptor, returned by thor_plugin_entry. Static storage, never freed. */
typedef struct thor_plugin {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    thor_str name;                /* module name used by --modules, lower case */
    thor_str version;
    thor_str description;
    thor_str author;
    thor_str min_host_version;    /* semantic version, empty for any */
    uint32_t caps;                /* THOR_CAP_* */
    uint32_t object_kinds;        /* mask of THOR_KIND_BIT(kind) */
    const thor_str *type_tags;    /* accepted type tags; none means every object of those kinds */
    size_t n_type_tags;
    thor_status (*init)(const thor_init_args *args, void **instance);
    thor_status (*scan)(void *instance, const thor_object *object, void *ctx);
    void (*finish)(void *instance, void *ctx);
} thor_plugin;

/* The one exported function. */
typedef const thor_plugin *(*thor_plugin_entry_fn)(const thor_host_api *host);
#define THOR_PLUGIN_ENTRY_SYMBOL "thor_plugin_entry"
#define THOR_PLUGIN_ABI_MAJOR_SYMBOL "thor_plugin_abi_major"
#define THOR_PLUGIN_ABI_MINOR_SYMBOL "thor_plugin_abi_minor"

/* Defines the ABI data symbols; use it once in a module's C source. */
#define THOR_PLUGIN_EXPORT_ABI() \
    __attribute__((visibility("default"))) const uint32_t thor_plugin_abi_major = THOR_ABI_MAJOR; \
    __attribute__((visibility("default"))) const uint32_t thor_plugin_abi_minor = THOR_ABI_MINOR

#ifdef __cplusplus
}
#endif
#endif /* THOR_PLUGIN_H */
