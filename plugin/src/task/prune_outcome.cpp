#include "task/prune_outcome.hpp"

#include <array>
#include <cstdio>
#include <string_view>

#include "core/reclaimed_parser.hpp"
#include "core/text.hpp"

namespace orch::pruner {

namespace {

constexpr std::size_t kStderrExcerptChars = 200;  // characters, as the original's [:200]
constexpr double kBytesPerGib = 1024.0 * 1024.0 * 1024.0;
constexpr int kSshOwnFailure = 255;
constexpr int kCommandNotFound = 127;

// At most max_chars characters of `text` (valid UTF-8), trimmed, on one line.
std::string trimmed_excerpt(const std::string& text, std::size_t max_chars) {
    std::string out(utf8_prefix(trim(text), max_chars));
    for (char& c : out) {
        if (c == '\n' || c == '\r' || c == '\t') {
            c = ' ';
        }
    }
    return out;
}

bool starts_with(const std::string& text, std::size_t at, std::string_view prefix) {
    return text.compare(at, prefix.size(), prefix) == 0;
}

// stderr without the notices that precede the real error on common hosts: the docker CLI's
// "DEPRECATED: The legacy builder ..." block (docker >= 23 without buildx prints it before
// every `builder prune`, ~230 characters) and ssh's "Warning: Permanently added ..." line
// (accept-new). Left in, they fill the 200-character excerpt and hide the error itself.
std::string without_notices(const std::string& text) {
    std::string kept;
    bool in_notice = false;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        end = end == std::string::npos ? text.size() : end + 1;
        const bool continuation =
            text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r';
        if (starts_with(text, at, "DEPRECATED: ") ||
            starts_with(text, at, "Warning: Permanently added ")) {
            in_notice = true;
        } else if (!(in_notice && continuation)) {
            in_notice = false;
            kept.append(text, at, end - at);
        }
        at = end;
    }
    return kept.find_first_not_of(" \t\r\n") == std::string::npos ? text : kept;
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
            // The runner's text quotes paths and PATH from the environment: any bytes.
            o.error = "ssh could not be started: " + to_valid_utf8(run.error);
            return o;
        case RunOutcome::kTimedOut:
            o.error = "timeout after " + std::to_string(timeout_s) +
                      "s: ssh was killed (the remote prune may still complete)";
            return o;
        case RunOutcome::kCancelled:
            o.error = "cancelled: the plugin was stopped while the prune was in flight";
            return o;
        case RunOutcome::kSignalled:
            o.error = to_valid_utf8(run.error);  // the runner names the program and the signal
            return o;
        case RunOutcome::kExited:
            break;
    }
    if (run.exit_code != 0) {
        const std::string err =
            trimmed_excerpt(to_valid_utf8(without_notices(run.err.text())), kStderrExcerptChars);
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
    return static_cast<double>(*reclaimed_bytes) / kBytesPerGib >= notify_min_gb;
}

std::string reclaimed_gib_label(std::uint64_t reclaimed_bytes) {
    std::array<char, 64> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%.2f GB",
                  static_cast<double>(reclaimed_bytes) / kBytesPerGib);
    return buffer.data();
}

std::string notification_text(std::uint64_t reclaimed_bytes, const std::string& ssh_target,
                              const std::string& until, const std::string& what) {
    return "\xF0\x9F\xA7\xB9 build-cache-pruner: reclaimed " +
           reclaimed_gib_label(reclaimed_bytes) + " (" + human_size(reclaimed_bytes) +
           ") of docker build cache on " + ssh_target + " (" +
           (what.empty() ? "until=" + until : what) + ")";
}

}  // namespace orch::pruner
