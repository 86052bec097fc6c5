// Choosing the manifests of a directory: duplicates, order independence, and reading files.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "manifest/manifest_dir.hpp"
#include "manifest/manifest_set.hpp"
#include "support/temp_dir.hpp"

namespace orch::host {
namespace {

std::string manifest(const std::string& id, const std::string& queue_key, bool required = false) {
    return R"({"schema_version": 1, "id": ")" + id + R"(", "library": "lib)" + id +
           R"(.so", "api_version": "1.0", "enabled": true, "required": )" +
           (required ? "true" : "false") + R"(, "queue_key": ")" + queue_key + R"("})";
}

std::vector<std::string> ids(const ManifestSet& set) {
    std::vector<std::string> out;
    for (const auto& m : set.manifests) {
        out.push_back(m.id);
    }
    return out;
}

TEST(SelectManifests, KeepsTheFirstFileByNameForADuplicateId) {
    // Given out of order on purpose: the outcome follows file names, not listing order.
    const auto set = select_manifests({{"b.json", manifest("x", "qb")},
                                       {"a.json", manifest("x", "qa")},
                                       {"c.json", manifest("y", "qc")}});
    EXPECT_EQ(ids(set), (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(set.manifests[0].file_name, "a.json");
    ASSERT_EQ(set.errors.size(), 1U);
    EXPECT_EQ(set.errors[0].message,
              "manifest b.json: id 'x' is already used by manifest a.json; manifest skipped");
    EXPECT_FALSE(set.errors[0].required);
}

TEST(SelectManifests, RejectsADuplicateQueueKey) {
    const auto set = select_manifests(
        {{"a.json", manifest("x", "q")}, {"b.json", manifest("y", "q", /*required=*/true)}});
    EXPECT_EQ(ids(set), (std::vector<std::string>{"x"}));
    ASSERT_EQ(set.errors.size(), 1U);
    EXPECT_EQ(
        set.errors[0].message,
        "manifest b.json: queue_key 'q' is already used by manifest a.json; manifest skipped");
    EXPECT_TRUE(set.errors[0].required);  // a required plugin that cannot load is fatal
}

TEST(SelectManifests, SkipsBadManifestsAndKeepsTheOthers) {
    const auto set = select_manifests({{"bad.json", "{ not json"},
                                       {"good.json", manifest("g", "g")},
                                       {"typed.json", R"({"schema_version": "1"})"}});
    EXPECT_EQ(ids(set), (std::vector<std::string>{"g"}));
    ASSERT_EQ(set.errors.size(), 2U);
    EXPECT_NE(set.errors[0].message.find("manifest bad.json: not valid JSON"), std::string::npos);
    EXPECT_NE(set.errors[0].message.find("; manifest skipped"), std::string::npos);
    EXPECT_NE(set.errors[1].message.find("manifest typed.json: \"schema_version\""),
              std::string::npos);
}

TEST(SelectManifests, ABrokenManifestThatSaysRequiredIsMarkedRequired) {
    const auto set =
        select_manifests({{"r.json", R"({"schema_version": 1, "required": true, "id": "r"})"}});
    ASSERT_FALSE(set.errors.empty());
    for (const auto& e : set.errors) {
        EXPECT_TRUE(e.required) << e.message;
    }
}

TEST(ReadManifestDir, ReadsOnlyVisibleJsonFiles) {
    test::TempDir dir;
    test::write_file(dir / "b.json", manifest("b", "b"));
    test::write_file(dir / "a.json", manifest("a", "a"));
    test::write_file(dir / "notes.txt", "not a manifest");
    test::write_file(dir / ".a.json.swp", "{");
    test::write_file(dir / ".hidden.json", "{");
    std::filesystem::create_directory(dir / "sub.json");
    const auto load = load_manifest_dir(dir.path());
    EXPECT_FALSE(load.fatal);
    EXPECT_EQ(ids(load.set), (std::vector<std::string>{"a", "b"}));
    ASSERT_EQ(load.set.errors.size(), 1U);
    EXPECT_EQ(load.set.errors[0].message, "manifest sub.json: not a regular file; skipped");
}

TEST(ReadManifestDir, RefusesAnOversizedFile) {
    test::TempDir dir;
    test::write_file(dir / "big.json", std::string(kMaxManifestBytes + 1, ' '));
    const auto read = read_manifest_dir(dir.path());
    ASSERT_EQ(read.errors.size(), 1U);
    EXPECT_NE(read.errors[0].message.find("manifest big.json: 1048577 bytes, more than the"),
              std::string::npos);
}

TEST(ReadManifestDir, AMissingDirectoryIsFatal) {
    test::TempDir dir;
    const auto missing = read_manifest_dir(dir / "nope");
    ASSERT_TRUE(missing.fatal);
    EXPECT_EQ(*missing.fatal, "manifest directory " + (dir / "nope").string() + " does not exist");
    test::write_file(dir / "file", "");
    const auto file = read_manifest_dir(dir / "file");
    ASSERT_TRUE(file.fatal);
    EXPECT_NE(file.fatal->find("is not a directory"), std::string::npos);
}

TEST(ReadManifestDir, AnEmptyDirectoryHasNoManifests) {
    test::TempDir dir;
    const auto load = load_manifest_dir(dir.path());
    EXPECT_FALSE(load.fatal);
    EXPECT_TRUE(load.set.manifests.empty());
    EXPECT_TRUE(load.set.errors.empty());
}

}  // namespace
}  // namespace orch::host
