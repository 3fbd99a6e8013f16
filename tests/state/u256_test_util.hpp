#pragma once
// The U256 helpers the state tests share (one definition, so their files can be compiled as one
// translation unit: CMake's unity build of the test binaries).
#include "ff/uint256.hpp"

namespace zkamm::state::test_util {

/// A decimal literal; the tests' literals are valid.
inline ff::U256 dec(const char* s) { return *ff::parse_u256(s); }
inline const ff::U256 kZero{};
inline const ff::U256 k2pow128{0, 0, 1, 0};

}  // namespace zkamm::state::test_util
