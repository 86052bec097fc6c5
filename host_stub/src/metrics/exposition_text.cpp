#include "metrics/exposition_text.hpp"

#include "orch/plugin_api/metrics.hpp"
#include "text/utf8_text.hpp"

namespace orch::host::metrics {
namespace {

bool ascii_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool ascii_digit(char c) {
    return c >= '0' && c <= '9';
}

// Escapes allowed after a backslash: `extra` is '"' for label values, 0 for HELP.
bool escapes_ok(std::string_view text, char extra) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n' || (extra != 0 && c == extra)) {
            return false;
        }
        if (c == '\\') {
            if (i + 1 == text.size()) {
                return false;
            }
            const char next = text[++i];
            if (next != '\\' && next != 'n' && (extra == 0 || next != extra)) {
                return false;
            }
        }
    }
    return is_valid_utf8(text);
}

std::size_t digits(std::string_view s, std::size_t i) {
    std::size_t n = 0;
    while (i + n < s.size() && ascii_digit(s[i + n])) {
        ++n;
    }
    return n;
}

}  // namespace

bool is_metric_name(std::string_view name) {
    if (name.empty() || !(ascii_alpha(name[0]) || name[0] == '_' || name[0] == ':')) {
        return false;
    }
    for (const char c : name) {
        if (!(ascii_alpha(c) || ascii_digit(c) || c == '_' || c == ':')) {
            return false;
        }
    }
    return true;
}

bool is_label_name(std::string_view name) {
    if (name.empty() || !(ascii_alpha(name[0]) || name[0] == '_') || name.starts_with("__")) {
        return false;
    }
    for (const char c : name) {
        if (!(ascii_alpha(c) || ascii_digit(c) || c == '_')) {
            return false;
        }
    }
    return true;
}

bool is_sample_value(std::string_view v) {
    std::string_view body = v;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
        body.remove_prefix(1);
    }
    if (body == "Inf") {
        return true;
    }
    if (v == "NaN") {
        return true;
    }
    std::size_t i = 0;
    const std::size_t whole = digits(body, i);
    i += whole;
    std::size_t fraction = 0;
    if (i < body.size() && body[i] == '.') {
        fraction = digits(body, i + 1);
        i += 1 + fraction;
    }
    if (whole + fraction == 0) {
        return false;
    }
    if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
        ++i;
        if (i < body.size() && (body[i] == '+' || body[i] == '-')) {
            ++i;
        }
        const std::size_t exponent = digits(body, i);
        if (exponent == 0) {
            return false;
        }
        i += exponent;
    }
    return i == body.size();
}

bool is_escaped_label_value(std::string_view escaped) {
    return escapes_ok(escaped, '"');
}

bool is_escaped_help(std::string_view escaped) {
    return escapes_ok(escaped, 0);
}

std::string escape_label_value(std::string_view raw) {
    return plugin_api::escape_label_value(sanitize_utf8(raw));
}

}  // namespace orch::host::metrics
