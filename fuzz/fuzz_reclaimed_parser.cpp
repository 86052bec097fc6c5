// parse_reclaimed / parse_size on arbitrary (remote-controlled) output.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/reclaimed_parser.hpp"
#include "fuzz_check.hpp"

using orch::pruner::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const auto reclaimed = orch::pruner::parse_reclaimed(text);
    const auto size_value = orch::pruner::parse_size(text);

    // One line of text behind a summary label reads exactly as the size on its own.
    if (text.find_first_of("\n\r") == std::string_view::npos) {
        const std::string line = "Total reclaimed space: " + std::string(text);
        check(orch::pruner::parse_reclaimed(line) == size_value, "legacy label == parse_size");
        check(orch::pruner::parse_reclaimed("Total:\t" + std::string(text)) == size_value,
              "buildx label == parse_size");
    }
    // Whatever was read, its human form reads back (to %.4g precision).
    for (const auto& bytes : {reclaimed, size_value}) {
        if (bytes) {
            const std::string human = orch::pruner::human_size(*bytes);
            const auto back = orch::pruner::parse_size(human);
            check(back.has_value(), "human_size output parses");
            const double ratio = static_cast<double>(*back) / static_cast<double>(*bytes);
            check(*bytes == 0 ? *back == 0 : (ratio > 0.999 && ratio < 1.001),
                  "human_size round trip within precision");
        }
    }
    return 0;
}
