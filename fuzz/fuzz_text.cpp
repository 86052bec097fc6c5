// The shared text rules on arbitrary bytes (remote stderr, environment, file names): the
// sanitiser always yields valid UTF-8, prefixes never split a character, boolean words are
// total.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "fuzz_check.hpp"

using orch::pruner::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::string valid = orch::pruner::to_valid_utf8(bytes);
    check(orch::pruner::to_valid_utf8(valid) == valid, "sanitised text is valid UTF-8");
    check(valid.size() <= 3 * bytes.size(), "at most one U+FFFD (3 bytes) per input byte");
    for (const std::size_t chars : {std::size_t{0}, std::size_t{1}, std::size_t{7}, size / 2}) {
        const std::string_view prefix = orch::pruner::utf8_prefix(valid, chars);
        check(valid.substr(0, prefix.size()) == prefix, "a prefix is a prefix");
        check(orch::pruner::to_valid_utf8(prefix) == prefix, "a prefix never splits a character");
        check(prefix.size() <= 4 * chars, "at most 4 bytes per character");
    }
    const auto word = orch::pruner::parse_bool_word(bytes);
    check(orch::pruner::parse_bool_word(" " + std::string(bytes) + "\t") == word,
          "surrounding whitespace never changes a boolean");
    return 0;
}
