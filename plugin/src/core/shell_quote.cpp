#include "core/shell_quote.hpp"

namespace orch::pruner {

namespace {

bool is_shell_safe(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

}  // namespace

std::string shell_quote(std::string_view word) {
    if (word.empty()) {
        return "''";
    }
    bool safe = true;
    for (const char c : word) {
        safe = safe && is_shell_safe(c);
    }
    if (safe) {
        return std::string(word);
    }
    std::string quoted;
    quoted.reserve(word.size() + 2);
    quoted += '\'';
    for (const char c : word) {
        if (c == '\'') {
            // Close the quote, add an escaped quote, reopen: nothing is special inside '...'.
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    quoted += '\'';
    return quoted;
}

std::string escape_for_message(std::string_view text) {
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (byte < 0x20 || byte >= 0x7f) {
                    out += "\\x";
                    out += kHex[byte >> 4U];
                    out += kHex[byte & 0x0fU];
                } else {
                    out += c;
                }
        }
    }
    return out;
}

std::string quote_for_message(std::string_view text, std::size_t max_chars) {
    const bool cut = text.size() > max_chars;
    // Appended rather than "\"" + ...: GCC 12 at -O3 reports a false -Wrestrict on
    // operator+(const char*, std::string&&) (GCC bug 105329).
    std::string out = "\"";
    out += escape_for_message(cut ? text.substr(0, max_chars) : text);
    out += '"';
    if (cut) {
        out += "...";
    }
    return out;
}

}  // namespace orch::pruner
