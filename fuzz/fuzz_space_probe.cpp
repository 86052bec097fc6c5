// parse_probe_output on arbitrary (remote-controlled) probe output, and the policy on whatever
// it reads.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/space_policy.hpp"
#include "core/space_probe.hpp"
#include "fuzz_check.hpp"

using orch::pruner::fuzz::check;
namespace pruner = orch::pruner;

namespace {

bool printable_ascii(std::string_view text) {
    for (const char c : text) {
        if (c < 0x20 || c > 0x7e) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto parse = pruner::parse_probe_output(text);
    if (!parse) {
        // Errors reach status and logs: one printable line, bounded, never empty.
        const std::string& error = parse.error();
        check(!error.empty(), "a failure says why");
        check(printable_ascii(error), "the error is printable ASCII");
        check(error.size() <= 4 * 1024, "the error is bounded");
        return 0;
    }
    const pruner::ProbeResult& r = *parse;
    check(!r.docker_root_dir.empty() && r.docker_root_dir.front() == '/', "an absolute root");
    check(printable_ascii(r.docker_root_dir) && r.docker_root_dir.size() <= 4096,
          "the root is printable and bounded");
    check(r.fs_size_bytes > 0, "a filesystem has a size");

    // The policy never keeps more than the cache and prunes exactly when it keeps less.
    const pruner::SpaceSettings settings{
        pruner::ByteSize{pruner::ByteSize::Kind::kPercent, 0, 10'000},
        pruner::ByteSize::of_bytes(r.cache_total_bytes / 2), pruner::ByteSize::of_bytes(1)};
    const pruner::SpaceDecision d = pruner::decide_space(settings, r);
    check(d.keep_bytes <= r.cache_total_bytes, "keep <= cache total");
    check((d.trigger != pruner::PruneTrigger::kNone) == (d.keep_bytes < r.cache_total_bytes),
          "a prune exactly when keep < total");
    return 0;
}
