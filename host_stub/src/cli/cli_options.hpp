#pragma once
// host_stub's command line. Pure: argv in, options or an error out.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "result.hpp"

namespace orch::host {

inline constexpr std::string_view kDefaultListen = "127.0.0.1:8765";  // loopback only

struct CliOptions {
    std::optional<std::string> manifests_dir;  // nullopt: relative to the executable
    std::optional<std::string> plugins_dir;    // nullopt: relative to the executable
    std::string listen = std::string(kDefaultListen);
    bool once = false;
    bool help = false;
};

// `args` excludes the program name. Accepts "--opt VALUE" and "--opt=VALUE"; an option given
// twice is an error (which one was meant is a guess). The error names the argument and what was
// expected.
Result<CliOptions> parse_cli(const std::vector<std::string_view>& args);

std::string usage_text(std::string_view program);

}  // namespace orch::host
