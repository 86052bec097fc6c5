#pragma once
// The "<major>.<minor>" plugin API version a manifest says its plugin needs, and whether a host
// provides it. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace orch::host {

struct ApiVersion {
    std::uint32_t major = 0;
    std::uint32_t minor = 0;

    std::string text() const;
    friend bool operator==(const ApiVersion&, const ApiVersion&) = default;
};

// "1.0" -> {1, 0}. Digits only, no sign, no spaces, no third component; nullopt otherwise.
std::optional<ApiVersion> parse_api_version(std::string_view text);

// The rule check_compatibility() applies to descriptors, applied to what a manifest asks for:
// same major, and the plugin needs no newer minor than the host has.
bool host_provides(const ApiVersion& needed, const ApiVersion& host);

}  // namespace orch::host
