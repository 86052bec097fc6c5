#include "core/space_probe.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

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
    bool seen = false;
    bool closed = false;   // its "@@rc" line arrived
    bool flooded = false;  // more than kMaxSectionLines lines: the rest were dropped
    int exit_status = -1;
    std::vector<std::string_view> lines;
};

struct Sections {
    Section root;
    Section df;
    Section cache;
    bool ended = false;
    std::string framing_error;
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
    std::vector<std::string_view> lines;
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

std::vector<std::string_view> split_words(std::string_view line, char separator = '\0') {
    std::vector<std::string_view> words;
    const auto is_separator = [separator](char c) {
        return separator == '\0' ? (c == ' ' || c == '\t') : c == separator;
    };
    std::size_t i = 0;
    while (i <= line.size()) {
        if (separator == '\0') {
            while (i < line.size() && is_separator(line[i])) {
                ++i;
            }
            if (i == line.size()) {
                break;
            }
        }
        std::size_t end = i;
        while (end < line.size() && !is_separator(line[end])) {
            ++end;
        }
        words.push_back(line.substr(i, end - i));
        i = end + 1;
    }
    return words;
}

Sections frame(std::string_view output) {
    Sections sections;
    Section* current = nullptr;
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
                sections.framing_error = "a section marker appears twice";
                return sections;
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
            if (!before_first && !line.empty() && sections.framing_error.empty()) {
                sections.framing_error =
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
    return sections;
}

// Why a section cannot be read at all, or empty when its lines are worth reading.
std::string section_problem(const Section& section, std::string_view command) {
    if (section.flooded) {
        return "more than " + std::to_string(kMaxSectionLines) + " lines of output";
    }
    if (!section.seen) {
        return "no output (the probe stopped before it ran)";
    }
    if (!section.closed) {
        return "output cut off before its exit status";
    }
    if (section.exit_status != 0) {
        std::string message = std::string(command) + " exited with status " +
                              (section.exit_status < 0 ? std::string("(unreadable)")
                                                       : std::to_string(section.exit_status));
        for (const auto line : section.lines) {
            if (!line.empty()) {
                return message + ": " + quote_for_message(line, kQuotedChars);
            }
        }
        return message + " (its message is on stderr)";
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

std::optional<std::string> read_root(const Section& section, std::string& error) {
    error = section_problem(section, "docker info");
    if (!error.empty()) {
        return std::nullopt;
    }
    std::vector<std::string_view> nonblank;
    for (const auto line : section.lines) {
        if (!line.empty()) {
            nonblank.push_back(line);
        }
    }
    if (nonblank.size() != 1) {
        error = "expected one line with the data root, got " + std::to_string(nonblank.size());
        return std::nullopt;
    }
    const std::string_view root = nonblank.front();
    const bool printable =
        std::all_of(root.begin(), root.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    if (root.front() != '/' || root.size() > kMaxRootDirBytes || !printable) {
        error = "expected an absolute path of printable ASCII, got " +
                quote_for_message(root, kQuotedChars);
        return std::nullopt;
    }
    return std::string(root);
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
bool read_df(const Section& section, std::uint64_t& avail, std::uint64_t& size,
             std::string& error) {
    error = section_problem(section, "df");
    if (!error.empty()) {
        return false;
    }
    std::optional<std::uint64_t> block_size;
    std::size_t i = 0;
    for (; i < section.lines.size(); ++i) {
        for (const auto word : split_words(section.lines[i])) {
            if (word.ends_with("-blocks")) {
                block_size = to_u64(word.substr(0, word.size() - 7));
            }
        }
        if (block_size) {
            break;
        }
    }
    if (!block_size || *block_size == 0) {
        error = "no header with the block size (\"1024-blocks\"), got " +
                first_nonblank_quoted(section.lines);
        return false;
    }
    for (++i; i < section.lines.size(); ++i) {
        const auto words = split_words(section.lines[i]);
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
            if (!checked_multiply(*total, *block_size, size) ||
                !checked_multiply(*available, *block_size, avail)) {
                error = "sizes too large to count in bytes";
                return false;
            }
            if (size == 0) {
                error = "the filesystem reports a size of 0";
                return false;
            }
            return true;
        }
    }
    error = "no line with total, used and available blocks after the header";
    return false;
}

// docker system df --format "{{.Type}}\t{{.Size}}\t{{.Reclaimable}}": one row per type. The
// build cache's Reclaimable is a plain size on 20.10; images add " (NN%)", accepted here too.
bool read_cache(const Section& section, std::uint64_t& total, std::uint64_t& reclaimable,
                std::string& error) {
    error = section_problem(section, "docker system df");
    if (!error.empty()) {
        return false;
    }
    for (const auto line : section.lines) {
        const auto fields = split_words(line, '\t');
        if (fields.empty() || fields.front() != "Build Cache") {
            continue;
        }
        if (fields.size() != 3) {
            error = "expected 3 tab-separated fields in the Build Cache row, got " +
                    quote_for_message(line, kQuotedChars);
            return false;
        }
        std::string_view reclaimable_text = fields[2];
        if (const auto paren = reclaimable_text.find(" (");
            paren != std::string_view::npos && reclaimable_text.ends_with("%)")) {
            reclaimable_text = reclaimable_text.substr(0, paren);
        }
        const auto size_value = parse_size(fields[1]);
        const auto reclaimable_value = parse_size(reclaimable_text);
        if (!size_value || !reclaimable_value) {
            error =
                "unreadable sizes in the Build Cache row " + quote_for_message(line, kQuotedChars);
            return false;
        }
        total = *size_value;
        reclaimable = *reclaimable_value;
        return true;
    }
    error = "no \"Build Cache\" row, got " + first_nonblank_quoted(section.lines);
    return false;
}

}  // namespace

const char* to_string(ProbePart part) {
    switch (part) {
        case ProbePart::kDockerRoot:
            return "docker info";
        case ProbePart::kFilesystem:
            return "df";
        case ProbePart::kBuildCache:
            return "docker system df";
        case ProbePart::kOutput:
            break;
    }
    return "probe output";
}

std::string ProbeParse::error() const {
    std::string text;
    for (const auto& failure : failures) {
        if (!text.empty()) {
            text += "; ";
        }
        text += std::string(to_string(failure.part)) + ": " + failure.message;
    }
    return text;
}

ProbeParse parse_probe_output(std::string_view output) {
    ProbeParse parse;
    if (output.size() > kMaxProbeOutputBytes) {
        parse.failures.push_back(
            {ProbePart::kOutput,
             "more than " + std::to_string(kMaxProbeOutputBytes) + " bytes, not read"});
        return parse;
    }
    const Sections sections = frame(output);
    if (!sections.framing_error.empty()) {
        parse.failures.push_back({ProbePart::kOutput, sections.framing_error});
        return parse;
    }
    ProbeResult result;
    std::string error;
    if (auto root = read_root(sections.root, error)) {
        result.docker_root_dir = std::move(*root);
    } else {
        parse.failures.push_back({ProbePart::kDockerRoot, error});
    }
    if (!read_df(sections.df, result.fs_avail_bytes, result.fs_size_bytes, error)) {
        parse.failures.push_back({ProbePart::kFilesystem, error});
    }
    if (!read_cache(sections.cache, result.cache_total_bytes, result.cache_reclaimable_bytes,
                    error)) {
        parse.failures.push_back({ProbePart::kBuildCache, error});
    }
    if (parse.failures.empty() && !sections.ended) {
        parse.failures.push_back({ProbePart::kOutput, "cut off before the @@end marker"});
    }
    if (parse.failures.empty()) {
        parse.result = std::move(result);
    }
    return parse;
}

}  // namespace orch::pruner
