#include "notify/telegram_client.hpp"

#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>

#include <Poco/Crypto/OpenSSLInitializer.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Timespan.h>

namespace orch::host {

namespace {

// Telegram answers with a few hundred bytes; anything bigger is not worth holding in memory.
constexpr std::size_t kMaxResponseBytes = 64 * 1024;

Poco::Timespan to_timespan(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

std::string read_capped(std::istream& in) {
    std::string body;
    char buffer[4096];
    while (body.size() < kMaxResponseBytes && in.read(buffer, sizeof buffer).gcount() > 0) {
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
    if (body.size() > kMaxResponseBytes) {
        body.resize(kMaxResponseBytes);
    }
    return body;
}

// Keeps the socket published for abort() exactly while the session that owns it is alive.
class PublishedSocket {
  public:
    PublishedSocket(InflightAbort& abort, int fd) : abort_(abort) { abort_.publish(fd); }
    ~PublishedSocket() { abort_.withdraw(); }
    PublishedSocket(const PublishedSocket&) = delete;
    PublishedSocket& operator=(const PublishedSocket&) = delete;

  private:
    InflightAbort& abort_;
};

}  // namespace

struct TelegramClient::Tls {
    Poco::Crypto::OpenSSLInitializer openssl;
    Poco::Net::Context::Ptr context;
};

TelegramClient::TelegramClient(TelegramConfig config) : config_(std::move(config)) {
    if (!config_.endpoint.https) {
        return;
    }
    auto tls = std::make_unique<Tls>();
    try {
        Poco::Net::Context::Params params;
        params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;  // client: verify the peer
        params.loadDefaultCAs = true;
        params.caLocation = config_.ca_file;
        tls->context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
        tls->context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        tls->context->enableExtendedCertificateVerification(true);  // host name must match
    } catch (const Poco::Exception& e) {
        throw std::runtime_error(
            "cannot set up TLS for " + api_base_display(config_.endpoint) +
            (config_.ca_file.empty() ? "" : " with CA file '" + config_.ca_file + "'") + ": " +
            e.displayText());
    }
    tls_ = std::move(tls);
}

TelegramClient::~TelegramClient() = default;

SendOutcome TelegramClient::send(std::string_view text, const HttpTimeouts& timeouts,
                                 InflightAbort& abort) const noexcept {
    try {
        const TelegramEndpoint& endpoint = config_.endpoint;
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (endpoint.https) {
            session = std::make_unique<Poco::Net::HTTPSClientSession>(endpoint.host, endpoint.port,
                                                                      tls_->context);
        } else {
            session = std::make_unique<Poco::Net::HTTPClientSession>(endpoint.host, endpoint.port);
        }
        session->setTimeout(to_timespan(timeouts.connect), to_timespan(timeouts.send),
                            to_timespan(timeouts.receive));
        session->setKeepAlive(false);

        const std::string body = send_message_body(config_.chat_id, text);
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                       send_message_path(config_),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        request.set("User-Agent", "orch-host-stub");

        std::ostream& out = session->sendRequest(request);
        const PublishedSocket published(abort, session->socket().impl()->sockfd());
        out << body;
        out.flush();

        Poco::Net::HTTPResponse response;
        std::istream& in = session->receiveResponse(response);
        const std::string reply = read_capped(in);
        return interpret_send_message_response(static_cast<int>(response.getStatus()),
                                               response.getReason(), reply);
    } catch (const Poco::Exception& e) {
        if (abort.aborted()) {
            return {false, "aborted at the shutdown deadline (" + e.displayText() + ")"};
        }
        return {false, e.displayText()};
    } catch (const std::exception& e) {
        return {false, e.what()};
    } catch (...) {
        return {false, "unknown error"};
    }
}

}  // namespace orch::host
