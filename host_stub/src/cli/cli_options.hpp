#pragma once
// host_stub's command line. Pure: argv in, options or an error out.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orch::host {

inline constexpr std::string_view kDefaultListen = "127.0.0.1:8765";  // loopback only

struct CliOptions {
    std::optional<std::string> manifests_dir;  // nullopt: relative to the executable
    std::optional<std::string> plugins_dir;    // nullopt: relative to the executable
    std::string listen = std::string(kDefaultListen);
    bool once = false;
    bool help = false;
};

struct CliParse {
    std::optional<CliOptions> options;  // set when error is empty
    std::string error;                  // names the argument and what was expected
};

// `args` excludes the program name. Accepts "--opt VALUE" and "--opt=VALUE"; an option given
// twice is an error (which one was meant is a guess).
CliParse parse_cli(const std::vector<std::string_view>& args);

std::string usage_text(std::string_view program);

}  // namespace orch::host
