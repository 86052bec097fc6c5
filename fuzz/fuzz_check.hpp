#pragma once
// An invariant a fuzz target asserts: on violation, say which and abort so libFuzzer saves the
// input as a crash artifact.
#include <cstdio>
#include <cstdlib>

namespace orch::pruner::fuzz {

inline void check(bool holds, const char* invariant) {
    if (!holds) {
        std::fprintf(stderr, "invariant violated: %s\n", invariant);
        std::abort();
    }
}

}  // namespace orch::pruner::fuzz
