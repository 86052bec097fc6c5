#include "runner/executable_lookup.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace orch::pruner {
namespace {

using test::TempDir;

void write_file(const std::filesystem::path& path, bool executable) {
    std::ofstream(path) << "#!/bin/sh\nexit 0\n";
    ::chmod(path.c_str(), executable ? 0755 : 0644);
}

TEST(FindExecutableTest, FindsAProgramOnPath) {
    EXPECT_EQ(find_executable("sh", "/nonexistent-dir:/bin:/usr/bin"), "/bin/sh");
}

TEST(FindExecutableTest, MissingProgramIsNullopt) {
    EXPECT_EQ(find_executable("no-such-program-here", "/bin:/usr/bin"), std::nullopt);
}

TEST(FindExecutableTest, FirstMatchingDirectoryWins) {
    TempDir first;
    TempDir second;
    write_file(first / "tool", true);
    write_file(second / "tool", true);
    const std::string path = first.path().string() + ":" + second.path().string();
    EXPECT_EQ(find_executable("tool", path), (first / "tool").string());
}

TEST(FindExecutableTest, SkipsNonExecutableFilesAndDirectories) {
    TempDir not_executable;
    TempDir directory;
    TempDir real;
    write_file(not_executable / "tool", false);
    std::filesystem::create_directory(directory / "tool");
    write_file(real / "tool", true);
    const std::string path = not_executable.path().string() + ":" + directory.path().string() +
                             ":" + real.path().string();
    EXPECT_EQ(find_executable("tool", path), (real / "tool").string());
    EXPECT_EQ(
        find_executable("tool", not_executable.path().string() + ":" + directory.path().string()),
        std::nullopt);
}

TEST(FindExecutableTest, TrailingSlashAndEmptyEntries) {
    TempDir dir;
    write_file(dir / "tool", true);
    EXPECT_EQ(find_executable("tool", "::" + dir.path().string() + "/:"), (dir / "tool").string());
}

TEST(FindExecutableTest, NameWithSlashIsCheckedAsGivenNotSearched) {
    TempDir dir;
    write_file(dir / "tool", true);
    write_file(dir / "plain", false);
    EXPECT_EQ(find_executable((dir / "tool").string(), ""), (dir / "tool").string());
    EXPECT_EQ(find_executable((dir / "plain").string(), "/bin"), std::nullopt);
    EXPECT_EQ(find_executable((dir / "missing").string(), "/bin"), std::nullopt);
    EXPECT_EQ(find_executable("sub/sh", "/"), std::nullopt);  // not "/sub/sh" via PATH
}

TEST(FindExecutableTest, EmptyNameOrEmptyPathFindsNothing) {
    EXPECT_EQ(find_executable("", "/bin:/usr/bin"), std::nullopt);
    EXPECT_EQ(find_executable("sh", ""), std::nullopt);
}

// What the runner does not search for (and Poco::Path::find would find: see the header).
TEST(FindExecutableTest, RelativeNameIsNotResolvedAgainstEntries) {
    TempDir dir;
    std::filesystem::create_directory(dir / "sub");
    write_file(dir / "sub" / "tool", true);
    EXPECT_EQ(find_executable("sub/tool", dir.path().string()), std::nullopt);
}

TEST(FindExecutableTest, EntriesAreNotTrimmed) {
    TempDir dir;
    write_file(dir / "tool", true);
    EXPECT_EQ(find_executable("tool", " " + dir.path().string()), std::nullopt);
}

}  // namespace
}  // namespace orch::pruner
