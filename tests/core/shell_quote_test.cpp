#include "core/shell_quote.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

namespace orch::pruner {
namespace {

// What a real POSIX shell makes of `script` (its stdout).
std::string run_sh(const std::string& script) {
    const std::string command = "/bin/sh -c " + shell_quote(script);
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    EXPECT_NE(pipe, nullptr);
    std::string out;
    char buffer[256];
    while (pipe && std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
        out += buffer;
    }
    return out;
}

TEST(ShellQuote, SafeWordsStayUnquoted) {
    EXPECT_EQ(shell_quote("24h"), "24h");
    EXPECT_EQ(shell_quote("until=1h30m"), "until=1h30m");
    EXPECT_EQ(shell_quote("root@build-host.prod"), "root@build-host.prod");
    EXPECT_EQ(shell_quote("/home/u/.ssh/id_ed25519"), "/home/u/.ssh/id_ed25519");
    EXPECT_EQ(shell_quote("-oBatchMode=yes,x:y%z+w"), "-oBatchMode=yes,x:y%z+w");
}

TEST(ShellQuote, EmptyWordIsTwoQuotes) {
    EXPECT_EQ(shell_quote(""), "''");
}

TEST(ShellQuote, UnsafeWordsAreSingleQuoted) {
    EXPECT_EQ(shell_quote("a b"), "'a b'");
    EXPECT_EQ(shell_quote("$(id)"), "'$(id)'");
    EXPECT_EQ(shell_quote("`id`"), "'`id`'");
    EXPECT_EQ(shell_quote("a;b"), "'a;b'");
    EXPECT_EQ(shell_quote("~"), "'~'");
    EXPECT_EQ(shell_quote("*"), "'*'");
    EXPECT_EQ(shell_quote("docker builder prune -f"), "'docker builder prune -f'");
}

TEST(ShellQuote, EmbeddedSingleQuotesAreClosedEscapedReopened) {
    EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
    EXPECT_EQ(shell_quote("'"), "''\\'''");
}

TEST(ShellQuote, RealShellReadsBackTheExactWord) {
    for (const std::string word : {"plain",
                                   "",
                                   "a b",
                                   "it's",
                                   "'",
                                   "''",
                                   "$(touch /tmp/orch-never)",
                                   "`id`",
                                   "a;b|c&d",
                                   "x\ny",
                                   "tab\there",
                                   "back\\slash",
                                   "dq\"",
                                   "$HOME",
                                   "*",
                                   "~",
                                   "!x",
                                   "#c",
                                   "a\\'b",
                                   "\xc2\xb5s",
                                   "-n",
                                   "--"}) {
        EXPECT_EQ(run_sh("printf '%s|' " + shell_quote(word)), word + "|") << word;
    }
}

TEST(EscapeForMessage, ControlCharactersAreVisibleAndOnOneLine) {
    EXPECT_EQ(escape_for_message("a\nb"), "a\\nb");
    EXPECT_EQ(escape_for_message("a\tb\rc"), "a\\tb\\rc");
    EXPECT_EQ(escape_for_message(std::string("\x01\x7f\0", 3)), "\\x01\\x7f\\x00");
    EXPECT_EQ(escape_for_message("q\"b\\"), "q\\\"b\\\\");
    EXPECT_EQ(escape_for_message("\xc2\xb5"), "\\xc2\\xb5");
    EXPECT_EQ(escape_for_message("plain text"), "plain text");
}

TEST(QuoteForMessage, WrapsInDoubleQuotesAndCutsLongValues) {
    EXPECT_EQ(quote_for_message("h; x"), "\"h; x\"");
    EXPECT_EQ(quote_for_message(""), "\"\"");
    EXPECT_EQ(quote_for_message("abcdef", 3), "\"abc\"...");
    EXPECT_EQ(quote_for_message("abc", 3), "\"abc\"");
    EXPECT_EQ(quote_for_message(std::string(1000, 'x')).size(), 200U + 2U + 3U);
}

}  // namespace
}  // namespace orch::pruner
