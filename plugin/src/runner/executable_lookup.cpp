#include "runner/executable_lookup.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <string_view>

#include "core/text.hpp"

namespace orch::pruner {
namespace {

bool is_executable_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::optional<std::string> find_executable(const std::string& name,
                                           const std::string& search_path) {
    if (name.empty()) {
        return std::nullopt;
    }
    if (name.find('/') != std::string::npos) {
        return is_executable_file(name) ? std::optional<std::string>(name) : std::nullopt;
    }
    for (const std::string_view dir : split_words(search_path, ":")) {
        std::string candidate(dir);
        if (candidate.back() != '/') {
            candidate += '/';
        }
        candidate += name;
        if (is_executable_file(candidate)) {
            return candidate;
        }
    }
    return std::nullopt;
}

}  // namespace orch::pruner
