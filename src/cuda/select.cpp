#include "cuda/select.hpp"

#include <memory>
#include <mutex>

#include "cuda/cuda_backend.hpp"

namespace zkamm::cuda {

bool built_with_cuda() noexcept { return ZKAMM_HAVE_CUDA != 0; }

snark::ProverBackend* backend_by_name(std::string_view name, std::string* error) {
  if (name == "cpu") return &snark::cpu_backend();
  if (name != "cuda") {
    if (error != nullptr) *error = "unknown prover backend '" + std::string(name) + "' (expected cpu or cuda)";
    return nullptr;
  }
  static std::mutex mu;
  static std::unique_ptr<snark::ProverBackend> cuda;
  std::lock_guard lock(mu);
  if (!cuda) {
    std::string why;
    cuda = make_cuda_backend(&why);
    if (!cuda) {
      if (error != nullptr) *error = "the cuda prover backend is unavailable: " + why;
      return nullptr;
    }
  }
  return cuda.get();
}

bool use_backend(std::string_view name, std::string* error) {
  snark::ProverBackend* b = backend_by_name(name, error);
  if (b == nullptr) return false;
  snark::set_default_backend(*b);
  return true;
}

void retain_key(snark::ProverBackend& backend, const snark::ProvingKey& pk) {
  backend.retain_bases(pk.a_g1);
  backend.retain_bases(pk.b1_g1);
  backend.retain_bases(pk.c_g1);
  backend.retain_bases(pk.h_g1);
  backend.retain_bases(pk.b2_g2);
}

}  // namespace zkamm::cuda
