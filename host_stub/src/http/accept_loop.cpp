#include "http/accept_loop.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
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
#include <vector>

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

// epoll tags of the fixed descriptors. A connection's tag is its descriptor in the low 32 bits
// (always below 2^31) and the generation of its stay in the room in the high ones, so an event
// that was already on its way when the connection left the room (closed, its descriptor perhaps
// reused) is recognised as stale.
constexpr std::uint64_t kListenTag = ~std::uint64_t{0};
constexpr std::uint64_t kWakeTag = ~std::uint64_t{0} - 1;
constexpr std::uint64_t kStoppedTag = ~std::uint64_t{0} - 2;

// A connection reports one event and is then silent until armed again: the worker that got it
// has it to itself, and it stays registered for its whole life (one epoll_ctl per request). It
// waits for its next request to arrive, or for room in its socket for the rest of its answer
// (an error or a hang-up is reported either way).
constexpr std::uint32_t kRequestEvents = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
constexpr std::uint32_t kWritableEvents = EPOLLOUT | EPOLLONESHOT;

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

void close_quietly(Poco::Net::StreamSocket& socket) noexcept {
    try {
        socket.close();
    } catch (...) {  // already closed or reset by the peer: nothing left to release
    }
}

int descriptor(const Poco::Net::StreamSocket& socket) {
    return socket.impl()->sockfd();
}

}  // namespace

// The connections waiting for a complete request, by descriptor and by deadline. Closing one
// (destroying its socket) also takes it out of the epoll set. Not thread-safe: room_mutex_.
class AcceptLoop::WaitingRoom {
  public:
    struct Admitted {
        std::uint64_t tag = 0;
        bool pushed_out = false;  // the room was full: the one waiting longest was closed
    };
    struct Taken {
        std::unique_ptr<Poco::Net::StreamSocket> connection;  // nullptr: not (or no longer) here
        Clock::time_point deadline;
        Outstanding rest;
    };

    // Throws std::bad_alloc (the connection is then closed).
    Admitted add(std::unique_ptr<Poco::Net::StreamSocket> connection, Clock::time_point deadline,
                 Outstanding rest) {
        Admitted admitted;
        if (by_deadline_.size() >= kMaxWaitingConnections) {
            close(by_deadline_.begin()->second);
            admitted.pushed_out = true;
        }
        const int fd = descriptor(*connection);
        const auto index = static_cast<std::size_t>(fd);
        if (index >= by_fd_.size()) {
            by_fd_.resize(index + 1);
        }
        const auto order = by_deadline_.emplace(deadline, fd).first;
        ++generation_;
        unsent_bytes_ += rest.answer.size();
        by_fd_[index] = Entry{std::move(connection), order, generation_, std::move(rest)};
        admitted.tag = (static_cast<std::uint64_t>(generation_) << 32) | index;
        return admitted;
    }

    // The connection the tag names, taken out of the room with its deadline.
    Taken take(std::uint64_t tag) noexcept {
        const auto index = static_cast<std::size_t>(tag & 0xFFFF'FFFFU);
        if (index >= by_fd_.size() || !by_fd_[index].connection ||
            by_fd_[index].generation != static_cast<std::uint32_t>(tag >> 32)) {
            return {};
        }
        Entry& entry = by_fd_[index];
        unsent_bytes_ -= entry.rest.answer.size();
        Taken taken{std::move(entry.connection), entry.order->first, std::move(entry.rest)};
        by_deadline_.erase(entry.order);
        return taken;
    }

    std::size_t close_expired(Clock::time_point now) noexcept {
        std::size_t closed = 0;
        while (!by_deadline_.empty() && by_deadline_.begin()->first <= now) {
            close(by_deadline_.begin()->second);
            ++closed;
        }
        return closed;
    }

    void close_all() noexcept {
        while (!by_deadline_.empty()) {
            close(by_deadline_.begin()->second);
        }
    }

    // The next deadline; time_point::max() while nobody waits.
    Clock::time_point nearest() const noexcept {
        return by_deadline_.empty() ? Clock::time_point::max() : by_deadline_.begin()->first;
    }

    // The answers' bytes held here, waiting for their clients to read.
    std::size_t unsent_bytes() const noexcept { return unsent_bytes_; }

  private:
    using Order = std::set<std::pair<Clock::time_point, int>>;
    struct Entry {
        std::unique_ptr<Poco::Net::StreamSocket> connection;
        Order::iterator order;
        std::uint32_t generation = 0;
        Outstanding rest;
    };

    void close(int fd) noexcept {
        Entry& entry = by_fd_[static_cast<std::size_t>(fd)];
        by_deadline_.erase(entry.order);
        entry.connection.reset();
        unsent_bytes_ -= entry.rest.answer.size();
        entry.rest = Outstanding{};  // its memory too
    }

    std::vector<Entry> by_fd_;  // descriptors are small and reused lowest first
    Order by_deadline_;         // (deadline, descriptor): the first is the next to expire
    std::uint32_t generation_ = 0;
    std::size_t unsent_bytes_ = 0;  // the sum of the entries' rest.answer sizes
};

AcceptLoop::AcceptLoop(Poco::Net::ServerSocket& socket, plugin_api::ILogger& logger,
                       std::chrono::milliseconds request_timeout)
    : socket_(socket),
      logger_(logger),
      request_timeout_(request_timeout),
      room_(std::make_unique<WaitingRoom>()) {
    try {
        std::array<int, 2> fds{};
        if (::pipe2(fds.data(), O_CLOEXEC | O_NONBLOCK) != 0) {
            throw_errno("pipe2 for the accept loop");
        }
        wake_read_ = fds[0];
        wake_write_ = fds[1];
        if ((stopped_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
            throw_errno("eventfd for the accept loop");
        }
        if ((accept_epoll_ = ::epoll_create1(EPOLL_CLOEXEC)) < 0 ||
            (room_epoll_ = ::epoll_create1(EPOLL_CLOEXEC)) < 0) {
            throw_errno("epoll_create1 for the accept loop");
        }
        watch(accept_epoll_, socket_.impl()->sockfd(), EPOLLIN, kListenTag);
        watch(accept_epoll_, wake_read_, EPOLLIN, kWakeTag);
        // Level-triggered and never read: once stop() wrote it, every epoll_wait on either set
        // returns it, whichever thread calls it and however many wait.
        watch(accept_epoll_, stopped_fd_, EPOLLIN, kStoppedTag);
        watch(room_epoll_, stopped_fd_, EPOLLIN, kStoppedTag);
    } catch (...) {
        for (const int fd : {room_epoll_, accept_epoll_, stopped_fd_, wake_read_, wake_write_}) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
        throw;
    }
}

AcceptLoop::~AcceptLoop() {
    stop();
    room_.reset();  // closes nothing more (stop() did), before the epoll sets go
    for (const int fd : {room_epoll_, accept_epoll_, stopped_fd_, wake_read_, wake_write_}) {
        ::close(fd);
    }
}

void AcceptLoop::start() {
    if (!thread_.joinable()) {
        thread_ = std::thread([this] { run(); });
        pthread_setname_np(thread_.native_handle(), "queue-accept");  // for ps, top and tests
    }
}

void AcceptLoop::stop() noexcept {
    {
        const std::lock_guard lock(room_mutex_);
        stopping_ = true;
        room_->close_all();
    }
    const std::uint64_t one = 1;
    if (::write(stopped_fd_, &one, sizeof one) < 0) {
        log_noexcept(
            logger_, LogLevel::kError,
            std::string("/queue accept loop: cannot signal the stop: ") + std::strerror(errno));
    }
    if (thread_.joinable()) {
        thread_.join();
    }
}

void AcceptLoop::wake_accept_thread() noexcept {
    const char byte = 1;
    // A full pipe already holds a wake-up; any other failure would leave the accept thread
    // asleep until its next event, so it is logged.
    if (::write(wake_write_, &byte, 1) < 0 && errno != EAGAIN) {
        log_noexcept(logger_, LogLevel::kError,
                     std::string("/queue accept loop: cannot wake it: ") + std::strerror(errno));
    }
}

void AcceptLoop::admit(std::unique_ptr<Poco::Net::StreamSocket> connection,
                       Clock::time_point deadline, bool first_time, Outstanding rest) {
    const int fd = descriptor(*connection);
    const std::uint32_t events = !rest.pending() ? kRequestEvents : kWritableEvents;
    const WaitingRoom::Admitted admitted =
        room_->add(std::move(connection), deadline, std::move(rest));
    if (admitted.pushed_out) {
        log_noexcept(logger_, LogLevel::kDebug,
                     "/queue: too many open connections without a complete request; closed the "
                     "one waiting longest");
    }
    if (deadline < asleep_until_) {
        asleep_until_ = Clock::time_point::min();
        wake_accept_thread();  // to watch this deadline, earlier than the one it sleeps until
    }
    // Armed only once in the room, under the lock: the thread its event wakes finds it there.
    epoll_event event{};
    event.events = events;
    event.data.u64 = admitted.tag;
    if (::epoll_ctl(room_epoll_, first_time ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event) != 0) {
        const int error = errno;
        room_->take(admitted.tag);  // closed
        throw std::system_error(error, std::generic_category(), "epoll_ctl for a connection");
    }
}

std::optional<ReadyRequest> AcceptLoop::next_request() {
    thread_local std::vector<char> peeked(kMaxRequestBytes + 1);
    for (;;) {
        epoll_event event{};
        const int ready = ::epoll_wait(room_epoll_, &event, 1, -1);
        if (ready < 0 && errno != EINTR) {
            log_noexcept(
                logger_, LogLevel::kError,
                std::string("/queue: waiting for requests failed: ") + std::strerror(errno));
            return std::nullopt;
        }
        if (ready <= 0) {
            continue;
        }
        if (event.data.u64 == kStoppedTag) {
            return std::nullopt;
        }
        WaitingRoom::Taken taken;
        {
            const std::lock_guard lock(room_mutex_);
            if (stopping_) {
                return std::nullopt;
            }
            taken = room_->take(event.data.u64);
        }
        if (!taken.connection) {
            continue;  // it left the room after this event was sent: expired or pushed out
        }
        if (taken.rest.pending()) {
            if ((event.events & EPOLLOUT) == 0) {
                continue;  // an error or a hang-up, nothing writable: closed here
            }
            return ReadyRequest{std::move(taken.connection), 0, std::move(taken.rest)};
        }
        // Peeking leaves the bytes in the socket: the caller reads exactly the request.
        const int fd = descriptor(*taken.connection);
        ssize_t n = -1;
        do {
            n = ::recv(fd, peeked.data(), peeked.size(), MSG_PEEK | MSG_DONTWAIT);
        } while (n < 0 && errno == EINTR);
        RequestFraming framing{RequestReadiness::kRefused};  // EOF or a socket error
        if (n < 0 && errno == EAGAIN) {
            framing.readiness = RequestReadiness::kIncomplete;
        } else if (n > 0) {
            framing = request_framing(std::string_view(peeked.data(), static_cast<std::size_t>(n)));
        }
        if (framing.readiness == RequestReadiness::kComplete) {
            return ReadyRequest{std::move(taken.connection), framing.bytes, {}};
        }
        const bool hung_up = (event.events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
        if (framing.readiness == RequestReadiness::kIncomplete && !hung_up) {
            // Back in the room with the deadline it had, to wait for the rest.
            const std::lock_guard lock(room_mutex_);
            if (!stopping_) {
                try {
                    admit(std::move(taken.connection), taken.deadline, /*first_time=*/false);
                } catch (const std::exception& e) {
                    log_noexcept(logger_, LogLevel::kWarning,
                                 std::string("/queue: cannot watch a connection: ") + e.what());
                }
            }
        }
        // Otherwise (refused, or gone before completing a request) it is closed here.
    }
}

void AcceptLoop::keep(std::unique_ptr<Poco::Net::StreamSocket> connection,
                      Outstanding rest) noexcept {
    std::unique_lock lock(room_mutex_);
    if (stopping_) {
        lock.unlock();
        close_quietly(*connection);
        return;
    }
    if (room_->unsent_bytes() + rest.answer.size() > kMaxUnsentBytes) {
        const std::size_t held = room_->unsent_bytes();
        lock.unlock();
        log_noexcept(logger_, LogLevel::kWarning,
                     "/queue: closing a connection whose client reads its answer too slowly: " +
                         std::to_string(rest.answer.size() - rest.sent) +
                         " bytes left to send, and " + std::to_string(held) +
                         " bytes of other answers already wait (limit " +
                         std::to_string(kMaxUnsentBytes) + ")");
        close_quietly(*connection);
        return;
    }
    try {
        admit(std::move(connection), Clock::now() + request_timeout_, /*first_time=*/false,
              std::move(rest));
    } catch (const std::exception& e) {
        lock.unlock();
        log_noexcept(logger_, LogLevel::kWarning,
                     std::string("/queue: cannot keep a connection open: ") + e.what());
        return;
    }
}

void AcceptLoop::run() noexcept {
    std::array<epoll_event, 4> events{};
    for (;;) {
        int timeout_ms = -1;
        std::size_t expired = 0;
        {
            const std::lock_guard lock(room_mutex_);
            const auto now = Clock::now();
            expired = room_->close_expired(now);
            asleep_until_ = room_->nearest();
            if (asleep_until_ != Clock::time_point::max()) {
                const auto ms =
                    std::chrono::ceil<std::chrono::milliseconds>(asleep_until_ - now).count();
                timeout_ms = static_cast<int>(std::clamp<long long>(ms, 0, 60'000));
            }
        }
        if (expired > 0) {
            log_noexcept(logger_, LogLevel::kDebug,
                         "/queue: closed " + std::to_string(expired) +
                             " connection(s) whose client sent no complete request, or read "
                             "nothing of its answer, in time");
        }
        const int ready =
            ::epoll_wait(accept_epoll_, events.data(), static_cast<int>(events.size()), timeout_ms);
        {
            const std::lock_guard lock(room_mutex_);
            asleep_until_ = Clock::time_point::min();
        }
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            log_noexcept(logger_, LogLevel::kError,
                         std::string("/queue accept loop: epoll_wait failed: ") +
                             std::strerror(errno) + "; no more connections are accepted");
            return;
        }
        bool can_accept = false;
        for (int i = 0; i < ready; ++i) {
            const std::uint64_t tag = events[static_cast<std::size_t>(i)].data.u64;
            if (tag == kStoppedTag) {
                return;  // stop(): the room is closed; the backlog goes with the socket
            }
            if (tag == kWakeTag) {
                std::array<char, 64> drained{};
                while (::read(wake_read_, drained.data(), drained.size()) > 0) {
                }
            }
            can_accept = can_accept || tag == kListenTag;
        }
        if (can_accept && !accept_one()) {
            pollfd stopped{stopped_fd_, POLLIN, 0};
            if (::poll(&stopped, 1, kBackoffAfterAcceptErrorMs) > 0) {
                return;
            }
        }
    }
}

bool AcceptLoop::accept_one() noexcept {
    try {
        // The only handle is this one (the accepted temporary is gone at the semicolon).
        auto connection = std::make_unique<Poco::Net::StreamSocket>(socket_.acceptConnection());
        connection->setNoDelay(true);  // as Poco's own TCPServer does: small JSON replies
        // Once per connection: the limit on each read and write a worker does on it.
        const Poco::Timespan io_timeout(
            static_cast<Poco::Timespan::TimeDiff>(request_timeout_.count()) * 1000);
        connection->setReceiveTimeout(io_timeout);
        connection->setSendTimeout(io_timeout);
        const std::lock_guard lock(room_mutex_);
        if (!stopping_) {
            // A byte that arrived before this is reported at once.
            admit(std::move(connection), Clock::now() + request_timeout_, /*first_time=*/true);
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
