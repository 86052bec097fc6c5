#pragma once
// Lexical rules of the Prometheus text exposition format 0.0.4, shared by the validator of
// plugins' text and the host's own renderer: names, label values, sample values.
#include <string>
#include <string_view>

namespace orch::host::metrics {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved for Prometheus' own labels).
bool is_label_name(std::string_view name);
// What Prometheus parses as a sample value: a decimal float with optional exponent, or
// +Inf/-Inf/Inf/NaN. Go's hex floats and underscores are refused (no peer needs them).
bool is_sample_value(std::string_view value);
// A label value as written between the quotes: valid UTF-8, only \\, \" and \n escapes, no raw
// '"' or newline.
bool is_escaped_label_value(std::string_view escaped);
// A HELP text as written: valid UTF-8, only \\ and \n escapes, no raw newline.
bool is_escaped_help(std::string_view escaped);

// For rendering: `raw` (any bytes) as a label value, invalid UTF-8 replaced by U+FFFD
// (sanitize_utf8, services/utf8_text.hpp) and \\, " and newline escaped.
std::string escape_label_value(std::string_view raw);

}  // namespace orch::host::metrics
