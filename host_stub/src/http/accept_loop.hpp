#pragma once
// Accepts connections with no timer, and holds each one, costing no thread, until its whole next
// request has arrived: new connections and kept-alive ones between two requests alike.
//
// Poco 1.11's TCPServer polls its listening socket with a fixed 250 ms timeout to look at its
// stop flag: four wake-ups a second in an idle host and up to a quarter second added to every
// stop. This loop blocks in epoll on the socket and a wake pipe instead.
//
// Poco's HTTP workers each own one connection until its request is read, and with keep-alive
// until the client closes: a client that connects and sends nothing, or half a request, or
// keeps its connection open and idle, would hold a worker until a timeout, and a handful of them
// would leave no worker for anyone else. So connections wait here, in an epoll set of their own
// (the waiting room), until request_framing() says their next request is complete. The workers
// themselves wait on that set (next_request()): the worker the kernel wakes for a connection
// peeks at its bytes without waiting, and takes the connection only when the request is all
// there (otherwise it watches it again and waits on). No thread sits between the socket and the
// worker, so a request costs no hand-over from thread to thread. A worker that answered and may
// keep the connection gives it back with keep(): it waits here again. Nor does a worker wait for
// a client to read: an answer its socket has no room for waits here too, with the connection,
// until the socket is writable again, and the worker that then takes it sends on.
//
// A connection that no worker has taken within `request_timeout` of arriving here (accepted, or
// given back) is closed by the accept thread: its request did not complete in time, its client
// read nothing of its answer that long, or every worker stayed busy that long. So is the oldest
// waiting one when kMaxWaitingConnections are waiting and another arrives, and one given back
// with more unsent bytes than fit under kMaxUnsentBytes.
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "http/ready_request.hpp"
#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

inline constexpr std::size_t kMaxWaitingConnections = 256;
// The answers' bytes the room holds for clients that read slowly, all connections together
// (each answer counted whole, as it is held whole):
// 64 MiB, twice the largest page (host_metrics' per-plugin limit is 32 MiB).
inline constexpr std::size_t kMaxUnsentBytes = std::size_t{64} << 20;

class AcceptLoop {
  public:
    // `socket` is listening and outlives this object. `request_timeout` bounds the wait for a
    // complete request (the first, and each next one of a kept-alive connection), for a client
    // to make room for more of an answer, and each read of an accepted connection. Throws
    // std::system_error when no pipe, eventfd or epoll instance can be made.
    AcceptLoop(Poco::Net::ServerSocket& socket, plugin_api::ILogger& logger,
               std::chrono::milliseconds request_timeout = std::chrono::seconds(5));
    ~AcceptLoop();  // stop()
    AcceptLoop(const AcceptLoop&) = delete;
    AcceptLoop& operator=(const AcceptLoop&) = delete;

    void start();  // the accept thread; once; may throw std::system_error
    // Stops accepting, closes the connections waiting here, and wakes every thread in
    // next_request() (each returns nullopt from now on). Idempotent; nothing is kept after.
    void stop() noexcept;

    // Waits until a connection's next request has arrived in full, or one with the rest of an
    // answer can take more of it, and takes the connection out of the waiting room (the caller
    // owns it); nullopt once stopped. Any number of threads may wait here at once; each event
    // goes to one of them. Never waits for one client: a request still incomplete is only
    // peeked at.
    std::optional<ReadyRequest> next_request();

    // Gives back a connection taken with next_request(): with nothing pending in `rest`, its
    // request was answered and it waits here again for its next one; otherwise it waits until its
    // socket has room for more of that answer. Any thread; after stop(), closes it. Closes it too
    // (with a warning) when the room's unsent bytes would pass kMaxUnsentBytes.
    void keep(std::unique_ptr<Poco::Net::StreamSocket> connection, Outstanding rest = {}) noexcept;

  private:
    class WaitingRoom;
    void run() noexcept;
    bool accept_one() noexcept;  // false when accepting failed (then back off)
    // Puts a connection in the room until `deadline` and arms it (first time: registers it);
    // wakes the accept thread if it sleeps past that deadline. Under room_mutex_. Throws
    // std::system_error or std::bad_alloc, the connection then closed.
    void admit(std::unique_ptr<Poco::Net::StreamSocket> connection,
               std::chrono::steady_clock::time_point deadline, bool first_time,
               Outstanding rest = {});
    void wake_accept_thread() noexcept;

    Poco::Net::ServerSocket& socket_;
    plugin_api::ILogger& logger_;
    const std::chrono::milliseconds request_timeout_;
    int wake_read_ = -1;     // the accept thread's wake-up (a connection kept while it had no
    int wake_write_ = -1;    // deadline to wait for), read by it
    int stopped_fd_ = -1;    // eventfd, readable for good once stop() ran: every waiter sees it
    int accept_epoll_ = -1;  // the listening socket, the wake pipe and stopped_fd_
    int room_epoll_ = -1;    // the waiting connections and stopped_fd_
    std::thread thread_;

    std::mutex room_mutex_;
    std::unique_ptr<WaitingRoom> room_;  // guarded by room_mutex_
    bool stopping_ = false;              // guarded by room_mutex_
    // The deadline the accept thread sleeps until (max: none; min: it is awake and looks at the
    // room before sleeping again). A connection admitted with an earlier deadline wakes it. A
    // kept connection's deadline is never earlier than one already waiting, so under load
    // keep() wakes nobody. Guarded by room_mutex_.
    std::chrono::steady_clock::time_point asleep_until_ =
        std::chrono::steady_clock::time_point::min();
};

}  // namespace orch::host
