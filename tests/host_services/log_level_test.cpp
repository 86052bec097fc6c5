#include "log/log_level.hpp"

#include <gtest/gtest.h>

namespace orch::host {
namespace {

TEST(ParseLogLevel, AcceptsTheFourNamesInAnyCase) {
    EXPECT_EQ(parse_log_level("debug"), LogLevel::kDebug);
    EXPECT_EQ(parse_log_level("INFO"), LogLevel::kInfo);
    EXPECT_EQ(parse_log_level("Warning"), LogLevel::kWarning);
    EXPECT_EQ(parse_log_level("warn"), LogLevel::kWarning);
    EXPECT_EQ(parse_log_level("error"), LogLevel::kError);
}

TEST(ParseLogLevel, RejectsEverythingElse) {
    EXPECT_EQ(parse_log_level(""), std::nullopt);
    EXPECT_EQ(parse_log_level("verbose"), std::nullopt);
    EXPECT_EQ(parse_log_level(" info"), std::nullopt);
    EXPECT_EQ(parse_log_level("errors"), std::nullopt);
    EXPECT_EQ(parse_log_level("2"), std::nullopt);
}

TEST(LogLevelName, IsUpperCase) {
    EXPECT_EQ(log_level_name(LogLevel::kDebug), "DEBUG");
    EXPECT_EQ(log_level_name(LogLevel::kInfo), "INFO");
    EXPECT_EQ(log_level_name(LogLevel::kWarning), "WARNING");
    EXPECT_EQ(log_level_name(LogLevel::kError), "ERROR");
}

TEST(LogLevelFromEnv, DefaultsToInfoWhenUnsetOrEmpty) {
    EXPECT_EQ(log_level_from_env({}).level, LogLevel::kInfo);
    EXPECT_TRUE(log_level_from_env({}).problem.empty());
    EXPECT_EQ(log_level_from_env({{"ORCH_LOG_LEVEL", ""}}).level, LogLevel::kInfo);
}

TEST(LogLevelFromEnv, ReadsTheVariable) {
    const LogLevelSetting setting = log_level_from_env({{"ORCH_LOG_LEVEL", "debug"}});
    EXPECT_EQ(setting.level, LogLevel::kDebug);
    EXPECT_TRUE(setting.problem.empty());
}

TEST(LogLevelFromEnv, ABadValueFallsBackToInfoAndSaysWhy) {
    const LogLevelSetting setting = log_level_from_env({{"ORCH_LOG_LEVEL", "verbose"}});
    EXPECT_EQ(setting.level, LogLevel::kInfo);
    EXPECT_NE(setting.problem.find("ORCH_LOG_LEVEL='verbose'"), std::string::npos)
        << setting.problem;
    EXPECT_NE(setting.problem.find("debug, info, warning, error"), std::string::npos)
        << setting.problem;
}

TEST(IsEnabled, ComparesAgainstTheMinimum) {
    EXPECT_TRUE(is_enabled(LogLevel::kError, LogLevel::kWarning));
    EXPECT_TRUE(is_enabled(LogLevel::kWarning, LogLevel::kWarning));
    EXPECT_FALSE(is_enabled(LogLevel::kInfo, LogLevel::kWarning));
    EXPECT_TRUE(is_enabled(LogLevel::kDebug, LogLevel::kDebug));
}

}  // namespace
}  // namespace orch::host
