#include "log/stderr_logger.hpp"

#include <chrono>
#include <utility>

#include "log/log_line.hpp"

namespace orch::host {

StderrLogger::StderrLogger(LogLevel minimum, std::string source, std::FILE* out)
    : minimum_(minimum), source_(std::move(source)), out_(out) {}

void StderrLogger::log(LogLevel level, std::string_view message) noexcept {
    if (!is_enabled(level, minimum_)) {
        return;
    }
    try {
        const std::string line =
            format_log_line(std::chrono::system_clock::now(), level, source_, message);
        flockfile(out_);
        std::fwrite(line.data(), 1, line.size(), out_);
        std::fflush(out_);
        funlockfile(out_);
    } catch (...) {
        // Only allocation can fail above; say that a line was lost rather than lose it silently.
        std::fputs("log line dropped: out of memory\n", out_);
    }
}

StderrLogger StderrLogger::with_source(std::string source) const {
    return StderrLogger(minimum_, std::move(source), out_);
}

}  // namespace orch::host
