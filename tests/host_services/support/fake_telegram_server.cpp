#include "support/fake_telegram_server.hpp"

#include <istream>
#include <iterator>
#include <utility>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

namespace orch::host::testing {

namespace {

// Held replies give up after this long so a failing test cannot hang the suite.
constexpr std::chrono::seconds kHoldLimit{30};

class RecordingHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    explicit RecordingHandler(FakeTelegramServer& owner) : owner_(owner) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        RecordedRequest recorded;
        recorded.method = request.getMethod();
        recorded.uri = request.getURI();
        recorded.content_type = request.getContentType();
        recorded.body.assign(std::istreambuf_iterator<char>(request.stream()),
                             std::istreambuf_iterator<char>());
        const FakeTelegramServer::Reply reply = owner_.record_and_answer(std::move(recorded));
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
        response.setContentType("application/json");
        response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
        response.sendBuffer(reply.body.data(), reply.body.size());
    }

  private:
    FakeTelegramServer& owner_;
};

class RecordingHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit RecordingHandlerFactory(FakeTelegramServer& owner) : owner_(owner) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new RecordingHandler(owner_);
    }

  private:
    FakeTelegramServer& owner_;
};

Poco::Net::ServerSocket make_socket(const Poco::Net::Context::Ptr& tls) {
    const Poco::Net::SocketAddress loopback("127.0.0.1", 0);
    if (tls) {
        return Poco::Net::SecureServerSocket(loopback, 64, tls);
    }
    return Poco::Net::ServerSocket(loopback);
}

}  // namespace

struct FakeTelegramServer::Server {
    Server(FakeTelegramServer& owner, const Poco::Net::Context::Ptr& tls)
        : socket(make_socket(tls)),
          pool("fake-telegram", 1, 4),
          http(new RecordingHandlerFactory(owner), pool, socket, new Poco::Net::HTTPServerParams) {
        http.start();
    }
    ~Server() {
        http.stopAll(true);
        pool.joinAll();
    }

    Poco::Net::ServerSocket socket;
    Poco::ThreadPool pool;
    Poco::Net::HTTPServer http;
};

FakeTelegramServer::FakeTelegramServer(Poco::Net::Context::Ptr tls)
    : https_(tls != nullptr), server_(std::make_unique<Server>(*this, tls)) {}

FakeTelegramServer::~FakeTelegramServer() {
    release_replies();
    server_.reset();
}

std::string FakeTelegramServer::base_url() const {
    return std::string(https_ ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(server_->socket.address().port());
}

void FakeTelegramServer::reply_with(int status, std::string body) {
    const std::lock_guard lock(mutex_);
    status_ = status;
    body_ = std::move(body);
}

void FakeTelegramServer::hold_replies() {
    const std::lock_guard lock(mutex_);
    holding_ = true;
}

void FakeTelegramServer::release_replies() {
    {
        const std::lock_guard lock(mutex_);
        holding_ = false;
    }
    changed_.notify_all();
}

bool FakeTelegramServer::wait_for_requests(std::size_t count,
                                           std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

std::vector<RecordedRequest> FakeTelegramServer::requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
}

FakeTelegramServer::Reply FakeTelegramServer::record_and_answer(RecordedRequest request) {
    std::unique_lock lock(mutex_);
    requests_.push_back(std::move(request));
    changed_.notify_all();
    changed_.wait_for(lock, kHoldLimit, [this] { return !holding_; });
    return {status_, body_};
}

}  // namespace orch::host::testing
