#include "loading/library_registry.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

namespace orch::host {

namespace {

// RTLD_NOW: an unresolved symbol is reported now, as a load error, not as a crash mid-prune.
// RTLD_LOCAL: one plugin's symbols never satisfy another's.
// RTLD_NODELETE: see the class comment. Boost.DLL passes native flags through on POSIX.
const auto kLoadMode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                       static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);

// Boost.DLL wraps dlerror() in "... (dlerror system message: TEXT): Bad file descriptor";
// TEXT is the part an operator needs.
std::string dlerror_text(const std::string& what) {
    static constexpr std::string_view kMarker = "(dlerror system message: ";
    const auto begin = what.find(kMarker);
    const auto end = what.rfind(')');
    if (begin == std::string::npos || end == std::string::npos || end < begin + kMarker.size()) {
        return what;
    }
    return what.substr(begin + kMarker.size(), end - begin - kMarker.size());
}

}  // namespace

const boost::dll::shared_library& LibraryRegistry::open(const std::filesystem::path& path) {
    boost::dll::shared_library library;
    try {
        library.load(path, kLoadMode);
    } catch (const std::exception& e) {
        throw std::runtime_error("dlopen failed: " + dlerror_text(e.what()));
    }
    const std::lock_guard lock(mutex_);
    libraries_.push_back(std::move(library));
    return libraries_.back();
}

std::size_t LibraryRegistry::size() const {
    const std::lock_guard lock(mutex_);
    return libraries_.size();
}

}  // namespace orch::host
