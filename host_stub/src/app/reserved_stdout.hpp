#pragma once
// stdout belongs to the host's own output: the "listening on" line or the --once JSON, which
// scripts and tests parse. The original stdout is kept on a private descriptor and descriptor 1
// is pointed at stderr, so anything a plugin (or a library) prints lands in the log instead of
// corrupting that output.
#include <string_view>

namespace orch::host {

class ReservedStdout {
  public:
    // Takes over descriptor 1. Call before any plugin is loaded. If the descriptors cannot be
    // rearranged, output goes to descriptor 1 as usual.
    ReservedStdout() noexcept;
    ~ReservedStdout();
    ReservedStdout(const ReservedStdout&) = delete;
    ReservedStdout& operator=(const ReservedStdout&) = delete;

    // Writes `text` and a newline in full to the original stdout. False on a write error (e.g.
    // the reader went away).
    bool write_line(std::string_view text) noexcept;

  private:
    int fd_ = 1;
};

}  // namespace orch::host
