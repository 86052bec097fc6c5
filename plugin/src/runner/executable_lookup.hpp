#pragma once
// Finding the program to run ourselves, so a missing one is a clear error, not Poco's exit 72.
//
// Not Poco::Path::find, which Poco Foundation offers: it takes the first entry where the name
// merely exists, so a directory or a file we may not execute hides the real program later on
// PATH (execvp goes on searching); it also resolves a name with '/' against each entry and trims
// the entries (all seen with Poco 1.11). The search path is an argument, not read here: the
// plugin reads its environment in one place (current_environment() in core/config.hpp).
#include <optional>
#include <string>

namespace orch::pruner {

// The search path when PATH is unset, as execvp uses it (glibc's confstr(_CS_PATH)).
inline constexpr const char* kDefaultSearchPath = "/bin:/usr/bin";

// `name` with a '/' is checked as given; otherwise each entry of `search_path` (a PATH value) is
// tried in order. Empty entries are skipped (not execvp's legacy "current directory" rule).
// Returns the path of the first regular file we may execute, nullopt when there is none.
std::optional<std::string> find_executable(const std::string& name, const std::string& search_path);

}  // namespace orch::pruner
