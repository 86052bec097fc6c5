#pragma once
// Shared helpers for the config tests: resolve from JSON text, and check warnings.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/config.hpp"

namespace orch::pruner::testing {

inline ResolvedConfig resolve(std::string_view manifest_json, const Environment& env = {}) {
    const boost::json::value manifest = boost::json::parse(manifest_json);
    return resolve_config(manifest.as_object(), env);
}

inline ResolvedConfig resolve_env(const Environment& env) {
    return resolve("{}", env);
}

inline std::string all_warnings(const ResolvedConfig& resolved) {
    std::string text;
    for (const auto& warning : resolved.warnings) {
        text += "\n  " + warning;
    }
    return text;
}

inline bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// Asserts that the config resolved without any warning.
inline void expect_no_warnings(const ResolvedConfig& resolved) {
    EXPECT_TRUE(resolved.warnings.empty()) << all_warnings(resolved);
}

// Asserts exactly one warning, which starts with `prefix` and contains every part.
inline void expect_one_warning(const ResolvedConfig& resolved, std::string_view prefix,
                               std::initializer_list<std::string_view> parts = {}) {
    ASSERT_EQ(resolved.warnings.size(), 1U) << all_warnings(resolved);
    const std::string& warning = resolved.warnings.front();
    EXPECT_EQ(warning.rfind(prefix, 0), 0U) << warning;
    for (const auto part : parts) {
        EXPECT_TRUE(contains(warning, part)) << "missing \"" << part << "\" in: " << warning;
    }
}

}  // namespace orch::pruner::testing
