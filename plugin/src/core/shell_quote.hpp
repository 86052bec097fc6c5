#pragma once
// Quoting text for the two readers it goes to: the remote POSIX shell, and a human reading a
// log line or a status field.
#include <cstddef>
#include <string>
#include <string_view>

namespace orch::pruner {

// Quotes one word for a POSIX shell (the remote login shell ssh hands its command to):
// single quotes, with embedded single quotes written as '\''. Words made only of safe
// characters ([A-Za-z0-9_@%+=:,./-]) are returned unquoted; the empty word becomes ''.
std::string shell_quote(std::string_view word);

// Makes arbitrary bytes safe to print on one line: backslash and double quote are escaped, \n \r
// \t as such, every other control byte and every byte >= 0x80 as \xNN (so a value with a
// newline cannot forge a second log line, and invalid UTF-8 never reaches a JSON status).
std::string escape_for_message(std::string_view text);

// escape_for_message() in double quotes; text longer than max_chars bytes is cut and followed
// by `...` after the closing quote, so a huge value cannot flood a message.
std::string quote_for_message(std::string_view text, std::size_t max_chars = 200);

}  // namespace orch::pruner
