#include "task/prune_outcome.hpp"

#include <cctype>

#include "core/reclaimed_parser.hpp"

namespace orch::pruner {

namespace {

constexpr std::size_t kStderrExcerptChars = 200;
constexpr int kSshOwnFailure = 255;
constexpr int kCommandNotFound = 127;

std::string trimmed_excerpt(const std::string& text, std::size_t max_chars) {
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])) != 0) {
        ++begin;
    }
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])) != 0) {
        --end;
    }
    std::string out = text.substr(begin, std::min(end - begin, max_chars));
    for (char& c : out) {
        if (c == '\n' || c == '\r' || c == '\t') {
            c = ' ';
        }
    }
    return out;
}

std::string exit_code_hint(int code) {
    if (code == kSshOwnFailure) {
        return " (ssh failed: connection, authentication or host key)";
    }
    if (code == kCommandNotFound) {
        return " (command not found on the docker host: is docker installed and on PATH?)";
    }
    return "";
}

}  // namespace

PruneOutcome evaluate_prune_run(const RunResult& run, long long timeout_s) {
    PruneOutcome o;
    switch (run.outcome) {
        case RunOutcome::kSpawnFailed:
            o.error = "ssh could not be started: " + run.error;
            return o;
        case RunOutcome::kTimedOut:
            o.error = "timeout after " + std::to_string(timeout_s) +
                      "s: ssh was killed (the remote prune may still complete)";
            return o;
        case RunOutcome::kCancelled:
            o.error = "cancelled: the plugin was stopped while the prune was in flight";
            return o;
        case RunOutcome::kSignalled:
            o.error = run.error;  // the runner names the program and the signal
            return o;
        case RunOutcome::kExited:
            break;
    }
    if (run.exit_code != 0) {
        const std::string err = trimmed_excerpt(run.err.text(), kStderrExcerptChars);
        o.error = "rc=" + std::to_string(run.exit_code) + exit_code_hint(run.exit_code) + ": " +
                  (err.empty() ? std::string("(no stderr)") : err);
        return o;
    }
    o.success = true;
    // The summary is the last line docker prints, so the tail of a huge output still has it.
    o.reclaimed_bytes = parse_reclaimed(run.out.text());
    if (!o.reclaimed_bytes) {
        o.note = "prune succeeded but its output had no reclaimed-space summary (" +
                 std::to_string(run.out.total_bytes) + " bytes of stdout); size unknown";
    }
    return o;
}

bool should_notify(std::optional<std::uint64_t> reclaimed_bytes, double notify_min_gb) {
    if (!reclaimed_bytes || !(notify_min_gb > 0.0)) {
        return false;
    }
    return static_cast<double>(*reclaimed_bytes) >= notify_min_gb * 1e9;
}

std::string notification_text(std::uint64_t reclaimed_bytes, const std::string& ssh_target,
                              const std::string& until) {
    return "\xF0\x9F\xA7\xB9 build-cache-pruner: reclaimed " + human_size(reclaimed_bytes) +
           " of docker build cache on " + ssh_target + " (until=" + until + ")";
}

}  // namespace orch::pruner
