// The head of every answer of the /queue server, written as text.
#include "http/response_head.hpp"

#include <gtest/gtest.h>

#include <string>

namespace orch::host {
namespace {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";

TEST(ResponseHead, AKeptAnswerFramedByItsLength) {
    std::string out = "before|";
    append_response_head(out,
                         ResponseHead{false, 200, "OK", kDate, "application/json", 1211, "", true});
    EXPECT_EQ(out,
              "before|HTTP/1.1 200 OK\r\n"
              "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
              "Content-Type: application/json\r\n"
              "Content-Length: 1211\r\n"
              "Cache-Control: no-store\r\n"
              "Connection: keep-alive\r\n"
              "\r\n");
}

TEST(ResponseHead, AClosingHttp10AnswerWithAllow) {
    std::string out;
    append_response_head(out, ResponseHead{true, 405, "Method Not Allowed", kDate,
                                           "application/json", 0, "GET", false});
    EXPECT_EQ(out,
              "HTTP/1.0 405 Method Not Allowed\r\n"
              "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
              "Content-Type: application/json\r\n"
              "Content-Length: 0\r\n"
              "Cache-Control: no-store\r\n"
              "Allow: GET\r\n"
              "Connection: close\r\n"
              "\r\n");
}

TEST(HttpDate, IsTheImfFixdateInGmt) {
    EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(http_date(784111777), kDate);
}

}  // namespace
}  // namespace orch::host
