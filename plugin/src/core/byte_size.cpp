#include "core/byte_size.hpp"

#include <algorithm>

#include "core/reclaimed_parser.hpp"
#include "core/text.hpp"

namespace orch::pruner {

namespace {

constexpr std::uint32_t kMilliPerPercent = 1000;
constexpr std::uint32_t kMaxPercentMilli = 100 * kMilliPerPercent;
constexpr std::size_t kMaxPercentDecimals = 3;

Failure invalid(std::string_view reason, PercentAllowed percent) {
    return failure(std::string(reason) + "; " + std::string(byte_size_expected(percent)));
}

Result<ByteSize> parse_percent(std::string_view number) {
    std::size_t i = 0;
    std::uint32_t whole = 0;
    while (i < number.size() && is_digit(number[i])) {
        // Anything past 3 digits is above 100 anyway; stop before uint32 could overflow.
        if (whole > kMaxPercentMilli) {
            return invalid("a percentage cannot exceed 100%", PercentAllowed::kYes);
        }
        whole = whole * 10 + static_cast<std::uint32_t>(number[i] - '0');
        ++i;
    }
    std::uint32_t milli = 0;
    std::size_t decimals = 0;
    const bool has_point = i < number.size() && number[i] == '.';
    if (has_point) {
        ++i;
        while (i < number.size() && is_digit(number[i])) {
            if (++decimals > kMaxPercentDecimals) {
                return invalid("a percentage may have at most 3 decimals", PercentAllowed::kYes);
            }
            milli = milli * 10 + static_cast<std::uint32_t>(number[i] - '0');
            ++i;
        }
    }
    if (i != number.size() || (i == 0) || (has_point && i == 1)) {
        return invalid("not a number before '%'", PercentAllowed::kYes);
    }
    for (std::size_t d = decimals; d < kMaxPercentDecimals; ++d) {
        milli *= 10;
    }
    if (whole > 100 || (whole == 100 && milli > 0)) {
        return invalid("a percentage cannot exceed 100%", PercentAllowed::kYes);
    }
    const std::uint32_t total = whole * kMilliPerPercent + milli;
    return success(total == 0 ? ByteSize::off() : ByteSize{ByteSize::Kind::kPercent, 0, total});
}

}  // namespace

Result<ByteSize> parse_byte_size(std::string_view text, PercentAllowed percent) {
    text = trim(text, " \t");
    if (text.empty()) {
        return success(ByteSize::off());
    }
    if (text.back() == '%') {
        if (percent == PercentAllowed::kNo) {
            return invalid("a percentage is not allowed for this setting", percent);
        }
        return parse_percent(trim(text.substr(0, text.size() - 1), " \t"));
    }
    const bool plain = std::all_of(text.begin(), text.end(), is_digit);
    // parse_size wants a unit; plain digits are bytes.
    const auto bytes = plain ? parse_size(std::string(text) + "B") : parse_size(text);
    if (!bytes) {
        if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
            return invalid("a sign is not allowed", percent);
        }
        if (!plain &&
            std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c) || c == '.'; })) {
            return invalid("a number with a fraction needs a unit", percent);
        }
        return invalid("not a size", percent);
    }
    if (*bytes > kMaxByteSize) {
        return invalid("the value is too large", percent);
    }
    return success(ByteSize::of_bytes(*bytes));
}

std::uint64_t resolve_byte_size(const ByteSize& size, std::uint64_t filesystem_bytes) noexcept {
    switch (size.kind) {
        case ByteSize::Kind::kOff:
            return 0;
        case ByteSize::Kind::kBytes:
            return size.bytes;
        case ByteSize::Kind::kPercent:
            break;
    }
    // floor(fs * milli / 100000) without a 128-bit product: split fs = q * 100000 + r. Both
    // q * milli <= fs and r * milli < 10^10 fit in uint64.
    constexpr std::uint64_t kDivisor = 100ULL * kMilliPerPercent;
    const std::uint64_t milli = std::min<std::uint64_t>(size.percent_milli, kDivisor);
    const std::uint64_t q = filesystem_bytes / kDivisor;
    const std::uint64_t r = filesystem_bytes % kDivisor;
    return q * milli + (r * milli) / kDivisor;
}

std::string to_string(const ByteSize& size) {
    switch (size.kind) {
        case ByteSize::Kind::kOff:
            return "off";
        case ByteSize::Kind::kBytes:
            return std::to_string(size.bytes) + "B";
        case ByteSize::Kind::kPercent:
            break;
    }
    std::string text = std::to_string(size.percent_milli / kMilliPerPercent);
    std::uint32_t fraction = size.percent_milli % kMilliPerPercent;
    if (fraction != 0) {
        std::string digits = std::to_string(fraction + kMilliPerPercent).substr(1);  // 3 digits
        while (!digits.empty() && digits.back() == '0') {
            digits.pop_back();
        }
        text += "." + digits;
    }
    return text + "%";
}

}  // namespace orch::pruner
