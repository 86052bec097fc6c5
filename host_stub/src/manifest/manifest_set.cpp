#include "manifest/manifest_set.hpp"

#include <algorithm>
#include <map>

namespace orch::host {

ManifestSet select_manifests(std::vector<ManifestFile> files) {
    std::sort(files.begin(), files.end(),
              [](const ManifestFile& a, const ManifestFile& b) { return a.name < b.name; });
    ManifestSet set;
    std::map<std::string, std::string> file_of_id;
    std::map<std::string, std::string> file_of_queue_key;
    for (const auto& file : files) {
        ManifestParse parse = parse_manifest(file.name, file.text);
        set.warnings.insert(set.warnings.end(), parse.warnings.begin(), parse.warnings.end());
        for (const auto& error : parse.errors) {
            set.errors.push_back({error + "; manifest skipped", parse.required});
        }
        if (!parse.manifest) {
            continue;
        }
        Manifest& m = *parse.manifest;
        std::string duplicate;
        if (const auto it = file_of_id.find(m.id); it != file_of_id.end()) {
            duplicate = "id '" + m.id + "' is already used by manifest " + it->second;
        } else if (const auto qit = file_of_queue_key.find(m.queue_key);
                   qit != file_of_queue_key.end()) {
            duplicate =
                "queue_key '" + m.queue_key + "' is already used by manifest " + qit->second;
        }
        if (!duplicate.empty()) {
            set.errors.push_back(
                {"manifest " + file.name + ": " + duplicate + "; manifest skipped", m.required});
            continue;
        }
        file_of_id.emplace(m.id, file.name);
        file_of_queue_key.emplace(m.queue_key, file.name);
        set.manifests.push_back(std::move(m));
    }
    return set;
}

}  // namespace orch::host
