// parse_manifest on arbitrary file contents: manifests are operator-written files the host reads
// before anything else, so no input may crash it and every verdict must be explained.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "manifest/manifest.hpp"

using orch::pruner::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const orch::host::ManifestParse parse = orch::host::parse_manifest("fuzz.json", text);

    check(parse.manifest.has_value() == parse.errors.empty(),
          "a manifest is returned exactly when there is no error");
    for (const std::string& error : parse.errors) {
        check(error.find("fuzz.json") != std::string::npos, "every error names the file");
    }
    if (parse.manifest) {
        const orch::host::Manifest& m = *parse.manifest;
        check(orch::host::is_valid_key(m.id), "an accepted id is a valid key");
        check(orch::host::is_valid_key(m.queue_key), "an accepted queue_key is a valid key");
        check(!orch::host::library_name_problem(m.library).has_value(),
              "an accepted library stays inside the plugin directory");
        check(!m.library.empty() && m.library.front() != '/', "an accepted library is relative");
        check(!m.config_json.empty() && m.config_json.front() == '{', "config is an object");
    }
    return 0;
}
