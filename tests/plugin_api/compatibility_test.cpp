// The host's go/no-go on a descriptor: every rule, and messages that name both sides.
#include "orch/plugin_api/compatibility.hpp"

#include <gtest/gtest.h>

namespace orch::plugin_api {
namespace {

PluginDescriptor plugin() {
    return make_descriptor("build_cache_pruner", "1.2.3");
}

PluginDescriptor host_at(std::uint32_t major, std::uint32_t minor) {
    PluginDescriptor h = host_descriptor();
    h.api_major = major;
    h.api_minor = minor;
    return h;
}

void expect_rejected(const PluginDescriptor& p, const PluginDescriptor& h,
                     std::initializer_list<const char*> mentions) {
    const Compatibility verdict = check_compatibility(p, h);
    EXPECT_FALSE(verdict.ok);
    for (const char* m : mentions) {
        EXPECT_NE(verdict.reason.find(m), std::string::npos)
            << "'" << m << "' missing from: " << verdict.reason;
    }
}

TEST(Compatibility, SameBuildIsAccepted) {
    const Compatibility verdict = check_compatibility(plugin(), host_descriptor());
    EXPECT_TRUE(verdict.ok) << verdict.reason;
    EXPECT_TRUE(verdict.reason.empty());
}

TEST(Compatibility, OlderPluginMinorIsAccepted) {
    PluginDescriptor p = plugin();
    p.api_minor = 0;
    EXPECT_TRUE(check_compatibility(p, host_at(kApiMajor, 3)).ok);
}

TEST(Compatibility, NewerPluginMinorIsRejectedNamingBothVersions) {
    PluginDescriptor p = plugin();
    p.api_major = 1;
    p.api_minor = 4;
    expect_rejected(p, host_at(1, 3),
                    {"build_cache_pruner", "1.2.3", "plugin API 1.4", "host API 1.3"});
}

TEST(Compatibility, DifferentMajorIsRejectedEitherWay) {
    PluginDescriptor p = plugin();
    p.api_major = 2;
    p.api_minor = 0;
    expect_rejected(p, host_at(1, 9), {"plugin API 2.0", "host API 1.9", "major"});
    p.api_major = 1;
    expect_rejected(p, host_at(2, 0), {"plugin API 1.0", "host API 2.0"});
}

TEST(Compatibility, BoostVersionMustMatch) {
    PluginDescriptor p = plugin();
    p.boost_version = 107400;
    PluginDescriptor h = host_descriptor();
    h.boost_version = 108100;
    expect_rejected(p, h, {"Boost 1.74.0", "Boost 1.81.0"});
}

TEST(Compatibility, CxxAbiMustMatch) {
    PluginDescriptor p = plugin();
    p.cxx_abi = "itanium/libc++";
    PluginDescriptor h = host_descriptor();
    h.cxx_abi = "itanium/libstdc++/cxx11";
    expect_rejected(p, h, {"itanium/libc++", "itanium/libstdc++/cxx11"});
    p.cxx_abi = nullptr;
    expect_rejected(p, h, {"(null)"});
}

TEST(Compatibility, DescriptorSizeIsCheckedBeforeAnyOtherField) {
    PluginDescriptor p = plugin();
    p.struct_size = 12;
    // Fields past a smaller descriptor may be garbage: the verdict must not read them.
    p.plugin_id = reinterpret_cast<const char*>(0x1);
    p.cxx_abi = reinterpret_cast<const char*>(0x1);
    expect_rejected(p, host_descriptor(), {"descriptor is 12 bytes", "host expects"});
}

TEST(Compatibility, MissingPluginIdIsRejected) {
    PluginDescriptor p = plugin();
    p.plugin_id = "";
    expect_rejected(p, host_descriptor(), {"no plugin id"});
    p.plugin_id = nullptr;
    expect_rejected(p, host_descriptor(), {"no plugin id"});
}

TEST(Compatibility, HostDescriptorDescribesThisBuild) {
    const PluginDescriptor h = host_descriptor();
    EXPECT_EQ(h.struct_size, sizeof(PluginDescriptor));
    EXPECT_EQ(h.api_major, kApiMajor);
    EXPECT_EQ(h.api_minor, kApiMinor);
    EXPECT_EQ(h.boost_version, static_cast<std::uint32_t>(BOOST_VERSION));
    EXPECT_STREQ(h.cxx_abi, kCxxAbi);
}

}  // namespace
}  // namespace orch::plugin_api
