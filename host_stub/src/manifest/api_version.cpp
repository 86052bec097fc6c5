#include "manifest/api_version.hpp"

#include <charconv>
#include <limits>

namespace orch::host {

namespace {

std::optional<std::uint32_t> parse_component(std::string_view digits) {
    if (digits.empty() || digits.size() > 9) {
        return std::nullopt;
    }
    std::uint32_t value = 0;
    const char* end = digits.data() + digits.size();
    const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
    if (ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string ApiVersion::text() const {
    return std::to_string(major) + "." + std::to_string(minor);
}

std::optional<ApiVersion> parse_api_version(std::string_view text) {
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) {
        return std::nullopt;
    }
    const auto major = parse_component(text.substr(0, dot));
    const auto minor = parse_component(text.substr(dot + 1));
    if (!major || !minor) {
        return std::nullopt;
    }
    return ApiVersion{*major, *minor};
}

bool host_provides(const ApiVersion& needed, const ApiVersion& host) {
    return needed.major == host.major && needed.minor <= host.minor;
}

}  // namespace orch::host
