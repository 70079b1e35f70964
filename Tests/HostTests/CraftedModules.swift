/// C sources of modules made to fail one loading check each (and one that behaves).
enum CraftedModules {
    struct Variant {
        var name = "crafted"
        var major = "THOR_ABI_MAJOR"
        var minor = "THOR_ABI_MINOR"
        var abiSymbols = true
        var entry = true
        var entryReturnsNull = false
        var initStatus = "THOR_OK"
        var minHostVersion = ""
    }

    static func source(_ v: Variant) -> String {
        var s = """
        #include "thor_plugin.h"
        #define S(lit) ((thor_str){ lit, sizeof(lit) - 1 })

        """
        if v.abiSymbols {
            s += """
            __attribute__((visibility("default"))) const uint32_t thor_plugin_abi_major = \(v.major);
            __attribute__((visibility("default"))) const uint32_t thor_plugin_abi_minor = \(v.minor);

            """
        }
        s += """
        static const thor_host_api *host;
        static thor_status mod_init(const thor_init_args *a, void **inst) {
            *inst = 0;
            if (\(v.initStatus) != THOR_OK) a->host->log(a->ctx, THOR_LOG_ERROR, S("cannot find my rules"));
            return \(v.initStatus);
        }
        static thor_status mod_scan(void *inst, const thor_object *o, void *ctx) {
            (void)inst;
            thor_finding f = { .struct_size = sizeof f, .rule_name = S("CRAFTED_Seen"), .sig_class = S("Test"),
                               .score = 50, .description = { o->name.ptr, o->name.len } };
            return host->emit_finding(ctx, &f);
        }
        static const thor_plugin d = {
            .struct_size = sizeof d, .abi_major = THOR_ABI_MAJOR, .abi_minor = THOR_ABI_MINOR,
            .name = S("\(v.name)"), .version = S("0.1"), .min_host_version = S("\(v.minHostVersion)"),
            .object_kinds = THOR_KIND_BIT(THOR_OBJ_FILE), .init = mod_init, .scan = mod_scan,
        };

        """
        if v.entry {
            s += """
            __attribute__((visibility("default"))) const thor_plugin *thor_plugin_entry(const thor_host_api *h) {
                host = h;
                return \(v.entryReturnsNull ? "0" : "&d");
            }

            """
        }
        return s
    }
}

extension CraftedModules {
    /// Emits a copy of every file that starts with "RECURSE" as its child, forever: the host's
    /// depth budget must end it.
    static let recursive = """
    #include <string.h>
    #include "thor_plugin.h"
    #define S(lit) ((thor_str){ lit, sizeof(lit) - 1 })
    THOR_PLUGIN_EXPORT_ABI();
    static const thor_host_api *host;
    static thor_status r_init(const thor_init_args *a, void **inst) { (void)a; *inst = 0; return THOR_OK; }
    static thor_status r_scan(void *inst, const thor_object *o, void *ctx) {
        (void)inst;
        if (!o->content || !o->content->map || o->content->size < 7 || memcmp(o->content->map, "RECURSE", 7)) return THOR_OK;
        thor_finding f = { .struct_size = sizeof f, .rule_name = S("RECURSE_Depth"), .sig_class = S("Test"), .score = 50 };
        host->emit_finding(ctx, &f);
        thor_reader r = { .struct_size = sizeof r, .size = o->content->size, .map = o->content->map };
        thor_object child = { .struct_size = sizeof child, .kind = THOR_OBJ_FILE, .name = S("inner"), .content = &r };
        char path[4096];
        size_t n = o->path.len < 4000 ? o->path.len : 4000;
        memcpy(path, o->path.ptr, n);
        memcpy(path + n, "|inner", 6);
        child.path = (thor_str){ path, n + 6 };
        return host->emit_child(ctx, &child) == THOR_E_LIMIT ? THOR_E_LIMIT : THOR_OK;
    }
    static const thor_plugin d = {
        .struct_size = sizeof d, .abi_major = THOR_ABI_MAJOR, .abi_minor = THOR_ABI_MINOR, .name = S("recurse"),
        .version = S("1"), .caps = THOR_CAP_NEEDS_CONTENT | THOR_CAP_EMITS_CHILDREN,
        .object_kinds = THOR_KIND_BIT(THOR_OBJ_FILE), .init = r_init, .scan = r_scan,
    };
    __attribute__((visibility("default"))) const thor_plugin *thor_plugin_entry(const thor_host_api *h) { host = h; return &d; }
    """
}
