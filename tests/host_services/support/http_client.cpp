#include "support/http_client.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <istream>
#include <iterator>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>

namespace orch::host::testing {

HttpReply http_request(const std::string& host, std::uint16_t port, const std::string& method,
                       const std::string& path) {
    Poco::Net::HTTPClientSession session(host, port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (method == "POST" || method == "PUT") {
        request.setContentLength(0);
    }
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    reply.content_type = response.getContentType();
    reply.allow = response.get("Allow", "");
    reply.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return reply;
}

namespace {

using Clock = std::chrono::steady_clock;

// Waits until `fd` is readable or hung up; false at the deadline. Always polls at least once, so
// a deadline that has passed still reports what is already there.
bool readable_before(int fd, Clock::time_point deadline) {
    for (;;) {
        const auto left = std::max<long long>(
            0,
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
        pollfd p{fd, POLLIN, 0};
        const int rc = ::poll(&p, 1, static_cast<int>(left));
        if (rc > 0) {
            return true;
        }
        if ((rc < 0 && errno != EINTR) || (rc == 0 && left == 0)) {
            return false;
        }
    }
}

}  // namespace

Poco::Net::StreamSocket open_connection(std::uint16_t port, const std::string& bytes) {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(10, 0));
    if (!bytes.empty()) {
        socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    }
    return socket;
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds timeout) {
    Poco::Net::StreamSocket socket = open_connection(port, bytes);
    const auto deadline = Clock::now() + timeout;
    std::string received;
    std::array<char, 4096> chunk{};
    while (readable_before(socket.impl()->sockfd(), deadline)) {
        const ssize_t n = ::recv(socket.impl()->sockfd(), chunk.data(), chunk.size(), 0);
        if (n <= 0) {
            break;
        }
        received.append(chunk.data(), static_cast<std::size_t>(n));
    }
    return received;
}

bool wait_for_close(Poco::Net::StreamSocket& socket, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::array<char, 4096> chunk{};
    while (readable_before(socket.impl()->sockfd(), deadline)) {
        const ssize_t n = ::recv(socket.impl()->sockfd(), chunk.data(), chunk.size(), 0);
        if (n <= 0) {
            return true;
        }
    }
    return false;
}

std::string status_line(const std::string& response) {
    return response.substr(0, response.find("\r\n"));
}

std::uint16_t closed_loopback_port() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::uint16_t port = socket.address().port();
    socket.close();
    return port;
}

}  // namespace orch::host::testing
