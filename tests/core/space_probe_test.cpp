#include "core/space_probe.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "core/shell_quote.hpp"

namespace orch::pruner {
namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(ORCH_CORE_FIXTURES_DIR) + "/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A probe output with the given section bodies (each ends in "\n" when not empty).
std::string probe(const std::string& root, const std::string& df, const std::string& cache,
                  int root_rc = 0, int df_rc = 0, int cache_rc = 0) {
    return "@@root\n" + root + "@@rc " + std::to_string(root_rc) + "\n@@df\n" + df + "@@rc " +
           std::to_string(df_rc) + "\n@@cache\n" + cache + "@@rc " + std::to_string(cache_rc) +
           "\n@@end\n";
}

const std::string kRoot = "/var/lib/docker\n";
const std::string kDf =
    "Filesystem     1024-blocks     Used Available Capacity Mounted on\n"
    "/dev/vda         264212084 17925220  82411968      18% /\n";
const std::string kCache =
    "Images\t35MB\t35MB (100%)\nContainers\t0B\t0B\nLocal Volumes\t0B\t0B\n"
    "Build Cache\t160MB\t120MB\n";

TEST(ProbeCommand, FixedAndSingleQuotedOnce) {
    const std::string command(kProbeRemoteCommand);
    EXPECT_TRUE(command.starts_with("sh -c '"));
    EXPECT_TRUE(command.ends_with("'"));
    // One single-quoted word: no quote inside, so no login shell can split or expand it.
    EXPECT_EQ(command.find('\'', 7), command.size() - 1);
    for (const char* part :
         {"docker info --format \"{{.DockerRootDir}}\"", "df -P -k \"$r\"",
          "docker system df --format "
          "\"{{.Type}}\\t{{.Size}}\\t{{.Reclaimable}}\"",
          "echo @@root", "echo @@df", "echo @@cache", "echo @@end", "LC_ALL=C"}) {
        EXPECT_NE(command.find(part), std::string::npos) << part;
    }
    EXPECT_EQ(command.find("prune"), std::string::npos);
    EXPECT_EQ(command.find('\n'), std::string::npos);
}

TEST(ParseProbe, RealOutputFromDocker2010) {
    // Captured by running kProbeRemoteCommand against dockerd 20.10.24 (fixtures/README.md).
    const auto parse = parse_probe_output(fixture("probe_docker2010.txt"));
    ASSERT_TRUE(parse) << parse.error();
    EXPECT_EQ(parse->docker_root_dir, "/tmp/h10core-dockerd.gohZTo/root");
    EXPECT_EQ(parse->fs_size_bytes, 264212084ULL * 1024);
    EXPECT_EQ(parse->fs_avail_bytes, 82403508ULL * 1024);
    EXPECT_EQ(parse->cache_total_bytes, 5'000'000U);
    EXPECT_EQ(parse->cache_reclaimable_bytes, 5'000'000U);

    const auto empty = parse_probe_output(fixture("probe_empty_cache.txt"));
    ASSERT_TRUE(empty) << empty.error();
    EXPECT_EQ(empty->cache_total_bytes, 0U);
    EXPECT_EQ(empty->cache_reclaimable_bytes, 0U);
}

TEST(ParseProbe, RealOutputWithoutADaemonNamesEveryPart) {
    const auto parse = parse_probe_output(fixture("probe_no_daemon.txt"));
    ASSERT_FALSE(parse);
    EXPECT_EQ(parse.error(),
              "docker info: docker info exited with status 1 (its message is on stderr); "
              "df: df exited with status 1 (its message is on stderr); "
              "docker system df: docker system df exited with status 1 (its message is on "
              "stderr)");
}

struct Case {
    const char* name;
    std::string output;
    ProbeResult expected;
};

TEST(ParseProbe, Table) {
    const Case cases[] = {
        {"gnu df -P -k",
         probe(kRoot, kDf, kCache),
         {"/var/lib/docker", 82411968ULL * 1024, 264212084ULL * 1024, 160'000'000, 120'000'000}},
        {"crlf line ends",
         [] {
             std::string text = probe(kRoot, kDf, kCache);
             std::string crlf;
             for (char c : text) {
                 crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
             }
             return crlf;
         }(),
         {"/var/lib/docker", 82411968ULL * 1024, 264212084ULL * 1024, 160'000'000, 120'000'000}},
        {"busybox df -P -k",
         probe(kRoot,
               "Filesystem           1024-blocks    Used Available Use% "
               "Mounted on\noverlay                 1000      400       600  "
               "40% /\n",
               "Build Cache\t0B\t0B\n"),
         {"/var/lib/docker", 600 * 1024, 1000 * 1024, 0, 0}},
        {"df -B1 header, long device name and spaces in the mount point",
         probe("/srv/docker data\n",
               "Filesystem 1-blocks Used Available Capacity Mounted on\n"
               "/dev/mapper/a-very-long-volume-group-name-that-gnu-would-wrap 1000 10 990 1% "
               "/srv/docker data\n",
               "Build Cache\t1.5GB\t1.2GB (80%)\n"),
         {"/srv/docker data", 990, 1000, 1'500'000'000, 1'200'000'000}},
        {"binary units and 512-byte blocks",
         probe(kRoot, "Filesystem 512-blocks Used Available Capacity Mounted on\nx 8 2 6 25% /\n",
               "Build Cache\t1GiB\t512MiB\n"),
         {"/var/lib/docker", 6 * 512, 8 * 512, 1ULL << 30, 1ULL << 29}},
        {"capacity '-' (no blocks in use counted)",
         probe(kRoot, "Filesystem 1024-blocks Used Available Capacity Mounted on\nx 10 0 10 - /\n",
               "Build Cache\t0B\t0B\n"),
         {"/var/lib/docker", 10240, 10240, 0, 0}},
        {"shell startup and logout output around the probe",
         "Welcome from .bashrc\n\n" + probe(kRoot, kDf, kCache) + "bye from .bash_logout\n",
         {"/var/lib/docker", 82411968ULL * 1024, 264212084ULL * 1024, 160'000'000, 120'000'000}},
        {"blank lines around the root",
         probe("\n/var/lib/docker\n\n", kDf, kCache),
         {"/var/lib/docker", 82411968ULL * 1024, 264212084ULL * 1024, 160'000'000, 120'000'000}},
    };
    for (const auto& c : cases) {
        const auto parse = parse_probe_output(c.output);
        ASSERT_TRUE(parse) << c.name << ": " << parse.error();
        EXPECT_EQ(*parse, c.expected) << c.name;
    }
}

struct FailureCase {
    const char* name;
    std::string output;
    std::string part;  // as the error names it
    const char* message_contains;
};

// Whether `error` has a part "<part>: ..." (parts are joined by "; ") that contains `message`.
bool names_part(const std::string& error, const std::string& part, const std::string& message) {
    std::size_t begin = 0;
    for (;;) {
        const std::size_t end = error.find("; ", begin);
        const std::string item = error.substr(begin, end - begin);
        if (item.starts_with(part + ": ") && item.find(message) != std::string::npos) {
            return true;
        }
        if (end == std::string::npos) {
            return false;
        }
        begin = end + 2;
    }
}

TEST(ParseProbe, FailuresNameThePart) {
    const std::string flood(100, '\n');
    std::string many_lines;
    for (int i = 0; i < 100; ++i) {
        many_lines += "x\n";
    }
    const FailureCase cases[] = {
        {"empty output", "", "docker info", "no output"},
        {"cut off in df", "@@root\n/var/lib/docker\n@@rc 0\n@@df\nFilesystem 1024-blocks", "df",
         "cut off before its exit status"},
        {"cut off before end",
         probe(kRoot, kDf, kCache).substr(0, probe(kRoot, kDf, kCache).size() - 7), "probe output",
         "@@end"},
        {"docker info failed with text", probe("Error: boom\n", kDf, kCache, 1), "docker info",
         "status 1: \"Error: boom\""},
        {"relative root", probe("var/lib/docker\n", kDf, kCache), "docker info", "absolute path"},
        {"two roots", probe("/a\n/b\n", kDf, kCache), "docker info", "got 2"},
        {"control byte in root", probe("/a\x1b[31m\n", kDf, kCache), "docker info", "\\x1b"},
        {"root too long", probe("/" + std::string(5000, 'a') + "\n", kDf, kCache), "docker info",
         "absolute path"},
        {"df missing", probe(kRoot, "", kCache, 0, 127), "df", "status 127"},
        {"df without header", probe(kRoot, "/dev/vda 1 2 3 4% /\n", kCache), "df", "block size"},
        {"df garbled numbers",
         probe(kRoot, "Filesystem 1024-blocks Used Available Capacity Mounted on\nx a b c d% /\n",
               kCache),
         "df", "no line with total"},
        {"df overflow",
         probe(kRoot,
               "Filesystem 1024-blocks Used Available Capacity Mounted on\n"
               "x 18446744073709551615 0 1 1% /\n",
               kCache),
         "df", "too large"},
        {"df zero size",
         probe(kRoot, "Filesystem 1024-blocks Used Available Capacity Mounted on\nx 0 0 0 0% /\n",
               kCache),
         "df", "size of 0"},
        {"no build cache row", probe(kRoot, kDf, "Images\t1B\t1B\n"), "docker system df",
         "no \"Build Cache\" row"},
        {"{{json .}} on 20.10", probe(kRoot, kDf, "json\njson\njson\njson\n"), "docker system df",
         "\"json\""},
        {"garbled size", probe(kRoot, kDf, "Build Cache\tlots\t1B\n"), "docker system df",
         "unreadable sizes"},
        {"two fields", probe(kRoot, kDf, "Build Cache\t1B\n"), "docker system df",
         "3 tab-separated"},
        {"section flooded", probe(kRoot, kDf, many_lines), "docker system df",
         "more than 64 lines"},
        {"marker twice", "@@root\n@@root\n", "probe output", "twice"},
        {"text between sections",
         "@@root\n/var/lib/docker\n@@rc 0\nhello\n@@df\n" + kDf + "@@rc 0\n@@cache\n" + kCache +
             "@@rc 0\n@@end\n",
         "probe output", "outside the probe's sections: \"hello\""},
        {"too long", std::string(kMaxProbeOutputBytes + 1, 'x'), "probe output",
         "more than 65536 bytes"},
        {"rc unreadable", "@@root\n/a\n@@rc x\n", "docker info", "(unreadable)"},
    };
    for (const auto& c : cases) {
        const auto parse = parse_probe_output(c.output);
        ASSERT_FALSE(parse) << c.name;
        EXPECT_TRUE(names_part(parse.error(), c.part, c.message_contains))
            << c.name << ": " << parse.error();
    }
}

TEST(ParseProbe, PartsFailIndependently) {
    const auto parse = parse_probe_output(probe(kRoot, "", kCache, 0, 1));
    ASSERT_FALSE(parse);
    EXPECT_TRUE(parse.error().starts_with("df: ")) << parse.error();
    EXPECT_EQ(parse.error().find("; "), std::string::npos) << "only df failed: " << parse.error();
}

}  // namespace
}  // namespace orch::pruner

namespace orch::pruner {
namespace {

// The probe command itself, run by a real /bin/sh with the real df and a fake `docker` script
// first on PATH: proves the framing, the quoting and df -P -k on this machine's df.
TEST(ProbeCommandInARealShell, ParsesWhatItPrints) {
    char dir_template[] = "/tmp/orch-probe-test.XXXXXX";
    const char* dir = mkdtemp(dir_template);
    ASSERT_NE(dir, nullptr);
    const std::string root = std::string(dir) + "/data root";  // a space, quoted by the script
    ASSERT_EQ(mkdir(root.c_str(), 0700), 0);
    const std::string docker = std::string(dir) + "/docker";
    {
        std::ofstream script(docker);
        script << "#!/bin/sh\n"
               << "case \"$1\" in\n"
               << "  info) [ \"$3\" = '{{.DockerRootDir}}' ] && echo '" << root << "' ;;\n"
               << "  system) [ \"$4\" = '{{.Type}}\\t{{.Size}}\\t{{.Reclaimable}}' ] && "
               << "printf 'Images\\t1B\\t1B (100%%)\\nBuild Cache\\t160MB\\t80MB\\n' ;;\n"
               << "esac\n";
    }
    ASSERT_EQ(chmod(docker.c_str(), 0700), 0);
    const std::string command = "PATH=" + std::string(dir) + ":/usr/bin:/bin /bin/sh -c " +
                                shell_quote(std::string(kProbeRemoteCommand));
    std::string output;
    {
        std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
        ASSERT_NE(pipe, nullptr);
        char buffer[512];
        std::size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, pipe.get())) > 0) {
            output.append(buffer, n);
        }
    }
    std::remove(docker.c_str());
    rmdir(root.c_str());
    rmdir(dir);

    const auto parse = parse_probe_output(output);
    ASSERT_TRUE(parse) << parse.error() << "\n" << output;
    EXPECT_EQ(parse->docker_root_dir, root);
    EXPECT_GT(parse->fs_size_bytes, 0U);
    EXPECT_LE(parse->fs_avail_bytes, parse->fs_size_bytes);
    EXPECT_EQ(parse->cache_total_bytes, 160'000'000U);
    EXPECT_EQ(parse->cache_reclaimable_bytes, 80'000'000U);
}

}  // namespace
}  // namespace orch::pruner
