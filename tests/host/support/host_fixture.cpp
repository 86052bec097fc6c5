#include "host/support/host_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace orch::test {

namespace fs = std::filesystem;
namespace json = boost::json;

fs::path host_stub_path() {
    return ORCH_TEST_HOST_STUB;
}
fs::path test_plugin_dir() {
    return ORCH_TEST_PLUGIN_DIR;
}

std::string ManifestSpec::to_json() const {
    json::object m{{"schema_version", 1},
                   {"id", id},
                   {"library", library},
                   {"api_version", "1.0"},
                   {"enabled", enabled},
                   {"required", required},
                   {"order", order},
                   {"queue_key", queue_key.empty() ? id + "_q" : queue_key},
                   {"config", json::parse(config)}};
    return json::serialize(m);
}

HostFixture::HostFixture()
    : manifests_(dir_ / "manifests"),
      plugins_(dir_ / "plugins"),
      stderr_file_(dir_ / "stderr.log") {
    fs::create_directories(manifests_);
    fs::create_directories(plugins_);
}

std::string HostFixture::add_plugin(const std::string& target) {
    const std::string name = "lib" + target + ".so";
    fs::copy_file(test_plugin_dir() / name, plugins_ / name, fs::copy_options::skip_existing);
    return name;
}

void HostFixture::add_manifest(const ManifestSpec& spec, const std::string& file) {
    write_file(manifests_ / (file.empty() ? spec.id + ".json" : file), spec.to_json());
}

void HostFixture::add_plugin_manifest(const std::string& id, const std::string& target, int order,
                                      const std::string& config, bool required) {
    add_manifest({.id = id,
                  .library = add_plugin(target),
                  .order = order,
                  .required = required,
                  .config = config});
}

std::unique_ptr<HostProcess> HostFixture::start(const std::vector<std::string>& args,
                                                const std::map<std::string, std::string>& env,
                                                const std::vector<int>& closed_fds) {
    std::vector<std::string> all{"--manifests", manifests_.string(), "--plugins",
                                 plugins_.string()};
    all.insert(all.end(), args.begin(), args.end());
    return std::make_unique<HostProcess>(host_stub_path(), all, stderr_file_, env, closed_fds);
}

std::unique_ptr<HostProcess> HostFixture::serve(const std::map<std::string, std::string>& env) {
    auto host = start({"--listen", "127.0.0.1:0"}, env);
    const auto line = host->read_stdout_line();
    const auto port = line ? listening_port(*line) : std::nullopt;
    EXPECT_TRUE(port) << "no listening line; stdout: " << line.value_or("(none)") << "\nstderr:\n"
                      << host->stderr_text();
    port_ = port.value_or(0);
    return host;
}

std::string HostFixture::run_once(const std::map<std::string, std::string>& env) {
    auto host = start({"--once"}, env);
    const auto out = host->read_stdout_to_eof();
    const auto code = host->wait_exit();
    stderr_ = host->stderr_text();
    EXPECT_TRUE(out && code) << "--once did not finish; stderr:\n" << stderr_;
    exit_code_ = code.value_or(-1);
    return out.value_or("");
}

json::object HostFixture::get_queue() {
    const HttpResponse r = http_request(port_, "GET", "/queue");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    return json::parse(r.body).as_object();
}

}  // namespace orch::test
