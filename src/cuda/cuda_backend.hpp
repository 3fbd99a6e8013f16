#pragma once
// The CUDA implementation of snark::ProverBackend (cuda_backend.cpp over the device layer of
// cuda/gpu.hpp). Only in builds with ZKAMM_HAVE_CUDA; others get their error from select.hpp.
#include <memory>
#include <string>

#include "snark/backend.hpp"

namespace zkamm::cuda {

/// A backend on the first CUDA device, or nullptr with *error (no driver, no device).
std::unique_ptr<snark::ProverBackend> make_cuda_backend(std::string* error);

}  // namespace zkamm::cuda
