#pragma once
// A capability that no real API minor has: the one the capability tests pretend API 1.1 added,
// declared exactly as version.hpp tells a real one to be.
#include <string>

#include <boost/config.hpp>

#include "orch/plugin_api/background_task.hpp"
#include "orch/plugin_api/capabilities.hpp"

namespace orch::test_plugins {

class BOOST_SYMBOL_VISIBLE ITestCapability {
  public:
    virtual ~ITestCapability() = default;
    virtual std::string answer() const = 0;
};

using TestCapabilityAccessorFn = ITestCapability*(plugin_api::IBackgroundTask& task);

inline constexpr plugin_api::Capability kTestCapability{"orch_test_capability", 1};

}  // namespace orch::test_plugins
