#include "http/request_exchange.hpp"

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <system_error>

#include <Poco/MemoryStream.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>

#include "http/keep_alive.hpp"
#include "http/request_head.hpp"
#include "http/response_head.hpp"

namespace orch::host {

namespace {

// Per worker thread, reused for every request it serves: no allocation per request once they
// have grown to the largest request and answer seen.
struct ExchangeBuffers {
    std::string received;
    std::string answer;
    long long date_second = -1;
    std::string date;  // http_date(date_second): formatted once a second, not per request

    std::string_view date_now() {
        const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
        if (now != date_second) {
            date = http_date(now);
            date_second = now;
        }
        return date;
    }
};

// False when the client hung up before all of it could be read (it had all arrived, so only a
// reset can cause that).
bool receive_exactly(Poco::Net::StreamSocket& connection, char* data, std::size_t bytes) {
    std::size_t received = 0;
    while (received < bytes) {
        const int n = connection.receiveBytes(data + received, static_cast<int>(bytes - received));
        if (n <= 0) {
            return false;
        }
        received += static_cast<std::size_t>(n);
    }
    return true;
}

// Writes as much of `answer` after its first `sent` bytes as the socket takes now; `sent` is
// advanced past what it took.
void send_without_waiting(Poco::Net::StreamSocket& connection, std::string_view answer,
                          std::size_t& sent) {
    const int fd = connection.impl()->sockfd();
    while (sent < answer.size()) {
        // MSG_NOSIGNAL: a client gone by now is an EPIPE for this thread, not a SIGPIPE for all.
        const ssize_t n =
            ::send(fd, answer.data() + sent, answer.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        } else if (n < 0 && errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "sending the answer");
        }
    }
}

// Every Connection header of the request, joined with commas.
std::string connection_tokens(const Poco::Net::HTTPRequest& request) {
    std::string joined;
    for (const auto& [name, value] : request) {
        if (Poco::icompare(name, Poco::Net::HTTPMessage::CONNECTION) == 0) {
            if (!joined.empty()) {
                joined.push_back(',');
            }
            joined.append(value);
        }
    }
    return joined;
}

Outstanding serve_one_request(Poco::Net::StreamSocket& connection, std::size_t bytes,
                              const RequestHandler& handler) {
    // A client that sends requests without reading the answers (pipelining into a full receive
    // window) leaves earlier answers unsent in the kernel; answering it on would spend a worker
    // on answers nobody reads, each then held in the waiting room. One that reads its answers
    // never has any left unsent when its next request arrives, so the connection is closed.
    int unsent = 0;
    if (::ioctl(connection.impl()->sockfd(), SIOCOUTQNSD, &unsent) == 0 && unsent > 0) {
        throw std::runtime_error("the client does not read its answers (" + std::to_string(unsent) +
                                 " bytes of earlier ones still unsent); connection closed");
    }
    thread_local ExchangeBuffers buffers;
    if (bytes > kMaxRequestBytes) {
        return {};  // never from the accept loop's framing, which refuses such a request
    }
    std::string& received = buffers.received;
    received.resize(bytes);
    if (!receive_exactly(connection, received.data(), bytes)) {
        return {};
    }

    // The same pure framing the accept loop used on the same bytes, for where the head ends.
    const RequestFraming framing = request_framing(received);
    Poco::Net::HTTPRequest request;
    bool well_formed = false;
    std::string why;
    if (framing.readiness != RequestReadiness::kComplete || framing.bytes != bytes) {
        why = "the request does not end where its head and Content-Length say";
    } else {
        // Only the head is parsed; the body (if any) is read above and dropped.
        Poco::MemoryInputStream head(received.data(),
                                     static_cast<std::streamsize>(framing.head_bytes));
        try {
            request.read(head);
            // Poco's parser also ends a head at a bare LF; the framing only at CRLF CRLF. A head
            // the two disagree on is refused rather than guessed at.
            well_formed = head.rdbuf()->in_avail() == 0;
            if (!well_formed) {
                why = "the request head ends before its CRLF CRLF";
            }
        } catch (const Poco::Net::NetException& e) {
            why = e.message().empty() ? e.displayText() : e.message();
        }
    }

    const Reply reply = well_formed ? handler.answer(request) : handler.malformed(why);
    const bool keep_alive =
        well_formed && client_keeps_connection(request.getVersion(), connection_tokens(request));
    const bool head_only = well_formed && request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD;

    std::string& answer = buffers.answer;
    answer.clear();
    append_response_head(
        answer,
        ResponseHead{
            well_formed && request.getVersion() == Poco::Net::HTTPMessage::HTTP_1_0, reply.status,
            Poco::Net::HTTPResponse::getReasonForStatus(
                static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status)),
            buffers.date_now(), reply.content_type, reply.body.size(), reply.allow, keep_alive});
    if (!head_only) {
        answer.append(reply.body);
    }
    // Sent from this thread's buffer; only what the socket has no room for now is copied out.
    std::size_t sent = 0;
    send_without_waiting(connection, answer, sent);
    if (sent < answer.size()) {
        return Outstanding{answer.substr(sent), 0, keep_alive};
    }
    return Outstanding{{}, 0, keep_alive};
}

}  // namespace

Outstanding take_turn(ReadyRequest& ready, const RequestHandler& handler) {
    if (ready.rest.pending()) {
        Outstanding rest = std::move(ready.rest);
        send_without_waiting(*ready.connection, rest.answer, rest.sent);
        return rest;
    }
    return serve_one_request(*ready.connection, ready.bytes, handler);
}

}  // namespace orch::host
