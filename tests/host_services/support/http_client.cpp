#include "support/http_client.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <istream>
#include <iterator>
#include <string>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>
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

std::string header_value(const std::string& response, const std::string& name) {
    const std::size_t head_end = response.find("\r\n\r\n");
    std::size_t line = response.find("\r\n");
    while (line != std::string::npos && line < head_end) {
        const std::size_t start = line + 2;
        line = response.find("\r\n", start);
        const std::string field = response.substr(start, line - start);
        const std::size_t colon = field.find(':');
        if (colon != std::string::npos && Poco::icompare(field.substr(0, colon), name) == 0) {
            return Poco::trim(field.substr(colon + 1));
        }
    }
    return "";
}

std::string body_of(const std::string& response) {
    const std::size_t head_end = response.find("\r\n\r\n");
    return head_end == std::string::npos ? "" : response.substr(head_end + 4);
}

std::string receive_response(Poco::Net::StreamSocket& socket, std::chrono::milliseconds timeout,
                             bool head_only) {
    const auto deadline = Clock::now() + timeout;
    std::string received;
    std::array<char, 4096> chunk{};
    for (;;) {
        const std::size_t head_end = received.find("\r\n\r\n");
        if (head_end != std::string::npos) {
            const std::string length = header_value(received, "Content-Length");
            const std::size_t body = head_only || length.empty() ? 0 : std::stoul(length);
            if (received.size() >= head_end + 4 + body) {
                return received;
            }
        }
        if (!readable_before(socket.impl()->sockfd(), deadline)) {
            return received;
        }
        const ssize_t n = ::recv(socket.impl()->sockfd(), chunk.data(), chunk.size(), 0);
        if (n <= 0) {
            return received;
        }
        received.append(chunk.data(), static_cast<std::size_t>(n));
    }
}

std::string exchange_on(Poco::Net::StreamSocket& socket, const std::string& request,
                        bool head_only) {
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    return receive_response(socket, std::chrono::seconds(10), head_only);
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
