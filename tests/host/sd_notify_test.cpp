// NOTIFY_SOCKET parsing as a table: what systemd may hand over, what must be refused.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "app/sd_notify.hpp"

namespace orch::host {
namespace {

std::string path_of(const NotifyAddress& a) {
    const auto used = static_cast<std::size_t>(a.length) - offsetof(sockaddr_un, sun_path);
    return std::string(a.address.sun_path, used);
}

TEST(NotifySocket, AnAbsolutePathKeepsItsTerminatingNul) {
    const auto parsed = parse_notify_socket("/run/systemd/notify");
    ASSERT_TRUE(parsed.has_value()) << parsed.error();
    EXPECT_EQ(parsed->address.sun_family, AF_UNIX);
    EXPECT_EQ(path_of(*parsed), std::string("/run/systemd/notify\0", 20));
}

TEST(NotifySocket, AnAtNameIsAnAbstractSocketWithoutTerminator) {
    const auto parsed = parse_notify_socket("@orch/notify");
    ASSERT_TRUE(parsed.has_value()) << parsed.error();
    EXPECT_EQ(path_of(*parsed), std::string("\0orch/notify", 12));
}

TEST(NotifySocket, RefusesWhatIsNotASocketAddress) {
    const std::string too_long_path = "/" + std::string(sizeof(sockaddr_un{}.sun_path) - 1, 'x');
    const std::string longest_abstract = "@" + std::string(sizeof(sockaddr_un{}.sun_path) - 1, 'x');
    struct Row {
        std::string value;
        std::string error_part;
    };
    for (const Row& row :
         {Row{"", "expected an absolute path"}, Row{"relative/notify", "expected an absolute path"},
          Row{std::string("/run/a\0b", 8), "NUL byte"}, Row{too_long_path, "longer than 107 bytes"},
          Row{longest_abstract + "y", "longer than 108 bytes"}}) {
        const auto parsed = parse_notify_socket(row.value);
        EXPECT_FALSE(parsed.has_value()) << row.value;
        EXPECT_NE(parsed.error().find(row.error_part), std::string::npos) << parsed.error();
        EXPECT_NE(parsed.error().find("NOTIFY_SOCKET"), std::string::npos) << parsed.error();
    }
    EXPECT_TRUE(parse_notify_socket(longest_abstract).has_value());
    EXPECT_TRUE(parse_notify_socket(too_long_path.substr(1)).error().size());    // relative
    EXPECT_TRUE(parse_notify_socket(too_long_path.substr(0, 107)).has_value());  // longest path
}

TEST(NotifySocket, NothingIsSentWithoutNotifySocket) {
    EXPECT_EQ(notify_service_manager({}, "READY=1"), std::nullopt);
    EXPECT_EQ(notify_service_manager({{"NOTIFY_SOCKET", ""}}, "READY=1"), std::nullopt);
}

TEST(NotifySocket, ASocketNobodyListensOnIsAnErrorNamingIt) {
    const auto error =
        notify_service_manager({{"NOTIFY_SOCKET", "/nonexistent/orch-notify"}}, "READY=1");
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("'READY=1'"), std::string::npos) << *error;
    EXPECT_NE(error->find("/nonexistent/orch-notify"), std::string::npos) << *error;
}

}  // namespace
}  // namespace orch::host
