#include "task/status_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include "core/text.hpp"

namespace orch::pruner {

const char* to_string(TaskState state) {
    switch (state) {
        case TaskState::kIdle:
            return "idle";
        case TaskState::kRunning:
            return "running";
        case TaskState::kPruning:
            return "pruning";
        case TaskState::kStopped:
            return "stopped";
        case TaskState::kDisabled:
            return "disabled";
    }
    return "unknown";
}

namespace {

// Every string is made valid UTF-8 here, whatever its source, so status() is always valid
// JSON text in UTF-8 (Boost.JSON passes bytes >= 0x80 through unchecked). The causes (stderr
// excerpts, runner errors) are also sanitised where they are made; this is the last line.
boost::json::value text(const std::string& v) {
    return boost::json::value(to_valid_utf8(v));
}

boost::json::value or_null(const std::optional<std::string>& v) {
    if (!v) {
        return nullptr;
    }
    return text(*v);
}

template <typename T>
boost::json::value or_null(const std::optional<T>& v) {
    if (!v) {
        return nullptr;
    }
    return boost::json::value_from(*v);
}

boost::json::array to_array(const std::vector<std::string>& items) {
    boost::json::array out;
    for (const auto& item : items) {
        out.emplace_back(text(item));
    }
    return out;
}

}  // namespace

std::string to_json_text(const PrunerStatus& s) {
    boost::json::object o;
    o["enabled"] = s.enabled;
    o["interval_s"] = s.interval_s;
    o["until"] = text(s.until);
    o["all"] = s.all;
    o["last_run_ts"] = or_null(s.last_run_ts);
    o["last_reclaimed_bytes"] = or_null(s.last_reclaimed_bytes);
    o["last_reclaimed"] = or_null(s.last_reclaimed);
    o["last_reclaimed_human"] = or_null(s.last_reclaimed_human);
    o["last_error"] = or_null(s.last_error);

    o["state"] = to_string(s.state);
    o["in_flight"] = s.in_flight;
    o["in_flight_since_ts"] = or_null(s.in_flight_since_ts);
    o["last_success_ts"] = or_null(s.last_success_ts);
    o["next_run_ts"] = or_null(s.next_run_ts);
    o["last_duration_ms"] = or_null(s.last_duration_ms);
    o["last_exit_code"] = or_null(s.last_exit_code);
    o["last_note"] = or_null(s.last_note);
    o["runs_total"] = s.runs_total;
    o["successes_total"] = s.successes_total;
    o["failures_total"] = s.failures_total;
    o["timeouts_total"] = s.timeouts_total;
    o["noop_ticks_total"] = s.noop_ticks_total;
    o["reclaimed_bytes_total"] = s.reclaimed_bytes_total;
    o["notifications_total"] = s.notifications_total;
    o["last_notify_error"] = or_null(s.last_notify_error);

    o["until_configured"] = text(s.until_configured);
    o["timeout_s"] = s.timeout_s;
    o["notify_min_gb"] = s.notify_min_gb;
    o["ssh_target"] = or_null(s.ssh_target);
    o["command"] = or_null(s.command);
    o["config_error"] = or_null(s.config_error);
    o["config_warnings"] = to_array(s.config_warnings);

    o["docker_root_dir"] = or_null(s.docker_root_dir);
    o["disk_free_bytes"] = or_null(s.disk_free_bytes);
    o["disk_size_bytes"] = or_null(s.disk_size_bytes);
    o["build_cache_bytes"] = or_null(s.build_cache_bytes);
    o["build_cache_reclaimable_bytes"] = or_null(s.build_cache_reclaimable_bytes);
    o["last_probe_ts"] = or_null(s.last_probe_ts);
    o["last_probe_error"] = or_null(s.last_probe_error);
    o["min_free_bytes"] = or_null(s.min_free_bytes);
    o["max_cache_bytes"] = or_null(s.max_cache_bytes);
    o["reserved_bytes"] = s.reserved_bytes;
    o["check_interval_s"] = s.check_interval_s;
    o["last_trigger"] = or_null(s.last_trigger);
    o["pressure_prunes_total"] = s.pressure_prunes_total;
    o["pressure_unresolved"] = s.pressure_unresolved;
    o["dry_run"] = s.dry_run;
    o["would_reclaim_bytes"] = or_null(s.would_reclaim_bytes);
    o["would_remove_records"] = or_null(s.would_remove_records);
    return boost::json::serialize(o);
}

}  // namespace orch::pruner
