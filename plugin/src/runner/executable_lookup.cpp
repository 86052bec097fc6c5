#include "runner/executable_lookup.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace orch::pruner {
namespace {

bool is_executable_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::optional<std::string> find_executable(const std::string& name, const std::string& path_env) {
    if (name.empty()) {
        return std::nullopt;
    }
    if (name.find('/') != std::string::npos) {
        return is_executable_file(name) ? std::optional<std::string>(name) : std::nullopt;
    }
    std::string_view rest = path_env;
    while (!rest.empty()) {
        const std::size_t colon = rest.find(':');
        std::string_view dir = rest.substr(0, colon);
        rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
        if (dir.empty()) {
            continue;
        }
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

std::string current_path_env() {
    if (const char* path = std::getenv("PATH")) {
        return path;
    }
    const std::size_t size = ::confstr(_CS_PATH, nullptr, 0);
    if (size == 0) {
        return "/bin:/usr/bin";
    }
    std::string buffer(size, '\0');
    ::confstr(_CS_PATH, buffer.data(), size);
    buffer.resize(size - 1);  // drop the terminating NUL
    return buffer;
}

}  // namespace orch::pruner
