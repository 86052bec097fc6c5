#include "core/space_probe.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "core/reclaimed_parser.hpp"
#include "core/shell_quote.hpp"
#include "core/text.hpp"

namespace orch::pruner {

namespace {

// A real section is a handful of lines; more means something else is talking.
constexpr std::size_t kMaxSectionLines = 64;
constexpr std::size_t kMaxRootDirBytes = 4096;
constexpr std::size_t kQuotedChars = 120;

struct Section {
    std::string_view command;  // names the part in errors
    bool seen = false;
    bool closed = false;   // its "@@rc" line arrived
    bool flooded = false;  // more than kMaxSectionLines lines: the rest were dropped
    int exit_status = -1;
    std::vector<std::string_view> lines{};
};

struct Sections {
    Section root{"docker info"};
    Section df{"df"};
    Section cache{"docker system df"};
    bool ended = false;
};

std::optional<std::uint64_t> to_u64(std::string_view digits) {
    if (!all_digits(digits)) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || ptr != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return value;
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines{};
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(line);
    }
    return lines;
}

// Tab-separated fields, empty ones kept (a trailing tab adds none).
std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> fields;
    for (std::size_t at = 0; at <= line.size();) {
        const std::size_t end = std::min(line.find('\t', at), line.size());
        fields.push_back(line.substr(at, end - at));
        at = end + 1;
    }
    return fields;
}

Result<Sections> frame(std::string_view output) {
    Sections sections;
    Section* current = nullptr;
    std::string outside;  // the first text between sections
    for (const std::string_view line : split_lines(output)) {
        if (sections.ended) {
            continue;  // e.g. a logout script's output: the probe's own text is complete
        }
        Section* next = nullptr;
        if (line == "@@root") {
            next = &sections.root;
        } else if (line == "@@df") {
            next = &sections.df;
        } else if (line == "@@cache") {
            next = &sections.cache;
        } else if (line == "@@end") {
            sections.ended = true;
            current = nullptr;
            continue;
        }
        if (next != nullptr) {
            if (next->seen) {
                return failure("a section marker appears twice");
            }
            next->seen = true;
            current = next;
            continue;
        }
        if (current == nullptr) {
            // Before the first marker: whatever the remote account's shell startup files print
            // (a .bashrc echo) is not the probe's and is skipped. Between sections only the
            // probe itself writes, so text there means the output is not what it seems.
            const bool before_first =
                !sections.root.seen && !sections.df.seen && !sections.cache.seen;
            if (!before_first && !line.empty() && outside.empty()) {
                outside =
                    "text outside the probe's sections: " + quote_for_message(line, kQuotedChars);
            }
            continue;
        }
        if (line.starts_with("@@rc ")) {
            const auto status = to_u64(line.substr(5));
            current->exit_status = status && *status <= 255 ? static_cast<int>(*status) : -1;
            current->closed = true;
            current = nullptr;
            continue;
        }
        if (current->lines.size() >= kMaxSectionLines) {
            current->flooded = true;
            continue;
        }
        current->lines.push_back(line);
    }
    if (!outside.empty()) {
        return failure(std::move(outside));
    }
    return success(std::move(sections));
}

// Whether a section's lines are worth reading at all.
Result<void> readable(const Section& section) {
    if (section.flooded) {
        return failure("more than " + std::to_string(kMaxSectionLines) + " lines of output");
    }
    if (!section.seen) {
        return failure("no output (the probe stopped before it ran)");
    }
    if (!section.closed) {
        return failure("output cut off before its exit status");
    }
    if (section.exit_status != 0) {
        std::string message = std::string(section.command) + " exited with status " +
                              (section.exit_status < 0 ? std::string("(unreadable)")
                                                       : std::to_string(section.exit_status));
        for (const auto line : section.lines) {
            if (!line.empty()) {
                return failure(message + ": " + quote_for_message(line, kQuotedChars));
            }
        }
        return failure(message + " (its message is on stderr)");
    }
    return {};
}

std::string first_nonblank_quoted(const std::vector<std::string_view>& lines) {
    for (const auto line : lines) {
        if (!line.empty()) {
            return quote_for_message(line, kQuotedChars);
        }
    }
    return "nothing";
}

using Lines = std::vector<std::string_view>;

Result<void> read_root(const Lines& lines, ProbeResult& out) {
    std::vector<std::string_view> nonblank;
    for (const auto line : lines) {
        if (!line.empty()) {
            nonblank.push_back(line);
        }
    }
    if (nonblank.size() != 1) {
        return failure("expected one line with the data root, got " +
                       std::to_string(nonblank.size()));
    }
    const std::string_view root = nonblank.front();
    const bool printable =
        std::all_of(root.begin(), root.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    if (root.front() != '/' || root.size() > kMaxRootDirBytes || !printable) {
        return failure("expected an absolute path of printable ASCII, got " +
                       quote_for_message(root, kQuotedChars));
    }
    out.docker_root_dir = std::string(root);
    return {};
}

bool checked_multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& out) {
    if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) {
        return false;
    }
    out = a * b;
    return true;
}

// df -P: "Filesystem <N>-blocks Used Available Capacity Mounted on", then one line per
// filesystem: name, total, used, available, "NN%", mount point. Names and mount points may hold
// spaces, so the numbers are found as the first run of three numbers followed by a percentage.
Result<void> read_df(const Lines& lines, ProbeResult& out) {
    std::optional<std::uint64_t> block_size;
    std::size_t i = 0;
    for (; i < lines.size(); ++i) {
        for (const auto word : split_words(lines[i], " \t")) {
            if (word.ends_with("-blocks")) {
                block_size = to_u64(word.substr(0, word.size() - 7));
            }
        }
        if (block_size) {
            break;
        }
    }
    if (!block_size || *block_size == 0) {
        return failure("no header with the block size (\"1024-blocks\"), got " +
                       first_nonblank_quoted(lines));
    }
    for (++i; i < lines.size(); ++i) {
        const auto words = split_words(lines[i], " \t");
        for (std::size_t w = 0; w + 3 < words.size(); ++w) {
            const auto total = to_u64(words[w]);
            const auto available = to_u64(words[w + 2]);
            const std::string_view capacity = words[w + 3];
            const bool percentage =
                capacity == "-" || (capacity.size() >= 2 && capacity.back() == '%' &&
                                    all_digits(capacity.substr(0, capacity.size() - 1)));
            if (!total || !to_u64(words[w + 1]) || !available || !percentage) {
                continue;
            }
            if (!checked_multiply(*total, *block_size, out.fs_size_bytes) ||
                !checked_multiply(*available, *block_size, out.fs_avail_bytes)) {
                return failure("sizes too large to count in bytes");
            }
            if (out.fs_size_bytes == 0) {
                return failure("the filesystem reports a size of 0");
            }
            return {};
        }
    }
    return failure("no line with total, used and available blocks after the header");
}

// docker system df --format "{{.Type}}\t{{.Size}}\t{{.Reclaimable}}": one row per type. The
// build cache's Reclaimable is a plain size on 20.10; images add " (NN%)", accepted here too.
Result<void> read_cache(const Lines& lines, ProbeResult& out) {
    for (const auto line : lines) {
        const auto fields = split_tabs(line);
        if (fields.empty() || fields.front() != "Build Cache") {
            continue;
        }
        if (fields.size() != 3) {
            return failure("expected 3 tab-separated fields in the Build Cache row, got " +
                           quote_for_message(line, kQuotedChars));
        }
        std::string_view reclaimable_text = fields[2];
        if (const auto paren = reclaimable_text.find(" (");
            paren != std::string_view::npos && reclaimable_text.ends_with("%)")) {
            reclaimable_text = reclaimable_text.substr(0, paren);
        }
        const auto size_value = parse_size(fields[1]);
        const auto reclaimable_value = parse_size(reclaimable_text);
        if (!size_value || !reclaimable_value) {
            return failure("unreadable sizes in the Build Cache row " +
                           quote_for_message(line, kQuotedChars));
        }
        out.cache_total_bytes = *size_value;
        out.cache_reclaimable_bytes = *reclaimable_value;
        return {};
    }
    return failure("no \"Build Cache\" row, got " + first_nonblank_quoted(lines));
}

}  // namespace

Result<ProbeResult> parse_probe_output(std::string_view output) {
    if (output.size() > kMaxProbeOutputBytes) {
        return failure("probe output: more than " + std::to_string(kMaxProbeOutputBytes) +
                       " bytes, not read");
    }
    const Result<Sections> sections = frame(output);
    if (!sections) {
        return failure("probe output: " + sections.error());
    }
    using Reader = Result<void> (*)(const Lines&, ProbeResult&);
    const std::array<std::pair<const Section*, Reader>, 3> parts = {
        {{&sections->root, read_root}, {&sections->df, read_df}, {&sections->cache, read_cache}}};
    ProbeResult result;
    std::string errors;  // every failed part, in probe order
    for (const auto& [section, reader] : parts) {
        Result<void> read = readable(*section);
        if (read) {
            read = reader(section->lines, result);
        }
        if (!read) {
            errors +=
                (errors.empty() ? "" : "; ") + std::string(section->command) + ": " + read.error();
        }
    }
    if (errors.empty() && !sections->ended) {
        errors = "probe output: cut off before the @@end marker";
    }
    if (!errors.empty()) {
        return failure(std::move(errors));
    }
    return success(std::move(result));
}

}  // namespace orch::pruner
