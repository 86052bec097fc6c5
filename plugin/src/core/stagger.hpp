#pragma once
// Spreading a fleet's first attempts over build_cache_prune_stagger_s (issue 11). Pure.
//
// Design: host i (0-based list position) starts at frac(i * phi) * stagger after the task
// starts, phi the golden ratio (a Weyl / "golden ratio" sequence, in exact 64-bit fixed point):
// - deterministic: the offset depends only on the position and the stagger;
// - stable when hosts are added at the end of the list: existing hosts keep their offsets
//   (inserting in the middle moves the hosts after it, like any position-based rule);
// - evenly spread for every N, not only when N is known in advance: by the three-gap theorem
//   the N offsets cut the stagger into gaps of at most three sizes; the largest is under 1.9x
//   the even gap stagger/N (computed for every N up to 3000; a hash of the name would leave
//   random clusters and holes instead).
// Host 0 always starts at once, and a stagger of 0 (the default) makes every host due at
// start, so `host_stub --once` still prunes the whole fleet.
#include <chrono>
#include <cstddef>

namespace orch::pruner {

// The first attempt's delay for the host at `position`, in [0, stagger) (0 when stagger <= 0;
// a stagger above kMaxIntervalSeconds counts as kMaxIntervalSeconds).
std::chrono::milliseconds stagger_offset(std::size_t position, std::chrono::seconds stagger);

}  // namespace orch::pruner
