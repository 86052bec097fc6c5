#pragma once
// What, besides the API version, must be identical on both sides of the boundary for C++ objects
// (std::string, std::unique_ptr, vtables, exceptions) to cross it safely.
#include <boost/version.hpp>

#include <cstdint>

namespace orch::plugin_api {

// The standard library and its ABI flavour. std::string's layout differs between libstdc++'s
// old and new (C++11) ABI and again in libc++, so those must match; the Itanium C++ ABI itself
// is shared by gcc and clang on Linux, so the compiler is deliberately not part of this string.
#if defined(_LIBCPP_VERSION)
#define ORCH_PLUGIN_STDLIB "libc++"
#elif defined(__GLIBCXX__)
#if _GLIBCXX_USE_CXX11_ABI
#define ORCH_PLUGIN_STDLIB "libstdc++/cxx11"
#else
#define ORCH_PLUGIN_STDLIB "libstdc++/cxx98"
#endif
#else
#define ORCH_PLUGIN_STDLIB "unknown-stdlib"
#endif

inline constexpr const char* kCxxAbi = "itanium/" ORCH_PLUGIN_STDLIB;

// Boost has no ABI stability across releases. The v1 interface passes no Boost type across the
// boundary, but plugins and hosts both link Boost.JSON and a future minor may pass Boost types,
// so the host requires the same BOOST_VERSION rather than guessing which types are safe.
inline constexpr std::uint32_t kBoostVersion = BOOST_VERSION;

}  // namespace orch::plugin_api
