// 6. Parser and config throughput: what one tick spends outside the process it runs.
// Inputs are real prune outputs (tests/core/fixtures: captured from dockerd, and buildx's format),
// plus the same outputs grown to the size a busy build host prints (hundreds of cache ids).
// References in the same run: the reference module's parser (its regex, searched with std::regex;
// it only knows the legacy line), and boost::json::parse of the manifest config that
// resolve_config reads (what a host already pays to get that object).
#include <benchmark/benchmark.h>

#include <cctype>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>

#include <boost/json/parse.hpp>

#include "core/config.hpp"
#include "core/reclaimed_parser.hpp"

namespace {

std::string read_sample(const std::string& name) {
    const std::string path = std::string(ORCH_BENCH_PRUNE_SAMPLES_DIR) + "/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read prune sample " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The sample with its body (everything before the summary line) repeated until it holds about
// `lines` lines: a prune that deleted hundreds of cache objects.
std::string grown(const std::string& sample, const std::string& summary_prefix, int lines) {
    const auto summary = sample.rfind(summary_prefix);
    if (summary == std::string::npos) {
        throw std::runtime_error("sample has no summary line starting with " + summary_prefix);
    }
    const std::string body = sample.substr(0, summary);
    const std::string tail = sample.substr(summary);
    std::string text;
    int body_lines = 0;
    for (const char c : body) {
        body_lines += c == '\n' ? 1 : 0;
    }
    for (int written = 0; written<lines; written += body_lines> 0 ? body_lines : lines) {
        text += body;
    }
    return text + tail;
}

void run_parse(benchmark::State& state, const std::string& output) {
    if (!orch::pruner::parse_reclaimed(output)) {
        state.SkipWithError("the sample has no readable summary");
        return;
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(orch::pruner::parse_reclaimed(output));
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(output.size()));
    state.counters["bytes"] = static_cast<double>(output.size());
}

void BM_ParseReclaimed_Legacy(benchmark::State& state) {
    run_parse(state, read_sample("legacy_prune_all.txt"));
}
void BM_ParseReclaimed_LegacyNothing(benchmark::State& state) {
    run_parse(state, read_sample("legacy_prune_nothing.txt"));
}
void BM_ParseReclaimed_Legacy500Ids(benchmark::State& state) {
    run_parse(state, grown(read_sample("legacy_prune_all.txt"), "Total reclaimed space:", 500));
}
void BM_ParseReclaimed_BuildxTable(benchmark::State& state) {
    run_parse(state, read_sample("buildx_prune_table.txt"));
}
void BM_ParseReclaimed_BuildxVerbose(benchmark::State& state) {
    run_parse(state, read_sample("buildx_prune_verbose.txt"));
}
void BM_ParseReclaimed_Buildx500Rows(benchmark::State& state) {
    run_parse(state, grown(read_sample("buildx_prune_table.txt"), "Total:", 500));
}

// The reference module's parse_reclaimed: one case-insensitive regex search for the legacy line,
// then number * unit. nullopt for the buildx format, which it cannot read.
std::optional<std::uint64_t> reference_parse(const std::string& output) {
    static const std::regex pattern(R"(Total reclaimed space:\s*([\d.]+)\s*([KMGT]?i?B))",
                                    std::regex::icase);
    static const std::map<std::string, double> units = {
        {"B", 1.0},         {"KB", 1e3},           {"MB", 1e6},
        {"GB", 1e9},        {"TB", 1e12},          {"KIB", 1024.0},
        {"MIB", 1048576.0}, {"GIB", 1073741824.0}, {"TIB", 1099511627776.0}};
    std::smatch match;
    if (!std::regex_search(output, match, pattern)) {
        return std::nullopt;
    }
    std::string unit = match[2].str();
    for (auto& c : unit) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    const auto found = units.find(unit);
    if (found == units.end()) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(std::stod(match[1].str()) * found->second);
}

void run_reference_parse(benchmark::State& state, const std::string& output) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(reference_parse(output));
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(output.size()));
    state.counters["found"] = reference_parse(output) ? 1 : 0;
}

void BM_ReferenceRegex_Legacy(benchmark::State& state) {
    run_reference_parse(state, read_sample("legacy_prune_all.txt"));
}
void BM_ReferenceRegex_Legacy500Ids(benchmark::State& state) {
    run_reference_parse(state,
                        grown(read_sample("legacy_prune_all.txt"), "Total reclaimed space:", 500));
}
void BM_ReferenceRegex_BuildxTable(benchmark::State& state) {
    run_reference_parse(state, read_sample("buildx_prune_table.txt"));
}

void BM_ParseSize(benchmark::State& state) {
    const std::string sizes[] = {"0B", "12.35kB", "929.5MB", "1.5GB", "1000kB", "3.2GiB"};
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(orch::pruner::parse_size(sizes[i]));
        i = (i + 1) % std::size(sizes);
    }
}

void BM_HumanSize(benchmark::State& state) {
    std::uint64_t bytes = 929'500'000;
    for (auto _ : state) {
        benchmark::DoNotOptimize(orch::pruner::human_size(bytes));
        bytes += 4097;
    }
}

// resolve_config as the plugin runs it at creation: a manifest object plus the environment.
void BM_ResolveConfig_Defaults(benchmark::State& state) {
    const boost::json::object manifest;
    const orch::pruner::Environment env;
    for (auto _ : state) {
        benchmark::DoNotOptimize(orch::pruner::resolve_config(manifest, env));
    }
}

// A manifest config that sets every key.
constexpr const char* kEveryKeyConfig = R"({
    "build_cache_prune_enabled": true, "build_cache_prune_interval_s": 3600,
    "build_cache_prune_until": "7d", "build_cache_prune_all": "yes",
    "build_cache_prune_timeout_s": "300", "build_cache_prune_notify_min_gb": 1.5,
    "deploy_ssh_host": "build-1.example.org", "deploy_ssh_user": "deploy",
    "deploy_ssh_port": 2222, "deploy_ssh_identity_file": "/etc/orch/id_ed25519",
    "deploy_ssh_known_hosts_file": "/etc/orch/known_hosts",
    "deploy_ssh_strict_host_key": "yes"})";

// Reference for the config figures: parsing the same config text into a JSON object.
void BM_ReferenceJsonParse_EveryKey(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(boost::json::parse(kEveryKeyConfig));
    }
}

void BM_ResolveConfig_EveryKey(benchmark::State& state) {
    const boost::json::object manifest = boost::json::parse(kEveryKeyConfig).as_object();
    // The environment overrides two keys and carries what a real process environment holds.
    const orch::pruner::Environment env = {{"HOME", "/root"},
                                           {"PATH", "/usr/local/bin:/usr/bin:/bin"},
                                           {"LANG", "C.UTF-8"},
                                           {"ORCH_BUILD_CACHE_PRUNE_UNTIL", "1h30m"},
                                           {"ORCH_DEPLOY_SSH_HOST", "build-2.example.org"}};
    const auto check = orch::pruner::resolve_config(manifest, env);
    if (!check.warnings.empty()) {
        state.SkipWithError(("unexpected config warning: " + check.warnings.front()).c_str());
        return;
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(orch::pruner::resolve_config(manifest, env));
    }
}

void BM_ResolveConfig_InvalidValues(benchmark::State& state) {
    const boost::json::object manifest = boost::json::parse(R"({
        "build_cache_prune_interval_s": -5, "build_cache_prune_until": "soon",
        "build_cache_prune_timeout_s": "abc", "build_cache_prune_notify_min_gb": "lots"})")
                                             .as_object();
    const orch::pruner::Environment env;
    for (auto _ : state) {
        benchmark::DoNotOptimize(orch::pruner::resolve_config(manifest, env));
    }
}

}  // namespace

BENCHMARK(BM_ParseReclaimed_Legacy);
BENCHMARK(BM_ParseReclaimed_LegacyNothing);
BENCHMARK(BM_ParseReclaimed_Legacy500Ids);
BENCHMARK(BM_ParseReclaimed_BuildxTable);
BENCHMARK(BM_ParseReclaimed_BuildxVerbose);
BENCHMARK(BM_ParseReclaimed_Buildx500Rows);
BENCHMARK(BM_ReferenceRegex_Legacy);
BENCHMARK(BM_ReferenceRegex_Legacy500Ids);
BENCHMARK(BM_ReferenceRegex_BuildxTable);
BENCHMARK(BM_ParseSize);
BENCHMARK(BM_HumanSize);
BENCHMARK(BM_ResolveConfig_Defaults);
BENCHMARK(BM_ReferenceJsonParse_EveryKey);
BENCHMARK(BM_ResolveConfig_EveryKey);
BENCHMARK(BM_ResolveConfig_InvalidValues);
