#pragma once
// The three remote commands of issue 10, each a fixed text or digits only, inside the same ssh
// argv as the age prune (build_ssh_argv in prune_command.hpp).
//
// Design:
// - Probe: kProbeRemoteCommand (space_probe.hpp), a constant.
// - Pressure prune: `docker builder prune -f --keep-storage <keep bytes>`, digits only. No
//   `until` filter: under pressure space wins, and BuildKit deletes least recently used records
//   first, so the cache the next builds need stays. Never `-a`, whatever the operator's `all`:
//   the original's invariant is that -a comes only together with the until filter, and a
//   pressure prune has none. Dropping -a costs little: it would add records shared with images
//   (deleting those frees no disk while the image holds the layers) and internal/frontend
//   records (small); pairing it with until would instead exempt exactly the recent burst that
//   filled the disk. So all=true affects only the age prune; the function takes no `all`.
// - keep is sent as plain bytes: the docker CLI would read "10GB" as 10 GiB (RAMInBytes).
//   `--keep-storage 0` means "no limit" to BuildKit and removes every candidate, which is what
//   keep = 0 asks for. Values above INT64_MAX are clamped (docker's field is an int64).
// - Preview: `docker system df -v --format '{{json .BuildCache}}'`, a constant (works on 20.10;
//   `--format json` does not). Its output goes to parse_build_cache_records (cache_preview.hpp).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/prune_command.hpp"

namespace orch::pruner {

// "docker builder prune -f --keep-storage <keep_bytes>".
std::string build_pressure_remote_command(std::uint64_t keep_bytes);

// ssh ... -n -- <target> "docker builder prune -f --keep-storage <keep_bytes>".
std::vector<std::string> build_pressure_prune_argv(const SshOptions& ssh, std::uint64_t keep_bytes);

// ssh ... -n -- <target> <kProbeRemoteCommand>.
std::vector<std::string> build_probe_argv(const SshOptions& ssh);

inline constexpr std::string_view kPreviewRemoteCommand =
    "docker system df -v --format '{{json .BuildCache}}'";

// ssh ... -n -- <target> <kPreviewRemoteCommand>.
std::vector<std::string> build_preview_argv(const SshOptions& ssh);

}  // namespace orch::pruner
