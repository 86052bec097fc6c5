// normalize_until on arbitrary operator text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/shell_quote.hpp"
#include "core/until.hpp"
#include "fuzz_check.hpp"

using orch::pruner::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const orch::pruner::Result<std::string> result = orch::pruner::normalize_until(text);

    if (!result) {
        check(result.error().find(orch::pruner::kUntilExpected) != std::string::npos,
              "a refusal says what was expected");
        return 0;
    }
    const std::string& go = *result;
    check(!go.empty(), "a value is never empty");
    for (const char c : go) {
        check((c >= '0' && c <= '9') || c == '.' || c == 'n' || c == 'u' || c == 'm' || c == 's' ||
                  c == 'h',
              "only digits, '.' and unit letters reach docker");
    }
    check(orch::pruner::shell_quote(go) == go, "a valid duration needs no shell quoting");
    const orch::pruner::Result<std::string> again = orch::pruner::normalize_until(go);
    check(again && *again == go, "normalisation is idempotent");
    return 0;
}
