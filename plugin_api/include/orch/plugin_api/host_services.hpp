#pragma once
// Services the host lends a plugin. The plugin must not implement these itself: where logs go and
// how operators are notified is the host's decision. Both are text in and outlive every task
// created with them. Implementations must not throw; the methods are deliberately not noexcept
// so that a plugin can still catch and record an exception from a faulty host instead of the
// process terminating inside plugin code.
#include <string_view>

#include <boost/config.hpp>

namespace orch::plugin_api {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

class BOOST_SYMBOL_VISIBLE ILogger {
  public:
    virtual ~ILogger() = default;
    virtual void log(LogLevel level, std::string_view message) = 0;
};

// Delivers a human-readable message to operators (Telegram in the reference host). It may queue
// the message and deliver it later; delivery failures stay on the host's side.
class BOOST_SYMBOL_VISIBLE INotifier {
  public:
    virtual ~INotifier() = default;
    virtual void notify(std::string_view text) = 0;
};

}  // namespace orch::plugin_api
