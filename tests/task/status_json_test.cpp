#include "task/status_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace orch::pruner {
namespace {

TEST(StatusJson, ReferenceKeysAlwaysPresentAndNullWhenUnknown) {
    PrunerStatus s;
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
    PrunerStatus s;
    s.state = TaskState::kPruning;
    s.in_flight = true;
    s.last_run_ts = 1800000000.5;
    s.last_reclaimed_bytes = 18'446'744'073'709'551'615u;
    s.last_reclaimed = "18.45EB";
    s.last_error = "rc=1: \"quoted\"\nnewline";
    s.config_warnings = {"a", "b"};
    s.runs_total = 3;
    const auto v = boost::json::parse(to_json_text(s)).as_object();
    EXPECT_EQ(v.at("state").as_string(), "pruning");
    EXPECT_TRUE(v.at("in_flight").as_bool());
    EXPECT_DOUBLE_EQ(v.at("last_run_ts").as_double(), 1800000000.5);
    EXPECT_EQ(v.at("last_reclaimed_bytes").to_number<std::uint64_t>(), 18'446'744'073'709'551'615u);
    EXPECT_EQ(v.at("last_error").as_string(), "rc=1: \"quoted\"\nnewline");
    EXPECT_EQ(v.at("config_warnings").as_array().size(), 2u);
    EXPECT_EQ(v.at("runs_total").to_number<std::uint64_t>(), 3u);
}

TEST(StatusJson, EveryStateHasAName) {
    for (auto st : {TaskState::kIdle, TaskState::kRunning, TaskState::kPruning, TaskState::kStopped,
                    TaskState::kDisabled}) {
        EXPECT_STRNE(to_string(st), "unknown");
    }
}

}  // namespace
}  // namespace orch::pruner
