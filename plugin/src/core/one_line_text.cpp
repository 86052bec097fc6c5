#include "core/one_line_text.hpp"

#include "core/text.hpp"

namespace orch::pruner {

namespace {

constexpr std::string_view kEllipsis = "...";

bool is_continuation(unsigned char byte) {
    return (byte & 0xC0U) == 0x80U;
}

// The longest prefix of at most max_bytes that does not end inside a UTF-8 sequence.
std::string_view byte_prefix(std::string_view text, std::size_t max_bytes) {
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

}  // namespace

std::string sanitize_one_line(std::string_view text) {
    const std::string valid = to_valid_utf8(text);
    std::string out;
    out.reserve(valid.size());
    for (std::size_t at = 0; at < valid.size(); ++at) {
        const auto byte = static_cast<unsigned char>(valid[at]);
        // In valid UTF-8, C0 and DEL are single bytes and C1 is C2 80 .. C2 9F.
        if (byte < 0x20U || byte == 0x7FU) {
            out += ' ';
        } else if (byte == 0xC2U && at + 1 < valid.size() &&
                   static_cast<unsigned char>(valid[at + 1]) < 0xA0U) {
            out += ' ';
            ++at;
        } else {
            out += valid[at];
        }
    }
    return out;
}

std::string cut_to_bytes(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return std::string(text);
    }
    if (max_bytes < kEllipsis.size()) {
        return std::string(byte_prefix(text, max_bytes));
    }
    std::string out(byte_prefix(text, max_bytes - kEllipsis.size()));
    out += kEllipsis;
    return out;
}

}  // namespace orch::pruner
