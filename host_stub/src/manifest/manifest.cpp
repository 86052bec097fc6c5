#include "manifest/manifest.hpp"

#include <array>
#include <cstdint>
#include <limits>

#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <boost/json/value.hpp>

namespace orch::host {

std::optional<std::string> library_name_problem(std::string_view library) {
    if (library.empty()) {
        return "is empty";
    }
    if (library.find('\0') != std::string_view::npos) {
        return "contains a NUL character";
    }
    if (library.front() == '/') {
        return "is an absolute path; expected a file name inside the plugin directory";
    }
    std::string_view rest = library;
    while (true) {
        const auto slash = rest.find('/');
        const std::string_view component = rest.substr(0, slash);
        if (component.empty()) {
            return "has an empty path component ('//' or a trailing '/')";
        }
        if (component == "..") {
            return "has a '..' component; it must stay inside the plugin directory";
        }
        if (component == ".") {
            return "has a '.' component; write the path without it";
        }
        if (slash == std::string_view::npos) {
            return std::nullopt;
        }
        rest = rest.substr(slash + 1);
    }
}

namespace {

namespace json = boost::json;

constexpr std::size_t kMaxKeyLength = 64;
constexpr std::array<std::string_view, 9> kKnownKeys = {"schema_version", "id",        "library",
                                                        "api_version",    "enabled",   "required",
                                                        "order",          "queue_key", "config"};
// /queue's own top-level keys; a plugin's status must not replace them.
constexpr std::array<std::string_view, 3> kReservedQueueKeys = {"queue", "plugins", "host"};

const char* kind_name(const json::value& v) {
    switch (v.kind()) {
        case json::kind::null:
            return "null";
        case json::kind::bool_:
            return "a boolean";
        case json::kind::int64:
        case json::kind::uint64:
            return "an integer";
        case json::kind::double_:
            return "a non-integer number";
        case json::kind::string:
            return "a string";
        case json::kind::array:
            return "an array";
        case json::kind::object:
            return "an object";
    }
    return "an unknown JSON kind";
}

// Where stream_parser stopped, as "line L, column C" (1-based) of `text`.
std::string position_of(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::optional<std::int64_t> as_integer(const json::value& v) {
    if (v.is_int64()) {
        return v.get_int64();
    }
    if (v.is_uint64() &&
        v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return static_cast<std::int64_t>(v.get_uint64());
    }
    return std::nullopt;
}

// Collects every problem of one manifest rather than stopping at the first, so an operator
// fixes a file in one round.
class ManifestReader {
  public:
    ManifestReader(std::string_view file_name, const json::object& object, ManifestParse& out)
        : file_name_(file_name), object_(object), out_(out) {}

    void error(std::string_view key, const std::string& what) {
        out_.errors.push_back("manifest " + file_name_ + ": \"" + std::string(key) + "\" " + what);
    }

    const json::value* find(std::string_view key, bool required) {
        const auto it = object_.find(key);
        if (it == object_.end()) {
            if (required) {
                error(key, "is missing");
            }
            return nullptr;
        }
        return &it->value();
    }

    std::optional<std::string> string(std::string_view key) {
        const json::value* v = find(key, true);
        if (v == nullptr) {
            return std::nullopt;
        }
        if (!v->is_string()) {
            error(key, std::string("must be a string, got ") + kind_name(*v));
            return std::nullopt;
        }
        return std::string(v->get_string());
    }

    std::optional<bool> boolean(std::string_view key, std::optional<bool> fallback) {
        const json::value* v = find(key, !fallback.has_value());
        if (v == nullptr) {
            return fallback;
        }
        if (!v->is_bool()) {
            error(key, std::string("must be true or false, got ") + kind_name(*v));
            return std::nullopt;
        }
        return v->get_bool();
    }

    std::optional<std::string> key_like(std::string_view key) {
        auto text = string(key);
        if (text && !is_valid_key(*text)) {
            error(key, "is '" + *text +
                           "'; expected 1 to 64 characters of [A-Za-z0-9_.-] not starting with "
                           "'.' or '-'");
            return std::nullopt;
        }
        return text;
    }

  private:
    std::string file_name_;
    const json::object& object_;
    ManifestParse& out_;
};

void read_fields(ManifestReader& reader, Manifest& m) {
    const auto id = reader.key_like("id");
    const auto queue_key = reader.key_like("queue_key");
    if (queue_key) {
        for (const auto reserved : kReservedQueueKeys) {
            if (*queue_key == reserved) {
                reader.error("queue_key", "is '" + *queue_key +
                                              "', which GET /queue uses for itself; pick another");
            }
        }
    }
    const auto library = reader.string("library");
    if (library) {
        if (const auto problem = library_name_problem(*library)) {
            reader.error("library", "'" + *library + "' " + *problem);
        }
    }
    const auto api_text = reader.string("api_version");
    std::optional<ApiVersion> api;
    if (api_text) {
        api = parse_api_version(*api_text);
        if (!api) {
            reader.error("api_version",
                         "is '" + *api_text + "'; expected \"<major>.<minor>\", e.g. \"1.0\"");
        }
    }
    const auto enabled = reader.boolean("enabled", std::nullopt);
    const auto required = reader.boolean("required", false);

    int order_value = 0;
    bool order_ok = true;
    if (const json::value* v = reader.find("order", false)) {
        const auto n = as_integer(*v);
        if (!n || *n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max()) {
            reader.error("order", "must be an integer that fits in 32 bits, got " +
                                      (n ? std::to_string(*n) : std::string(kind_name(*v))));
            order_ok = false;
        } else {
            order_value = static_cast<int>(*n);
        }
    }

    std::optional<std::string> config_json = std::string("{}");
    if (const json::value* v = reader.find("config", false)) {
        if (!v->is_object()) {
            reader.error("config", std::string("must be an object, got ") + kind_name(*v));
            config_json.reset();
        } else {
            config_json = json::serialize(*v);
        }
    }

    if (id && queue_key && library && api && enabled && required && order_ok && config_json) {
        m.id = *id;
        m.queue_key = *queue_key;
        m.library = *library;
        m.api_version = *api;
        m.enabled = *enabled;
        m.required = *required;
        m.order = order_value;
        m.config_json = std::move(*config_json);
    }
}

}  // namespace

bool is_valid_key(std::string_view key) {
    if (key.empty() || key.size() > kMaxKeyLength || key.front() == '.' || key.front() == '-') {
        return false;
    }
    for (const char c : key) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

ManifestParse parse_manifest(std::string_view file_name, std::string_view text) {
    ManifestParse out;
    const std::string file(file_name);

    json::stream_parser parser;
    boost::system::error_code ec;
    const std::size_t consumed = parser.write(text.data(), text.size(), ec);
    if (!ec) {
        parser.finish(ec);
    }
    if (ec) {
        out.errors.push_back("manifest " + file + ": not valid JSON at " +
                             position_of(text, consumed) + ": " + ec.message());
        return out;
    }
    const json::value root = parser.release();
    if (!root.is_object()) {
        out.errors.push_back("manifest " + file +
                             ": expected a JSON object at the top level, got " + kind_name(root));
        return out;
    }
    const json::object& object = root.get_object();
    if (const auto it = object.find("required"); it != object.end() && it->value().is_bool()) {
        out.required = it->value().get_bool();
    }

    ManifestReader reader(file, object, out);
    const json::value* schema = reader.find("schema_version", true);
    if (schema == nullptr) {
        return out;
    }
    const auto schema_version = as_integer(*schema);
    if (!schema_version || *schema_version != kManifestSchemaVersion) {
        // The other keys may mean something else in another schema: judge none of them.
        reader.error("schema_version", "is " +
                                           (schema_version ? std::to_string(*schema_version)
                                                           : std::string(kind_name(*schema))) +
                                           "; this host reads schema version " +
                                           std::to_string(kManifestSchemaVersion) + " only");
        return out;
    }

    for (const auto& entry : object) {
        bool known = false;
        for (const auto k : kKnownKeys) {
            known = known || entry.key() == k;
        }
        if (!known) {
            out.warnings.push_back("manifest " + file + ": unknown key \"" +
                                   std::string(entry.key()) + "\" ignored");
        }
    }

    Manifest m;
    m.file_name = file;
    read_fields(reader, m);
    if (out.errors.empty()) {
        if (m.required && !m.enabled) {
            out.warnings.push_back("manifest " + file + ": plugin '" + m.id +
                                   "' is required but disabled; it is not loaded");
        }
        out.manifest = std::move(m);
    }
    return out;
}

}  // namespace orch::host
