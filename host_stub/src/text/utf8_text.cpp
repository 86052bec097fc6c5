#include "text/utf8_text.hpp"

#include <cstdint>
#include <cstring>

namespace orch::host {

std::size_t utf8_sequence_length(std::string_view text) noexcept {
    if (text.empty()) {
        return 0;
    }
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const auto continuation = [&](std::size_t i) {
        return i < text.size() && (byte(i) & 0xC0) == 0x80;
    };
    const unsigned char lead = byte(0);
    if (lead < 0x80) {
        return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        return continuation(1) ? 2 : 0;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (!continuation(1) || !continuation(2)) {
            return 0;
        }
        const unsigned char second = byte(1);
        if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F)) {
            return 0;  // overlong form, or a UTF-16 surrogate
        }
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (!continuation(1) || !continuation(2) || !continuation(3)) {
            return 0;
        }
        const unsigned char second = byte(1);
        if ((lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
            return 0;  // overlong form, or beyond U+10FFFF
        }
        return 4;
    }
    return 0;  // a continuation byte, C0/C1 (always overlong) or F5..FF
}

bool is_valid_utf8(std::string_view text) noexcept {
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    std::size_t pos = 0;
    while (pos < text.size()) {
        // ASCII (nearly all of a JSON page or a log line) eight bytes at a time.
        std::uint64_t chunk = 0;
        while (pos + sizeof chunk <= text.size()) {
            std::memcpy(&chunk, text.data() + pos, sizeof chunk);
            if ((chunk & kHighBits) != 0) {
                break;
            }
            pos += sizeof chunk;
        }
        if (pos == text.size()) {
            break;
        }
        if (static_cast<unsigned char>(text[pos]) < 0x80) {
            ++pos;
            continue;
        }
        const std::size_t length = utf8_sequence_length(text.substr(pos));
        if (length == 0) {
            return false;
        }
        pos += length;
    }
    return true;
}

std::string sanitize_utf8(std::string_view text) {
    if (is_valid_utf8(text)) {
        return std::string(text);  // the common case: one scan, one copy
    }
    std::string out;
    out.reserve(text.size() + 8);
    std::size_t pos = 0;
    while (pos < text.size()) {
        pos += append_utf8_character(out, text.substr(pos));
    }
    return out;
}

std::size_t append_utf8_character(std::string& out, std::string_view text) {
    const std::size_t length = utf8_sequence_length(text);
    if (length == 0) {
        out += kReplacementCharacter;
        return 1;
    }
    out += text.substr(0, length);
    return length;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept {
    if (text.size() <= max_bytes) {
        return text;
    }
    std::size_t end = 0;
    while (end < text.size()) {
        const std::size_t length = utf8_sequence_length(text.substr(end));
        const std::size_t step = length == 0 ? 1 : length;
        if (end + step > max_bytes) {
            break;
        }
        end += step;
    }
    return text.substr(0, end);
}

}  // namespace orch::host
