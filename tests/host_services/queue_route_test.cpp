#include "http/queue_route.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace orch::host {
namespace {

TEST(RouteQueueRequest, GetQueueRendersIgnoringTheQuery) {
    EXPECT_EQ(route_queue_request("GET", "/queue"), QueueRoute::kRenderQueue);
    EXPECT_EQ(route_queue_request("GET", "/queue?pretty=1"), QueueRoute::kRenderQueue);
}

TEST(RouteQueueRequest, OtherMethodsOnQueueAreNotAllowed) {
    for (const char* method : {"POST", "PUT", "DELETE", "HEAD", "PATCH", "get"}) {
        EXPECT_EQ(route_queue_request(method, "/queue"), QueueRoute::kMethodNotAllowed) << method;
    }
}

TEST(RouteQueueRequest, GetMetricsRendersIgnoringTheQuery) {
    EXPECT_EQ(route_queue_request("GET", "/metrics"), QueueRoute::kRenderMetrics);
    EXPECT_EQ(route_queue_request("GET", "/metrics?x=1"), QueueRoute::kRenderMetrics);
    for (const char* method : {"POST", "HEAD", "get"}) {
        EXPECT_EQ(route_queue_request(method, "/metrics"), QueueRoute::kMethodNotAllowed) << method;
    }
    for (const char* path : {"/metrics/", "/Metrics", "/metric", "/metrics/x"}) {
        EXPECT_EQ(route_queue_request("GET", path), QueueRoute::kNotFound) << path;
    }
}

TEST(RouteQueueRequest, OtherPathsAreNotFoundWhateverTheMethod) {
    for (const char* path : {"/", "/queue/", "/queues", "/Queue", "", "/queue/x", "//queue"}) {
        EXPECT_EQ(route_queue_request("GET", path), QueueRoute::kNotFound) << path;
    }
    EXPECT_EQ(route_queue_request("POST", "/other"), QueueRoute::kNotFound);
}

TEST(JsonErrorBody, IsAJsonObjectWithErrorAndStatus) {
    const auto body = boost::json::parse(json_error_body(404, "no \"such\" path")).as_object();
    EXPECT_EQ(body.at("error").as_string(), "no \"such\" path");
    EXPECT_EQ(body.at("status").as_int64(), 404);
}

}  // namespace
}  // namespace orch::host
