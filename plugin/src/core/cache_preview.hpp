#pragma once
// The dry-run preview (issue 10): reading docker's build cache records and choosing, by docker's
// own rules, which ones a prune would remove. No prune command offers this (docker/cli#763).
//
// Design: the rules follow BuildKit's cache manager as docker 20.10 vendors it (moby/buildkit
// cache/manager.go, the v0.8 line: pruneOnce, prune, sortDeleteRecords):
// - total = the sum of Size over records that are not Shared (pruneOnce, only when keep-bytes
//   is set); with keep-bytes set and total < keep nothing is removed.
// - a record is a candidate when it is not in use and, unless `all`, it is not internal or
//   frontend and not shared (prune: `if !opt.all { if recordType == Internal || Frontend ||
//   shared { continue } }`); an empty CacheType counts as "regular".
// - the age filter (until) skips records whose LastUsedAt is after now - until; a record never
//   used (no LastUsedAt) stays a candidate.
// - without keep-bytes every candidate is removed. With keep-bytes ("gc mode") BuildKit removes
//   one record at a time, in sortDeleteRecords order, subtracting its Size (shared or not) from
//   total, and stops as soon as total < keep (strictly less: at total == keep one more record
//   goes, a BuildKit quirk kept here so the estimate matches what docker does).
// - sortDeleteRecords ranks by last use (never used first; equal times share a rank) and by
//   usage count, normalises both ranks to 0..1 and removes the lowest sum first. Here ties break
//   by last use, then ID, for a deterministic answer (Go's sort.Slice is not stable).
// Approximations: docker's sizes are rounded to 3-4 significant digits; InUse from
// `docker system df -v` already counts a parent as in use only while a used child holds it,
// which approximates BuildKit's repeated passes (a parent becomes a candidate once its children
// are gone) with one pass; BuildKit re-ranks after each removal, this ranks once.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace orch::pruner {

using CacheTime = std::chrono::sys_time<std::chrono::nanoseconds>;

// Parses Go's time.Time.String() as docker prints LastUsedAt/CreatedAt:
// "2026-11-30 01:36:07.81270982 +0000 UTC" (fraction optional, 1-9 digits; the zone name and a
// trailing " m=+1.5" monotonic reading are ignored; the numeric offset is applied). Times
// outside int64 nanoseconds (before 1678, after 2261) saturate. nullopt when not such a time.
std::optional<CacheTime> parse_go_time(std::string_view text);

struct CacheRecord {
    std::string id;
    std::string cache_type;  // "regular" when docker gave none
    std::uint64_t size_bytes = 0;
    std::optional<CacheTime> last_used;  // nullopt: never used
    std::uint64_t usage_count = 0;
    bool in_use = false;
    bool shared = false;

    friend bool operator==(const CacheRecord&, const CacheRecord&) = default;
};

// Limits that keep a hostile or broken remote from costing unbounded memory or time.
inline constexpr std::size_t kMaxPreviewOutputBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxCacheRecords = 50'000;

// Parses `docker system df -v --format '{{json .BuildCache}}'`: one JSON array (or `null`) of
// objects whose fields are strings: ID, CacheType, Size ("40MB", go-units), LastUsedAt (Go time,
// or empty/absent/null for never used), UsageCount ("3"), InUse and Shared ("true"/"false").
// JSON booleans and numbers (bytes for Size) are accepted too. Other fields are ignored.
// Refuses more than kMaxPreviewOutputBytes or kMaxCacheRecords, nesting deeper than 8, any
// record without a readable Size, InUse or Shared; the error says what was wrong, where, and is
// safe to print. Never throws except std::bad_alloc.
Result<std::vector<CacheRecord>> parse_build_cache_records(std::string_view json_text);

struct PreviewRequest {
    bool all = false;                               // -a
    std::optional<std::chrono::nanoseconds> until;  // the age filter; nullopt = none
    // --keep-storage; nullopt or 0: no budget. BuildKit then removes every candidate, so keep 0
    // previews `--keep-storage 0` exactly.
    std::optional<std::uint64_t> keep_bytes;
    CacheTime now{};  // the time the age filter counts from
};

struct PreviewResult {
    std::uint64_t would_reclaim_bytes = 0;  // sum of removed records' sizes (as docker counts)
    std::uint64_t would_remove_records = 0;
    std::vector<std::string> removed_ids;  // in removal order

    friend bool operator==(const PreviewResult&, const PreviewResult&) = default;
};

// What `docker builder prune -f [-a] [--filter until=U] [--keep-storage K]` would remove from
// `records`, by the rules above. The age prune is {all, until, no keep}; the pressure prune is
// {all = false, no until, keep}. Pure, never throws except std::bad_alloc.
PreviewResult preview_prune(const std::vector<CacheRecord>& records, const PreviewRequest& request);

}  // namespace orch::pruner
