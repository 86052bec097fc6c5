#include "task/status_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include "core/text.hpp"
#include "task/fleet_status.hpp"

namespace orch::pruner {

const char* to_string(TaskState state) {
    constexpr const char* kNames[] = {"idle", "running", "pruning", "stopped", "disabled"};
    const auto index = static_cast<std::size_t>(state);
    return index < std::size(kNames) ? kNames[index] : "unknown";
}

namespace {

// Every string is made valid UTF-8 here, whatever its source, so status() is always valid
// JSON text in UTF-8 (Boost.JSON passes bytes >= 0x80 through unchecked). The causes (stderr
// excerpts, runner errors) are also sanitised where they are made; this is the last line.
boost::json::value text(const std::string& v) {
    return boost::json::value(to_valid_utf8(v));
}

boost::json::value or_null(const std::optional<std::string>& v) {
    return v ? text(*v) : boost::json::value(nullptr);
}

template <typename T>
boost::json::value or_null(const std::optional<T>& v) {
    return v ? boost::json::value_from(*v) : boost::json::value(nullptr);
}

// The reference's keys a host has (the other four are the task's configuration).
void put_seed_keys(boost::json::object& o, const HostStatus& h) {
    o["last_run_ts"] = or_null(h.last_run_ts);
    o["last_reclaimed_bytes"] = or_null(h.last_reclaimed_bytes);
    o["last_reclaimed"] = or_null(h.last_reclaimed);
    o["last_reclaimed_human"] = or_null(h.last_reclaimed_human);
    o["last_error"] = or_null(h.last_error);
}

void put_progress(boost::json::object& o, const HostStatus& h) {
    o["in_flight"] = h.in_flight;
    o["in_flight_since_ts"] = or_null(h.in_flight_since_ts);
    o["last_success_ts"] = or_null(h.last_success_ts);
    o["next_run_ts"] = or_null(h.next_run_ts);
    o["last_duration_ms"] = or_null(h.last_duration_ms);
    o["last_exit_code"] = or_null(h.last_exit_code);
    o["last_note"] = or_null(h.last_note);
    o["runs_total"] = h.runs_total;
    o["successes_total"] = h.successes_total;
    o["failures_total"] = h.failures_total;
    o["timeouts_total"] = h.timeouts_total;
    o["noop_ticks_total"] = h.noop_ticks_total;
    o["reclaimed_bytes_total"] = h.reclaimed_bytes_total;
}

void put_space(boost::json::object& o, const HostStatus& h) {
    o["docker_root_dir"] = or_null(h.docker_root_dir);
    o["disk_free_bytes"] = or_null(h.disk_free_bytes);
    o["disk_size_bytes"] = or_null(h.disk_size_bytes);
    o["build_cache_bytes"] = or_null(h.build_cache_bytes);
    o["build_cache_reclaimable_bytes"] = or_null(h.build_cache_reclaimable_bytes);
    o["last_probe_ts"] = or_null(h.last_probe_ts);
    o["last_probe_error"] = or_null(h.last_probe_error);
    o["min_free_bytes"] = or_null(h.min_free_bytes);
    o["max_cache_bytes"] = or_null(h.max_cache_bytes);
    o["reserved_bytes"] = h.reserved_bytes;
    o["last_trigger"] = or_null(h.last_trigger);
    o["pressure_prunes_total"] = h.pressure_prunes_total;
    o["pressure_unresolved"] = h.pressure_unresolved;
    o["would_reclaim_bytes"] = or_null(h.would_reclaim_bytes);
    o["would_remove_records"] = or_null(h.would_remove_records);
}

// One entry of `hosts`: everything the single-host block says about its host.
boost::json::object host_object(const HostStatus& h) {
    boost::json::object o;
    put_seed_keys(o, h);
    put_progress(o, h);
    o["ssh_target"] = or_null(h.ssh_target);
    o["command"] = or_null(h.command);
    o["config_error"] = or_null(h.config_error);
    put_space(o, h);
    return o;
}

void put_configuration(boost::json::object& o, const PrunerStatus& s) {
    o["until_configured"] = text(s.until_configured);
    o["timeout_s"] = s.timeout_s;
    o["notify_min_gb"] = s.notify_min_gb;
    o["check_interval_s"] = s.check_interval_s;
    o["dry_run"] = s.dry_run;
    o["parallelism"] = s.parallelism;
    o["stagger_s"] = s.stagger_s;
    boost::json::array warnings;
    for (const auto& warning : s.config_warnings) {
        warnings.emplace_back(text(warning));
    }
    o["config_warnings"] = std::move(warnings);
}

// The task's config_error, then (for a lone host) that host's, as the single-host task showed.
boost::json::value config_error_of(const PrunerStatus& s, const HostStatus& top) {
    if (s.config_error && top.config_error) {
        return text(*s.config_error + "; " + *top.config_error);
    }
    return or_null(s.config_error ? s.config_error : top.config_error);
}

}  // namespace

std::string to_json_text(const PrunerStatus& s) {
    const FleetSummary fleet = summarise_fleet(s);
    boost::json::object o;
    o["enabled"] = s.enabled;
    o["interval_s"] = s.interval_s;
    o["until"] = text(s.until);
    o["all"] = s.all;
    put_seed_keys(o, fleet.top);
    o["state"] = to_string(fleet.state);
    put_progress(o, fleet.top);
    o["notifications_total"] = s.notifications_total;
    o["last_notify_error"] = or_null(s.last_notify_error);
    put_configuration(o, s);
    o["ssh_target"] = or_null(fleet.top.ssh_target);
    o["command"] = or_null(fleet.top.command);
    o["config_error"] = config_error_of(s, fleet.top);
    put_space(o, fleet.top);
    o["hosts_total"] = fleet.hosts_total;
    o["hosts_failing"] = fleet.hosts_failing;
    o["in_flight_total"] = fleet.in_flight_total;
    boost::json::object hosts;
    if (s.listed) {
        for (const HostStatus& h : s.hosts) {
            hosts[to_valid_utf8(h.key)] = host_object(h);
        }
    }
    o["hosts"] = std::move(hosts);
    return boost::json::serialize(o);
}

}  // namespace orch::pruner
