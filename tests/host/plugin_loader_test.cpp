// PluginLoader against real files: every way a library can fail to be a usable plugin, each a
// clear message naming the manifest, the file and the reason, and nothing created on failure.
#include <gtest/gtest.h>

#include <elf.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "loading/plugin_loader.hpp"
#include "orch/plugin_api/version.hpp"
#include "support/recording_services.hpp"
#include "support/temp_dir.hpp"

namespace orch::host {
namespace {

namespace fs = std::filesystem;

const fs::path kPluginDir = ORCH_TEST_PLUGIN_DIR;

std::string lib(const std::string& target) {
    return "lib" + target + ".so";
}

Manifest manifest(const std::string& id, const std::string& library) {
    Manifest m;
    m.file_name = id + ".json";
    m.id = id;
    m.library = library;
    m.api_version = {1, plugin_api::kApiMinor};  // what the test plugins are built for
    m.queue_key = id + "_q";
    m.config_json = R"({"k":"v"})";
    return m;
}

class PluginLoaderTest : public ::testing::Test {
  protected:
    PluginServices services() {
        return PluginServices{[this](const std::string& id) {
                                  logger_ids_.push_back(id);
                                  return std::make_unique<test::RecordingLogger>();
                              },
                              &notifier_};
    }

    LoadResult load(const Manifest& m, const fs::path& dir = kPluginDir) {
        PluginLoader loader(dir, libraries_, services());
        return loader.load(m);
    }

    // Loads and expects a refusal whose message contains `reason`; returns the message.
    std::string expect_refused(const Manifest& m, const std::string& reason,
                               const fs::path& dir = kPluginDir) {
        const LoadResult r = load(m, dir);
        EXPECT_FALSE(r.plugin);
        const std::string prefix = "plugin '" + m.id + "' (manifest " + m.file_name + ", library " +
                                   (dir / m.library).string() + "): ";
        EXPECT_EQ(r.error.rfind(prefix, 0), 0U) << r.error;
        EXPECT_NE(r.error.find(reason), std::string::npos) << r.error;
        EXPECT_TRUE(logger_ids_.empty()) << "a refused plugin got a logger";
        return r.error;
    }

    // A copy of a built plugin with some header bytes overwritten.
    fs::path patched_copy(const std::string& name, std::size_t offset, const void* bytes,
                          std::size_t n) {
        const fs::path copy = dir_ / name;
        fs::copy_file(kPluginDir / lib("test_plugin_recorder_a"), copy);
        std::fstream f(copy, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(offset));
        f.write(static_cast<const char*>(bytes), static_cast<std::streamsize>(n));
        return copy;
    }

    test::TempDir dir_;
    LibraryRegistry libraries_;
    test::RecordingNotifier notifier_;
    std::vector<std::string> logger_ids_;
};

TEST_F(PluginLoaderTest, LoadsACompatiblePluginAndHandsItConfigAndServices) {
    const LoadResult r = load(manifest("recorder_a", lib("test_plugin_recorder_a")));
    ASSERT_TRUE(r.plugin) << r.error;
    EXPECT_TRUE(r.error.empty());
    EXPECT_TRUE(r.warnings.empty());
    EXPECT_EQ(r.plugin->version, "0.1.0");
    ASSERT_TRUE(r.plugin->task);
    EXPECT_EQ(logger_ids_, std::vector<std::string>{"recorder_a"});
    // The recorder logs through the logger it was given and echoes its config in status().
    auto* logger = dynamic_cast<test::RecordingLogger*>(r.plugin->logger.get());
    ASSERT_NE(logger, nullptr);
    EXPECT_TRUE(logger->contains("recorder recorder_a created"));
    EXPECT_NE(r.plugin->task->status().find(R"("config":{"k":"v"})"), std::string::npos);
    EXPECT_EQ(libraries_.size(), 1U);
}

TEST_F(PluginLoaderTest, RefusesAManifestAskingForAnApiTheHostLacksBeforeTouchingTheFile) {
    Manifest m = manifest("future", "does-not-exist.so");
    m.api_version = {plugin_api::kApiMajor + 1, 0};
    const std::string host = "1." + std::to_string(plugin_api::kApiMinor);
    expect_refused(m, "needs plugin API 2.0, this host provides " + host);
    m.api_version = {plugin_api::kApiMajor, plugin_api::kApiMinor + 1};
    expect_refused(m, "needs plugin API 1." + std::to_string(plugin_api::kApiMinor + 1) +
                          ", this host provides " + host);
    EXPECT_EQ(libraries_.size(), 0U);
}

TEST_F(PluginLoaderTest, RefusesAMissingFile) {
    expect_refused(manifest("ghost", "libghost.so"), "library does not exist");
    EXPECT_EQ(libraries_.size(), 0U);
}

TEST_F(PluginLoaderTest, RefusesADirectory) {
    fs::create_directory(dir_ / "libdir.so");
    expect_refused(manifest("d", "libdir.so"), "library is a directory, not a library file",
                   dir_.path());
}

TEST_F(PluginLoaderTest, RefusesATextFileAsNotAnElfSharedObject) {
    test::write_file(dir_ / "x.so", "this is text, not a library\n");
    expect_refused(manifest("x", "x.so"),
                   "library is not an ELF shared object (its first bytes are 74 68 69 73, an ELF "
                   "file starts with 7f 45 4c 46)",
                   dir_.path());
    test::write_file(dir_ / "empty.so", "");
    expect_refused(manifest("e", "empty.so"), "not an ELF shared object (its first bytes are none",
                   dir_.path());
    EXPECT_EQ(libraries_.size(), 0U);
}

TEST_F(PluginLoaderTest, RefusesAnElfFileThatIsNotASharedObject) {
    const std::uint16_t exec = ET_EXEC;
    patched_copy("libexec.so", EI_NIDENT, &exec, sizeof exec);
    expect_refused(manifest("exec", "libexec.so"),
                   "library is an ELF file but not a shared object (e_type 2, an executable)",
                   dir_.path());
}

TEST_F(PluginLoaderTest, RefusesAnElfFileOfAnotherClassOrMachine) {
    const unsigned char class32 = ELFCLASS32;
    patched_copy("lib32.so", EI_CLASS, &class32, 1);
    expect_refused(manifest("c32", "lib32.so"), "library is a 32-bit ELF file; this host is 64-bit",
                   dir_.path());
    const std::uint16_t other = EM_RISCV;
    patched_copy("libriscv.so", EI_NIDENT + 2, &other, sizeof other);
    expect_refused(manifest("rv", "libriscv.so"), "library is a shared object for another machine",
                   dir_.path());
    EXPECT_EQ(libraries_.size(), 0U);
}

TEST_F(PluginLoaderTest, RefusesATruncatedSharedObjectWithoutCrashing) {
    fs::copy_file(kPluginDir / lib("test_plugin_recorder_a"), dir_ / "libcut.so");
    fs::resize_file(dir_ / "libcut.so", 200);
    expect_refused(manifest("cut", "libcut.so"), "library cannot be inspected as a shared object (",
                   dir_.path());
    EXPECT_EQ(libraries_.size(), 0U);
}

TEST_F(PluginLoaderTest, RefusesASharedObjectWithoutPluginSymbols) {
    expect_refused(manifest("plain", lib("test_library_no_symbols")),
                   "library is not an orchestrator plugin: section \"orchplug\" does not export "
                   "orch_plugin_descriptor and orch_create_task");
    EXPECT_EQ(libraries_.size(), 0U);
}

TEST_F(PluginLoaderTest, RefusesAnExecutableWithoutPluginSymbols) {
    // A PIE executable is an ELF shared object by type; its symbols tell it apart.
    fs::copy_file("/proc/self/exe", dir_ / "libexe.so");
    expect_refused(manifest("exe", "libexe.so"), "library is not an orchestrator plugin",
                   dir_.path());
}

TEST_F(PluginLoaderTest, ReportsDlerrorForAnUnresolvedSymbol) {
    expect_refused(manifest("unresolved", lib("test_plugin_unresolved")),
                   "dlopen failed: " + (kPluginDir / lib("test_plugin_unresolved")).string() +
                       ": undefined symbol: orch_test_symbol_nobody_defines");
}

struct MismatchCase {
    const char* id;
    const char* reason;
};

class IncompatiblePlugin : public PluginLoaderTest,
                           public ::testing::WithParamInterface<MismatchCase> {};

// The incompatible plugins' factories abort(): reaching one fails the test.
TEST_P(IncompatiblePlugin, IsRefusedNamingBothVersionsAndNothingIsCreated) {
    const auto& c = GetParam();
    expect_refused(manifest(c.id, lib(std::string("test_plugin_") + c.id)), c.reason);
}

INSTANTIATE_TEST_SUITE_P(
    Mismatches, IncompatiblePlugin,
    ::testing::Values(MismatchCase{"api_major",
                                   "incompatible: plugin 'api_major' 9.9.9: plugin API 2.1, host "
                                   "API 1.1 (major versions differ)"},
                      MismatchCase{"api_minor",
                                   "incompatible: plugin 'api_minor' 9.9.9: plugin API 1.2 is "
                                   "newer than host API 1.1"},
                      MismatchCase{"boost_version",
                                   "incompatible: plugin 'boost_version' 9.9.9: plugin built "
                                   "with Boost 1.74.0, host with Boost 1.81.0"},
                      MismatchCase{"cxx_abi",
                                   "incompatible: plugin 'cxx_abi' 9.9.9: plugin C++ ABI "
                                   "'itanium/libc++', host C++ ABI 'itanium/libstdc++/cxx11'"},
                      MismatchCase{"descriptor_size",
                                   "descriptor is 32 bytes, host expects 40 (built against "
                                   "an incompatible plugin_api header)"}),
    [](const auto& param_info) { return std::string(param_info.param.id); });

TEST_F(PluginLoaderTest, RefusesADescriptorIdThatIsNotTheManifestId) {
    expect_refused(manifest("someone_else", lib("test_plugin_recorder_a")),
                   "the library's descriptor says its id is 'recorder_a', the manifest says "
                   "'someone_else'");
}

TEST_F(PluginLoaderTest, ReportsAFactoryThatThrowsOrReturnsNothing) {
    const LoadResult thrown = load(manifest("factory_throws", lib("test_plugin_factory_throws")));
    EXPECT_FALSE(thrown.plugin);
    EXPECT_NE(thrown.error.find(
                  "orch_create_task threw: factory refuses: bad config for the test plugin"),
              std::string::npos)
        << thrown.error;
    const LoadResult null = load(manifest("factory_null", lib("test_plugin_factory_null")));
    EXPECT_FALSE(null.plugin);
    EXPECT_NE(null.error.find("orch_create_task returned no task"), std::string::npos)
        << null.error;
}

TEST_F(PluginLoaderTest, ReportsANullDescriptor) {
    expect_refused(manifest("null_descriptor", lib("test_plugin_null_descriptor")),
                   "orch_plugin_descriptor returned no descriptor");
}

TEST_F(PluginLoaderTest, LoadingTheSameLibraryTwiceGivesTwoIndependentTasks) {
    const LoadResult a = load(manifest("recorder_a", lib("test_plugin_recorder_a")));
    const LoadResult b = load(manifest("recorder_a", lib("test_plugin_recorder_a")));
    ASSERT_TRUE(a.plugin && b.plugin);
    EXPECT_NE(a.plugin->task.get(), b.plugin->task.get());
}

}  // namespace
}  // namespace orch::host
