// make_ssh_target on arbitrary host/user text: input is "<host>\0<user>".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/shell_quote.hpp"
#include "core/ssh_target.hpp"
#include "fuzz_check.hpp"

using orch::pruner::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = input.find('\0');
    const std::string_view host = input.substr(0, split);
    const std::string_view user =
        split == std::string_view::npos ? std::string_view{} : input.substr(split + 1);

    const orch::pruner::Result<std::string> result = orch::pruner::make_ssh_target(host, user);
    if (!result) {
        const std::string& error = result.error();
        check(error.rfind("deploy_ssh_host ", 0) == 0 || error.rfind("deploy_ssh_user ", 0) == 0,
              "the error names the key");
        for (const char c : error) {
            const auto byte = static_cast<unsigned char>(c);
            check(byte >= 0x20 && byte < 0x7f, "the error is one printable line");
        }
        return 0;
    }
    const std::string& target = *result;
    check(!target.empty() && target.front() != '-', "a target never reads as an ssh option");
    check(orch::pruner::shell_quote(target) == target, "a target holds no shell metacharacter");
    check(target.find_first_of("[] \t\r\n") == std::string::npos, "no brackets or whitespace");
    return 0;
}
