#pragma once
// A pure computation's last result, kept with its inputs and reused while they are equal. For
// inputs read fresh for every request that change far less often than they are read (the
// plugins' statuses behind GET /queue, their metrics texts behind GET /metrics): the reuse is
// never stale, as it is keyed by the very inputs of this request. Not thread-safe: keep one per
// thread (thread_local), so server threads never wait for each other.
#include <optional>
#include <tuple>
#include <utility>

namespace orch::host {

template <typename Result, typename... Inputs>
class LastResult {
  public:
    // compute(inputs...), or the result kept for equal inputs (compared, copied only when they
    // differ). Valid until the next call. If compute or a copy throws, nothing is kept.
    template <typename Compute>
    const Result& get(Compute&& compute, const Inputs&... inputs) {
        if (!last_ || !(std::tie(inputs...) == last_->inputs)) {
            last_.reset();
            Result result = std::forward<Compute>(compute)(inputs...);
            last_.emplace(Kept{std::tuple<Inputs...>(inputs...), std::move(result)});
        }
        return last_->result;
    }

  private:
    struct Kept {
        std::tuple<Inputs...> inputs;
        Result result;
    };
    std::optional<Kept> last_;
};

}  // namespace orch::host
