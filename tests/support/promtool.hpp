#pragma once
// Runs the real `promtool check metrics` (Debian's prometheus package, installed by
// scripts/setup.sh) on a page of exposition text: the consumer's own parser and linter.
#include <string>

namespace orch::test {

struct PromtoolResult {
    int exit_code = -1;  // 0: parsed and lint-clean
    std::string output;  // promtool's stdout and stderr
};

// Throws std::runtime_error when promtool is not installed: a test that needs it must fail, not
// skip, since setup installs it.
PromtoolResult promtool_check_metrics(const std::string& page);

}  // namespace orch::test
