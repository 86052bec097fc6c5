#pragma once
// Outside text (a host's error, stderr excerpts, keys) made fit for one line of a status field
// or a message, and cut to a byte budget without splitting a UTF-8 character. Pure. Built on
// text.hpp (to_valid_utf8); this adds the one-line rule and budgets in bytes, which the
// fleet's summary and notification need to stay bounded in size.
#include <cstddef>
#include <string>
#include <string_view>

namespace orch::pruner {

// to_valid_utf8(text) with every control character (C0, DEL and C1, so also \n \r \t) made a
// space. Printable text is unchanged.
std::string sanitize_one_line(std::string_view text);

// `text` unchanged when it fits in max_bytes; else its longest prefix that ends on a UTF-8
// character boundary and leaves room for "...", followed by "..." (the whole result is at most
// max_bytes; for max_bytes < 3 just the prefix). `text` should be valid UTF-8; on invalid input
// the result still stays in bounds.
std::string cut_to_bytes(std::string_view text, std::size_t max_bytes);

}  // namespace orch::pruner
