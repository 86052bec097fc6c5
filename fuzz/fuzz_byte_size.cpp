// parse_byte_size / resolve_byte_size on arbitrary operator text (the min_free, max_cache and
// reserved settings of issue 10).
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/byte_size.hpp"
#include "fuzz_check.hpp"

using orch::pruner::fuzz::check;
namespace pruner = orch::pruner;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto percent : {pruner::PercentAllowed::kNo, pruner::PercentAllowed::kYes}) {
        const auto result = pruner::parse_byte_size(text, percent);
        if (!result) {
            check(!result.error().empty(), "a failure says why");
            continue;
        }
        const pruner::ByteSize& value = *result;
        switch (value.kind) {
            case pruner::ByteSize::Kind::kOff:
                check(value.bytes == 0 && value.percent_milli == 0, "off holds nothing");
                break;
            case pruner::ByteSize::Kind::kBytes:
                check(value.bytes > 0 && value.bytes <= pruner::kMaxByteSize,
                      "bytes within 1 .. INT64_MAX");
                break;
            case pruner::ByteSize::Kind::kPercent:
                check(percent == pruner::PercentAllowed::kYes, "a percentage only where allowed");
                check(value.percent_milli > 0 && value.percent_milli <= 100'000,
                      "a percentage within (0, 100]");
                break;
        }
        // Its text form reads back to the same value.
        if (!value.is_off()) {
            const auto back = pruner::parse_byte_size(pruner::to_string(value), percent);
            check(back && *back == value, "to_string reads back");
        }
        // Resolution never exceeds the filesystem for a percentage and never overflows.
        for (const std::uint64_t fs :
             {std::uint64_t{0}, std::uint64_t{99'999}, std::numeric_limits<std::uint64_t>::max()}) {
            const std::uint64_t resolved = pruner::resolve_byte_size(value, fs);
            if (value.kind == pruner::ByteSize::Kind::kPercent) {
                check(resolved <= fs, "a share of the filesystem is at most all of it");
            }
        }
    }
    return 0;
}
