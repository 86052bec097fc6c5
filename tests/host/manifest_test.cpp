// Parsing one manifest: every field's type, the library path rule, the schema version, unknown
// keys, and messages that name the file and the key.
#include <gtest/gtest.h>

#include <string>

#include "manifest/api_version.hpp"
#include "manifest/manifest.hpp"

namespace orch::host {
namespace {

// A valid manifest with one line replaced or added: `extra` goes before the closing brace.
std::string manifest_with(const std::string& replace_key = "", const std::string& with = "",
                          const std::string& extra = "") {
    const std::pair<std::string, std::string> fields[] = {{"schema_version", "1"},
                                                          {"id", "\"rec\""},
                                                          {"library", "\"librec.so\""},
                                                          {"api_version", "\"1.0\""},
                                                          {"enabled", "true"},
                                                          {"required", "false"},
                                                          {"order", "5"},
                                                          {"queue_key", "\"rec_q\""},
                                                          {"config", "{\"a\": 1, \"b\": \"x\"}"}};
    std::string text = "{";
    bool first = true;
    for (const auto& [key, value] : fields) {
        if (key == replace_key && with.empty()) {
            continue;  // removed
        }
        text += (first ? "\n  \"" : ",\n  \"") + key + "\": " + (key == replace_key ? with : value);
        first = false;
    }
    return text + extra + "\n}\n";
}

ManifestParse parse(const std::string& text) {
    return parse_manifest("rec.json", text);
}

std::string all_errors(const ManifestParse& p) {
    std::string out;
    for (const auto& e : p.errors) {
        out += e + "\n";
    }
    return out;
}

TEST(ParseManifest, AcceptsAValidManifest) {
    const auto p = parse(manifest_with());
    ASSERT_TRUE(p.manifest) << all_errors(p);
    EXPECT_TRUE(p.errors.empty());
    EXPECT_TRUE(p.warnings.empty());
    const Manifest& m = *p.manifest;
    EXPECT_EQ(m.file_name, "rec.json");
    EXPECT_EQ(m.id, "rec");
    EXPECT_EQ(m.library, "librec.so");
    EXPECT_EQ(m.api_version, (ApiVersion{1, 0}));
    EXPECT_TRUE(m.enabled);
    EXPECT_FALSE(m.required);
    EXPECT_EQ(m.order, 5);
    EXPECT_EQ(m.queue_key, "rec_q");
    EXPECT_EQ(m.config_json, R"({"a":1,"b":"x"})");
}

TEST(ParseManifest, OptionalFieldsTakeTheirDefaults) {
    const std::string text = R"({"schema_version": 1, "id": "a", "library": "liba.so",
        "api_version": "1.0", "enabled": false, "queue_key": "a"})";
    const auto p = parse(text);
    ASSERT_TRUE(p.manifest) << all_errors(p);
    EXPECT_FALSE(p.manifest->enabled);
    EXPECT_FALSE(p.manifest->required);
    EXPECT_EQ(p.manifest->order, 0);
    EXPECT_EQ(p.manifest->config_json, "{}");
}

TEST(ParseManifest, RejectsTextThatIsNotJsonWithItsPosition) {
    const auto p = parse("{\n  \"id\": \"a\",\n  oops\n}");
    ASSERT_FALSE(p.manifest);
    ASSERT_EQ(p.errors.size(), 1U);
    EXPECT_NE(p.errors[0].find("manifest rec.json: not valid JSON at line 3, column 3"),
              std::string::npos)
        << p.errors[0];
}

TEST(ParseManifest, RejectsEmptyTextAndNonObjects) {
    EXPECT_NE(all_errors(parse("")).find("rec.json: not valid JSON"), std::string::npos);
    EXPECT_NE(
        all_errors(parse("[1, 2]")).find("expected a JSON object at the top level, got an array"),
        std::string::npos);
}

TEST(ParseManifest, RejectsUnknownSchemaVersionWithoutJudgingOtherKeys) {
    const auto p = parse(R"({"schema_version": 2, "id": 7})");
    ASSERT_EQ(p.errors.size(), 1U) << all_errors(p);
    EXPECT_EQ(p.errors[0],
              "manifest rec.json: \"schema_version\" is 2; this host reads schema version 1 only");
    EXPECT_NE(all_errors(parse(manifest_with("schema_version", "\"1\"")))
                  .find("\"schema_version\" is a string; this host reads schema version 1 only"),
              std::string::npos);
    EXPECT_NE(
        all_errors(parse(manifest_with("schema_version"))).find("\"schema_version\" is missing"),
        std::string::npos);
}

TEST(ParseManifest, ReportsEveryMissingRequiredField) {
    const auto p = parse(R"({"schema_version": 1})");
    EXPECT_FALSE(p.manifest);
    const std::string errors = all_errors(p);
    for (const char* key : {"id", "library", "api_version", "enabled", "queue_key"}) {
        EXPECT_NE(errors.find(std::string("manifest rec.json: \"") + key + "\" is missing"),
                  std::string::npos)
            << key << "\n"
            << errors;
    }
    EXPECT_EQ(p.errors.size(), 5U) << errors;
}

struct MistypedCase {
    const char* key;
    const char* value;
    const char* expected;
};

class MistypedField : public ::testing::TestWithParam<MistypedCase> {};

TEST_P(MistypedField, IsRejectedNamingKeyAndKind) {
    const auto& c = GetParam();
    const auto p = parse(manifest_with(c.key, c.value));
    EXPECT_FALSE(p.manifest);
    const std::string errors = all_errors(p);
    EXPECT_NE(errors.find(std::string("manifest rec.json: \"") + c.key + "\" " + c.expected),
              std::string::npos)
        << errors;
}

INSTANTIATE_TEST_SUITE_P(
    Fields, MistypedField,
    ::testing::Values(
        MistypedCase{"id", "42", "must be a string, got an integer"},
        MistypedCase{"id", "\"has space\"", "is 'has space'; expected 1 to 64"},
        MistypedCase{"id", "\"\"", "is ''; expected"},
        MistypedCase{"library", "null", "must be a string, got null"},
        MistypedCase{"api_version", "1.0", "must be a string, got a non-integer number"},
        MistypedCase{"api_version", "\"1\"", "is '1'; expected \"<major>.<minor>\""},
        MistypedCase{"api_version", "\"1.0.2\"", "is '1.0.2'; expected"},
        MistypedCase{"api_version", "\"v1.0\"", "is 'v1.0'; expected"},
        MistypedCase{"enabled", "\"true\"", "must be true or false, got a string"},
        MistypedCase{"required", "1", "must be true or false, got an integer"},
        MistypedCase{"order", "1.5",
                     "must be an integer that fits in 32 bits, got a non-integer number"},
        MistypedCase{"order", "\"1\"", "must be an integer that fits in 32 bits, got a string"},
        MistypedCase{"order", "4294967296",
                     "must be an integer that fits in 32 bits, got 4294967296"},
        MistypedCase{"queue_key", "[]", "must be a string, got an array"},
        MistypedCase{"queue_key", "\"queue\"", "is 'queue', which GET /queue uses for itself"},
        MistypedCase{"queue_key", "\"plugins\"", "is 'plugins', which GET /queue uses"},
        MistypedCase{"config", "\"{}\"", "must be an object, got a string"},
        MistypedCase{"config", "[]", "must be an object, got an array"}));

class BadLibraryPath : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(BadLibraryPath, IsRejectedWithTheReason) {
    const auto& [library, reason] = GetParam();
    const auto p = parse(manifest_with("library", std::string("\"") + library + "\""));
    EXPECT_FALSE(p.manifest);
    EXPECT_NE(all_errors(p).find(std::string("\"library\" '") + library + "' " + reason),
              std::string::npos)
        << all_errors(p);
}

INSTANTIATE_TEST_SUITE_P(Paths, BadLibraryPath,
                         ::testing::Values(std::pair{"/usr/lib/libx.so", "is an absolute path"},
                                           std::pair{"../libx.so", "has a '..' component"},
                                           std::pair{"sub/../../libx.so", "has a '..' component"},
                                           std::pair{"sub/..", "has a '..' component"},
                                           std::pair{"./libx.so", "has a '.' component"},
                                           std::pair{"sub//libx.so", "has an empty path component"},
                                           std::pair{"sub/", "has an empty path component"},
                                           std::pair{"", "is empty"}));

TEST(LibraryName, AcceptsPlainNamesAndSubdirectories) {
    EXPECT_EQ(library_name_problem("libx.so"), std::nullopt);
    EXPECT_EQ(library_name_problem("vendor/libx.so"), std::nullopt);
    EXPECT_EQ(library_name_problem("..libx.so"), std::nullopt);  // a name, not a component
    EXPECT_NE(library_name_problem(std::string_view("lib\0x.so", 8)), std::nullopt);
}

TEST(ParseManifest, WarnsAboutUnknownKeysButLoads) {
    const auto p = parse(manifest_with("", "", ",\n  \"descripton\": \"typo\""));
    ASSERT_TRUE(p.manifest) << all_errors(p);
    ASSERT_EQ(p.warnings.size(), 1U);
    EXPECT_EQ(p.warnings[0], "manifest rec.json: unknown key \"descripton\" ignored");
}

TEST(ParseManifest, KnowsARequiredManifestEvenWhenItIsBroken) {
    const auto p = parse(R"({"schema_version": 1, "id": "a", "library": 5, "api_version": "1.0",
        "enabled": true, "required": true, "queue_key": "a"})");
    EXPECT_FALSE(p.manifest);
    EXPECT_TRUE(p.required);
    EXPECT_FALSE(parse(manifest_with("library", "5")).required);
}

TEST(ParseManifest, WarnsWhenARequiredPluginIsDisabled) {
    std::string text = manifest_with("required", "true");
    const auto pos = text.find("\"enabled\": true");
    text.replace(pos, 15, "\"enabled\": false");
    const auto p = parse(text);
    ASSERT_TRUE(p.manifest) << all_errors(p);
    ASSERT_EQ(p.warnings.size(), 1U);
    EXPECT_NE(p.warnings[0].find("plugin 'rec' is required but disabled"), std::string::npos);
}

TEST(ApiVersion, ParsesMajorDotMinorOnly) {
    EXPECT_EQ(parse_api_version("1.0"), (ApiVersion{1, 0}));
    EXPECT_EQ(parse_api_version("12.34"), (ApiVersion{12, 34}));
    for (const char* bad :
         {"", "1", "1.", ".1", "1.0.0", "+1.0", "1.-0", " 1.0", "1.0 ", "a.b", "1234567890.0"}) {
        EXPECT_EQ(parse_api_version(bad), std::nullopt) << bad;
    }
}

TEST(ApiVersion, HostProvidesSameMajorAndNoNewerMinor) {
    EXPECT_TRUE(host_provides({1, 0}, {1, 0}));
    EXPECT_TRUE(host_provides({1, 0}, {1, 3}));
    EXPECT_FALSE(host_provides({1, 1}, {1, 0}));
    EXPECT_FALSE(host_provides({2, 0}, {1, 9}));
    EXPECT_FALSE(host_provides({0, 9}, {1, 0}));
    EXPECT_EQ((ApiVersion{1, 2}).text(), "1.2");
}

}  // namespace
}  // namespace orch::host
