#pragma once
// The plugin's one convention for "a value, or a message saying why not": Boost's result with the
// message as its error. failure(...) makes the error side and success(...) the value side for any
// T (with T = std::string the plain constructors would be ambiguous). Read the value with * or
// -> after checking; .value() does not compile for a std::string error (Boost throws only
// error codes and exception_ptr).
#include <string>
#include <type_traits>
#include <utility>

#include <boost/system/result.hpp>

namespace orch::pruner {

template <class T>
using Result = boost::system::result<T, std::string>;

struct Failure {
    std::string message;
    template <class T>
    operator Result<T>() && {  // NOLINT(google-explicit-constructor): the point is brevity
        return Result<T>(boost::system::in_place_error, std::move(message));
    }
};

inline Failure failure(std::string message) {
    return Failure{std::move(message)};
}

template <class T>
Result<std::decay_t<T>> success(T&& value) {
    return Result<std::decay_t<T>>(boost::system::in_place_value, std::forward<T>(value));
}

}  // namespace orch::pruner
