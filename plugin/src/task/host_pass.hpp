#pragma once
// One docker host's pass: the space probe when due, then the pressure or the age prune (or, in
// a dry run, its preview), each recorded in that host's status. The task's fleet shell runs one
// pass per due host, at most `parallelism` at once; a pass runs its ssh sessions one after
// another, so it holds one ssh slot (issue 11). The decisions are pure (run_decision,
// space_decision, space_schedule); this is the thin shell that runs ssh between them.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/prune_target.hpp"
#include "core/space_schedule.hpp"
#include "orch/plugin_api/host_services.hpp"
#include "runner/cancel_token.hpp"
#include "task/clock.hpp"
#include "task/pruner_status.hpp"

namespace orch::pruner {

// What a pass needs from its task, shared by every host's pass. Thread-safe.
class PassSink {
  public:
    virtual void log(plugin_api::LogLevel level, const std::string& message) const noexcept = 0;
    // A notice that cannot wait for the round (a host entering or leaving disk pressure).
    virtual void notify_now(const std::string& text) = 0;
    // Changes host `index`'s status under the task's status lock.
    virtual void update_host(std::size_t index, const std::function<void(HostStatus&)>& change) = 0;
    virtual bool pressure_unresolved(std::size_t index) const = 0;

  protected:
    ~PassSink() = default;
};

struct PassContext {
    const PrunerConfig& config;
    const std::string& ssh_executable;  // replaces argv[0] of every ssh run
    const std::string& search_path;     // PATH, where a bare ssh_executable is looked up
    const Clock& clock;
    const CancelToken& cancel;  // stop(): kills the pass's ssh at once
    PassSink& sink;
    bool name_hosts = false;  // several hosts: log lines start with the host's key
};

// A prune that reclaimed at least the notification threshold, for the round's one message.
struct ReclaimNotice {
    std::string key;
    std::uint64_t reclaimed_bytes = 0;
    std::string text;  // the single-host message, used when it is the round's only one
};

struct PassReport {
    PassClock clock;  // the host's schedule after the pass
    std::optional<ReclaimNotice> reclaim;
};

// Runs what is due for unit `index` (`clock` is its schedule before the pass). Never throws:
// an internal error is recorded in the host's status as a failed attempt.
PassReport run_host_pass(const PassContext& context, const PruneUnit& unit, std::size_t index,
                         PassClock clock);

// When the unit's next pass is due: its first_due until it has run, then by its schedule.
SteadyTime pass_due(const PrunerConfig& config, const PassClock& clock, SteadyTime first_due);

}  // namespace orch::pruner
