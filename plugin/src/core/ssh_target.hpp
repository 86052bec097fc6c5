#pragma once
// The ssh destination: validated so that nothing the operator configures can become an ssh
// option or a shell fragment.
#include <string>
#include <string_view>

namespace orch::pruner {

struct SshTargetResult {
    bool ok = false;
    std::string target;  // "user@host" or "host" (a Host alias from ssh_config is a host)
    std::string error;   // names the key (deploy_ssh_host / deploy_ssh_user), value, expectation
};

// `host` must be non-empty (the caller handles "no target configured" before calling). Host and
// user may not start with '-', and may hold only letters, digits and . _ - (host also : [ ] % for
// IPv6 literals and zones); whitespace, control characters and shell metacharacters are refused.
SshTargetResult make_ssh_target(std::string_view host, std::string_view user);

}  // namespace orch::pruner
