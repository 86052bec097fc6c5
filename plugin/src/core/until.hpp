#pragma once
// The `until` age filter: what the operator may write, and the Go duration docker is sent.
#include <optional>
#include <string>
#include <string_view>

namespace orch::pruner {

struct UntilResult {
    std::optional<std::string> go_duration;  // set when valid: a duration docker accepts
    std::string error;                       // set when invalid: what was expected
};

// Accepts Go durations ("24h", "90m", "1h30m", "1.5h"; units ns us µs ms s m h), whole days and
// weeks ("7d" -> "168h", "2w" -> "336h") and bare whole seconds ("3600" -> "3600s"). Rejects
// anything else, zero and negative ages, and values beyond Go's time.Duration range.
UntilResult normalize_until(std::string_view text);

}  // namespace orch::pruner
