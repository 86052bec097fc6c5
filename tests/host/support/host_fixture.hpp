#pragma once
// A temporary manifest directory and plugin directory for one host_stub run, filled with the
// built test plugins, and the host started on them.
#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "host/support/host_process.hpp"
#include "support/temp_dir.hpp"

namespace orch::test {

struct ManifestSpec {
    std::string id = {};
    std::string library = {};  // file name in the plugin directory
    int order = 0;
    bool enabled = true;
    bool required = false;
    std::string config = "{}";   // JSON object text
    std::string queue_key = {};  // default: id + "_q"

    std::string to_json() const;
};

class HostFixture : public ::testing::Test {
  protected:
    HostFixture();

    // Copies lib<target>.so of the built test plugins into the plugin directory; returns its name.
    std::string add_plugin(const std::string& target);
    // Writes <file or id.json> into the manifest directory.
    void add_manifest(const ManifestSpec& spec, const std::string& file = "");
    // A manifest for test plugin target `target` with id `id`, its library copied in.
    void add_plugin_manifest(const std::string& id, const std::string& target, int order = 0,
                             const std::string& config = "{}", bool required = false);

    // host_stub --manifests M --plugins P plus `args` (`closed_fds`: see HostProcess).
    std::unique_ptr<HostProcess> start(const std::vector<std::string>& args,
                                       const std::map<std::string, std::string>& env = {},
                                       const std::vector<int>& closed_fds = {});
    // Serving on 127.0.0.1:0; reads the listening line into port_ (fails the test without one).
    std::unique_ptr<HostProcess> serve(const std::map<std::string, std::string>& env = {});
    // --once; returns stdout (whole) and sets exit_code_.
    std::string run_once(const std::map<std::string, std::string>& env = {});

    boost::json::object get_queue();

    TempDir dir_;
    std::filesystem::path manifests_;
    std::filesystem::path plugins_;
    std::filesystem::path stderr_file_;
    std::uint16_t port_ = 0;
    int exit_code_ = -1;
    std::string stderr_;
};

std::filesystem::path host_stub_path();
std::filesystem::path test_plugin_dir();

}  // namespace orch::test
