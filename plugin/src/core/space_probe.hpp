#pragma once
// The space probe (issue 10): one fixed remote command that reports docker's data root, the free
// and total bytes of the filesystem holding it, and the build cache's size; and the pure parser
// of what it prints.
//
// Design:
// - The command is a constant. No configured value is ever interpolated into it, so nothing an
//   operator (or an attacker who controls a config layer) writes can reach the remote shell here.
// - It runs under `sh -c '...'` so that the remote account's login shell (csh, fish, ...) only
//   has to pass one single-quoted word on; the script itself contains no single quote.
// - Each part is framed: a marker line `@@root`, `@@df` or `@@cache`, the command's stdout, then
//   `@@rc <exit status>`; `@@end` closes the output. So the parser can say which part failed
//   (a missing docker, a missing df, an old docker), and a truncated output (ssh died, timeout)
//   is told apart from a garbled one. Text before the first marker (shell startup files) and
//   after `@@end` (logout scripts) is ignored; text between sections is an error. stderr is not
//   redirected: it reaches ssh's stderr, which the task logs next to the error.
// - Filesystem bytes come from `df -P -k DIR`, not `df -P -B1` or `stat -f`: -P (one line per
//   filesystem, even when the device name is long; without it GNU df wraps a long name onto its
//   own line) and -k are the only df options POSIX specifies, so it works on GNU coreutils,
//   busybox (alpine; -B needs busybox's optional FANCY feature) and BSDs alike; `stat -f -c` is
//   GNU/busybox-only and its format letters differ on BSD. The parser reads the block size from
//   the header ("1024-blocks", also "512-blocks"/"1-blocks"), so KiB rounding is the only cost.
//   "Free" is df's Available column (what unprivileged writers can still use, i.e. statfs
//   f_bavail), not BuildKit's f_bfree: stricter by the root reserve, and what operators see.
// - LC_ALL=C keeps df's header and numbers unlocalised.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace orch::pruner {

// The remote command, exactly as ssh hands it to the remote login shell.
inline constexpr std::string_view kProbeRemoteCommand =
    "sh -c '"
    "LC_ALL=C; export LC_ALL; "
    "echo @@root; r=$(docker info --format \"{{.DockerRootDir}}\"); s=$?; "
    "printf \"%s\\n\" \"$r\"; echo \"@@rc $s\"; "
    "echo @@df; df -P -k \"$r\"; echo \"@@rc $?\"; "
    "echo @@cache; docker system df --format \"{{.Type}}\\t{{.Size}}\\t{{.Reclaimable}}\"; "
    "echo \"@@rc $?\"; "
    "echo @@end'";

// Probe output larger than this is refused unread (the real output is a few hundred bytes).
inline constexpr std::size_t kMaxProbeOutputBytes = 64 * 1024;

// What a successful probe says. Sizes from `docker system df` are docker's rounded human sizes
// (4 significant digits) read back as bytes; cache_total is the sum of the *unshared* records
// (what `--keep-storage` compares against), cache_reclaimable that minus records in use.
struct ProbeResult {
    std::string docker_root_dir;  // absolute, printable ASCII, at most 4096 bytes
    std::uint64_t fs_avail_bytes = 0;
    std::uint64_t fs_size_bytes = 0;  // > 0
    std::uint64_t cache_total_bytes = 0;
    std::uint64_t cache_reclaimable_bytes = 0;

    friend bool operator==(const ProbeResult&, const ProbeResult&) = default;
};

// Parses the probe's stdout. Lines may end in \r\n. Never throws except std::bad_alloc.
// The error names every part that failed, in probe order, as "<part>: <why>" joined by "; ":
// "probe output" (the framing itself: too long, truncated, unknown markers), "docker info",
// "df", "docker system df"; e.g. "df: df exited with status 1 (its message is on stderr)". It
// is safe to print: remote text in it is escaped and bounded.
Result<ProbeResult> parse_probe_output(std::string_view output);

}  // namespace orch::pruner
