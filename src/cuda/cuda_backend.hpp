#pragma once
// The CUDA implementation of snark::ProverBackend (cuda_backend.cpp, the host side, over the
// device layer of cuda/gpu.hpp). The host side builds everywhere; the device layer needs
// ZKAMM_HAVE_CUDA (without it make_cuda_backend says so, and select.hpp passes that on).
#include <cstddef>
#include <memory>
#include <string>

#include "cuda/gpu.hpp"
#include "snark/backend.hpp"

namespace zkamm::cuda {

struct BackendOptions {
  /// MSMs with at least this many points keep their bases on the device (the prover's key
  /// sections, which recur from proof to proof)...
  size_t auto_retain_min = size_t{1} << 16;
  /// ...in at most this many cached sets (the least recently used goes first; sets given to
  /// retain_bases are kept until release_bases and not counted).
  size_t max_cached = 12;
};

/// A backend on the first CUDA device, or nullptr with *error (built without CUDA, no driver, no
/// device).
std::unique_ptr<snark::ProverBackend> make_cuda_backend(std::string* error, BackendOptions options = {});

/// The backend's host side over a given device layer: the real one (Gpu::open) or the CPU
/// emulation of cuda/emulated_gpu.hpp, which is how the tests run it without a GPU.
std::unique_ptr<snark::ProverBackend> make_backend_on(std::unique_ptr<Gpu> gpu, BackendOptions options = {});

}  // namespace zkamm::cuda
