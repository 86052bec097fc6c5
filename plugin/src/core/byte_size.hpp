#pragma once
// Byte amounts in configuration values (issue 10: build_cache_prune_min_free, _max_cache and
// _reserved): "5GB", "5GiB", "500MB", "1.5GB", plain digits = bytes, and for min_free also a
// percentage of the filesystem ("10%") that is resolved at each probe.
//
// Design: the number and unit are read by parse_size (reclaimed_parser.hpp), the same exact,
// saturating go-units reader that reads docker's own output, so the plugin knows one size
// grammar. Units follow docker's printed sizes: B kB MB GB TB PB EB = powers of 1000, KiB MiB GiB
// TiB PiB EiB = powers of 1024, any letter case (go-units FromHumanSize is case-insensitive too,
// so "KB" = "kB" = 1000). The plugin always sends docker plain byte counts, never a unit: the
// docker CLI reads `--keep-storage 10GB` as 10 GiB (RAMInBytes, base 1024), which would silently
// disagree with this table.
// Overflow: refused, not saturated. Values above INT64_MAX bytes (8 EiB) are an error, because
// docker carries keep-storage as an int64; a typo must not become "unlimited".
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace orch::pruner {

// Largest byte amount a setting may hold (docker's keep-storage is an int64).
inline constexpr std::uint64_t kMaxByteSize =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// What a byte setting may be, for messages about it (the caller names key and value).
inline constexpr std::string_view kByteSizeExpected =
    "expected a whole number of bytes or a number with a unit such as 500MB, 1.5GB or 5GiB "
    "(kB/MB/GB/TB = powers of 1000, KiB/MiB/GiB/TiB = powers of 1024), at most 8EiB; 0 or empty "
    "turns it off";
inline constexpr std::string_view kByteSizeOrPercentExpected =
    "expected a whole number of bytes, a number with a unit such as 500MB, 1.5GB or 5GiB "
    "(kB/MB/GB/TB = powers of 1000, KiB/MiB/GiB/TiB = powers of 1024, at most 8EiB), or a "
    "percentage of the filesystem from 0 to 100 with at most 3 decimals such as 10% or 2.5%; 0 "
    "or empty turns it off";

enum class PercentAllowed { kNo, kYes };

constexpr std::string_view byte_size_expected(PercentAllowed percent) {
    return percent == PercentAllowed::kYes ? kByteSizeOrPercentExpected : kByteSizeExpected;
}

// A configured amount: off, a fixed number of bytes, or a share of the filesystem.
struct ByteSize {
    enum class Kind { kOff, kBytes, kPercent };
    Kind kind = Kind::kOff;
    std::uint64_t bytes = 0;          // kBytes: 1 .. kMaxByteSize
    std::uint32_t percent_milli = 0;  // kPercent: thousandths of a percent, 1 .. 100000

    bool is_off() const { return kind == Kind::kOff; }
    static ByteSize off() { return {}; }
    static ByteSize of_bytes(std::uint64_t n) {
        return n == 0 ? ByteSize{} : ByteSize{Kind::kBytes, n, 0};
    }
    friend bool operator==(const ByteSize&, const ByteSize&) = default;
};

// Reads a configured byte amount. Surrounding spaces/tabs are ignored. Empty text, "0", "0GB"
// and "0%" are ByteSize::off(). (config.cpp treats an empty value as "not set at this layer"
// before it gets here; this function's answer for empty text is for other callers.) A
// percentage is refused unless `percent` is kYes. The error says why, then what was expected
// (kByteSizeExpected or kByteSizeOrPercentExpected); it does not repeat the text: the caller
// names key and value. Never throws except std::bad_alloc.
Result<ByteSize> parse_byte_size(std::string_view text, PercentAllowed percent);

// The amount in bytes for a filesystem of `filesystem_bytes`: 0 when off, the bytes as they
// are, or floor(filesystem_bytes * percent / 100) computed exactly without overflow.
std::uint64_t resolve_byte_size(const ByteSize& size, std::uint64_t filesystem_bytes) noexcept;

// The setting for status and messages, in a form parse_byte_size reads back to the same value:
// "off", exact bytes ("1500000000B") or a percentage ("10%", "2.5%").
std::string to_string(const ByteSize& size);

}  // namespace orch::pruner
