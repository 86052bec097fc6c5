#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <exception>

namespace orch::pruner {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_continuation(unsigned char byte) {
    return (byte & 0xC0U) == 0x80U;
}

// Length of the well-formed sequence starting at text[at] (RFC 3629 table), 0 if none.
std::size_t sequence_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80U) {
        return 1;
    }
    std::size_t length = 0;
    unsigned char low = 0x80U;  // allowed range of the second byte
    unsigned char high = 0xBFU;
    if (lead >= 0xC2U && lead <= 0xDFU) {
        length = 2;
    } else if (lead >= 0xE0U && lead <= 0xEFU) {
        length = 3;
        low = lead == 0xE0U ? 0xA0U : 0x80U;   // no overlong forms
        high = lead == 0xEDU ? 0x9FU : 0xBFU;  // no surrogates
    } else if (lead >= 0xF0U && lead <= 0xF4U) {
        length = 4;
        low = lead == 0xF0U ? 0x90U : 0x80U;   // no overlong forms
        high = lead == 0xF4U ? 0x8FU : 0xBFU;  // nothing above U+10FFFF
    } else {
        return 0;  // a continuation byte, C0/C1 (overlong) or F5..FF
    }
    if (text.size() - at < length || byte(1) < low || byte(1) > high) {
        return 0;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if (!is_continuation(byte(i))) {
            return 0;
        }
    }
    return length;
}

}  // namespace

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = ascii_lower(c);
    }
    return out;
}

bool equals_ignoring_case(std::string_view a, std::string_view lower_b) {
    return a.size() == lower_b.size() &&
           std::equal(a.begin(), a.end(), lower_b.begin(),
                      [](char x, char y) { return ascii_lower(x) == y; });
}

std::string_view trim(std::string_view s, std::string_view spaces) {
    const std::size_t begin = s.find_first_not_of(spaces);
    if (begin == std::string_view::npos) {
        return {};
    }
    return s.substr(begin, s.find_last_not_of(spaces) - begin + 1);
}

std::vector<std::string_view> split_words(std::string_view text, std::string_view separators,
                                          std::size_t max_words) {
    std::vector<std::string_view> words;
    for (std::size_t at = text.find_first_not_of(separators);
         at != std::string_view::npos && words.size() < max_words;
         at = text.find_first_not_of(separators, at)) {
        const std::size_t end = std::min(text.find_first_of(separators, at), text.size());
        words.push_back(text.substr(at, end - at));
        at = end;
    }
    return words;
}

std::string to_valid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t length = sequence_length(text, at);
        if (length == 0) {
            out += kReplacement;
            ++at;
        } else {
            out.append(text, at, length);
            at += length;
        }
    }
    return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_chars) {
    std::size_t at = 0;
    for (std::size_t chars = 0; at < text.size() && chars < max_chars; ++chars) {
        ++at;
        while (at < text.size() && is_continuation(static_cast<unsigned char>(text[at]))) {
            ++at;
        }
    }
    return text.substr(0, at);
}

std::optional<bool> parse_bool_word(std::string_view word) {
    const std::string lowered = ascii_lower(trim(word));
    static constexpr std::array<std::string_view, 6> kTrue = {"1", "true", "t", "yes", "y", "on"};
    static constexpr std::array<std::string_view, 6> kFalse = {"0", "false", "f", "no", "n", "off"};
    for (const auto w : kTrue) {
        if (lowered == w) {
            return true;
        }
    }
    for (const auto w : kFalse) {
        if (lowered == w) {
            return false;
        }
    }
    return std::nullopt;
}

std::string current_exception_text() {
    try {
        throw;
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

}  // namespace orch::pruner
