#include "manifest/manifest_dir.hpp"

#include <fstream>
#include <iterator>
#include <system_error>

namespace orch::host {

namespace fs = std::filesystem;

namespace {

bool looks_like_manifest(const fs::path& name) {
    const std::string text = name.string();
    return !text.empty() && text.front() != '.' && name.extension() == ".json";
}

}  // namespace

ManifestDirRead read_manifest_dir(const fs::path& dir) {
    ManifestDirRead out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        out.fatal = "manifest directory " + dir.string() +
                    (fs::exists(dir) ? " is not a directory" : " does not exist");
        return out;
    }
    fs::directory_iterator it(dir, ec);
    if (ec) {
        out.fatal = "cannot list manifest directory " + dir.string() + ": " + ec.message();
        return out;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        const fs::path path = it->path();
        const fs::path name = path.filename();
        if (!looks_like_manifest(name)) {
            continue;
        }
        std::error_code status_ec;
        if (!fs::is_regular_file(path, status_ec)) {
            out.errors.push_back({"manifest " + name.string() + ": not a regular file; skipped"});
            continue;
        }
        const auto size = fs::file_size(path, status_ec);
        if (status_ec || size > kMaxManifestBytes) {
            out.errors.push_back(
                {"manifest " + name.string() + ": " +
                 (status_ec ? "cannot read its size: " + status_ec.message()
                            : std::to_string(size) + " bytes, more than the " +
                                  std::to_string(kMaxManifestBytes) + " a manifest may have") +
                 "; skipped"});
            continue;
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            out.errors.push_back({"manifest " + name.string() + ": cannot be opened; skipped"});
            continue;
        }
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        out.files.push_back({name.string(), std::move(text)});
    }
    if (ec) {
        out.fatal = "error while listing manifest directory " + dir.string() + ": " + ec.message();
    }
    return out;
}

ManifestDirLoad load_manifest_dir(const fs::path& dir) {
    ManifestDirRead read = read_manifest_dir(dir);
    ManifestDirLoad out;
    out.fatal = std::move(read.fatal);
    out.set = select_manifests(std::move(read.files));
    out.set.errors.insert(out.set.errors.begin(), read.errors.begin(), read.errors.end());
    return out;
}

}  // namespace orch::host
