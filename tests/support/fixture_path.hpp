#pragma once
// Paths into tests/fixtures (fake scripts, sample outputs), used from the source tree.
// ORCH_TEST_FIXTURES_DIR is defined for every suite by orch_add_gtest (tests/CMakeLists.txt).
#include <string>

namespace orch::test {

inline std::string fixture(const std::string& relative) {
    return std::string(ORCH_TEST_FIXTURES_DIR) + "/" + relative;
}

}  // namespace orch::test
