#include "manifest/library_name.hpp"

namespace orch::host {

std::optional<std::string> library_name_problem(std::string_view library) {
    if (library.empty()) {
        return "is empty";
    }
    if (library.find('\0') != std::string_view::npos) {
        return "contains a NUL character";
    }
    if (library.front() == '/') {
        return "is an absolute path; expected a file name inside the plugin directory";
    }
    std::string_view rest = library;
    while (true) {
        const auto slash = rest.find('/');
        const std::string_view component = rest.substr(0, slash);
        if (component.empty()) {
            return "has an empty path component ('//' or a trailing '/')";
        }
        if (component == "..") {
            return "has a '..' component; it must stay inside the plugin directory";
        }
        if (component == ".") {
            return "has a '.' component; write the path without it";
        }
        if (slash == std::string_view::npos) {
            return std::nullopt;
        }
        rest = rest.substr(slash + 1);
    }
}

}  // namespace orch::host
