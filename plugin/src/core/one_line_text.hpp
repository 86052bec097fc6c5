#pragma once
// Outside text (a host's error, stderr excerpts) made fit for one line of a status field or a
// message, and cut to a byte budget without splitting a UTF-8 character. Pure.
#include <cstddef>
#include <string>
#include <string_view>

namespace orch::pruner {

// Valid UTF-8 on one line: each byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF included) becomes U+FFFD, and every control
// character (C0, DEL and C1, so also \n \r \t) becomes a space. Printable text is unchanged.
std::string sanitize_one_line(std::string_view text);

// The longest prefix of `text` of at most max_bytes that does not end inside a UTF-8 sequence.
// `text` should be valid UTF-8 (sanitize_one_line); on invalid input the cut is still in bounds.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// `text` unchanged when it fits in max_bytes, else its utf8_prefix followed by "..." with the
// whole result at most max_bytes long (for max_bytes < 3: just the prefix, no marker).
std::string cut_to_bytes(std::string_view text, std::size_t max_bytes);

}  // namespace orch::pruner
