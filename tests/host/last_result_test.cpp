// LastResult: a computation is reused only for equal inputs, computed again for any change, and
// a computation that throws leaves nothing kept.
#include "last_result.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace orch::host {
namespace {

TEST(LastResult, ReusedForEqualInputsComputedAgainForAnyChange) {
    int computed = 0;
    const auto joined = [&](const std::vector<std::string>& words, const std::string& separator) {
        ++computed;
        std::string out;
        for (const std::string& w : words) {
            out += (out.empty() ? "" : separator) + w;
        }
        return out;
    };
    LastResult<std::string, std::vector<std::string>, std::string> last;
    const std::vector<std::string> words{"a", "b"};
    EXPECT_EQ(last.get(joined, words, std::string(",")), "a,b");
    EXPECT_EQ(last.get(joined, std::vector<std::string>{"a", "b"}, std::string(",")), "a,b");
    EXPECT_EQ(computed, 1);
    EXPECT_EQ(last.get(joined, words, std::string(";")), "a;b");  // the second input changed
    EXPECT_EQ(last.get(joined, std::vector<std::string>{"a"}, std::string(";")), "a");
    EXPECT_EQ(computed, 3);
}

TEST(LastResult, AComputationThatThrowsLeavesNothingKept) {
    int computed = 0;
    bool fail = false;
    const auto twice = [&](const int& value) {
        ++computed;
        if (fail) {
            throw std::runtime_error("refused");
        }
        return value * 2;
    };
    LastResult<int, int> last;
    EXPECT_EQ(last.get(twice, 1), 2);
    fail = true;
    EXPECT_THROW(last.get(twice, 2), std::runtime_error);
    fail = false;
    EXPECT_EQ(last.get(twice, 1), 2);  // computed again: the kept result went with the throw
    EXPECT_EQ(computed, 3);
}

}  // namespace
}  // namespace orch::host
