#pragma once
// Reading what `docker builder prune` / `docker buildx prune` reclaimed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace orch::pruner {

// Parses a go-units size such as "30MB", "12.35kB", "0B", "1.5GiB", "929.5 MB" into bytes:
// a decimal number (digits, optional fraction; no sign, no exponent), optional spaces or tabs,
// then a unit. Decimal units (B kB MB GB TB PB EB ZB YB, any case) are base 1000, binary ones
// (KiB ... YiB, any case) base 1024. The arithmetic is exact decimal (no float rounding: "12.35kB"
// is 12350), fractions of a byte are dropped, and values beyond uint64 saturate at UINT64_MAX.
// Surrounding whitespace is ignored. nullopt when not a size. Never throws.
std::optional<std::uint64_t> parse_size(std::string_view text) noexcept;

// Finds the summary line in prune output: the legacy "Total reclaimed space: 30MB" or the buildx
// "Total:\t1.5GB" (lines may end in \r\n; leading whitespace is ignored). When several summary
// lines carry a readable size, the last one wins; summary lines with an unreadable size are
// skipped. nullopt when there is none; never throws.
std::optional<std::uint64_t> parse_reclaimed(std::string_view output) noexcept;

// go-units HumanSize, as docker prints sizes: base 1000, "%.4g" and the unit with no space
// ("0B", "12.35kB", "30MB", and 999999 -> "1000kB" exactly like go-units). Locale-independent.
std::string human_size(std::uint64_t bytes);

}  // namespace orch::pruner
