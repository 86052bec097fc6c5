#pragma once
// A local stand-in for api.telegram.org: a real Poco HTTP(S) server on 127.0.0.1:0 that records
// every request and answers with a configurable status and body. Replies can be held back to
// keep the notifier's request in flight.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>

namespace orch::host::testing {

struct RecordedRequest {
    std::string method;
    std::string uri;
    std::string content_type;
    std::string body;
};

class FakeTelegramServer {
  public:
    // Plain HTTP, or HTTPS when a server TLS context is given.
    explicit FakeTelegramServer(Poco::Net::Context::Ptr tls = nullptr);
    ~FakeTelegramServer();
    FakeTelegramServer(const FakeTelegramServer&) = delete;
    FakeTelegramServer& operator=(const FakeTelegramServer&) = delete;

    // "http://127.0.0.1:<port>" (or https).
    std::string base_url() const;

    // Answer every following request with this status and body (default 200 {"ok":true,...}).
    void reply_with(int status, std::string body);
    // Hold every following reply until release(); requests are still recorded on arrival.
    void hold_replies();
    void release_replies();

    // Waits until at least `count` requests have arrived.
    bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;
    std::vector<RecordedRequest> requests() const;

    // Called by the request handler.
    struct Reply {
        int status;
        std::string body;
    };
    Reply record_and_answer(RecordedRequest request);

  private:
    struct Server;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<RecordedRequest> requests_;
    int status_ = 200;
    std::string body_ = R"({"ok":true,"result":{"message_id":1}})";
    bool holding_ = false;
    bool https_ = false;
    std::unique_ptr<Server> server_;
};

}  // namespace orch::host::testing
