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
