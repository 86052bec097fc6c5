#pragma once
// A daemon may be started with descriptor 0, 1 or 2 closed (systemd, cron and supervisors do
// this). The next descriptor the host opens would then take that number, and code that believes
// it is writing to stdout or stderr (ReservedStdout, the logger, a plugin) would write into it.
// Call first thing in main(), before any other descriptor exists.
namespace orch::host {

// Opens /dev/null onto each of descriptors 0, 1 and 2 that is closed. False if that fails (the
// host must not go on: its own descriptors would take those numbers).
bool ensure_standard_fds_open() noexcept;

}  // namespace orch::host
