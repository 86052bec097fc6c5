#include "core/fleet_aggregate.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace orch::pruner {
namespace {

HostOutcome ok(std::string key, double ts, std::optional<std::uint64_t> bytes) {
    return HostOutcome{std::move(key), ts, std::nullopt, bytes, false};
}
HostOutcome failed(std::string key, double ts, std::string error,
                   std::optional<std::uint64_t> bytes = std::nullopt) {
    return HostOutcome{std::move(key), ts, std::move(error), bytes, false};
}
HostOutcome never(std::string key) {
    return HostOutcome{std::move(key), std::nullopt, std::nullopt, std::nullopt, false};
}

bool is_valid_utf8(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (c >= 0x80 && c < 0xC2) {
            return false;
        }
        if (i + n > s.size()) {
            return false;
        }
        for (std::size_t k = 1; k < n; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0U) != 0x80U) {
                return false;
            }
        }
        i += n;
    }
    return true;
}

struct Row {
    const char* name;
    std::vector<HostOutcome> hosts;
    std::optional<double> last_run_ts;
    std::optional<std::uint64_t> reclaimed;
    std::optional<std::string> last_error;
    std::size_t failing;
    std::size_t in_flight;
};

TEST(FleetAggregate, Table) {
    HostOutcome running = ok("b", 50, 7);
    running.in_flight = true;
    HostOutcome first_run = never("c");
    first_run.in_flight = true;
    first_run.last_run_ts = 60;
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const Row rows[] = {
        {"no host", {}, std::nullopt, std::nullopt, std::nullopt, 0, 0},
        {"never ran: no time, no size, no error",
         {never("a"), never("b")},
         std::nullopt,
         std::nullopt,
         std::nullopt,
         0,
         0},
        {"all succeeded: latest time, summed sizes",
         {ok("a", 10, 100), ok("b", 30, 20), ok("c", 20, 3)},
         30,
         123,
         std::nullopt,
         0,
         0},
        {"success with unknown size adds nothing and is no failure",
         {ok("a", 10, std::nullopt), ok("b", 5, 4)},
         10,
         4,
         std::nullopt,
         0,
         0},
        {"only unknown sizes: no figure",
         {ok("a", 10, std::nullopt)},
         10,
         std::nullopt,
         std::nullopt,
         0,
         0},
        {"a fleet of one reads as today",
         {failed("a", 10, "rc=255 (ssh failed: connection, authentication or host key): x", 9)},
         10,
         9,
         "rc=255 (ssh failed: connection, authentication or host key): x",
         1,
         0},
        {"failing hosts keep their last successful size, and the summary lists them in order",
         {ok("build-1", 10, 1), ok("build-2", 10, 2), failed("build-3", 40, "timeout after 600s"),
          failed("build-4", 35, "rc=255: refused", 5), never("build-5")},
         40,
         8,
         "2 of 5 hosts failed: build-3: timeout after 600s; build-4: rc=255: refused",
         2,
         0},
        {"in flight: counted, and its previous result still counts",
         {running, first_run, failed("d", 20, "boom")},
         60,
         7,
         "1 of 3 hosts failed: d: boom",
         1,
         2},
        {"sizes saturate", {ok("a", 1, max), ok("b", 1, 5)}, 1, max, std::nullopt, 0, 0},
        {"an error is made one line",
         {failed("a", 1, "line 1\nline 2\x01"), ok("b", 1, 0)},
         1,
         0,
         "1 of 2 hosts failed: a: line 1 line 2 ",
         1,
         0},
    };
    for (const Row& row : rows) {
        const FleetAggregate a = aggregate_fleet(row.hosts);
        EXPECT_EQ(a.hosts_total, row.hosts.size()) << row.name;
        EXPECT_EQ(a.last_run_ts, row.last_run_ts) << row.name;
        EXPECT_EQ(a.last_reclaimed_bytes, row.reclaimed) << row.name;
        EXPECT_EQ(a.last_error, row.last_error) << row.name;
        EXPECT_EQ(a.hosts_failing, row.failing) << row.name;
        EXPECT_EQ(a.in_flight_total, row.in_flight) << row.name;
    }
}

TEST(FleetAggregate, LongSummaryIsCutAtWholeHostsWithACount) {
    std::vector<HostOutcome> hosts;
    for (int i = 0; i < 1000; ++i) {
        hosts.push_back(failed("build-" + std::to_string(i), 1,
                               "rc=255 (ssh failed: connection, authentication or host key): "
                               "ssh: connect to host port 22: Connection refused"));
    }
    const FleetAggregate a = aggregate_fleet(hosts);
    ASSERT_TRUE(a.last_error);
    const std::string& text = *a.last_error;
    EXPECT_LE(text.size(), kMaxFleetErrorBytes);
    EXPECT_EQ(text.rfind("1000 of 1000 hosts failed: build-0: rc=255", 0), 0U) << text;
    // Whole hosts only: the text ends right after a host's error, with the rest counted.
    const std::size_t more = text.rfind("; and ");
    ASSERT_NE(more, std::string::npos);
    EXPECT_EQ(text.substr(more - 18, 18), "Connection refused");
    std::size_t listed = 0;
    for (std::size_t at = text.find("build-"); at != std::string::npos;
         at = text.find("build-", at + 1)) {
        ++listed;
    }
    EXPECT_EQ(text.substr(more), "; and " + std::to_string(1000 - listed) + " more");
}

TEST(FleetAggregate, EachHostsErrorIsBoundedOnUtf8Boundaries) {
    std::string euros;
    for (int i = 0; i < 200; ++i) {
        euros += "\xE2\x82\xAC";  // 3 bytes each: a 200-byte cut falls inside one
    }
    const FleetAggregate a = aggregate_fleet(
        std::vector<HostOutcome>{failed("a", 1, euros), failed("b", 1, "\xFF\xFE bad bytes")});
    ASSERT_TRUE(a.last_error);
    EXPECT_TRUE(is_valid_utf8(*a.last_error));
    EXPECT_LE(a.last_error->size(), kMaxFleetErrorBytes);
    const std::string a_part = a.last_error->substr(0, a.last_error->find("; b: "));
    EXPECT_EQ(a_part, "2 of 2 hosts failed: a: " + euros.substr(0, 195) + "...");
    EXPECT_NE(a.last_error->find("; b: \xEF\xBF\xBD\xEF\xBF\xBD bad bytes"), std::string::npos);
}

TEST(RoundNotification, NothingOverTheThresholdIsNoMessage) {
    EXPECT_EQ(round_notification_text({}, "24h"), std::nullopt);
}

TEST(RoundNotification, OneHostReadsAsToday) {
    const std::vector<RoundReclaim> one = {{"build-1", 12'000'000'000}};
    EXPECT_EQ(round_notification_text(one, "24h"),
              "\xF0\x9F\xA7\xB9 build-cache-pruner: reclaimed 12GB of docker build cache on "
              "build-1 (until=24h)");
}

TEST(RoundNotification, SeveralHostsInOneMessageLargestFirst) {
    const std::vector<RoundReclaim> hosts = {{"build-1", 12'000'000'000},
                                             {"build-2", 15'000'000'000},
                                             {"build-7", 3'000'000'000},
                                             {"build-8", 3'000'000'000}};
    EXPECT_EQ(round_notification_text(hosts, "24h"),
              "\xF0\x9F\xA7\xB9 build-cache-pruner: reclaimed 33GB of docker build cache on 4 "
              "hosts (until=24h): build-2 15GB, build-1 12GB, build-7 3GB, build-8 3GB");
}

TEST(RoundNotification, BoundedWithACountOfTheHostsLeftOut) {
    std::vector<RoundReclaim> hosts;
    for (int i = 0; i < 1000; ++i) {
        hosts.push_back({"build-host-" + std::to_string(i), 2'000'000'000});
    }
    const std::optional<std::string> text = round_notification_text(hosts, "24h");
    ASSERT_TRUE(text);
    EXPECT_LE(text->size(), kMaxRoundNotificationBytes);
    EXPECT_NE(text->find("reclaimed 2TB of docker build cache on 1000 hosts"), std::string::npos)
        << *text;
    const std::size_t more = text->rfind(", and ");
    ASSERT_NE(more, std::string::npos);
    std::size_t listed = 0;
    for (std::size_t at = text->find("build-host-"); at != std::string::npos;
         at = text->find("build-host-", at + 1)) {
        ++listed;
    }
    EXPECT_GT(listed, 10U);
    EXPECT_EQ(text->substr(more), ", and " + std::to_string(1000 - listed) + " more");
}

}  // namespace
}  // namespace orch::pruner
