// e2e_json: the JSON reads and edits the end-to-end shell scripts need, with Boost.JSON, so the
// suite depends on nothing (jq, python) that a fresh build machine may lack.
//
//   e2e_json get FILE PATH          print the value at PATH (strings raw, others as JSON);
//                                   exit 3 when PATH does not exist
//   e2e_json set FILE PATH JSON     print FILE with the value at PATH replaced by JSON (objects
//                                   on the way are created)
//   e2e_json del FILE PATH          print FILE without the key at PATH
//   e2e_json quote TEXT             print TEXT as a JSON string (for any bytes a test crafts)
//
// FILE "-" is stdin. PATH is dot-separated, "\\." a dot within a part; a numeric part indexes
// an array (plugins.0.state). Exit 2 on usage or parse errors, with a message on stderr.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace {

namespace json = boost::json;

constexpr int kUsageError = 2;
constexpr int kNotFound = 3;

// Dot-separated; "\\." is a dot inside a part (a fleet's host keys hold IP addresses).
std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts(1);
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '\\' && i + 1 < path.size() && path[i + 1] == '.') {
            parts.back() += '.';
            ++i;
        } else if (path[i] == '.') {
            parts.emplace_back();
        } else {
            parts.back() += path[i];
        }
    }
    return parts;
}

bool is_index(const std::string& part) {
    return !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
}

std::string read_all(const std::string& file) {
    std::ostringstream text;
    if (file == "-") {
        text << std::cin.rdbuf();
        return text.str();
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot open '" + file + "'");
    }
    text << in.rdbuf();
    return text.str();
}

// The value at `parts`, or nullptr. With `create`, missing object members are created.
json::value* walk(json::value& root, const std::vector<std::string>& parts, bool create) {
    json::value* at = &root;
    for (const auto& part : parts) {
        if (at->is_object()) {
            auto& obj = at->as_object();
            auto* next = obj.if_contains(part);
            if (next == nullptr) {
                if (!create) {
                    return nullptr;
                }
                next = &obj[part];
                *next = json::object();
            }
            at = next;
        } else if (at->is_array() && is_index(part)) {
            auto& arr = at->as_array();
            const auto index = std::stoul(part);
            if (index >= arr.size()) {
                return nullptr;
            }
            at = &arr[index];
        } else {
            return nullptr;
        }
    }
    return at;
}

int get(json::value& root, const std::string& path) {
    const auto* value = walk(root, split_path(path), false);
    if (value == nullptr) {
        std::cerr << "e2e_json: no value at '" << path << "'\n";
        return kNotFound;
    }
    if (value->is_string()) {
        std::cout << value->as_string().c_str() << '\n';
    } else {
        std::cout << json::serialize(*value) << '\n';
    }
    return EXIT_SUCCESS;
}

int set(json::value& root, const std::string& path, const std::string& new_json) {
    auto* value = walk(root, split_path(path), true);
    if (value == nullptr) {
        std::cerr << "e2e_json: cannot create '" << path << "'\n";
        return kNotFound;
    }
    *value = json::parse(new_json);
    std::cout << json::serialize(root) << '\n';
    return EXIT_SUCCESS;
}

int del(json::value& root, const std::string& path) {
    auto parts = split_path(path);
    if (parts.empty()) {
        std::cerr << "e2e_json: empty path\n";
        return kUsageError;
    }
    const auto key = parts.back();
    parts.pop_back();
    auto* parent = walk(root, parts, false);
    if (parent == nullptr || !parent->is_object() || parent->as_object().erase(key) == 0) {
        std::cerr << "e2e_json: no value at '" << path << "'\n";
        return kNotFound;
    }
    std::cout << json::serialize(root) << '\n';
    return EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const bool usage_ok = (args.size() == 3 && (args[0] == "get" || args[0] == "del")) ||
                          (args.size() == 4 && args[0] == "set") ||
                          (args.size() == 2 && args[0] == "quote");
    if (!usage_ok) {
        std::cerr << "usage: e2e_json get FILE PATH | set FILE PATH JSON | del FILE PATH | "
                     "quote TEXT\n";
        return kUsageError;
    }
    if (args[0] == "quote") {
        std::cout << json::serialize(json::value(args[1])) << '\n';
        return EXIT_SUCCESS;
    }
    try {
        auto root = json::parse(read_all(args[1]));
        if (args[0] == "get") {
            return get(root, args[2]);
        }
        if (args[0] == "set") {
            return set(root, args[2], args[3]);
        }
        return del(root, args[2]);
    } catch (const std::exception& e) {
        std::cerr << "e2e_json: " << args[1] << ": " << e.what() << '\n';
        return kUsageError;
    }
}
