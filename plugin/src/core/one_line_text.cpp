#include "core/one_line_text.hpp"

namespace orch::pruner {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "...";

bool is_continuation(unsigned char byte) {
    return (byte & 0xC0U) == 0x80U;
}

// Length of the valid UTF-8 sequence at the start of `s` (RFC 3629: shortest form, no
// surrogates, at most U+10FFFF), or 0 when there is none.
std::size_t valid_sequence_length(std::string_view s) {
    const auto at = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = at(0);
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
        low = lead == 0xF0U ? 0x90U : 0x80U;
        high = lead == 0xF4U ? 0x8FU : 0xBFU;  // at most U+10FFFF
    } else {
        return 0;
    }
    if (s.size() < length || at(1) < low || at(1) > high) {
        return 0;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if (!is_continuation(at(i))) {
            return 0;
        }
    }
    return length;
}

}  // namespace

std::string sanitize_one_line(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t length = valid_sequence_length(text.substr(at));
        if (length == 0) {
            out += kReplacement;
            ++at;
            continue;
        }
        const auto lead = static_cast<unsigned char>(text[at]);
        const bool c0_or_del = length == 1 && (lead < 0x20U || lead == 0x7FU);
        const bool c1 =
            length == 2 && lead == 0xC2U && static_cast<unsigned char>(text[at + 1]) < 0xA0U;
        if (c0_or_del || c1) {
            out += ' ';
        } else {
            out.append(text, at, length);
        }
        at += length;
    }
    return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return text;
    }
    std::size_t end = max_bytes;
    // Back up over continuation bytes to the start of the character that crosses the cut (at
    // most three: a longer run is not UTF-8, and then the cut stays where it is).
    for (std::size_t back = 0;
         back < 3 && end > 0 && is_continuation(static_cast<unsigned char>(text[end])); ++back) {
        --end;
    }
    if (is_continuation(static_cast<unsigned char>(text[end]))) {
        end = max_bytes;
    }
    return text.substr(0, end);
}

std::string cut_to_bytes(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return std::string(text);
    }
    if (max_bytes < kEllipsis.size()) {
        return std::string(utf8_prefix(text, max_bytes));
    }
    std::string out(utf8_prefix(text, max_bytes - kEllipsis.size()));
    out += kEllipsis;
    return out;
}

}  // namespace orch::pruner
