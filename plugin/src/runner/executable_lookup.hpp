#pragma once
// Finding the program to run ourselves, so a missing one is a clear error, not Poco's exit 72.
#include <optional>
#include <string>

namespace orch::pruner {

// `name` with a '/' is checked as given; otherwise each PATH entry is tried in order. Empty
// entries are skipped (not execvp's legacy "current directory" rule). Returns the path of the
// first regular file we may execute, nullopt when there is none.
std::optional<std::string> find_executable(const std::string& name, const std::string& path_env);

// The process's PATH, or the system default (confstr _CS_PATH) when it is unset, as execvp does.
std::string current_path_env();

}  // namespace orch::pruner
