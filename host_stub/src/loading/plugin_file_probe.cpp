#include "loading/plugin_file_probe.hpp"

#include <elf.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <exception>
#include <fstream>
#include <system_error>
#include <vector>

#include <boost/dll/library_info.hpp>

#include "orch/plugin_api/exports.hpp"

namespace orch::host {

namespace fs = std::filesystem;

namespace {

constexpr unsigned char kHostElfClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
#if defined(__x86_64__)
constexpr std::uint16_t kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr std::uint16_t kHostMachine = EM_AARCH64;
#else
constexpr std::uint16_t kHostMachine = EM_NONE;  // unknown here: left to dlopen()
#endif

std::string hex_prefix(const unsigned char* bytes, std::size_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) {
            out += ' ';
        }
        out += kDigits[bytes[i] >> 4U];
        out += kDigits[bytes[i] & 0xfU];
    }
    return out;
}

// library_info and dlopen() refuse all of these safely too, but say only "ios_failure", "not
// native" or "wrong ELF class": this check stays for the clearer message (which bytes, which
// class, which e_type, which machine). The byte order is left to library_info's "not native".
std::optional<std::string> check_elf_header(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return "cannot be opened for reading";
    }
    std::array<unsigned char, sizeof(Elf64_Ehdr)> header{};
    in.read(reinterpret_cast<char*>(header.data()), static_cast<std::streamsize>(header.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got < SELFMAG || std::memcmp(header.data(), ELFMAG, SELFMAG) != 0) {
        return "is not an ELF shared object (its first bytes are " +
               (got == 0 ? std::string("none: the file is empty")
                         : hex_prefix(header.data(), std::min<std::size_t>(got, SELFMAG))) +
               ", an ELF file starts with 7f 45 4c 46)";
    }
    if (got < EI_NIDENT + 4) {
        return "is a truncated ELF file (" + std::to_string(got) + " bytes)";
    }
    if (header[EI_CLASS] != kHostElfClass) {
        return std::string("is a ") + (header[EI_CLASS] == ELFCLASS32 ? "32" : "64") +
               "-bit ELF file; this host is " + (kHostElfClass == ELFCLASS32 ? "32" : "64") +
               "-bit";
    }
    std::uint16_t type = 0;
    std::uint16_t machine = 0;
    std::memcpy(&type, header.data() + EI_NIDENT, sizeof type);
    std::memcpy(&machine, header.data() + EI_NIDENT + sizeof type, sizeof machine);
    if (type != ET_DYN) {
        return "is an ELF file but not a shared object (e_type " + std::to_string(type) +
               (type == ET_EXEC  ? ", an executable"
                : type == ET_REL ? ", an object file"
                                 : "") +
               "); build the plugin as a MODULE/SHARED library";
    }
    if (kHostMachine != EM_NONE && machine != kHostMachine) {
        return "is a shared object for another machine (e_machine " + std::to_string(machine) +
               ", this host is " + std::to_string(kHostMachine) + ")";
    }
    return std::nullopt;
}

// Lists the exported names of the plugin section by parsing the file, not by loading it.
std::optional<std::string> check_plugin_symbols(const fs::path& path) {
    std::vector<std::string> symbols;
    try {
        boost::dll::library_info info(path, /*throw_if_not_native=*/true);
        symbols = info.symbols(plugin_api::kSymbolSection);
    } catch (const std::exception& e) {
        return std::string("cannot be inspected as a shared object (") + e.what() + ")";
    }
    std::string missing;
    for (const char* wanted : {plugin_api::kDescriptorSymbol, plugin_api::kFactorySymbol}) {
        if (std::find(symbols.begin(), symbols.end(), wanted) == symbols.end()) {
            missing += missing.empty() ? wanted : std::string(" and ") + wanted;
        }
    }
    if (!missing.empty()) {
        return std::string("is not an orchestrator plugin: section \"") +
               plugin_api::kSymbolSection + "\" does not export " + missing +
               " (export them with ORCH_EXPORT_PLUGIN)";
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> probe_plugin_file(const fs::path& path) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found) {
        return "does not exist";
    }
    if (ec) {
        return "cannot be examined: " + ec.message();
    }
    if (status.type() != fs::file_type::regular) {
        return status.type() == fs::file_type::directory ? "is a directory, not a library file"
                                                         : "is not a regular file";
    }
    if (auto problem = check_elf_header(path)) {
        return problem;
    }
    return check_plugin_symbols(path);
}

}  // namespace orch::host
