#include "metrics/exposition_validator.hpp"

#include <array>
#include <optional>
#include <vector>

#include "metrics/exposition_text.hpp"

namespace orch::host::metrics {
namespace {

enum class Kind { kUntyped, kCounter, kGauge, kHistogram, kSummary };

std::optional<Kind> kind_of(std::string_view word) {
    if (word == "counter")
        return Kind::kCounter;
    if (word == "gauge")
        return Kind::kGauge;
    if (word == "histogram")
        return Kind::kHistogram;
    if (word == "summary")
        return Kind::kSummary;
    if (word == "untyped")
        return Kind::kUntyped;
    return std::nullopt;
}

// The names a family's samples may have besides its own name.
std::vector<std::string> extra_names(const std::string& family, Kind kind) {
    if (kind == Kind::kHistogram) {
        return {family + "_bucket", family + "_sum", family + "_count"};
    }
    if (kind == Kind::kSummary) {
        return {family + "_sum", family + "_count"};
    }
    return {};
}

struct Family {
    std::string name;
    Kind kind = Kind::kUntyped;
    bool typed = false;
    bool helped = false;
    bool sampled = false;
};

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == ':';
}

bool blank(char c) {
    return c == ' ' || c == '\t';
}

// A cursor over one line.
struct Cursor {
    std::string_view s;
    std::size_t i = 0;

    bool done() const { return i >= s.size(); }  // ">=": an escape may step past the end
    char peek() const { return done() ? '\0' : s[i]; }
    std::size_t skip_blanks() {
        const std::size_t from = i;
        while (!done() && blank(s[i]))
            ++i;
        return i - from;
    }
    std::string_view word() {
        const std::size_t from = i;
        while (!done() && !blank(s[i]))
            ++i;
        return s.substr(from, i - from);
    }
    std::string_view name() {
        const std::size_t from = i;
        while (!done() && name_char(s[i])) {
            ++i;
        }
        return s.substr(from, i - from);
    }
};

struct Label {
    std::string_view name;
    std::string_view escaped_value;
};

struct Sample {
    std::string_view name;
    std::vector<Label> labels;
    std::string_view value;
};

// `{a="x",b="y"}` (a trailing comma allowed, as Prometheus allows it); the cursor is on '{'.
bool parse_labels(Cursor& c, std::vector<Label>& out) {
    ++c.i;
    for (;;) {
        c.skip_blanks();
        if (c.peek() == '}') {
            ++c.i;
            return true;
        }
        Label label;
        label.name = c.name();
        if (!is_label_name(label.name))
            return false;
        for (const Label& seen : out) {
            if (seen.name == label.name)
                return false;
        }
        c.skip_blanks();
        if (c.peek() != '=')
            return false;
        ++c.i;
        c.skip_blanks();
        if (c.peek() != '"')
            return false;
        const std::size_t from = ++c.i;
        while (!c.done() && c.s[c.i] != '"') {
            c.i += c.s[c.i] == '\\' ? std::size_t{2} : std::size_t{1};
        }
        if (c.i >= c.s.size())
            return false;
        label.escaped_value = c.s.substr(from, c.i - from);
        if (!is_escaped_label_value(label.escaped_value))
            return false;
        ++c.i;
        out.push_back(label);
        c.skip_blanks();
        if (c.peek() == ',') {
            ++c.i;
        } else if (c.peek() != '}') {
            return false;
        }
    }
}

std::optional<Sample> parse_sample(std::string_view line) {
    Cursor c{line};
    Sample sample;
    sample.name = c.name();
    if (!is_metric_name(sample.name))
        return std::nullopt;
    std::size_t blanks = c.skip_blanks();
    if (c.peek() == '{') {
        if (!parse_labels(c, sample.labels))
            return std::nullopt;
        blanks = c.skip_blanks();
    }
    if (blanks == 0)
        return std::nullopt;
    sample.value = c.word();
    if (!is_sample_value(sample.value))
        return std::nullopt;
    c.skip_blanks();
    if (!c.done())
        return std::nullopt;  // a timestamp or trailing text: the contract has none
    return sample;
}

const Label* find_label(const Sample& s, std::string_view name) {
    for (const Label& l : s.labels) {
        if (l.name == name)
            return &l;
    }
    return nullptr;
}

class Validator {
  public:
    Validator(TakenNames& taken, std::string& out) : taken_(taken), out_(out) {}

    // Returns whether the line is kept; `skipped` is set for lines that are neither kept nor bad.
    bool line(std::string_view line, bool& skipped) {
        Cursor c{line};
        c.skip_blanks();
        if (c.done()) {
            skipped = true;
            return false;
        }
        if (c.peek() == '#') {
            ++c.i;
            c.skip_blanks();
            const std::string_view keyword = c.word();
            if (keyword == "HELP")
                return help(c);
            if (keyword == "TYPE")
                return type(c);
            skipped = true;  // a plain comment: allowed by the format, carries nothing
            return false;
        }
        const auto sample = parse_sample(line.substr(c.i));
        return sample && this->sample(*sample);
    }

  private:
    bool is_current(std::string_view name) const { return current_ && current_->name == name; }

    // Makes `name` the current family if it may be: not the host's, not on the page yet.
    bool open(std::string_view name) {
        if (name.starts_with(kHostPrefix) || taken_.contains(name))
            return false;
        current_ = Family{std::string(name)};
        taken_.emplace(name);
        return true;
    }

    // A # HELP or # TYPE line for `name` (`seen`: Family::helped or Family::typed) belongs to the
    // current family before its samples and its first such line, or opens a new one.
    bool describe(std::string_view name, bool Family::*seen) {
        if (is_current(name)) {
            if ((*current_).*seen || current_->sampled)
                return false;
        } else if (!open(name)) {
            return false;
        }
        (*current_).*seen = true;
        return true;
    }

    bool help(Cursor& c) {
        if (c.skip_blanks() == 0)
            return false;
        const std::string_view name = c.name();
        if (!is_metric_name(name) || (!c.done() && !blank(c.peek())))
            return false;
        c.skip_blanks();
        const std::string_view doc = c.s.substr(c.i);
        if (!is_escaped_help(doc) || !describe(name, &Family::helped))
            return false;
        out_.append("# HELP ").append(name);
        if (!doc.empty())
            out_.append(" ").append(doc);
        out_ += '\n';
        return true;
    }

    bool type(Cursor& c) {
        if (c.skip_blanks() == 0)
            return false;
        const std::string_view name = c.name();
        if (!is_metric_name(name) || c.skip_blanks() == 0)
            return false;
        const std::string_view word = c.word();
        const auto kind = kind_of(word);
        c.skip_blanks();
        if (!kind || !c.done())
            return false;
        const std::vector<std::string> extras = extra_names(std::string(name), *kind);
        for (const std::string& extra : extras) {
            if (taken_.contains(extra))
                return false;
        }
        if (!describe(name, &Family::typed))
            return false;
        for (const std::string& extra : extras) {
            taken_.insert(extra);
        }
        current_->kind = *kind;
        out_.append("# TYPE ").append(name).append(" ").append(word) += '\n';
        return true;
    }

    bool sample(const Sample& s) {
        const bool of_current = current_ && belongs(s.name);
        if (!of_current && !open(s.name))
            return false;
        const Family& f = *current_;
        if (f.kind == Kind::kHistogram) {
            if (s.name == f.name)
                return false;  // a histogram has no sample of its own name
            if (s.name == f.name + "_bucket") {
                const Label* le = find_label(s, "le");
                if (le == nullptr || !is_sample_value(le->escaped_value))
                    return false;
            }
        }
        if (f.kind == Kind::kSummary && s.name == f.name) {
            const Label* q = find_label(s, "quantile");
            if (q == nullptr || !is_sample_value(q->escaped_value))
                return false;
        }
        current_->sampled = true;
        out_.append(s.name);
        if (!s.labels.empty()) {
            char sep = '{';
            for (const Label& l : s.labels) {
                out_ += sep;
                out_.append(l.name).append("=\"").append(l.escaped_value) += '"';
                sep = ',';
            }
            out_ += '}';
        }
        out_.append(" ").append(s.value) += '\n';
        return true;
    }

    bool belongs(std::string_view name) const {
        if (name == current_->name)
            return true;
        for (const std::string& extra : extra_names(current_->name, current_->kind)) {
            if (name == extra)
                return true;
        }
        return false;
    }

    TakenNames& taken_;
    std::string& out_;
    std::optional<Family> current_;
};

}  // namespace

ValidatedExposition validate_exposition(std::string_view text, TakenNames& taken,
                                        const ExpositionLimits& limits) {
    ValidatedExposition result;
    Validator validator(taken, result.text);
    std::size_t start = 0;
    std::size_t lines = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
        if (end == std::string_view::npos)
            end = text.size();
        ++lines;
        const std::string_view line = text.substr(start, end - start);
        if (end > limits.max_bytes || lines > limits.max_lines ||
            line.size() > limits.max_line_bytes) {
            ++result.lines_dropped;
        } else {
            bool skipped = false;
            if (validator.line(line, skipped)) {
                ++result.lines_kept;
            } else if (!skipped) {
                ++result.lines_dropped;
            }
        }
        start = next;
    }
    return result;
}

}  // namespace orch::host::metrics
