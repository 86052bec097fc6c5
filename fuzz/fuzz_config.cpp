// resolve_config on an arbitrary manifest config and environment.
// Input: "<manifest JSON>" then, for each '\0'-separated entry, "<selector byte><value>": the
// selector picks one of the pruner's variables (or a misspelt one), the rest is its value.
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/config.hpp"
#include "core/until.hpp"
#include "fuzz_check.hpp"

using orch::pruner::fuzz::check;

namespace {

constexpr std::array<std::string_view, 18> kNames = {
    "ORCH_BUILD_CACHE_PRUNE_ENABLED",
    "ORCH_BUILD_CACHE_PRUNE_INTERVAL_S",
    "ORCH_BUILD_CACHE_PRUNE_UNTIL",
    "ORCH_BUILD_CACHE_PRUNE_ALL",
    "ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S",
    "ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB",
    "ORCH_DEPLOY_SSH_HOST",
    "ORCH_DEPLOY_SSH_USER",
    "ORCH_DEPLOY_SSH_PORT",
    "ORCH_DEPLOY_SSH_IDENTITY_FILE",
    "ORCH_DEPLOY_SSH_KNOWN_HOSTS_FILE",
    "ORCH_DEPLOY_SSH_STRICT_HOST_KEY",
    "ORCH_BUILD_CACHE_PRUNE_INTERVAL",  // not a setting: must be warned about
    // Issue 10 (appended, so the corpus keeps its meaning).
    "ORCH_BUILD_CACHE_PRUNE_MIN_FREE",
    "ORCH_BUILD_CACHE_PRUNE_MAX_CACHE",
    "ORCH_BUILD_CACHE_PRUNE_RESERVED",
    "ORCH_BUILD_CACHE_PRUNE_CHECK_INTERVAL_S",
    "ORCH_BUILD_CACHE_PRUNE_DRY_RUN",
};

// A byte setting is off, or in range, and reads back to itself from its own text.
void check_byte_size(const orch::pruner::ByteSize& size, orch::pruner::PercentAllowed percent) {
    using orch::pruner::ByteSize;
    if (size.kind == ByteSize::Kind::kBytes) {
        check(size.bytes >= 1 && size.bytes <= orch::pruner::kMaxByteSize, "bytes in range");
    }
    if (size.kind == ByteSize::Kind::kPercent) {
        check(percent == orch::pruner::PercentAllowed::kYes, "percent only where allowed");
        check(size.percent_milli >= 1 && size.percent_milli <= 100'000, "percent in range");
    }
    if (!size.is_off()) {
        const auto again = orch::pruner::parse_byte_size(orch::pruner::to_string(size), percent);
        check(again && *again == size, "byte size round-trips");
    }
}

void check_path(const std::optional<std::string>& path) {
    if (path) {
        for (const char c : *path) {
            const auto byte = static_cast<unsigned char>(c);
            check(byte >= 0x20 && byte != 0x7f && c != ' ' && c != '"' && c != '\'' && c != '\\',
                  "paths hold nothing ssh would split on");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t json_end = input.find('\0');

    boost::json::error_code ec;
    const boost::json::value manifest = boost::json::parse(input.substr(0, json_end), ec);
    const boost::json::object empty;
    const boost::json::object& object =
        (!ec && manifest.is_object()) ? manifest.get_object() : empty;

    orch::pruner::Environment env;
    if (json_end != std::string_view::npos) {
        std::string_view rest = input.substr(json_end + 1);
        while (!rest.empty()) {
            const std::size_t end = rest.find('\0');
            const std::string_view entry = rest.substr(0, end);
            rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
            if (!entry.empty()) {
                const auto selector = static_cast<unsigned char>(entry.front());
                env[std::string(kNames[selector % kNames.size()])] = std::string(entry.substr(1));
            }
        }
    }

    // resolve_config promises never to throw; an escaping exception aborts the fuzzer.
    const orch::pruner::ResolvedConfig resolved = orch::pruner::resolve_config(object, env);
    const orch::pruner::PrunerConfig& c = resolved.config;

    check(c.interval_s >= 1 && c.interval_s <= orch::pruner::kMaxIntervalSeconds, "interval");
    check(c.timeout_s >= 1 && c.timeout_s <= orch::pruner::kMaxTimeoutSeconds, "timeout");
    check(std::isfinite(c.notify_min_gb) && c.notify_min_gb >= 0, "notify_min_gb");
    check(c.check_interval_s >= orch::pruner::kMinCheckIntervalSeconds &&
              c.check_interval_s <= orch::pruner::kMaxCheckIntervalSeconds,
          "check_interval_s");
    check_byte_size(c.min_free, orch::pruner::PercentAllowed::kYes);
    check_byte_size(c.max_cache, orch::pruner::PercentAllowed::kNo);
    check_byte_size(c.reserved, orch::pruner::PercentAllowed::kNo);
    check(!c.ssh_port || (*c.ssh_port >= 1 && *c.ssh_port <= 65535), "port");
    const orch::pruner::Result<std::string> until = orch::pruner::normalize_until(c.until_text);
    check(until && *until == c.until, "until is the normalised until_text");
    check_path(c.ssh_identity_file);
    check_path(c.ssh_known_hosts_file);
    if (c.strict_host_key == orch::pruner::StrictHostKey::kNo) {
        bool warned = false;
        for (const auto& w : resolved.warnings) {
            warned = warned || w.rfind("StrictHostKeyChecking=no", 0) == 0;
        }
        check(warned, "StrictHostKeyChecking=no always warns");
    }
    for (const auto& warning : resolved.warnings) {
        for (const char ch : warning) {
            const auto byte = static_cast<unsigned char>(ch);
            check(byte >= 0x20 && byte < 0x7f, "warnings are printable one-line ASCII");
        }
    }
    return 0;
}
