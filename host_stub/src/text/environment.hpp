#pragma once
// The process environment as a value, so that configuration parsers stay pure functions of a map.
#include <map>
#include <string>

namespace orch::host {

using Environment = std::map<std::string, std::string>;

// A copy of the current process environment (entries without '=' are skipped).
Environment current_environment();

}  // namespace orch::host
