#include "core/config.hpp"

#include <unistd.h>  // environ

#include <array>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/result.hpp"
#include "core/shell_quote.hpp"
#include "core/text.hpp"
#include "core/until.hpp"

namespace orch::pruner {

namespace {

namespace json = boost::json;

constexpr std::string_view kBoolExpected =
    "expected true or false (any case; also 1/0, t/f, yes/no, y/n, on/off)";
constexpr std::string_view kEnabledEnv = "ORCH_BUILD_CACHE_PRUNE_ENABLED";
constexpr std::string_view kHostEnv = "ORCH_DEPLOY_SSH_HOST";
constexpr std::string_view kUserEnv = "ORCH_DEPLOY_SSH_USER";

std::string show_number(double value) {
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

// One layer's value for one setting: a manifest JSON value, or an environment string.
struct RawValue {
    const json::value* json = nullptr;  // set for the manifest
    std::string_view env_text;          // used when json is null

    // The value as text when it is text (an environment value, or a JSON string).
    std::optional<std::string_view> text() const {
        if (json == nullptr) {
            return env_text;
        }
        if (const auto* s = json->if_string()) {
            return std::string_view(*s);
        }
        return std::nullopt;
    }

    // The text, or a JSON integer written out (a manifest may give whole seconds or bytes as
    // a number).
    std::optional<std::string> text_or_integer() const {
        if (const auto t = text()) {
            return std::string(*t);
        }
        if (json->is_int64() || json->is_uint64()) {
            return json::serialize(*json);
        }
        return std::nullopt;
    }

    std::string display() const {
        if (const auto t = text()) {
            return quote_for_message(*t);
        }
        if (json->is_array()) {
            return "(a JSON array)";
        }
        if (json->is_object()) {
            return "(a JSON object)";
        }
        if (json->is_double()) {
            return show_number(json->get_double());  // "1.5", not Boost's "1.5E0"
        }
        return json::serialize(*json);  // null, a boolean or an integer: short, plain ASCII
    }
};

// A reader's answer is a Result: the value, or the problem (what was expected, and why if not
// obvious).
Result<bool> read_bool(const RawValue& raw) {
    if (raw.json != nullptr) {
        if (const auto* b = raw.json->if_bool()) {
            return success(*b);
        }
        const bool one = (raw.json->is_int64() && raw.json->get_int64() == 1) ||
                         (raw.json->is_uint64() && raw.json->get_uint64() == 1);
        const bool zero = (raw.json->is_int64() && raw.json->get_int64() == 0) ||
                          (raw.json->is_uint64() && raw.json->get_uint64() == 0);
        if (one || zero) {
            return success(one);
        }
    }
    if (const auto t = raw.text()) {
        if (const auto word = parse_bool_word(*t)) {
            return success(*word);
        }
    }
    return failure(std::string(kBoolExpected));
}

// A whole number in [low, high]: a JSON integer, an integral JSON double, or decimal text.
Result<long long> read_whole(const RawValue& raw, long long low, long long high,
                             std::string_view expected) {
    std::optional<long long> number;
    if (raw.json != nullptr && raw.json->is_int64()) {
        number = raw.json->get_int64();
    } else if (raw.json != nullptr && raw.json->is_uint64()) {
        const std::uint64_t u = raw.json->get_uint64();
        if (u <= static_cast<std::uint64_t>(high)) {
            number = static_cast<long long>(u);
        }
    } else if (raw.json != nullptr && raw.json->is_double()) {
        const double d = raw.json->get_double();
        // Range first: only then is the conversion to long long defined.
        if (std::isfinite(d) && std::trunc(d) == d && d >= static_cast<double>(low) &&
            d <= static_cast<double>(high)) {
            number = static_cast<long long>(d);
        }
    } else if (const auto t = raw.text()) {
        const std::string_view digits = trim(*t);
        long long parsed = 0;
        const auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
        if (error == std::errc{} && end == digits.data() + digits.size()) {
            number = parsed;
        }
    }
    if (!number || *number < low || *number > high) {
        return failure(std::string(expected));
    }
    return success(*number);
}

// A whole number from kLow to kHigh, as T.
template <class T, long long kLow, long long kHigh>
Result<T> read_number(const RawValue& raw) {
    const Result<long long> read = read_whole(
        raw, kLow, kHigh,
        "expected a whole number from " + std::to_string(kLow) + " to " + std::to_string(kHigh));
    if (!read) {
        return failure(read.error());
    }
    return success(static_cast<T>(*read));
}

// A whole number of seconds from kLow to kHigh (a whole number of days, named too).
template <long long kLow, long long kHigh>
Result<long long> read_seconds(const RawValue& raw) {
    constexpr long long kDays = kHigh / 86'400;
    return read_whole(raw, kLow, kHigh,
                      "expected a whole number of seconds from " + std::to_string(kLow) + " to " +
                          std::to_string(kHigh) + " (" + std::to_string(kDays) +
                          (kDays == 1 ? " day)" : " days)"));
}

// A finite number of GB >= 0: a JSON number or decimal text.
Result<double> read_gigabytes(const RawValue& raw) {
    std::optional<double> number;
    if (raw.json != nullptr && raw.json->is_int64()) {
        number = static_cast<double>(raw.json->get_int64());
    } else if (raw.json != nullptr && raw.json->is_uint64()) {
        number = static_cast<double>(raw.json->get_uint64());
    } else if (raw.json != nullptr && raw.json->is_double()) {
        number = raw.json->get_double();
    } else if (const auto t = raw.text()) {
        const std::string_view digits = trim(*t);
        double parsed = 0;
        const auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
        if (error == std::errc{} && end == digits.data() + digits.size()) {
            number = parsed;
        }
    }
    if (!number || !std::isfinite(*number) || *number < 0) {
        return failure(std::string("expected a number of GB >= 0 (0 turns notifications off)"));
    }
    return success(*number == 0 ? 0.0 : *number);  // no "-0"
}

Result<std::string> read_string(const RawValue& raw) {
    if (const auto t = raw.text()) {
        return success(std::string(*t));
    }
    return failure(std::string("expected a string"));
}

Result<std::string> read_path(const RawValue& raw) {
    const auto t = raw.text();
    if (!t) {
        return failure(std::string(kSshPathExpected));
    }
    for (const char c : *t) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f || c == ' ' || c == '"' || c == '\'' || c == '\\') {
            return failure(std::string(kSshPathExpected));
        }
    }
    return success(std::string(*t));
}

// until: the text as configured, and the Go duration docker is sent.
Result<void> apply_until(const RawValue& raw, PrunerConfig& c) {
    std::optional<std::string> text = raw.text_or_integer();
    if (!text) {
        return failure(std::string(kUntilExpected) + " (as a string)");
    }
    Result<std::string> go_duration = normalize_until(*text);
    if (!go_duration) {
        return failure(go_duration.error());
    }
    c.until_text = std::move(*text);
    c.until = std::move(*go_duration);
    return {};
}

Result<StrictHostKey> read_strict_host_key(const RawValue& raw) {
    if (const auto t = raw.text()) {
        const std::string word = ascii_lower(trim(*t));
        if (word == "accept-new") {
            return success(StrictHostKey::kAcceptNew);
        }
        if (word == "yes") {
            return success(StrictHostKey::kYes);
        }
        if (word == "no") {
            return success(StrictHostKey::kNo);
        }
    }
    return failure(std::string("expected accept-new, yes or no"));
}

// A byte amount (byte_size.hpp): text, or a whole number of bytes as a JSON number.
template <PercentAllowed kPercent>
Result<ByteSize> read_byte_size(const RawValue& raw) {
    const std::optional<std::string> text = raw.text_or_integer();
    if (!text) {
        return failure(std::string(byte_size_expected(kPercent)));
    }
    return parse_byte_size(*text, kPercent);
}

// One reader's answer stored in one field.
template <auto kRead, auto kField>
Result<void> stored(const RawValue& raw, PrunerConfig& c) {
    auto read = kRead(raw);
    if (!read) {
        return failure(read.error());
    }
    c.*kField = std::move(*read);
    return {};
}

// A value for "using ...": text quoted, `unset` for empty text or no value.
template <class T>
std::string show_value(const T& value, std::string_view unset) {
    if constexpr (std::is_same_v<T, bool>) {
        return value ? "true" : "false";
    } else if constexpr (std::is_same_v<T, double>) {
        return show_number(value);
    } else if constexpr (std::is_integral_v<T>) {
        return std::to_string(value);
    } else if constexpr (std::is_same_v<T, std::string>) {
        return value.empty() ? std::string(unset) : quote_for_message(value);
    } else if constexpr (requires { value.has_value(); }) {
        return value ? show_value(*value, unset) : std::string(unset);
    } else {
        return std::string(to_string(value));  // ByteSize, StrictHostKey
    }
}

template <auto kField>
std::string shown(const PrunerConfig& c, std::string_view unset) {
    return show_value(c.*kField, unset);
}

struct Setting {
    std::string_view env_name;
    // Applies one layer's value to the config, or says what the problem is.
    Result<void> (*apply)(const RawValue& raw, PrunerConfig& config);
    // The setting's current value, for "using ..."; `unset` is shown for no value.
    std::string (*show)(const PrunerConfig& config, std::string_view unset);
    std::string_view unset = {};
};

using C = PrunerConfig;

constexpr std::array<Setting, 19> kSettings = {{
    {"ORCH_BUILD_CACHE_PRUNE_ENABLED", stored<read_bool, &C::enabled>, shown<&C::enabled>},
    {"ORCH_BUILD_CACHE_PRUNE_INTERVAL_S",
     stored<read_seconds<1, kMaxIntervalSeconds>, &C::interval_s>, shown<&C::interval_s>},
    {"ORCH_BUILD_CACHE_PRUNE_UNTIL", apply_until, shown<&C::until_text>},
    {"ORCH_BUILD_CACHE_PRUNE_ALL", stored<read_bool, &C::all>, shown<&C::all>},
    {"ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S", stored<read_seconds<1, kMaxTimeoutSeconds>, &C::timeout_s>,
     shown<&C::timeout_s>},
    {"ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", stored<read_gigabytes, &C::notify_min_gb>,
     shown<&C::notify_min_gb>},
    {"ORCH_DEPLOY_SSH_HOST", stored<read_string, &C::ssh_host>, shown<&C::ssh_host>,
     "no host, so ticks do nothing"},
    {"ORCH_DEPLOY_SSH_USER", stored<read_string, &C::ssh_user>, shown<&C::ssh_user>,
     "no user, so ssh chooses"},
    {"ORCH_DEPLOY_SSH_PORT", stored<read_number<int, 1, 65535>, &C::ssh_port>, shown<&C::ssh_port>,
     "ssh's default port"},
    {"ORCH_DEPLOY_SSH_IDENTITY_FILE", stored<read_path, &C::ssh_identity_file>,
     shown<&C::ssh_identity_file>, "ssh's default keys"},
    {"ORCH_DEPLOY_SSH_KNOWN_HOSTS_FILE", stored<read_path, &C::ssh_known_hosts_file>,
     shown<&C::ssh_known_hosts_file>, "ssh's default known_hosts files"},
    {"ORCH_DEPLOY_SSH_STRICT_HOST_KEY", stored<read_strict_host_key, &C::strict_host_key>,
     shown<&C::strict_host_key>},
    {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", stored<read_byte_size<PercentAllowed::kYes>, &C::min_free>,
     shown<&C::min_free>},
    {"ORCH_BUILD_CACHE_PRUNE_MAX_CACHE", stored<read_byte_size<PercentAllowed::kNo>, &C::max_cache>,
     shown<&C::max_cache>},
    {"ORCH_BUILD_CACHE_PRUNE_RESERVED", stored<read_byte_size<PercentAllowed::kNo>, &C::reserved>,
     shown<&C::reserved>},
    {"ORCH_BUILD_CACHE_PRUNE_CHECK_INTERVAL_S",
     stored<read_seconds<kMinCheckIntervalSeconds, kMaxCheckIntervalSeconds>, &C::check_interval_s>,
     shown<&C::check_interval_s>},
    {"ORCH_BUILD_CACHE_PRUNE_DRY_RUN", stored<read_bool, &C::dry_run>, shown<&C::dry_run>},
    {"ORCH_BUILD_CACHE_PRUNE_PARALLELISM",
     stored<read_number<long long, 1, kMaxParallelism>, &C::parallelism>, shown<&C::parallelism>},
    {"ORCH_BUILD_CACHE_PRUNE_STAGGER_S",
     stored<read_seconds<0, kMaxIntervalSeconds>, &C::stagger_s>, shown<&C::stagger_s>},
}};

// Read by resolve_fleet (fleet.hpp), not by this table: known, so never warned about.
constexpr std::string_view kHostListKey = "deploy_ssh_hosts";

constexpr std::string_view kEnvPrefix = "ORCH_";
constexpr std::string_view kOwnEnvPrefix = "ORCH_BUILD_CACHE_PRUNE_";

// The setting named `env_name`, at compile time: a name that is not in kSettings does not compile
// (the throw is not a constant expression), so no lookup can silently pick another setting.
consteval std::size_t index_of(std::string_view env_name) {
    for (std::size_t i = 0; i < kSettings.size(); ++i) {
        if (kSettings[i].env_name == env_name) {
            return i;
        }
    }
    throw "no setting has this environment name";
}

// index_of finds the first setting of a name, so a second one with it is found as the first.
consteval bool names_are_unique_and_prefixed() {
    for (std::size_t i = 0; i < kSettings.size(); ++i) {
        if (!kSettings[i].env_name.starts_with(kEnvPrefix) ||
            index_of(kSettings[i].env_name) != i) {
            return false;
        }
    }
    return true;
}
static_assert(names_are_unique_and_prefixed(), "each setting has its own ORCH_ variable");
// The names compared by value below are settings too (index_of does not compile otherwise).
static_assert(index_of(kEnabledEnv) == 0 && index_of(kHostEnv) < kSettings.size() &&
              index_of(kUserEnv) < kSettings.size());

// The manifest key of each setting (same order as kSettings), derived once from its variable.
const std::array<std::string, kSettings.size()>& manifest_keys() {
    static const auto keys = [] {
        std::array<std::string, kSettings.size()> derived;
        for (std::size_t i = 0; i < kSettings.size(); ++i) {
            derived[i] = ascii_lower(kSettings[i].env_name.substr(kEnvPrefix.size()));
        }
        return derived;
    }();
    return keys;
}

class Resolver {
  public:
    Resolver() { origins_.fill("the default"); }

    void apply_manifest(const json::object& manifest) {
        for (const auto& entry : manifest) {
            const std::string_view key = entry.key();
            const Setting* setting = nullptr;
            for (std::size_t i = 0; i < kSettings.size(); ++i) {
                if (manifest_keys()[i] == key) {
                    setting = &kSettings[i];
                }
            }
            if (setting == nullptr && key == kHostListKey) {
                continue;
            }
            if (setting == nullptr) {
                std::string known;
                for (const auto& name : manifest_keys()) {
                    known += name + ", ";
                }
                result_.warnings.push_back("manifest config key " + quote_for_message(key) +
                                           " is not known and was ignored; known keys: " + known +
                                           std::string(kHostListKey));
                continue;
            }
            apply(*setting, RawValue{&entry.value(), {}},
                  "manifest config key " + std::string(key));
        }
    }

    void apply_environment(const Environment& env) {
        for (const auto& setting : kSettings) {
            const auto found = env.find(std::string(setting.env_name));
            if (found != env.end()) {
                apply(setting, RawValue{nullptr, found->second},
                      "environment " + std::string(setting.env_name));
            }
        }
        // A misspelt variable would otherwise be silently ignored.
        for (auto it = env.lower_bound(std::string(kOwnEnvPrefix));
             it != env.end() && std::string_view(it->first).starts_with(kOwnEnvPrefix); ++it) {
            bool known = false;
            for (const auto& setting : kSettings) {
                known = known || setting.env_name == it->first;
            }
            if (!known) {
                result_.warnings.push_back("environment " + escape_for_message(it->first) +
                                           " is not a known setting and was ignored");
            }
        }
    }

    ResolvedConfig finish() {
        if (result_.error) {
            result_.config.enabled = false;  // even if another layer said "on": fail closed
        }
        if (result_.config.strict_host_key == StrictHostKey::kNo) {
            result_.warnings.push_back(
                "StrictHostKeyChecking=no (set by " +
                origins_[index_of("ORCH_DEPLOY_SSH_STRICT_HOST_KEY")] +
                "): the docker host's key is not verified, so anyone who can intercept the "
                "connection can pose as the host and receive the prune command; prefer "
                "accept-new or yes");
        }
        return std::move(result_);
    }

  private:
    void apply(const Setting& setting, const RawValue& given, std::string source) {
        const auto text = given.text();
        if (text && trim(*text).empty()) {
            return;  // empty means "not set at this layer" (see config.hpp)
        }
        RawValue raw = given;
        // As the original did (.strip()): an env file's `HOST="h1 "` means h1. Inner whitespace
        // stays invalid (make_ssh_target refuses it).
        if (text && (setting.env_name == kHostEnv || setting.env_name == kUserEnv) &&
            trim(*text) != *text) {
            raw = RawValue{nullptr, trim(*text)};
            result_.warnings.push_back(source + ": value " + given.display() +
                                       " has surrounding whitespace, which was removed; using " +
                                       quote_for_message(trim(*text)));
        }
        const auto index = static_cast<std::size_t>(&setting - kSettings.data());
        const Result<void> applied = setting.apply(raw, result_.config);
        if (applied) {
            origins_[index] = std::move(source);
            return;
        }
        if (setting.env_name == kEnabledEnv) {
            // The kill switch fails closed: a value nobody can read as "on" must not prune.
            result_.config.enabled = false;
            const std::string error = source + ": invalid value " + raw.display() + ": " +
                                      applied.error() +
                                      "; the task is disabled until this is fixed";
            result_.error = result_.error ? *result_.error + "; " + error : error;
            origins_[index] = std::move(source);
            return;
        }
        const std::string& origin = origins_[index];
        result_.warnings.push_back(source + ": invalid value " + raw.display() + ": " +
                                   applied.error() + "; using " +
                                   setting.show(result_.config, setting.unset) + " (" +
                                   (origin == "the default" ? origin : "from " + origin) + ")");
    }

    ResolvedConfig result_;
    std::array<std::string, kSettings.size()> origins_;  // who set each value
};

ResolvedConfig defaults_after_failure(std::string_view what) {
    ResolvedConfig fallback;
    fallback.warnings.push_back("could not read the configuration (" + std::string(what) +
                                "); using the defaults");
    return fallback;
}

}  // namespace

ResolvedConfig resolve_config(const json::object& manifest_config, const Environment& env) {
    try {
        Resolver resolver;
        resolver.apply_manifest(manifest_config);
        resolver.apply_environment(env);
        return resolver.finish();
    } catch (const std::exception& e) {
        return defaults_after_failure(e.what());
    } catch (...) {
        return defaults_after_failure("unknown error");
    }
}

Environment current_environment() {
    Environment env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const std::size_t equals = text.find('=');
        if (equals != std::string_view::npos && equals > 0) {
            env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
        }
    }
    return env;
}

}  // namespace orch::pruner
