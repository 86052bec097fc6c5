// default < manifest `config` < environment, and what happens when a layer is invalid.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config_test_support.hpp"
#include "core/config.hpp"

namespace orch::pruner {
namespace {

using testing::expect_no_warnings;
using testing::expect_one_warning;
using testing::resolve;

// For every setting: a manifest value, an environment value, and how to read the setting.
struct Layered {
    std::string env_name;
    std::string manifest_json;
    std::string env_value;
    std::string (*read)(const PrunerConfig&);
    std::string from_manifest;
    std::string from_env;
};

std::string manifest_key(const std::string& env_name) {
    std::string key = env_name.substr(5);  // without "ORCH_"
    for (char& c : key) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return key;
}

const std::vector<Layered>& every_setting() {
    static const std::vector<Layered> settings = {
        {"ORCH_BUILD_CACHE_PRUNE_ENABLED", "false", "true",
         [](const PrunerConfig& c) { return std::string(c.enabled ? "true" : "false"); }, "false",
         "true"},
        {"ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "3600", "7200",
         [](const PrunerConfig& c) { return std::to_string(c.interval_s); }, "3600", "7200"},
        {"ORCH_BUILD_CACHE_PRUNE_UNTIL", "\"7d\"", "90m",
         [](const PrunerConfig& c) { return c.until_text + "->" + c.until; }, "7d->168h",
         "90m->90m"},
        {"ORCH_BUILD_CACHE_PRUNE_ALL", "true", "no",
         [](const PrunerConfig& c) { return std::string(c.all ? "true" : "false"); }, "true",
         "false"},
        {"ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S", "120", "240",
         [](const PrunerConfig& c) { return std::to_string(c.timeout_s); }, "120", "240"},
        {"ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", "1", "2.5",
         [](const PrunerConfig& c) { return std::to_string(c.notify_min_gb); }, std::to_string(1.0),
         std::to_string(2.5)},
        {"ORCH_DEPLOY_SSH_HOST", "\"manifest-host\"", "env-host",
         [](const PrunerConfig& c) { return c.ssh_host; }, "manifest-host", "env-host"},
        {"ORCH_DEPLOY_SSH_USER", "\"alice\"", "bob",
         [](const PrunerConfig& c) { return c.ssh_user; }, "alice", "bob"},
        {"ORCH_DEPLOY_SSH_PORT", "2200", "2300",
         [](const PrunerConfig& c) { return std::to_string(c.ssh_port.value_or(-1)); }, "2200",
         "2300"},
        {"ORCH_DEPLOY_SSH_IDENTITY_FILE", "\"/m/key\"", "/e/key",
         [](const PrunerConfig& c) { return c.ssh_identity_file.value_or("-"); }, "/m/key",
         "/e/key"},
        {"ORCH_DEPLOY_SSH_KNOWN_HOSTS_FILE", "\"/m/kh\"", "/e/kh",
         [](const PrunerConfig& c) { return c.ssh_known_hosts_file.value_or("-"); }, "/m/kh",
         "/e/kh"},
        {"ORCH_DEPLOY_SSH_STRICT_HOST_KEY", "\"yes\"", "accept-new",
         [](const PrunerConfig& c) { return std::string(to_string(c.strict_host_key)); }, "yes",
         "accept-new"},
    };
    return settings;
}

TEST(ConfigPrecedence, ManifestOverridesDefaultAndEnvironmentOverridesManifest) {
    for (const auto& s : every_setting()) {
        const std::string manifest =
            "{\"" + manifest_key(s.env_name) + "\": " + s.manifest_json + "}";
        const ResolvedConfig only_manifest = resolve(manifest);
        expect_no_warnings(only_manifest);
        EXPECT_EQ(s.read(only_manifest.config), s.from_manifest) << s.env_name;

        const ResolvedConfig both = resolve(manifest, {{s.env_name, s.env_value}});
        expect_no_warnings(both);
        EXPECT_EQ(s.read(both.config), s.from_env) << s.env_name;

        const ResolvedConfig only_env = resolve("{}", {{s.env_name, s.env_value}});
        expect_no_warnings(only_env);
        EXPECT_EQ(s.read(only_env.config), s.from_env) << s.env_name;
    }
}

TEST(ConfigPrecedence, EmptyEnvironmentValueKeepsTheManifestValue) {
    for (const auto& s : every_setting()) {
        const std::string manifest =
            "{\"" + manifest_key(s.env_name) + "\": " + s.manifest_json + "}";
        const ResolvedConfig r = resolve(manifest, {{s.env_name, ""}});
        expect_no_warnings(r);
        EXPECT_EQ(s.read(r.config), s.from_manifest) << s.env_name;
    }
}

TEST(ConfigPrecedence, InvalidEnvironmentKeepsTheManifestValueAndSaysSo) {
    const ResolvedConfig r = resolve(R"({"build_cache_prune_interval_s": 3600})",
                                     {{"ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "soon"}});
    EXPECT_EQ(r.config.interval_s, 3600);
    expect_one_warning(
        r,
        "environment ORCH_BUILD_CACHE_PRUNE_INTERVAL_S: invalid value \"soon\": expected a whole "
        "number of seconds from 1 to 31536000 (365 days); using 3600 (from manifest config key "
        "build_cache_prune_interval_s)");
    EXPECT_EQ(r.warnings[0].size(), r.warnings[0].find("build_cache_prune_interval_s)") +
                                        std::string("build_cache_prune_interval_s)").size());
}

TEST(ConfigPrecedence, InvalidManifestWithValidEnvironmentUsesTheEnvironment) {
    const ResolvedConfig r =
        resolve(R"({"build_cache_prune_until": "7x"})", {{"ORCH_BUILD_CACHE_PRUNE_UNTIL", "48h"}});
    EXPECT_EQ(r.config.until, "48h");
    expect_one_warning(r, "manifest config key build_cache_prune_until: invalid value \"7x\": ",
                       {"unknown unit \"x\"", "using \"24h\" (the default)"});
}

TEST(ConfigPrecedence, BothInvalidFallsBackToTheDefaultWithTwoWarnings) {
    const ResolvedConfig r = resolve(R"({"deploy_ssh_port": 0})", {{"ORCH_DEPLOY_SSH_PORT", "x"}});
    EXPECT_EQ(r.config.ssh_port, std::nullopt);
    ASSERT_EQ(r.warnings.size(), 2U) << testing::all_warnings(r);
    EXPECT_EQ(r.warnings[0].rfind("manifest config key deploy_ssh_port: invalid value 0", 0), 0U);
    EXPECT_EQ(r.warnings[1].rfind("environment ORCH_DEPLOY_SSH_PORT: invalid value \"x\"", 0), 0U);
    EXPECT_TRUE(testing::contains(r.warnings[1], "using ssh's default port (the default)"));
}

TEST(ConfigPrecedence, InvalidUntilKeepsTheLowerTextAndDuration) {
    const ResolvedConfig r = resolve(R"({"build_cache_prune_until": "7d"})",
                                     {{"ORCH_BUILD_CACHE_PRUNE_UNTIL", "7 days"}});
    EXPECT_EQ(r.config.until_text, "7d");
    EXPECT_EQ(r.config.until, "168h");
    expect_one_warning(r, "environment ORCH_BUILD_CACHE_PRUNE_UNTIL: invalid value \"7 days\": ",
                       {"using \"7d\" (from manifest config key build_cache_prune_until)"});
}

TEST(ConfigPrecedence, EnvironmentHostOverridesButEmptyDoesNotClear) {
    const std::string manifest = R"({"deploy_ssh_host": "from-manifest"})";
    EXPECT_EQ(resolve(manifest, {{"ORCH_DEPLOY_SSH_HOST", "from-env"}}).config.ssh_host,
              "from-env");
    EXPECT_EQ(resolve(manifest, {{"ORCH_DEPLOY_SSH_HOST", ""}}).config.ssh_host, "from-manifest");
}

TEST(ConfigPrecedence, StrictNoWarnsOnlyWhenItIsTheValueUsed) {
    const ResolvedConfig overridden = resolve(R"({"deploy_ssh_strict_host_key": "no"})",
                                              {{"ORCH_DEPLOY_SSH_STRICT_HOST_KEY", "yes"}});
    EXPECT_EQ(overridden.config.strict_host_key, StrictHostKey::kYes);
    expect_no_warnings(overridden);

    const ResolvedConfig from_manifest = resolve(R"({"deploy_ssh_strict_host_key": "no"})",
                                                 {{"ORCH_DEPLOY_SSH_STRICT_HOST_KEY", "bogus"}});
    EXPECT_EQ(from_manifest.config.strict_host_key, StrictHostKey::kNo);
    ASSERT_EQ(from_manifest.warnings.size(), 2U) << testing::all_warnings(from_manifest);
    EXPECT_TRUE(testing::contains(from_manifest.warnings[0],
                                  "using no (from manifest config key deploy_ssh_strict_host_key)"))
        << from_manifest.warnings[0];
    EXPECT_EQ(
        from_manifest.warnings[1].rfind(
            "StrictHostKeyChecking=no (set by manifest config key deploy_ssh_strict_host_key)", 0),
        0U);
}

TEST(ConfigPrecedence, NoIsNeverTheDefault) {
    EXPECT_EQ(resolve("{}").config.strict_host_key, StrictHostKey::kAcceptNew);
    // An invalid value never turns into "no".
    EXPECT_EQ(resolve(R"({"deploy_ssh_strict_host_key": "n"})").config.strict_host_key,
              StrictHostKey::kAcceptNew);
}

TEST(ConfigPrecedence, KillSwitchFromEnvironmentBeatsManifest) {
    const ResolvedConfig r = resolve(R"({"build_cache_prune_enabled": true})",
                                     {{"ORCH_BUILD_CACHE_PRUNE_ENABLED", "false"}});
    EXPECT_FALSE(r.config.enabled);
}

// An unreadable value at either layer fails closed, even when the other layer says "on".
TEST(ConfigPrecedence, UnreadableKillSwitchAtAnyLayerDisables) {
    const ResolvedConfig env_bad = resolve(R"({"build_cache_prune_enabled": true})",
                                           {{"ORCH_BUILD_CACHE_PRUNE_ENABLED", "garbage"}});
    EXPECT_FALSE(env_bad.config.enabled);
    EXPECT_TRUE(env_bad.error.has_value());
    const ResolvedConfig manifest_bad = resolve(R"({"build_cache_prune_enabled": "garbage"})",
                                                {{"ORCH_BUILD_CACHE_PRUNE_ENABLED", "true"}});
    EXPECT_FALSE(manifest_bad.config.enabled);
    EXPECT_TRUE(manifest_bad.error.has_value());
}

TEST(ConfigPrecedence, NeverThrowsOnHostileInput) {
    std::string manifest = "{";
    for (int i = 0; i < 2000; ++i) {
        manifest += "\"k" + std::to_string(i) + "\": [[[{\"x\": null}]]],";
    }
    manifest += "\"build_cache_prune_until\": \"" + std::string(100000, '9') + "h\"}";
    Environment env;
    env["ORCH_BUILD_CACHE_PRUNE_UNTIL"] = std::string(1 << 20, '\x01');
    env["ORCH_BUILD_CACHE_PRUNE_INTERVAL_S"] = std::string(1 << 20, '9');
    ResolvedConfig r;
    EXPECT_NO_THROW(r = resolve(manifest, env));
    EXPECT_EQ(r.config, PrunerConfig{});
    EXPECT_EQ(r.warnings.size(), 2003U);
    for (const auto& warning : r.warnings) {
        // Values are cut at 200 bytes (at most 4 characters each once escaped).
        EXPECT_LT(warning.size(), 1200U);
    }
}

}  // namespace
}  // namespace orch::pruner
