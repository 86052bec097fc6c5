#pragma once
// The INotifier the host lends plugins: Telegram sendMessage, delivered by one owned worker thread
// from a bounded queue, so notify() never waits for the network and never throws.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <boost/json/object.hpp>

#include "notify/inflight_abort.hpp"
#include "notify/telegram_config.hpp"
#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

class TelegramClient;

struct TelegramNotifierOptions {
    std::size_t queue_capacity = 100;  // at least 1; when full the oldest message is dropped
    std::chrono::milliseconds request_timeout{10'000};  // connect, send and receive each
    // stop() delivers what is queued until this much time has passed, then abandons the rest
    // and cuts off a request still in flight.
    std::chrono::milliseconds drain_deadline{5'000};
};

struct NotifierCounters {
    std::uint64_t sent = 0;
    std::uint64_t failed = 0;   // delivery attempted and not accepted by Telegram
    std::uint64_t dropped = 0;  // never attempted: queue full, after stop, or past the deadline
    std::size_t queued = 0;
    std::size_t in_flight = 0;  // taken from the queue, outcome not known yet (0 or 1)
};

class TelegramNotifier final : public plugin_api::INotifier {
  public:
    // Never throws for configuration problems: they are logged (without the token) and the
    // notifier then only logs messages. `logger` must outlive the notifier.
    TelegramNotifier(TelegramConfig config, plugin_api::ILogger& logger,
                     TelegramNotifierOptions options = {});
    ~TelegramNotifier() override;  // stop()
    TelegramNotifier(const TelegramNotifier&) = delete;
    TelegramNotifier& operator=(const TelegramNotifier&) = delete;

    // Queues the message (or, when not configured, logs it at info). Never blocks on I/O.
    void notify(std::string_view text) noexcept override;

    // Waits until every message queued so far has been attempted (queue empty, nothing in
    // flight) or `timeout` has passed; true when idle. Messages keep being accepted meanwhile.
    // For --once, which reports the outcome of the notifications its tick queued.
    bool wait_idle(std::chrono::milliseconds timeout) const;

    // Stops accepting, delivers the queue within the drain deadline, joins the worker.
    // Idempotent and safe to call from several threads.
    void stop() noexcept;

    bool configured() const noexcept { return client_ != nullptr; }
    NotifierCounters counters() const;

    // For GET /queue: configured, api_base, chat_id (masked), accepting, queued, in_flight,
    // queue_capacity, sent, failed, dropped, last_error, problems. Never contains the token.
    boost::json::object status_json() const;

  private:
    using Clock = std::chrono::steady_clock;

    void worker_loop() noexcept;
    void deliver(const std::string& text, std::optional<Clock::time_point> deadline) noexcept;
    void log(plugin_api::LogLevel level, std::string_view message) const noexcept;
    // The part of status_json() that cannot change after construction (configured, api_base,
    // chat_id, problems): built on the first call only, as GET /queue asks for it every time.
    const boost::json::object& fixed_status() const;

    const TelegramConfig config_;
    const TelegramNotifierOptions options_;
    plugin_api::ILogger& logger_;
    std::unique_ptr<TelegramClient> client_;  // null when not configured
    std::string setup_error_;                 // why client_ is null despite a full config

    mutable std::mutex mutex_;
    std::condition_variable wake_;          // worker: work queued or stop requested
    std::condition_variable worker_done_;   // stop(): worker has exited
    mutable std::condition_variable idle_;  // wait_idle(): a delivery ended
    std::deque<std::string> queue_;
    bool accepting_ = true;
    bool stopping_ = false;
    bool worker_finished_ = false;
    bool delivering_ = false;  // a message has left the queue and its outcome is not counted yet
    Clock::time_point drain_deadline_{};
    NotifierCounters counters_;
    std::string last_error_;

    mutable std::once_flag fixed_status_once_;
    mutable boost::json::object fixed_status_;  // set once, under fixed_status_once_

    InflightAbort inflight_;
    std::mutex stop_mutex_;  // serialises stop() callers around join()
    std::thread worker_;
};

}  // namespace orch::host
