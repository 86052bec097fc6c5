#pragma once
#include <string>

#include "task/pruner_status.hpp"

namespace orch::pruner {

// The status as a JSON object text; absent optionals are null so every key is always present.
std::string to_json_text(const PrunerStatus& status);

}  // namespace orch::pruner
