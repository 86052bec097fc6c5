#include "support/promtool.hpp"

#include <sys/wait.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "support/temp_dir.hpp"

namespace orch::test {
namespace {

std::filesystem::path find_promtool() {
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const std::size_t end = std::min(dirs.find(':', start), dirs.size());
        const std::filesystem::path candidate =
            std::filesystem::path(dirs.substr(start, end - start)) / "promtool";
        if (!candidate.parent_path().empty() && ::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        start = end + 1;
    }
    throw std::runtime_error("promtool not found on PATH (" + dirs +
                             "); scripts/setup.sh installs it (Debian package prometheus)");
}

}  // namespace

PromtoolResult promtool_check_metrics(const std::string& page) {
    const std::filesystem::path promtool = find_promtool();
    TempDir dir;
    write_file(dir / "page.prom", page);
    // The paths are ours (a fresh temp dir and a PATH entry), quoted for the shell.
    const std::string command = "'" + promtool.string() + "' check metrics < '" +
                                (dir / "page.prom").string() + "' > '" +
                                (dir / "out.txt").string() + "' 2>&1";
    const int status = std::system(command.c_str());
    PromtoolResult result;
    if (status != -1 && WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    }
    result.output = read_file(dir / "out.txt");
    return result;
}

}  // namespace orch::test
