/*
 * An example scan module in plain C: flags files that contain well-known offensive-tool strings.
 * It shows the whole contract: ABI symbols, the entry function, the descriptor, init/scan/finish,
 * and emitting a finding with a matched string. Build: make (needs only thor_plugin.h).
 */
#include <string.h>
#include "thor_plugin.h"

THOR_PLUGIN_EXPORT_ABI();

static const thor_host_api *host;

#define S(lit) ((thor_str){ lit, sizeof(lit) - 1 })

static const struct { const char *needle; int score; } needles[] = {
    { "sekurlsa::logonpasswords", 85 },
    { "Invoke-Mimikatz", 80 },
    { "lsadump::sam", 75 },
};

static thor_status example_init(const thor_init_args *args, void **instance) {
    *instance = NULL;
    args->host->log(args->ctx, THOR_LOG_DEBUG, S("strings example ready"));
    return THOR_OK;
}

/* A bounded substring search: the content is not NUL-terminated. */
static const uint8_t *find(const uint8_t *hay, uint64_t len, const char *needle) {
    size_t n = strlen(needle);
    if (n == 0 || len < n) return NULL;
    for (uint64_t i = 0; i + n <= len; i++) {
        if (hay[i] == (uint8_t)needle[0] && memcmp(hay + i, needle, n) == 0) return hay + i;
    }
    return NULL;
}

static thor_status example_scan(void *instance, const thor_object *object, void *ctx) {
    (void)instance;
    if (object->content == NULL || object->content->map == NULL) return THOR_E_UNSUPPORTED;
    const uint8_t *data = object->content->map;
    uint64_t size = object->content->size;
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
        const uint8_t *hit = find(data, size, needles[i].needle);
        if (hit == NULL) continue;
        thor_match match = {
            .struct_size = sizeof(thor_match),
            .identifier = S("$s"),
            .offset = (uint64_t)(hit - data),
            .data = { (const char *)hit, strlen(needles[i].needle) },
        };
        thor_finding finding = {
            .struct_size = sizeof(thor_finding),
            .rule_name = S("EXAMPLE_Offensive_Tool_String"),
            .description = S("Contains a string of a credential dumping tool"),
            .author = S("thor example module"),
            .sig_class = S("Example Module"),
            .sig_type = S("custom"),
            .score = needles[i].score,
            .matches = &match,
            .n_matches = 1,
        };
        host->emit_finding(ctx, &finding);
    }
    return THOR_OK;
}

static void example_finish(void *instance, void *ctx) {
    (void)instance;
    (void)ctx;
}

static const thor_plugin descriptor = {
    .struct_size = sizeof(thor_plugin),
    .abi_major = THOR_ABI_MAJOR,
    .abi_minor = THOR_ABI_MINOR,
    .name = S("strings-example"),
    .version = S("1.0.0"),
    .description = S("Flags files containing offensive-tool strings (example module in C)"),
    .author = S("thor project"),
    .caps = THOR_CAP_THREADSAFE | THOR_CAP_NEEDS_CONTENT,
    .object_kinds = THOR_KIND_BIT(THOR_OBJ_FILE),
    .init = example_init,
    .scan = example_scan,
    .finish = example_finish,
};

__attribute__((visibility("default"))) const thor_plugin *thor_plugin_entry(const thor_host_api *h) {
    if (h == NULL || h->struct_size < sizeof(thor_host_api) || h->abi_major != THOR_ABI_MAJOR) return NULL;
    host = h;
    return &descriptor;
}
