#pragma once
#include <string>
#include <string_view>

namespace orch::pruner {

// Quotes one word for a POSIX shell (the remote login shell ssh hands its command to):
// single quotes, with embedded single quotes written as '\''. Words made only of safe
// characters are returned unquoted.
std::string shell_quote(std::string_view word);

}  // namespace orch::pruner
