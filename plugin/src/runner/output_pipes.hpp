#pragma once
// The child's stdout and stderr pipes, read without ever blocking into bounded captures. The
// caller polls; this reads what poll() reported and tracks which pipes reached EOF.
#include <poll.h>

#include <array>
#include <cstddef>
#include <vector>

#include "runner/stream_capture.hpp"

namespace orch::pruner {

class OutputPipes {
  public:
    // Takes the read ends (owned by the caller) and makes them non-blocking.
    OutputPipes(int out_fd, int err_fd, std::size_t keep_bytes_per_stream);

    bool any_open() const noexcept { return streams_[0].open || streams_[1].open; }
    // Writes a POLLIN entry for each pipe not yet at EOF into `fds`; returns how many (<= 2).
    nfds_t fill_poll_entries(pollfd* fds) const noexcept;
    // One read from each pipe that poll() reported ready (entries as filled above).
    void read_ready(const pollfd* fds, nfds_t count);
    // Reads what is already buffered, stopping when a pipe is empty or after a bounded amount
    // (a writer outside our process group could otherwise keep us here).
    void drain_buffered();

    CapturedStream out() const { return streams_[0].capture.result(); }
    CapturedStream err() const { return streams_[1].capture.result(); }

  private:
    struct Stream {
        int fd;
        StreamCapture capture;
        bool open = true;
    };
    // One read; EOF or a read error closes the stream. Returns whether bytes arrived.
    bool read_chunk(Stream& stream);

    std::array<Stream, 2> streams_;
    std::vector<char> buffer_;
};

}  // namespace orch::pruner
