#include "core/until.hpp"

#include <cstdint>
#include <limits>

#include "core/shell_quote.hpp"
#include "core/text.hpp"

namespace orch::pruner {

namespace {

// Go's time.Duration is an int64 count of nanoseconds.
constexpr std::uint64_t kMaxNanoseconds = std::numeric_limits<std::int64_t>::max();
constexpr std::uint64_t kOverflowGuard = std::uint64_t{1} << 63U;  // Go's own bound while adding
constexpr std::uint64_t kNanosPerSecond = 1'000'000'000;
constexpr std::uint64_t kNanosPerHour = 3600 * kNanosPerSecond;

// The two UTF-8 spellings of "µs" Go accepts: U+00B5 MICRO SIGN and U+03BC GREEK SMALL MU.
constexpr std::string_view kMicroSign = "\xc2\xb5";
constexpr std::string_view kGreekMu = "\xce\xbc";

Failure invalid(std::string_view reason) {
    return failure(std::string(reason) + "; " + std::string(kUntilExpected));
}

bool is_allowed_byte(char c) {
    const auto byte = static_cast<unsigned char>(c);
    // Letters for units, digits and '.', and the bytes of the two micro signs (checked as
    // whole units later).
    return is_digit(c) || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           byte == 0xc2 || byte == 0xb5 || byte == 0xce || byte == 0xbc;
}

// Whole decimal number no larger than `limit`; nullopt when larger.
std::optional<std::uint64_t> whole_number(std::string_view digits, std::uint64_t limit) {
    std::uint64_t value = 0;
    for (const char c : digits) {
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (limit - digit) / 10) {
            return std::nullopt;
        }
        value = value * 10 + digit;
    }
    return value;
}

std::optional<std::uint64_t> unit_nanoseconds(std::string_view unit) {
    if (unit == "ns") {
        return 1;
    }
    if (unit == "us" || unit == std::string(kMicroSign) + "s" ||
        unit == std::string(kGreekMu) + "s") {
        return 1'000;
    }
    if (unit == "ms") {
        return 1'000'000;
    }
    if (unit == "s") {
        return kNanosPerSecond;
    }
    if (unit == "m") {
        return 60 * kNanosPerSecond;
    }
    if (unit == "h") {
        return kNanosPerHour;
    }
    return std::nullopt;
}

const std::string kTooLarge = "it exceeds Go's maximum duration (about 2562047h)";
const std::string kZero = "a zero age would select all build cache regardless of age";

// A port of Go's time.ParseDuration for unsigned input (signs were refused before): the same
// grammar ([0-9]*(\.[0-9]*)?unit)+, the same overflow bounds and the same float rounding of
// fractions, so that what passes here is exactly what docker will accept. Returns the error
// reason, or the length in nanoseconds.
Result<std::uint64_t> parse_go_duration(std::string_view s) {
    std::uint64_t total = 0;
    while (!s.empty()) {
        if (!(s.front() == '.' || is_digit(s.front()))) {
            return failure(std::string("no number before " + quote_for_message(s.substr(0, 8))));
        }
        std::uint64_t whole = 0;
        std::size_t i = 0;
        for (; i < s.size() && is_digit(s[i]); ++i) {
            if (whole > kOverflowGuard / 10) {
                return failure(std::string(kTooLarge));
            }
            whole = whole * 10 + static_cast<std::uint64_t>(s[i] - '0');
            if (whole > kOverflowGuard) {
                return failure(std::string(kTooLarge));
            }
        }
        const bool has_whole_digits = i > 0;
        s.remove_prefix(i);

        std::uint64_t fraction = 0;
        double scale = 1;
        bool has_fraction_digits = false;
        if (!s.empty() && s.front() == '.') {
            s.remove_prefix(1);
            bool fraction_overflow = false;
            std::size_t j = 0;
            for (; j < s.size() && is_digit(s[j]); ++j) {
                // Like Go: once more digits add no precision, they are skipped, not an error.
                if (fraction_overflow) {
                    continue;
                }
                if (fraction > (kMaxNanoseconds) / 10) {
                    fraction_overflow = true;
                    continue;
                }
                const std::uint64_t next = fraction * 10 + static_cast<std::uint64_t>(s[j] - '0');
                if (next > kOverflowGuard) {
                    fraction_overflow = true;
                    continue;
                }
                fraction = next;
                scale *= 10;
            }
            has_fraction_digits = j > 0;
            s.remove_prefix(j);
        }
        if (!has_whole_digits && !has_fraction_digits) {
            return failure(std::string("a '.' needs digits before or after it"));
        }

        std::size_t unit_length = 0;
        while (unit_length < s.size() && s[unit_length] != '.' && !is_digit(s[unit_length])) {
            ++unit_length;
        }
        if (unit_length == 0) {
            return failure(std::string("a number is missing its unit"));
        }
        const std::string_view unit = s.substr(0, unit_length);
        s.remove_prefix(unit_length);
        const auto unit_nanos = unit_nanoseconds(unit);
        if (!unit_nanos) {
            if (unit == "d" || unit == "w") {
                return failure(
                    std::string("unit " + quote_for_message(unit) +
                                " is only accepted alone after a whole number (such as 7d or 2w)"));
            }
            return failure(std::string("unknown unit " + quote_for_message(unit)));
        }
        if (whole > kOverflowGuard / *unit_nanos) {
            return failure(std::string(kTooLarge));
        }
        std::uint64_t value = whole * *unit_nanos;
        if (fraction > 0) {
            const double fraction_nanos =
                static_cast<double>(fraction) * (static_cast<double>(*unit_nanos) / scale);
            value += static_cast<std::uint64_t>(fraction_nanos);
            if (value > kOverflowGuard) {
                return failure(std::string(kTooLarge));
            }
        }
        total += value;
        if (total > kOverflowGuard) {
            return failure(std::string(kTooLarge));
        }
    }
    if (total > kMaxNanoseconds) {
        return failure(std::string(kTooLarge));
    }
    return total;
}

std::string replace_micro_signs(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::string_view rest = text.substr(i);
        if (rest.starts_with(kMicroSign) || rest.starts_with(kGreekMu)) {
            out += 'u';
            ++i;  // both signs are two bytes
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace

Result<std::string> normalize_until(std::string_view text) {
    if (text.empty()) {
        return invalid("the value is empty");
    }
    if (text.front() == '-' || text.front() == '+') {
        return invalid("a sign is not allowed (the age is always positive)");
    }
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
            return invalid("whitespace is not allowed");
        }
        if (!is_allowed_byte(c)) {
            return invalid("character '" + escape_for_message(std::string_view(&c, 1)) +
                           "' is not allowed");
        }
    }

    constexpr std::uint64_t kMaxSeconds = kMaxNanoseconds / kNanosPerSecond;
    constexpr std::uint64_t kMaxHours = kMaxNanoseconds / kNanosPerHour;
    if (all_digits(text)) {
        const auto seconds = whole_number(text, kMaxSeconds);
        if (!seconds) {
            return invalid(kTooLarge);
        }
        if (*seconds == 0) {
            return invalid(kZero);
        }
        return success(std::to_string(*seconds) + "s");
    }
    const char last = text.back();
    const std::string_view count = text.substr(0, text.size() - 1);
    if ((last == 'd' || last == 'w') && all_digits(count)) {
        const std::uint64_t hours_per_unit = last == 'd' ? 24 : 24 * 7;
        const auto units = whole_number(count, kMaxHours / hours_per_unit);
        if (!units) {
            return invalid(kTooLarge);
        }
        if (*units == 0) {
            return invalid(kZero);
        }
        return success(std::to_string(*units * hours_per_unit) + "h");
    }

    const Result<std::uint64_t> nanos = parse_go_duration(text);
    if (!nanos) {
        return invalid(nanos.error());
    }
    if (*nanos == 0) {
        return invalid(kZero);
    }
    return success(replace_micro_signs(text));
}

std::optional<std::chrono::nanoseconds> go_duration_length(std::string_view go_duration) {
    // Only what normalize_until lets through: it refuses signs, blanks and zero.
    if (!normalize_until(go_duration)) {
        return std::nullopt;
    }
    const Result<std::uint64_t> nanos = parse_go_duration(replace_micro_signs(go_duration));
    if (!nanos) {
        return std::nullopt;  // bare seconds / days / weeks: not a normalised value
    }
    return std::chrono::nanoseconds(static_cast<std::int64_t>(*nanos));
}

}  // namespace orch::pruner
