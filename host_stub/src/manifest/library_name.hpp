#pragma once
// Whether a manifest's "library" value names a file inside the plugin directory. Pure: it judges
// the text only, so a manifest cannot make the host dlopen() a library from anywhere else.
#include <optional>
#include <string>
#include <string_view>

namespace orch::host {

// nullopt when `library` is a relative path of plain components (sub-directories allowed);
// otherwise what is wrong with it, e.g. "is an absolute path" or "has a '..' component".
std::optional<std::string> library_name_problem(std::string_view library);

}  // namespace orch::host
