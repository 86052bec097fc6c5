#include "http/accept_loop.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/Timespan.h>

#include "http/request_head.hpp"
#include "log/safe_log.hpp"

namespace orch::host {

namespace {

using plugin_api::LogLevel;
using Clock = std::chrono::steady_clock;

// After a failed accept (e.g. out of descriptors) the socket stays readable: pause this long
// before trying again rather than spinning. It is the only fixed timed wait, and only after an
// error; the other timeout is the nearest request deadline, and none while nobody is waiting.
constexpr int kBackoffAfterAcceptErrorMs = 100;

// epoll tags of the two fixed descriptors; a connection is tagged with its descriptor.
constexpr std::uint64_t kListenTag = ~std::uint64_t{0};
constexpr std::uint64_t kWakeTag = ~std::uint64_t{0} - 1;

// A connection reports one event and is then silent until it is armed again: while a worker
// has it, nothing here looks at it, and it stays registered (one epoll_ctl per request, not two).
constexpr std::uint32_t kConnectionEvents = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

void watch(int epoll, int fd, std::uint32_t events, std::uint64_t tag) {
    epoll_event event{};
    event.events = events;
    event.data.u64 = tag;
    if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
        throw_errno("epoll_ctl for the accept loop");
    }
}

// Arms a registered connection for its next event; reported at once if its bytes are there.
bool arm(int epoll, int fd) noexcept {
    epoll_event event{};
    event.events = kConnectionEvents;
    event.data.u64 = static_cast<std::uint64_t>(fd);
    return ::epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event) == 0;
}

void close_quietly(Poco::Net::StreamSocket& socket) noexcept {
    try {
        socket.close();
    } catch (...) {  // already closed or reset by the peer: nothing left to release
    }
}

}  // namespace

// The connections waiting for a complete request, by descriptor and by deadline. Loop thread
// only. Closing one (destroying its socket) also takes it out of the epoll set.
class AcceptLoop::WaitingRoom {
  public:
    explicit WaitingRoom(std::chrono::milliseconds timeout) : timeout_(timeout) {}

    std::size_t size() const noexcept { return by_deadline_.size(); }

    bool holds(int fd) const noexcept {
        return fd >= 0 && static_cast<std::size_t>(fd) < by_fd_.size() &&
               by_fd_[static_cast<std::size_t>(fd)].connection != nullptr;
    }

    // The connection waits from `since` for at most the timeout. When the room is full, the one
    // waiting longest is closed first (true then). Without memory for it, it is closed.
    bool add(std::unique_ptr<Poco::Net::StreamSocket> connection,
             Clock::time_point since) noexcept {
        bool pushed_out = false;
        if (size() >= kMaxWaitingConnections) {
            close(by_deadline_.begin()->second);
            pushed_out = true;
        }
        try {
            const int fd = connection->impl()->sockfd();
            const auto index = static_cast<std::size_t>(fd);
            if (index >= by_fd_.size()) {
                by_fd_.resize(index + 1);
            }
            const auto [order, inserted] = by_deadline_.emplace(since + timeout_, fd);
            by_fd_[index] = Entry{std::move(connection), order};
        } catch (...) {
            if (connection) {
                close_quietly(*connection);
            }
        }
        return pushed_out;
    }

    // The connection (its deadline forgotten), or nullptr when it is not waiting here.
    std::unique_ptr<Poco::Net::StreamSocket> take(int fd) noexcept {
        if (!holds(fd)) {
            return nullptr;
        }
        Entry& entry = by_fd_[static_cast<std::size_t>(fd)];
        by_deadline_.erase(entry.order);
        return std::move(entry.connection);
    }

    void close(int fd) noexcept { take(fd).reset(); }

    std::size_t close_expired(Clock::time_point now) noexcept {
        std::size_t closed = 0;
        while (!by_deadline_.empty() && by_deadline_.begin()->first <= now) {
            close(by_deadline_.begin()->second);
            ++closed;
        }
        return closed;
    }

    // A poll timeout: until the nearest deadline, -1 (none) while nobody waits.
    int timeout_ms(Clock::time_point now) const noexcept {
        if (by_deadline_.empty()) {
            return -1;
        }
        const auto left = by_deadline_.begin()->first - now;
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
        return static_cast<int>(std::clamp<long long>(ms, 0, 60'000));
    }

  private:
    using Order = std::set<std::pair<Clock::time_point, int>>;
    struct Entry {
        std::unique_ptr<Poco::Net::StreamSocket> connection;
        Order::iterator order;
    };
    const std::chrono::milliseconds timeout_;
    std::vector<Entry> by_fd_;  // descriptors are small and reused lowest first
    Order by_deadline_;         // (deadline, descriptor): the first is the next to expire
};

AcceptLoop::AcceptLoop(Poco::Net::ServerSocket& socket, OnRequest on_request,
                       plugin_api::ILogger& logger, std::chrono::milliseconds request_timeout)
    : socket_(socket),
      on_request_(std::move(on_request)),
      logger_(logger),
      request_timeout_(request_timeout) {
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC | O_NONBLOCK) != 0) {
        throw_errno("pipe2 for the accept loop");
    }
    wake_read_ = fds[0];
    wake_write_ = fds[1];
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    try {
        if (epoll_ < 0) {
            throw_errno("epoll_create1 for the accept loop");
        }
        watch(epoll_, socket_.impl()->sockfd(), EPOLLIN, kListenTag);
        watch(epoll_, wake_read_, EPOLLIN, kWakeTag);
    } catch (...) {
        if (epoll_ >= 0) {
            ::close(epoll_);
        }
        ::close(wake_read_);
        ::close(wake_write_);
        throw;
    }
}

AcceptLoop::~AcceptLoop() {
    stop();
    ::close(epoll_);
    ::close(wake_read_);
    ::close(wake_write_);
}

void AcceptLoop::start() {
    if (!thread_.joinable()) {
        thread_ = std::thread([this] { run(); });
        pthread_setname_np(thread_.native_handle(), "queue-accept");  // for ps, top and tests
    }
}

void AcceptLoop::wake() noexcept {
    const char byte = 1;
    // A full pipe already holds a wake-up; any other failure would leave the loop asleep, so
    // it is logged (it would then wake at its next event).
    if (::write(wake_write_, &byte, 1) < 0 && errno != EAGAIN) {
        log_noexcept(logger_, LogLevel::kError,
                     std::string("/queue accept loop: cannot wake it: ") + std::strerror(errno));
    }
}

void AcceptLoop::stop() noexcept {
    std::vector<Kept> closing;
    {
        const std::lock_guard lock(kept_mutex_);
        stopping_ = true;
        closing.swap(kept_);
    }
    closing.clear();
    wake();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void AcceptLoop::keep(std::unique_ptr<Poco::Net::StreamSocket> connection) noexcept {
    std::unique_lock lock(kept_mutex_);
    if (stopping_) {
        lock.unlock();
        close_quietly(*connection);
        return;
    }
    const int fd = connection->impl()->sockfd();
    try {
        kept_.push_back(Kept{std::move(connection), Clock::now()});
    } catch (...) {
        lock.unlock();
        close_quietly(*connection);
        return;
    }
    // Armed only once listed, under the lock: the loop moves kept_ into its room right after
    // each wake, so it knows the connection any event is for, and cannot close it (deadline)
    // before it is armed.
    if (!arm(epoll_, fd)) {
        const int error = errno;
        kept_.pop_back();  // closes it
        lock.unlock();
        log_noexcept(logger_, LogLevel::kWarning,
                     std::string("/queue accept loop: cannot watch a kept-alive connection: ") +
                         std::strerror(error));
        return;
    }
    if (std::exchange(asleep_without_deadline_, false)) {
        wake();
    }
}

void AcceptLoop::adopt_kept(WaitingRoom& waiting) {
    std::size_t pushed_out = 0;
    for (Kept& kept : kept_) {
        if (waiting.add(std::move(kept.connection), kept.since)) {
            ++pushed_out;
        }
    }
    kept_.clear();
    if (pushed_out > 0) {
        log_noexcept(logger_, LogLevel::kDebug,
                     "/queue: too many open connections without a complete request; closed the " +
                         std::to_string(pushed_out) + " waiting longest");
    }
}

void AcceptLoop::run() noexcept {
    WaitingRoom waiting(request_timeout_);
    std::vector<char> peeked(kMaxRequestBytes + 1);
    std::array<epoll_event, 64> events{};
    for (;;) {
        int timeout_ms = -1;
        {
            const std::lock_guard lock(kept_mutex_);
            adopt_kept(waiting);
            timeout_ms = waiting.timeout_ms(Clock::now());
            asleep_without_deadline_ = timeout_ms < 0;
        }
        const int ready =
            ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), timeout_ms);
        {
            const std::lock_guard lock(kept_mutex_);
            asleep_without_deadline_ = false;
            adopt_kept(waiting);  // before the events: some may be for these connections
        }
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            log_noexcept(logger_, LogLevel::kError,
                         std::string("/queue accept loop: epoll_wait failed: ") +
                             std::strerror(errno) + "; no more connections are accepted");
            const std::lock_guard lock(kept_mutex_);
            stopping_ = true;  // connections given back from now on are closed
            kept_.clear();
            return;
        }
        bool can_accept = false;
        for (int i = 0; i < ready; ++i) {
            const epoll_event& event = events[static_cast<std::size_t>(i)];
            if (event.data.u64 == kWakeTag) {
                std::array<char, 64> drained{};
                while (::read(wake_read_, drained.data(), drained.size()) > 0) {
                }
                const std::lock_guard lock(kept_mutex_);
                if (stopping_) {
                    return;  // waiting connections and the backlog are closed
                }
                continue;  // a kept connection for a room that had no deadline: adopted above
            }
            if (event.data.u64 == kListenTag) {
                can_accept = true;
                continue;
            }
            const int fd = static_cast<int>(event.data.u64);
            if (!waiting.holds(fd)) {
                continue;  // closed earlier in this round
            }
            // Peeking leaves the bytes for the worker, which reads exactly the request.
            ssize_t n = -1;
            do {
                n = ::recv(fd, peeked.data(), peeked.size(), MSG_PEEK | MSG_DONTWAIT);
            } while (n < 0 && errno == EINTR);
            RequestFraming framing{RequestReadiness::kRefused};  // EOF or a socket error
            if (n < 0 && errno == EAGAIN) {
                framing.readiness = RequestReadiness::kIncomplete;
            } else if (n > 0) {
                framing =
                    request_framing(std::string_view(peeked.data(), static_cast<std::size_t>(n)));
            }
            const bool hung_up = (event.events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
            if (framing.readiness == RequestReadiness::kIncomplete && !hung_up) {
                if (!arm(epoll_, fd)) {
                    waiting.close(fd);
                }
                continue;
            }
            std::unique_ptr<Poco::Net::StreamSocket> connection = waiting.take(fd);
            if (framing.readiness == RequestReadiness::kComplete) {
                try {
                    on_request_(ReadyRequest{std::move(connection), framing.bytes});
                } catch (const std::exception& e) {
                    log_noexcept(logger_, LogLevel::kWarning,
                                 std::string("/queue accept loop: handing over a connection "
                                             "failed: ") +
                                     e.what());
                }
            }
            // Otherwise it is closed here: refused, or gone before completing a request.
        }
        if (const std::size_t expired = waiting.close_expired(Clock::now()); expired > 0) {
            log_noexcept(logger_, LogLevel::kDebug,
                         "/queue: closed " + std::to_string(expired) +
                             " connection(s) that sent no complete request in time");
        }
        if (can_accept && !accept_one(waiting)) {
            pollfd wake{wake_read_, POLLIN, 0};
            if (::poll(&wake, 1, kBackoffAfterAcceptErrorMs) > 0) {
                const std::lock_guard lock(kept_mutex_);
                if (stopping_) {
                    return;
                }
            }
        }
    }
}

bool AcceptLoop::accept_one(WaitingRoom& waiting) noexcept {
    try {
        // The only handle is this one (the accepted temporary is gone at the semicolon).
        auto connection = std::make_unique<Poco::Net::StreamSocket>(socket_.acceptConnection());
        connection->setNoDelay(true);  // as Poco's own TCPServer does: small JSON replies
        // Once per connection: the limit on each read and write a worker does on it.
        const Poco::Timespan io_timeout(
            static_cast<Poco::Timespan::TimeDiff>(request_timeout_.count()) * 1000);
        connection->setReceiveTimeout(io_timeout);
        connection->setSendTimeout(io_timeout);
        const int fd = connection->impl()->sockfd();
        // Registered once for the connection's life here; a byte that arrived before this call
        // is reported by the next epoll_wait.
        watch(epoll_, fd, kConnectionEvents, static_cast<std::uint64_t>(fd));
        if (waiting.add(std::move(connection), Clock::now())) {
            log_noexcept(logger_, LogLevel::kDebug,
                         "/queue: too many connections without a complete request; closed the "
                         "one waiting longest");
        }
        return true;
    } catch (const Poco::Exception& e) {
        log_noexcept(logger_, LogLevel::kWarning,
                     "/queue accept loop: accepting a connection failed: " + e.displayText());
    } catch (const std::exception& e) {
        log_noexcept(logger_, LogLevel::kWarning,
                     std::string("/queue accept loop: accepting a connection failed: ") + e.what());
    } catch (...) {
        log_noexcept(logger_, LogLevel::kWarning,
                     "/queue accept loop: accepting a connection failed");
    }
    return false;
}

}  // namespace orch::host
