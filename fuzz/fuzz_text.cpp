// The shared text rules on arbitrary bytes (remote stderr, environment, file names): the
// sanitiser always yields valid UTF-8, prefixes never split a character, words are what lies
// between separators, boolean words are total.
#include <algorithm>
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
    // Words are the non-empty runs between separators, in order, and nothing else.
    const auto words = orch::pruner::split_words(bytes, ", \t");
    std::string joined;
    for (const std::string_view w : words) {
        check(!w.empty() && w.find_first_of(", \t") == std::string_view::npos,
              "a word is a non-empty run without separators");
        joined += w;
    }
    std::string kept;
    for (const char c : bytes) {
        if (c != ',' && c != ' ' && c != '\t') {
            kept += c;
        }
    }
    check(joined == kept, "the words hold every other byte, in order");
    check(orch::pruner::split_words(bytes, ", \t", 2).size() ==
              std::min<std::size_t>(words.size(), 2),
          "at most max_words");
    const auto word = orch::pruner::parse_bool_word(bytes);
    check(orch::pruner::parse_bool_word(" " + std::string(bytes) + "\t") == word,
          "surrounding whitespace never changes a boolean");
    return 0;
}
