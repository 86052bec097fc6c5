// parse_build_cache_records on arbitrary (remote-controlled) JSON, and the candidate selection
// on whatever it reads.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/cache_preview.hpp"
#include "fuzz_check.hpp"

using orch::pruner::fuzz::check;
namespace pruner = orch::pruner;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    // The time reader on its own (LastUsedAt text).
    (void)pruner::parse_go_time(text);

    const auto parse = pruner::parse_build_cache_records(text);
    if (!parse) {
        const std::string error = parse.error();
        check(!error.empty(), "a failure says why");
        for (const char c : error) {
            check(c >= 0x20 && c <= 0x7e, "the error is printable ASCII");
        }
        return 0;
    }
    const auto& records = *parse;
    check(records.size() <= pruner::kMaxCacheRecords, "records are bounded");

    using namespace std::chrono_literals;
    const pruner::CacheTime now{std::chrono::seconds(1'796'006'400)};
    std::uint64_t unshared = 0;
    for (const auto& record : records) {
        if (!record.shared &&
            unshared <= std::numeric_limits<std::uint64_t>::max() - record.size_bytes) {
            unshared += record.size_bytes;
        }
    }
    pruner::PreviewRequest age;
    age.until = 24h;
    age.now = now;
    pruner::PreviewRequest age_all = age;
    age_all.all = true;
    pruner::PreviewRequest everything;
    everything.all = true;
    pruner::PreviewRequest pressure;
    pressure.keep_bytes = unshared / 2 + 1;
    pressure.now = now;

    const auto a = pruner::preview_prune(records, age);
    const auto b = pruner::preview_prune(records, age_all);
    const auto c = pruner::preview_prune(records, everything);
    const auto d = pruner::preview_prune(records, pressure);
    for (const auto* result : {&a, &b, &c, &d}) {
        check(result->would_remove_records == result->removed_ids.size(), "count == ids");
        check(result->would_remove_records <= records.size(), "never more than there are");
    }
    check(a.would_remove_records <= b.would_remove_records, "all only adds candidates");
    check(b.would_remove_records <= c.would_remove_records, "the age filter only removes");
    check(d.would_remove_records <= c.would_remove_records, "a budget only removes");
    return 0;
}
