#pragma once
// Reading what `docker builder prune` / `docker buildx prune` reclaimed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace orch::pruner {

// Parses a go-units size such as "30MB", "12.35kB", "0B", "1.5GiB", "929.5 MB" into bytes.
// Decimal units (B kB MB GB TB PB EB ZB YB, any case) are base 1000, binary ones (KiB ... YiB)
// base 1024. Values beyond uint64 saturate at UINT64_MAX. nullopt when not a size.
std::optional<std::uint64_t> parse_size(std::string_view text);

// Finds the summary line in prune output: the legacy "Total reclaimed space: 30MB" or the buildx
// "Total:\t1.5GB" (the last such line wins). nullopt when absent or unparseable; never throws.
std::optional<std::uint64_t> parse_reclaimed(std::string_view output);

// go-units HumanSize: base 1000, "%.4g" and the unit with no space ("0B", "12.35kB", "30MB").
std::string human_size(std::uint64_t bytes);

}  // namespace orch::pruner
