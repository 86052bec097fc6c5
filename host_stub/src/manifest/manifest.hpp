#pragma once
// One plugin manifest, parsed and validated from its JSON text. Pure: no I/O.
//
// Schema version 1: one JSON object per file.
//   "schema_version": 1               required integer; the only version this host knows
//   "id": "build_cache_pruner"        required; [A-Za-z0-9_][A-Za-z0-9_.-]*, at most 64 chars;
//                                     must equal the id in the library's descriptor
//   "library": "libx.so"              required; a path relative to the plugin directory with no
//                                     '..', '.' or empty component (never absolute)
//   "api_version": "1.0"              required; "<major>.<minor>" of the plugin API the plugin
//   needs;
//                                     the host must provide it (same major, minor not newer)
//   "enabled": true                   required boolean; false: never loaded, shown in /queue as
//                                     {"enabled": false} at its queue_key
//   "required": false                 optional boolean (false); true: the host will not run
//                                     without this plugin (a failure is fatal at start-up)
//   "order": 100                      optional integer (0); start ascending (ties by id), stop
//                                     in reverse
//   "queue_key": "build_cache_prune"  required; same syntax as id; where the plugin's status()
//                                     appears in GET /queue; not "queue", "plugins" or "host";
//                                     unique
//   "config": {...}                   optional object ({}); handed to the plugin as JSON text
// Unknown keys are warnings, not errors, so a manifest written for a newer host that only adds
// optional keys still loads here.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/api_version.hpp"

namespace orch::host {

inline constexpr int kManifestSchemaVersion = 1;

struct Manifest {
    std::string file_name;  // the manifest's file name, for messages
    std::string id;
    std::string library;
    ApiVersion api_version;
    bool enabled = true;
    bool required = false;
    int order = 0;
    std::string queue_key;
    std::string config_json = "{}";  // the "config" object serialised
};

struct ManifestParse {
    std::optional<Manifest> manifest;   // set exactly when errors is empty
    std::vector<std::string> errors;    // each names the file, the key and what was expected
    std::vector<std::string> warnings;  // unknown keys and the like; the manifest still loads
    // true when the text says "required": true, even if it is otherwise invalid: a broken
    // manifest of a required plugin is as fatal as the plugin failing.
    bool required = false;
};

ManifestParse parse_manifest(std::string_view file_name, std::string_view text);

// Whether a manifest's "library" value names a file inside the plugin directory, judged on the
// text only, so a manifest cannot make the host dlopen() a library from anywhere else. nullopt when
// `library` is a relative path of plain components (sub-directories allowed); otherwise what is
// wrong with it, e.g. "is an absolute path" or "has a '..' component".
std::optional<std::string> library_name_problem(std::string_view library);

// Whether `key` is a valid id / queue_key: [A-Za-z0-9_][A-Za-z0-9_.-]*, 1..64 characters.
bool is_valid_key(std::string_view key);

}  // namespace orch::host
