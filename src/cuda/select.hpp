#pragma once
// Choosing the prover backend by name (the CLI's --backend / --prover-backend): "cpu" or "cuda".
#include <string>
#include <string_view>

#include "snark/backend.hpp"
#include "snark/groth16.hpp"

namespace zkamm::cuda {

/// True when this binary was built with the CUDA backend (ZKAMM_CUDA on and nvcc found).
bool built_with_cuda() noexcept;

/// The process-wide backend called `name` ("cpu", "cuda"), or nullptr with *error saying why
/// (unknown name, built without CUDA, no usable GPU). Never aborts. The "cuda" backend is opened
/// once and kept for the process.
snark::ProverBackend* backend_by_name(std::string_view name, std::string* error);

/// backend_by_name, and makes it the default of snark::prove (snark::set_default_backend).
/// Returns false with *error when it is not available.
bool use_backend(std::string_view name, std::string* error);

/// Hands the key's MSM bases to backend.retain_bases (uploaded once by a GPU backend); pk must
/// stay alive and unchanged until backend.release_bases().
void retain_key(snark::ProverBackend& backend, const snark::ProvingKey& pk);

}  // namespace zkamm::cuda
