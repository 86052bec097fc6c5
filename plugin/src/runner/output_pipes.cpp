#include "runner/output_pipes.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <system_error>

namespace orch::pruner {
namespace {

constexpr std::size_t kReadChunk = std::size_t{64} * 1024;  // a whole default pipe buffer per read
constexpr int kDrainChunksPerPipe = 64;

void make_nonblocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        throw std::system_error(errno, std::generic_category(),
                                "making a child output pipe non-blocking");
    }
}

}  // namespace

OutputPipes::OutputPipes(int out_fd, int err_fd, std::size_t keep_bytes_per_stream)
    : streams_{Stream{out_fd, StreamCapture(keep_bytes_per_stream)},
               Stream{err_fd, StreamCapture(keep_bytes_per_stream)}},
      buffer_(kReadChunk) {
    make_nonblocking(out_fd);
    make_nonblocking(err_fd);
}

nfds_t OutputPipes::fill_poll_entries(pollfd* fds) const noexcept {
    nfds_t count = 0;
    for (const Stream& stream : streams_) {
        if (stream.open) {
            fds[count++] = pollfd{stream.fd, POLLIN, 0};
        }
    }
    return count;
}

void OutputPipes::read_ready(const pollfd* fds, nfds_t count) {
    for (nfds_t i = 0; i < count; ++i) {
        if (fds[i].revents == 0) {
            continue;
        }
        for (Stream& stream : streams_) {
            if (stream.open && stream.fd == fds[i].fd) {
                read_chunk(stream);
            }
        }
    }
}

void OutputPipes::drain_buffered() {
    for (Stream& stream : streams_) {
        for (int i = 0; i < kDrainChunksPerPipe && stream.open && read_chunk(stream); ++i) {
        }
    }
}

bool OutputPipes::read_chunk(Stream& stream) {
    for (;;) {
        const ssize_t n = ::read(stream.fd, buffer_.data(), buffer_.size());
        if (n > 0) {
            stream.capture.append(std::string_view(buffer_.data(), static_cast<std::size_t>(n)));
            return true;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n == 0 || errno != EAGAIN) {
            stream.open = false;
        }
        return false;
    }
}

}  // namespace orch::pruner
