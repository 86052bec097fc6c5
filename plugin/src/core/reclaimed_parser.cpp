#include "core/reclaimed_parser.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <string>

namespace orch::pruner {

namespace {

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();
// UINT64_MAX has 20 digits: an integer part longer than that saturates without arithmetic.
constexpr std::size_t kMaxIntegerDigits = 20;
// Digits past this cannot change the whole number of bytes (1024^8 < 10^25), only cost time.
constexpr std::size_t kMaxFractionDigits = 30;

struct Unit {
    std::string_view name;  // lower case
    unsigned base;          // 1000 or 1024
    unsigned power;
};

constexpr std::array<Unit, 17> kUnits = {{
    {"b", 1000, 0},
    {"kb", 1000, 1},
    {"mb", 1000, 2},
    {"gb", 1000, 3},
    {"tb", 1000, 4},
    {"pb", 1000, 5},
    {"eb", 1000, 6},
    {"zb", 1000, 7},
    {"yb", 1000, 8},
    {"kib", 1024, 1},
    {"mib", 1024, 2},
    {"gib", 1024, 3},
    {"tib", 1024, 4},
    {"pib", 1024, 5},
    {"eib", 1024, 6},
    {"zib", 1024, 7},
    {"yib", 1024, 8},
}};

const Unit* find_unit(std::string_view text) {
    for (const auto& unit : kUnits) {
        if (equals_ignoring_case(text, unit.name)) {
            return &unit;
        }
    }
    return nullptr;
}

// A non-negative decimal number as its digits (most significant first) with the position of
// the decimal point, multiplied in place by small factors. Exact, unlike a double.
class DecimalDigits {
  public:
    DecimalDigits(std::string_view integer, std::string_view fraction)
        : digits_(std::string(integer) + std::string(fraction)), point_(integer.size()) {}

    void multiply(unsigned factor) {
        unsigned carry = 0;
        for (auto it = digits_.rbegin(); it != digits_.rend(); ++it) {
            const unsigned product = static_cast<unsigned>(*it - '0') * factor + carry;
            *it = static_cast<char>('0' + product % 10);
            carry = product / 10;
        }
        std::string prefix;
        while (carry > 0) {
            prefix.insert(prefix.begin(), static_cast<char>('0' + carry % 10));
            carry /= 10;
        }
        digits_.insert(0, prefix);
        point_ += prefix.size();
        drop_leading_zeros();
    }

    // Integer part; nullopt when it does not fit in uint64.
    std::optional<std::uint64_t> whole() const {
        if (point_ > kMaxIntegerDigits) {
            return std::nullopt;
        }
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < point_; ++i) {
            const auto digit = static_cast<std::uint64_t>(digits_[i] - '0');
            if (value > (kSaturated - digit) / 10) {
                return std::nullopt;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    bool integer_part_too_long() const { return point_ > kMaxIntegerDigits; }

    void drop_leading_zeros() {
        std::size_t zeros = 0;
        while (zeros < point_ && digits_[zeros] == '0') {
            ++zeros;
        }
        digits_.erase(0, zeros);
        point_ -= zeros;
    }

  private:
    std::string digits_;
    std::size_t point_;  // digits_[0, point_) is the integer part
};

std::optional<std::uint64_t> parse_size_or_throw(std::string_view text) {
    text = trim(text, " \t\r\n");
    std::size_t i = 0;
    while (i < text.size() && is_digit(text[i])) {
        ++i;
    }
    const std::string_view integer = text.substr(0, i);
    std::string_view fraction;
    if (i < text.size() && text[i] == '.') {
        const std::size_t start = ++i;
        while (i < text.size() && is_digit(text[i])) {
            ++i;
        }
        fraction = text.substr(start, i - start);
    }
    if (integer.empty() && fraction.empty()) {
        return std::nullopt;
    }
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
        ++i;
    }
    const Unit* unit = find_unit(text.substr(i));
    if (unit == nullptr) {
        return std::nullopt;
    }

    std::string_view significant = integer;
    while (!significant.empty() && significant.front() == '0') {
        significant.remove_prefix(1);
    }
    if (significant.size() > kMaxIntegerDigits) {
        return kSaturated;
    }
    DecimalDigits number(significant, fraction.substr(0, kMaxFractionDigits));
    for (unsigned p = 0; p < unit->power; ++p) {
        number.multiply(unit->base);
        if (number.integer_part_too_long()) {
            return kSaturated;
        }
    }
    return number.whole().value_or(kSaturated);
}

// The size text after a summary label, or nullopt when `line` is not a summary line.
std::optional<std::string_view> summary_value(std::string_view line) {
    static constexpr std::array<std::string_view, 2> kLabels = {
        "total reclaimed space:",  // docker builder prune (legacy builder API)
        "total:",                  // docker buildx prune, then a tab
    };
    line = trim(line, " \t\r\n");
    for (const auto label : kLabels) {
        if (line.size() >= label.size() &&
            equals_ignoring_case(line.substr(0, label.size()), label)) {
            return line.substr(label.size());
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) noexcept {
    try {
        return parse_size_or_throw(text);
    } catch (...) {
        // Only std::bad_alloc is possible; an unknown size is the documented answer.
        return std::nullopt;
    }
}

std::optional<std::uint64_t> parse_reclaimed(std::string_view output) noexcept {
    std::optional<std::uint64_t> found;
    while (!output.empty()) {
        const std::size_t end = output.find('\n');
        const std::string_view line = output.substr(0, end);
        output.remove_prefix(end == std::string_view::npos ? output.size() : end + 1);
        if (const auto value = summary_value(line)) {
            if (const auto bytes = parse_size(*value)) {
                found = bytes;
            }
        }
    }
    return found;
}

std::string human_size(std::uint64_t bytes) {
    static constexpr std::array<std::string_view, 9> kAbbreviations = {"B",  "kB", "MB", "GB", "TB",
                                                                       "PB", "EB", "ZB", "YB"};
    // go-units divides a float64 by 1000 while it is >= 1000 (getSizeAndUnit).
    auto size = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (size >= 1000.0 && unit + 1 < kAbbreviations.size()) {
        size /= 1000.0;
        ++unit;
    }
    // to_chars(general, 4) is printf's "%.4g" in the C locale, whatever the process locale.
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), size,
                                      std::chars_format::general, 4);
    return std::string(buffer.data(), result.ptr) + std::string(kAbbreviations[unit]);
}

}  // namespace orch::pruner
