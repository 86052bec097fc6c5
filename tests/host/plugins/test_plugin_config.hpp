#pragma once
// Reading the few config keys the test plugins take, and appending a line to a file.
#include <fstream>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace orch::test_plugins {

// The string at `key` of a JSON object text, or "" when absent or not a string.
inline std::string config_string(const std::string& config_json, const char* key) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(config_json, ec);
    if (ec || !v.is_object()) {
        return {};
    }
    const auto* found = v.get_object().if_contains(key);
    return (found != nullptr && found->is_string()) ? std::string(found->get_string()) : "";
}

// The boolean at `key`, or `fallback`.
inline bool config_bool(const std::string& config_json, const char* key, bool fallback) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(config_json, ec);
    if (ec || !v.is_object()) {
        return fallback;
    }
    const auto* found = v.get_object().if_contains(key);
    return (found != nullptr && found->is_bool()) ? found->get_bool() : fallback;
}

inline void append_line(const std::string& path, const std::string& line) {
    if (path.empty()) {
        return;
    }
    std::ofstream out(path, std::ios::app);
    out << line << '\n';
}

}  // namespace orch::test_plugins
