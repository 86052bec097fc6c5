#pragma once
// GET /queue, built from snapshots. Pure (each thread reuses its last page for identical inputs,
// see queue_json.cpp): no locks, no plugin calls, so the HTTP thread never
// waits on a plugin (status texts are read by PluginRegistry::snapshot(), which never blocks).
//
// {
//   "queue":   {"pending": 0, "running": 0, "simulated": true},   // the orchestrator's own block
//   "plugins": [{"id", "version" (null if never loaded), "state", "error" (null or text),
//                "queue_key", "required"}, ...],                    // in start order
//   "host":    {"notifier": <the notifier's status>},             // when given
//   "<queue_key>": <that plugin's status() object>, ...
// }
// At a queue_key: a disabled plugin shows {"enabled": false}; a plugin without a task shows
// {"error": <why>}; a status() that is not a JSON object shows {"error": <what it returned>}.
// One plugin's bad status never breaks the response.
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "lifespan/plugin_snapshot.hpp"

namespace orch::host {

std::string render_queue_json(const std::vector<PluginSnapshot>& plugins,
                              const boost::json::object& notifier_status = {});

}  // namespace orch::host
