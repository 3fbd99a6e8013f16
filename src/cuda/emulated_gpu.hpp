#pragma once
// The device layer of cuda/gpu.hpp emulated on the CPU: the kernels' per-thread code
// (cuda/msm_plan.hpp, cuda/ntt_plan.hpp, cuda/curve.hpp) run by loops over the grids gpu.cu
// launches, step for step, with a sort in place of CUB's radix sort. With it the backend's host
// side (cuda_backend.cpp: resident point sets, their lookup, the window combination, the
// fallbacks) and the Gpu contract are tested on every machine, GPU or not. It is no faster than
// the CPU backend, and no CLI offers it.
#include <memory>

#include "cuda/gpu.hpp"

namespace zkamm::cuda {

std::unique_ptr<Gpu> make_emulated_gpu();

}  // namespace zkamm::cuda
