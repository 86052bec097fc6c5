#include "log/stderr_logger.hpp"

#include <cstdio>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "log/safe_log.hpp"

namespace orch::host {
namespace {

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};

// A real stdio stream backed by an anonymous temporary file.
class CapturedStream {
  public:
    CapturedStream() : file_(std::tmpfile()) {}
    std::FILE* get() const { return file_.get(); }

    std::vector<std::string> lines() const {
        std::fflush(file_.get());
        std::rewind(file_.get());
        std::vector<std::string> result;
        std::string current;
        for (int c = std::fgetc(file_.get()); c != EOF; c = std::fgetc(file_.get())) {
            if (c == '\n') {
                result.push_back(current);
                current.clear();
            } else {
                current += static_cast<char>(c);
            }
        }
        EXPECT_TRUE(current.empty()) << "unterminated last line: " << current;
        return result;
    }

  private:
    std::unique_ptr<std::FILE, FileCloser> file_;
};

const std::regex kLinePattern(
    R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z (DEBUG|INFO|WARNING|ERROR) \[([^\]]*)\] (.*))");

TEST(StderrLogger, WritesOneFormattedLinePerMessage) {
    CapturedStream stream;
    ASSERT_NE(stream.get(), nullptr);
    StderrLogger logger(LogLevel::kDebug, "build_cache_pruner", stream.get());
    logger.log(LogLevel::kWarning, "reclaimed 1.5 ГБ\nsecond line");
    logger.log(LogLevel::kDebug, "details");

    const auto lines = stream.lines();
    ASSERT_EQ(lines.size(), 2U);
    std::smatch match;
    ASSERT_TRUE(std::regex_match(lines[0], match, kLinePattern)) << lines[0];
    EXPECT_EQ(match[1], "WARNING");
    EXPECT_EQ(match[2], "build_cache_pruner");
    EXPECT_EQ(match[3], "reclaimed 1.5 ГБ\\nsecond line");
    ASSERT_TRUE(std::regex_match(lines[1], match, kLinePattern)) << lines[1];
    EXPECT_EQ(match[1], "DEBUG");
}

TEST(StderrLogger, DropsMessagesBelowTheMinimumLevel) {
    CapturedStream stream;
    StderrLogger logger(LogLevel::kWarning, "host", stream.get());
    logger.log(LogLevel::kDebug, "debug");
    logger.log(LogLevel::kInfo, "info");
    logger.log(LogLevel::kWarning, "warning");
    logger.log(LogLevel::kError, "error");
    const auto lines = stream.lines();
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_NE(lines[0].find(" WARNING [host] warning"), std::string::npos) << lines[0];
    EXPECT_NE(lines[1].find(" ERROR [host] error"), std::string::npos) << lines[1];
}

TEST(StderrLogger, WithSourceKeepsStreamAndLevel) {
    CapturedStream stream;
    const StderrLogger host(LogLevel::kWarning, "host", stream.get());
    StderrLogger plugin = host.with_source("build_cache_pruner");
    EXPECT_EQ(plugin.minimum_level(), LogLevel::kWarning);
    plugin.log(LogLevel::kInfo, "hidden");
    plugin.log(LogLevel::kError, "shown");
    const auto lines = stream.lines();
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_NE(lines[0].find(" ERROR [build_cache_pruner] shown"), std::string::npos) << lines[0];
}

TEST(StderrLogger, LinesFromManyThreadsAndLoggersNeverInterleave) {
    CapturedStream stream;
    constexpr int kThreads = 8;
    constexpr int kLinesPerThread = 500;
    const std::string payload(300, 'p');  // long enough that a torn write would show
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            StderrLogger logger(LogLevel::kDebug, "t" + std::to_string(t), stream.get());
            for (int i = 0; i < kLinesPerThread; ++i) {
                logger.log(LogLevel::kInfo, std::to_string(i) + " " + payload);
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    const auto lines = stream.lines();
    ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kLinesPerThread));
    const std::regex whole(R"(\S+ INFO \[t\d\] \d+ p{300})");
    for (const std::string& line : lines) {
        ASSERT_TRUE(std::regex_match(line, whole)) << line;
    }
}

// The guard the host's own threads log through: a logger that throws does not stop them.
TEST(LogNoexcept, SwallowsExceptionsFromTheLogger) {
    struct ThrowingLogger final : plugin_api::ILogger {
        void log(LogLevel, std::string_view) override { throw std::runtime_error("broken"); }
    } base;
    EXPECT_NO_THROW(log_noexcept(base, LogLevel::kError, "m"));
}

}  // namespace
}  // namespace orch::host
