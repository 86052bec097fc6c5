#pragma once
// One sendMessage POST over HTTP or HTTPS (Poco), with bounded timeouts and no exceptions.
#include <chrono>
#include <memory>
#include <string_view>

#include "notify/inflight_abort.hpp"
#include "notify/telegram_config.hpp"
#include "notify/telegram_message.hpp"

namespace orch::host {

struct HttpTimeouts {
    std::chrono::milliseconds connect{10'000};
    std::chrono::milliseconds send{10'000};
    std::chrono::milliseconds receive{10'000};
};

class TelegramClient {
  public:
    // Sets up TLS (system CAs plus config.ca_file, peer and host name verified, TLS >= 1.2) for
    // an https endpoint. Throws std::runtime_error, without the token, if that fails.
    explicit TelegramClient(TelegramConfig config);
    ~TelegramClient();
    TelegramClient(const TelegramClient&) = delete;
    TelegramClient& operator=(const TelegramClient&) = delete;

    // Never throws. The outcome's description may quote the peer's answer; callers must still
    // redact the token before logging it.
    SendOutcome send(std::string_view text, const HttpTimeouts& timeouts,
                     InflightAbort& abort) const noexcept;

  private:
    struct Tls;
    TelegramConfig config_;
    std::unique_ptr<Tls> tls_;
};

}  // namespace orch::host
