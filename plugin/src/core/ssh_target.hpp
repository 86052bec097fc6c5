#pragma once
// The ssh destination: validated so that nothing the operator configures can become an ssh
// option or a shell fragment (ssh hands the host to ProxyCommand/LocalCommand shells via %h).
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace orch::pruner {

// `host` must be non-empty (the caller handles "no target configured" before calling; an empty
// host is an error here). `user` may be empty: then the target is the host alone and ssh picks
// the user (ssh_config or the local user).
//
// Host: a name, ssh_config Host alias or IPv4 address made of letters, digits and . _ -; or an
// IPv6 literal (hex digits, ':' and '.', at least two ':'), optionally with a %zone and
// optionally in brackets, which are removed because ssh does not strip them ("[::1]" -> "::1").
// User: letters, digits and . _ -. Neither may start with '-' nor exceed 255 bytes; whitespace,
// control characters, '@' in the user and shell metacharacters are refused.
// The target, "user@host" or "host" (a Host alias from ssh_config is a host); or the error,
// which names the key (deploy_ssh_host / deploy_ssh_user), the value and what was expected.
Result<std::string> make_ssh_target(std::string_view host, std::string_view user);

}  // namespace orch::pruner
