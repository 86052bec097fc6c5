// The GET /queue document from snapshots: keys, values, and bad plugin statuses contained.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "queue/queue_json.hpp"

namespace orch::host {
namespace {

namespace json = boost::json;

PluginSnapshot snapshot(const std::string& id, PluginState state, std::optional<std::string> status,
                        std::string error = {}) {
    return PluginSnapshot{id,    id + "_q",        status ? "1.2.3" : "", false,
                          state, std::move(error), std::move(status)};
}

json::object render(const std::vector<PluginSnapshot>& plugins) {
    return json::parse(render_queue_json(plugins)).as_object();
}

TEST(QueueJson, HasTheSimulatedQueueBlockAndAnEmptyPluginList) {
    const auto doc = render({});
    EXPECT_EQ(json::serialize(doc),
              R"({"queue":{"pending":0,"running":0,"simulated":true},"plugins":[]})");
}

TEST(QueueJson, ListsPluginsInOrderAndPutsStatusUnderQueueKey) {
    const auto doc = render({snapshot("a", PluginState::kRunning, R"({"enabled":true,"n":1})"),
                             snapshot("b", PluginState::kStopped, R"({"enabled":true})")});
    const auto& plugins = doc.at("plugins").as_array();
    ASSERT_EQ(plugins.size(), 2U);
    EXPECT_EQ(
        json::serialize(plugins[0]),
        R"({"id":"a","version":"1.2.3","state":"running","error":null,"queue_key":"a_q","required":false})");
    EXPECT_EQ(plugins[1].at("state"), "stopped");
    EXPECT_EQ(json::serialize(doc.at("a_q")), R"({"enabled":true,"n":1})");
    EXPECT_EQ(json::serialize(doc.at("b_q")), R"({"enabled":true})");
}

TEST(QueueJson, ADisabledPluginShowsEnabledFalseAtItsKey) {
    const auto doc = render({snapshot("d", PluginState::kDisabled, std::nullopt)});
    EXPECT_EQ(json::serialize(doc.at("d_q")), R"({"enabled":false})");
    EXPECT_EQ(doc.at("plugins").as_array()[0].at("state"), "disabled");
    EXPECT_TRUE(doc.at("plugins").as_array()[0].at("version").is_null());
}

TEST(QueueJson, APluginThatFailedToLoadShowsItsError) {
    const auto doc = render({snapshot("f", PluginState::kFailed, std::nullopt, "library missing")});
    EXPECT_EQ(json::serialize(doc.at("f_q")), R"({"error":"library missing"})");
    EXPECT_EQ(doc.at("plugins").as_array()[0].at("error"), "library missing");
}

TEST(QueueJson, AStartFailureKeepsThePluginsOwnStatus) {
    const auto doc =
        render({snapshot("s", PluginState::kFailed, R"({"enabled":true})", "start() threw: boom")});
    EXPECT_EQ(json::serialize(doc.at("s_q")), R"({"enabled":true})");
    EXPECT_EQ(doc.at("plugins").as_array()[0].at("error"), "start() threw: boom");
}

TEST(QueueJson, InvalidStatusJsonBecomesAnErrorAndTheRestSurvives) {
    const auto doc = render({snapshot("bad", PluginState::kRunning, "this is {not JSON"),
                             snapshot("arr", PluginState::kRunning, "[1,2]"),
                             snapshot("ok", PluginState::kRunning, R"({"enabled":true})")});
    const std::string bad = std::string(doc.at("bad_q").at("error").as_string());
    EXPECT_NE(bad.find("status() of plugin 'bad' returned invalid JSON"), std::string::npos) << bad;
    EXPECT_NE(bad.find("this is {not JSON"), std::string::npos) << bad;
    EXPECT_NE(std::string(doc.at("arr_q").at("error").as_string())
                  .find("returned JSON that is not an object: [1,2]"),
              std::string::npos);
    EXPECT_EQ(json::serialize(doc.at("ok_q")), R"({"enabled":true})");
}

TEST(QueueJson, QuotesOnlyThePrefixOfAHugeBadStatus) {
    const auto doc = render({snapshot("big", PluginState::kRunning, std::string(100000, 'x'))});
    EXPECT_LT(doc.at("big_q").at("error").as_string().size(), 400U);
}

TEST(QueueJson, EscapesPluginTextsIntoValidJson) {
    const auto doc = render({snapshot("q", PluginState::kFailed, std::nullopt,
                                      "quote \" backslash \\ newline \n ctrl \x01")});
    EXPECT_EQ(doc.at("q_q").at("error"), "quote \" backslash \\ newline \n ctrl \x01");
}

// What a remote peer or a buggy plugin sends is not necessarily UTF-8; the response must be.
TEST(QueueJson, AStatusWithLatin1BytesIsKeptWithReplacementCharacters) {
    const std::string text = render_queue_json(
        {snapshot("a", PluginState::kRunning, "{\"last_error\":\"rc=1: Ger\xE4t\"}")});
    const auto doc = json::parse(text).as_object();  // Boost.JSON refuses invalid UTF-8
    EXPECT_EQ(doc.at("a_q").at("last_error"), "rc=1: Ger\xEF\xBF\xBDt");
}

TEST(QueueJson, AnInvalidStatusIsQuotedWithoutCuttingACharacter) {
    // Not JSON, and a two-byte character straddles the 200-byte quoting limit.
    const std::string status = "not json " + std::string(190, 'x') + "\xC3\xA4 and more";
    ASSERT_EQ(status.size() > 200, true);
    const std::string text =
        render_queue_json({snapshot("a", PluginState::kRunning, status),
                           snapshot("b", PluginState::kRunning, R"({"ok":true})")});
    const auto doc = json::parse(text).as_object();
    const std::string error(doc.at("a_q").at("error").as_string());
    EXPECT_NE(error.find("returned invalid JSON"), std::string::npos) << error;
    EXPECT_EQ(error.find("\xC3"), std::string::npos) << "half a character was quoted";
    EXPECT_EQ(doc.at("b_q").at("ok"), true);  // one bad plugin leaves the others alone
}

TEST(QueueJson, BytesFromManifestsAndErrorsComeOutAsValidUtf8) {
    auto failed = snapshot("a", PluginState::kFailed, std::nullopt,
                           "plugin 'a' (manifest caf\xE9.json, library lib\xFF.so): missing");
    const std::string text =
        render_queue_json({failed}, boost::json::object{{"last_error", "\xC0"}});
    const auto doc = json::parse(text).as_object();
    EXPECT_EQ(doc.at("plugins").as_array().at(0).at("error"),
              "plugin 'a' (manifest caf\xEF\xBF\xBD.json, library lib\xEF\xBF\xBD.so): missing");
    EXPECT_EQ(doc.at("host").at("notifier").at("last_error"), "\xEF\xBF\xBD");
}

// Each thread reuses its last page for identical inputs: a changed status, state or error, and
// a return to the first inputs, each give their own page.
TEST(QueueJson, ThePageFollowsItsInputsWhenTheyChangeAndComeBack) {
    const std::vector<PluginSnapshot> first{
        snapshot("a", PluginState::kRunning, R"({"enabled":true,"n":1})")};
    std::vector<PluginSnapshot> changed = first;
    changed[0].status_text = R"({"enabled":true,"n":2})";
    std::vector<PluginSnapshot> failed = first;
    failed[0].state = PluginState::kFailed;
    failed[0].error = "start() threw";

    EXPECT_EQ(render(first).at("a_q").at("n"), 1);
    EXPECT_EQ(render(first).at("a_q").at("n"), 1);
    EXPECT_EQ(render(changed).at("a_q").at("n"), 2);
    const auto doc = render(failed);
    EXPECT_EQ(doc.at("plugins").at(0).at("state"), "failed");
    EXPECT_EQ(doc.at("plugins").at(0).at("error"), "start() threw");
    EXPECT_EQ(render(first).at("a_q").at("n"), 1);
    EXPECT_EQ(render(first).at("plugins").at(0).at("error"), nullptr);
    json::object notifier{{"sent", 3}};
    EXPECT_EQ(json::parse(render_queue_json(first, notifier)).at("host").at("notifier").at("sent"),
              3);
    notifier["sent"] = 4;
    EXPECT_EQ(json::parse(render_queue_json(first, notifier)).at("host").at("notifier").at("sent"),
              4);
}

}  // namespace
}  // namespace orch::host
