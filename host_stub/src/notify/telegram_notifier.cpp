#include "notify/telegram_notifier.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include <boost/json/array.hpp>

#include "log/safe_log.hpp"
#include "notify/telegram_client.hpp"
#include "notify/telegram_message.hpp"
#include "text/utf8_text.hpp"

namespace orch::host {

using plugin_api::LogLevel;

namespace {

std::chrono::milliseconds remaining_until(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return std::max(left, std::chrono::milliseconds(1));
}

}  // namespace

TelegramNotifier::TelegramNotifier(TelegramConfig config, plugin_api::ILogger& logger,
                                   TelegramNotifierOptions options)
    : config_(std::move(config)), options_(options), logger_(logger) {
    for (const std::string& problem : config_.problems) {
        log(LogLevel::kWarning, "telegram configuration: " + problem);
    }
    if (!config_.configured()) {
        if (config_.bot_token.empty() && config_.chat_id.empty()) {
            log(LogLevel::kInfo, "telegram not configured (" + std::string(kTelegramTokenEnvVar) +
                                     " and " + std::string(kTelegramChatEnvVar) +
                                     " unset); notifications will be logged");
        } else {
            log(LogLevel::kWarning, "telegram disabled; notifications will be logged");
        }
        return;
    }
    try {
        client_ = std::make_unique<TelegramClient>(config_);
    } catch (const std::exception& e) {
        setup_error_ = redact_secret(e.what(), config_.bot_token);
        log(LogLevel::kError, "telegram disabled; notifications will be logged: " + setup_error_);
        return;
    }
    worker_ = std::thread([this] { worker_loop(); });
    log(LogLevel::kInfo, "telegram notifications go to chat " + mask_chat_id(config_.chat_id) +
                             " via " + masked_send_message_url(config_.endpoint));
}

TelegramNotifier::~TelegramNotifier() {
    stop();
}

void TelegramNotifier::log(LogLevel level, std::string_view message) const noexcept {
    try {
        log_noexcept(logger_, level, redact_secret(message, config_.bot_token));
    } catch (...) {
        // redact_secret can only fail to allocate; without it the line may not be written.
    }
}

void TelegramNotifier::notify(std::string_view text) noexcept {
    try {
        if (client_ == nullptr) {
            log(LogLevel::kInfo, "telegram not configured; would notify: " + std::string(text));
            return;
        }
        std::string message = telegram_text(text);
        if (message.find_first_not_of(" \t\r\n") == std::string::npos) {
            log(LogLevel::kWarning, "telegram: empty notification ignored");
            return;
        }
        std::optional<std::string> pushed_out;
        bool rejected = false;
        {
            const std::lock_guard lock(mutex_);
            if (!accepting_) {
                rejected = true;
                ++counters_.dropped;
            } else {
                if (queue_.size() >= std::max<std::size_t>(options_.queue_capacity, 1)) {
                    pushed_out = std::move(queue_.front());
                    queue_.pop_front();
                    ++counters_.dropped;
                }
                queue_.push_back(std::move(message));
            }
        }
        if (rejected) {
            log(LogLevel::kWarning, "telegram notifier is stopped; dropped: " + std::string(text));
            return;
        }
        wake_.notify_one();
        if (pushed_out) {
            log(LogLevel::kWarning, "telegram queue full (" +
                                        std::to_string(options_.queue_capacity) +
                                        " messages); dropped the oldest: " + *pushed_out);
        }
    } catch (...) {
        log(LogLevel::kError, "telegram: could not queue a notification (out of memory)");
    }
}

void TelegramNotifier::worker_loop() noexcept {
    while (true) {
        std::string text;
        std::optional<Clock::time_point> deadline;
        std::size_t abandoned = 0;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                break;
            }
            if (stopping_ && Clock::now() >= drain_deadline_) {
                abandoned = queue_.size();
                counters_.dropped += abandoned;
                queue_.clear();
            } else {
                text = std::move(queue_.front());
                queue_.pop_front();
                delivering_ = true;
                if (stopping_) {
                    deadline = drain_deadline_;
                }
            }
        }
        if (abandoned > 0) {
            idle_.notify_all();
            log(LogLevel::kWarning, "telegram: shutdown deadline passed; " +
                                        std::to_string(abandoned) + " queued message(s) not sent");
            break;
        }
        deliver(text, deadline);
    }
    {
        const std::lock_guard lock(mutex_);
        worker_finished_ = true;
    }
    worker_done_.notify_all();
    idle_.notify_all();
}

void TelegramNotifier::deliver(const std::string& text,
                               std::optional<Clock::time_point> deadline) noexcept {
    HttpTimeouts timeouts{options_.request_timeout, options_.request_timeout,
                          options_.request_timeout};
    if (deadline) {
        // Draining for shutdown: no phase of this request may outlast the deadline.
        const auto left = remaining_until(*deadline);
        timeouts = {std::min(timeouts.connect, left), std::min(timeouts.send, left),
                    std::min(timeouts.receive, left)};
    }
    const SendOutcome outcome = client_->send(text, timeouts, inflight_);
    std::string description;
    try {
        // The peer's answer (reason phrase, body excerpt) may hold any bytes.
        description = sanitize_utf8(redact_secret(outcome.description, config_.bot_token));
    } catch (...) {
        description = "(description lost: out of memory)";
    }
    {
        const std::lock_guard lock(mutex_);
        delivering_ = false;
        if (outcome.delivered) {
            ++counters_.sent;
        } else {
            ++counters_.failed;
            try {
                last_error_ = description;
            } catch (...) {
                last_error_.clear();
            }
        }
    }
    idle_.notify_all();
    if (outcome.delivered) {
        log(LogLevel::kDebug, "telegram message delivered");
    } else {
        log(LogLevel::kWarning, "telegram delivery failed (POST " +
                                    masked_send_message_url(config_.endpoint) +
                                    "): " + description);
    }
}

void TelegramNotifier::stop() noexcept {
    const std::lock_guard stop_lock(stop_mutex_);
    {
        const std::lock_guard lock(mutex_);
        if (!accepting_) {
            return;
        }
        accepting_ = false;
        stopping_ = true;
        drain_deadline_ = Clock::now() + options_.drain_deadline;
    }
    wake_.notify_all();
    if (!worker_.joinable()) {
        return;
    }
    bool finished = false;
    {
        std::unique_lock lock(mutex_);
        finished =
            worker_done_.wait_until(lock, drain_deadline_, [this] { return worker_finished_; });
    }
    if (!finished) {
        inflight_.abort();
    }
    worker_.join();
}

bool TelegramNotifier::wait_idle(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    if (client_ == nullptr) {
        return true;  // not configured: notify() only logs, nothing is ever queued
    }
    return idle_.wait_for(lock, timeout,
                          [this] { return (queue_.empty() && !delivering_) || worker_finished_; });
}

NotifierCounters TelegramNotifier::counters() const {
    const std::lock_guard lock(mutex_);
    NotifierCounters snapshot = counters_;
    snapshot.queued = queue_.size();
    snapshot.in_flight = delivering_ ? 1 : 0;
    return snapshot;
}

const boost::json::object& TelegramNotifier::fixed_status() const {
    std::call_once(fixed_status_once_, [this] {
        boost::json::object fixed;
        fixed["configured"] = configured();
        fixed["api_base"] = redact_secret(api_base_display(config_.endpoint), config_.bot_token);
        if (config_.chat_id.empty()) {
            fixed["chat_id"] = nullptr;
        } else {
            fixed["chat_id"] = mask_chat_id(config_.chat_id);
        }
        boost::json::array problems;
        for (const std::string& problem : config_.problems) {
            problems.emplace_back(redact_secret(problem, config_.bot_token));
        }
        if (!setup_error_.empty()) {
            problems.emplace_back(setup_error_);
        }
        fixed["problems"] = std::move(problems);
        fixed_status_ = std::move(fixed);
    });
    return fixed_status_;
}

boost::json::object TelegramNotifier::status_json() const {
    boost::json::object status = fixed_status();

    const std::lock_guard lock(mutex_);
    status["accepting"] = accepting_ && configured();
    status["queued"] = queue_.size();
    status["in_flight"] = delivering_ ? 1 : 0;
    status["queue_capacity"] = std::max<std::size_t>(options_.queue_capacity, 1);
    status["sent"] = counters_.sent;
    status["failed"] = counters_.failed;
    status["dropped"] = counters_.dropped;
    if (last_error_.empty()) {
        status["last_error"] = nullptr;
    } else {
        status["last_error"] = last_error_;
    }
    return status;
}

}  // namespace orch::host
