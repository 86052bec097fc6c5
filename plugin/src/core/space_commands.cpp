#include "core/space_commands.hpp"

#include <algorithm>

#include "core/byte_size.hpp"
#include "core/space_probe.hpp"

namespace orch::pruner {

std::string build_pressure_remote_command(std::uint64_t keep_bytes) {
    return "docker builder prune -f --keep-storage " +
           std::to_string(std::min(keep_bytes, kMaxByteSize));
}

std::vector<std::string> build_pressure_prune_argv(const SshOptions& ssh,
                                                   std::uint64_t keep_bytes) {
    return build_ssh_argv(ssh, build_pressure_remote_command(keep_bytes));
}

std::vector<std::string> build_probe_argv(const SshOptions& ssh) {
    return build_ssh_argv(ssh, std::string(kProbeRemoteCommand));
}

std::vector<std::string> build_preview_argv(const SshOptions& ssh) {
    return build_ssh_argv(ssh, std::string(kPreviewRemoteCommand));
}

}  // namespace orch::pruner
