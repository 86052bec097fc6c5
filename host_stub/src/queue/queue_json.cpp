#include "queue/queue_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "last_result.hpp"
#include "text/utf8_text.hpp"

namespace orch::host {

namespace json = boost::json;

namespace {

// A plugin's status text can be anything a buggy plugin returns; quote only a bounded prefix
// (in bytes, cut on a character boundary).
constexpr std::size_t kQuotedStatusChars = 200;

json::object simulated_queue_block() {
    return json::object{{"pending", 0}, {"running", 0}, {"simulated", true}};
}

json::value text_or_null(const std::string& text) {
    return text.empty() ? json::value(nullptr) : json::value(text);
}

json::object error_block(std::string message) {
    return json::object{{"error", std::move(message)}};
}

json::value status_block(const PluginSnapshot& p) {
    if (p.state == PluginState::kDisabled) {
        return json::object{{"enabled", false}};
    }
    if (!p.status_text) {
        return error_block(p.error.empty() ? "plugin '" + p.id + "' has no task" : p.error);
    }
    // Invalid bytes (a remote stderr in Latin-1, say) become U+FFFD first: the parser would
    // otherwise refuse the whole status for one byte in one string.
    const std::string text = sanitize_utf8(*p.status_text);
    boost::system::error_code ec;
    json::value parsed = json::parse(text, ec);
    const auto quoted = [&] {
        return std::string(utf8_prefix(text, kQuotedStatusChars)) +
               (text.size() > kQuotedStatusChars ? "..." : "");
    };
    if (ec) {
        return error_block("status() of plugin '" + p.id + "' returned invalid JSON (" +
                           ec.message() + "): " + quoted());
    }
    if (!parsed.is_object()) {
        return error_block("status() of plugin '" + p.id +
                           "' returned JSON that is not an object: " + quoted());
    }
    return parsed;
}

std::string render_page(const std::vector<PluginSnapshot>& plugins,
                        const json::object& notifier_status) {
    json::object root;
    root["queue"] = simulated_queue_block();
    json::array list;
    for (const auto& p : plugins) {
        list.push_back(json::object{{"id", p.id},
                                    {"version", text_or_null(p.version)},
                                    {"state", plugin_state_name(p.state)},
                                    {"error", text_or_null(p.error)},
                                    {"queue_key", p.queue_key},
                                    {"required", p.required}});
    }
    root["plugins"] = std::move(list);
    if (!notifier_status.empty()) {
        root["host"] = json::object{{"notifier", notifier_status}};
    }
    for (const auto& p : plugins) {
        root[p.queue_key] = status_block(p);
    }
    // Every other string in here came from outside too (manifest file names and fields, library
    // paths, exception texts, the environment). Boost.JSON copies string bytes as they are, and
    // bytes that are not UTF-8 can only sit inside strings (the structure is ASCII), so one pass
    // over the result keeps the whole response valid UTF-8 JSON.
    return sanitize_utf8(json::serialize(root));
}

}  // namespace

// Each thread reuses its last page for identical inputs (last_result.hpp): /queue is polled and
// its inputs change only when a plugin's state or status does, and parsing every plugin's
// status() text, building the tree and serialising it again was most of a request's user time.
std::string render_queue_json(const std::vector<PluginSnapshot>& plugins,
                              const json::object& notifier_status) {
    thread_local LastResult<std::string, std::vector<PluginSnapshot>, json::object> last;
    return last.get(render_page, plugins, notifier_status);
}

}  // namespace orch::host
