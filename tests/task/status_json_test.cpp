#include "task/status_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace orch::pruner {
namespace {

PrunerStatus one_host() {
    PrunerStatus s;
    s.hosts.emplace_back().key = "ops@build1";
    return s;
}

TEST(StatusJson, ReferenceKeysAlwaysPresentAndNullWhenUnknown) {
    PrunerStatus s = one_host();
    s.interval_s = 21600;
    s.until = "24h";
    const auto v = boost::json::parse(to_json_text(s)).as_object();
    for (const char* key : {"enabled", "interval_s", "until", "all", "last_run_ts",
                            "last_reclaimed_bytes", "last_reclaimed", "last_error"}) {
        EXPECT_TRUE(v.contains(key)) << key;
    }
    EXPECT_TRUE(v.at("last_run_ts").is_null());
    EXPECT_TRUE(v.at("last_error").is_null());
    EXPECT_EQ(v.at("interval_s").as_int64(), 21600);
    EXPECT_EQ(v.at("until").as_string(), "24h");
    EXPECT_EQ(v.at("state").as_string(), "idle");
}

TEST(StatusJson, ValuesRoundTrip) {
    PrunerStatus s = one_host();
    s.state = TaskState::kRunning;  // in flight: shown as pruning
    s.hosts[0].in_flight = true;
    s.hosts[0].last_run_ts = 1800000000.5;
    s.hosts[0].last_reclaimed_bytes = 18'446'744'073'709'551'615u;
    s.hosts[0].last_reclaimed = "17179869184.00 GB";
    s.hosts[0].last_error = "rc=1: \"quoted\"\nnewline";
    s.config_warnings = {"a", "b"};
    s.hosts[0].runs_total = 3;
    const auto v = boost::json::parse(to_json_text(s)).as_object();
    EXPECT_EQ(v.at("state").as_string(), "pruning");
    EXPECT_TRUE(v.at("in_flight").as_bool());
    EXPECT_DOUBLE_EQ(v.at("last_run_ts").as_double(), 1800000000.5);
    EXPECT_EQ(v.at("last_reclaimed_bytes").to_number<std::uint64_t>(), 18'446'744'073'709'551'615u);
    EXPECT_EQ(v.at("last_error").as_string(), "rc=1: \"quoted\"\nnewline");
    EXPECT_EQ(v.at("config_warnings").as_array().size(), 2u);
    EXPECT_EQ(v.at("runs_total").to_number<std::uint64_t>(), 3u);
}

// Issue 8 item 3: whatever bytes a string field holds, the text is valid JSON in UTF-8.
TEST(StatusJson, InvalidUtf8InAnyStringBecomesReplacementCharacters) {
    PrunerStatus s = one_host();
    s.until = "24h";
    s.hosts[0].last_error = "rc=1: Ger\xE4t";
    s.hosts[0].last_note = std::string("cut \xE2\x82");
    s.hosts[0].command = "ssh \xFF";
    s.config_warnings = {"\xC0\xAF"};
    const std::string text = to_json_text(s);
    boost::system::error_code error;
    const auto v = boost::json::parse(text, error);  // Boost.JSON rejects invalid UTF-8
    ASSERT_FALSE(error) << error.message();
    EXPECT_EQ(v.at("last_error").as_string(), "rc=1: Ger\xEF\xBF\xBDt");
    EXPECT_EQ(v.at("last_note").as_string(), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(v.at("command").as_string(), "ssh \xEF\xBF\xBD");
    EXPECT_EQ(v.at("config_warnings").as_array().at(0).as_string(), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(StatusJson, ReclaimedLabelsBothPresent) {
    PrunerStatus s = one_host();
    s.hosts[0].last_reclaimed = "1.12 GB";
    s.hosts[0].last_reclaimed_human = "1.2GB";
    const auto v = boost::json::parse(to_json_text(s)).as_object();
    EXPECT_EQ(v.at("last_reclaimed").as_string(), "1.12 GB");
    EXPECT_EQ(v.at("last_reclaimed_human").as_string(), "1.2GB");
    EXPECT_TRUE(boost::json::parse(to_json_text(one_host()))
                    .as_object()
                    .at("last_reclaimed_human")
                    .is_null());
}

TEST(StatusJson, EveryStateHasAName) {
    for (auto st : {TaskState::kIdle, TaskState::kRunning, TaskState::kPruning, TaskState::kStopped,
                    TaskState::kDisabled}) {
        EXPECT_STRNE(to_string(st), "unknown");
    }
}

}  // namespace
}  // namespace orch::pruner
