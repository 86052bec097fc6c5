#pragma once
// The `until` age filter: what the operator may write, and the Go duration docker is sent.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace orch::pruner {

// What an `until` value may be, for messages about it.
inline constexpr std::string_view kUntilExpected =
    "expected a Go duration such as 24h, 90m or 1h30m, whole days/weeks such as 7d or 2w, or "
    "whole seconds such as 3600";

// Accepts positive Go durations exactly as Go's time.ParseDuration (and so docker) reads them
// ("24h", "90m", "1h30m", "1.5h", "300ms"; units ns us µs μs ms s m h; µ/μ are sent as "us"),
// whole days and weeks ("7d" -> "168h", "2w" -> "336h") and bare whole seconds
// ("3600" -> "3600s"). Rejects anything else: empty text, whitespace, signs, shell
// metacharacters, zero ages (which would prune everything) and values beyond Go's
// time.Duration range (about 2562047h). Never throws except std::bad_alloc.
// The duration docker accepts; or why not, then what was expected (the error does not repeat
// the text itself: the caller names the setting and the value, see resolve_config).
Result<std::string> normalize_until(std::string_view text);

// The length of a Go duration as normalize_until returns it ("24h", "1h30m", "300ms", "3600s"),
// for computing a cutoff time (the dry-run preview's age filter). nullopt when `go_duration` is
// not one (text normalize_until would not return). Never throws except std::bad_alloc.
std::optional<std::chrono::nanoseconds> go_duration_length(std::string_view go_duration);

}  // namespace orch::pruner
