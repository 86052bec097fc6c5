// The host's validator of a plugin's metrics text (host_stub/src/metrics) on arbitrary bytes: a
// plugin is code the host does not control, and its label values come from outside.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "metrics/exposition_text.hpp"
#include "metrics/exposition_validator.hpp"
#include "text/utf8_text.hpp"

using orch::pruner::fuzz::check;
namespace m = orch::host::metrics;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    m::TakenNames taken{"taken_by_another"};
    const m::ExpositionLimits limits{4096, 64, 512};
    const m::ValidatedExposition v = m::validate_exposition(text, taken, limits);

    check(v.text.empty() || v.text.back() == '\n', "every kept line ends in a newline");
    check(orch::host::is_valid_utf8(v.text), "what is kept is valid UTF-8");
    check(v.lines_kept <= limits.max_lines, "at most max_lines kept");
    std::size_t lines = 0;
    for (std::size_t at = 0; at < v.text.size(); at = v.text.find('\n', at) + 1) {
        ++lines;
        const std::string_view line(v.text.data() + at, v.text.find('\n', at) - at);
        check(!line.starts_with(m::kHostPrefix) && !line.starts_with("# HELP orch_host_") &&
                  !line.starts_with("# TYPE orch_host_"),
              "nothing under the host's prefix");
        for (const std::string_view prefix :
             {"taken_by_another ", "taken_by_another{", "# HELP taken_by_another ",
              "# TYPE taken_by_another "}) {
            check(!line.starts_with(prefix) && line != "# HELP taken_by_another",
                  "no line of another plugin's family");
        }
    }
    check(lines == v.lines_kept, "one output line per kept line");

    // What is kept is canonical: validating it again keeps every line and changes nothing.
    m::TakenNames fresh{"taken_by_another"};
    const std::size_t unbounded = std::numeric_limits<std::size_t>::max();
    const m::ValidatedExposition again =
        m::validate_exposition(v.text, fresh, {unbounded, unbounded, unbounded});
    check(again.lines_dropped == 0, "kept lines stay valid");
    check(again.text == v.text, "validation is idempotent");
    return 0;
}
