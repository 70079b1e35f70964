/* The ABI data symbols of every module built with PluginKit: linked statically into each
 * Swift module, read by the host with dlsym before any module code runs. */
#include "thor_plugin.h"

THOR_PLUGIN_EXPORT_ABI();
