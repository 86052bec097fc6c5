#pragma once
// The host's one convention for "a value, or a message saying what was wrong": parsers and loaders
// return Result<T>; the message names the file/argument/value and what was expected.
// Errors are made with boost::system::in_place_error (and values with in_place_value when T is
// itself a string, where a bare string would be ambiguous).
#include <string>

#include <boost/system/result.hpp>

namespace orch::host {

template <class T>
using Result = boost::system::result<T, std::string>;

}  // namespace orch::host
