#include "snark/msm.hpp"

#include <algorithm>

#include "snark/msm_pippenger.hpp"

namespace zkamm::snark {

namespace msm_detail {

MsmParams choose_params(size_t n, unsigned threads) noexcept {
  // Cost in field multiplications per task, calibrated on bench/snark/msm_bench.cpp: a mixed
  // Jacobian bucket addition ~12, a batch-affine one ~7 plus its share of one inversion
  // (~400) and a cache miss on the bucket; reducing a bucket costs two additions (~30,
  // ~16 with 2^14 buckets or more, reduced in affine lockstep).
  threads = threads == 0 ? 1 : threads;
  MsmParams best{};
  double best_cost = -1;
  for (unsigned c = 1; c <= 20; ++c) {
    const unsigned windows = window_count(254, c);
    const double buckets = static_cast<double>(size_t{1} << (c - 1));
    for (unsigned splits = 1; splits <= threads; ++splits) {
      const size_t tasks = static_cast<size_t>(windows) * splits;
      const size_t rounds = (tasks + threads - 1) / threads;
      const double points = static_cast<double>(n) / splits;
      for (int method = 0; method < 2; ++method) {
        const bool affine = method == 1;
        unsigned batch = 0;
        double per_point = 12.0;
        if (affine) {
          if (c < 8) continue;
          batch = static_cast<unsigned>(std::clamp(buckets / 32.0, 16.0, 1024.0));
          per_point = 7.0 + 400.0 / batch + (c >= 15 ? 1.0 : 0.0);
        }
        // Wide batch-affine windows reduce their buckets in affine lockstep (msm_pippenger.hpp).
        const double per_bucket = affine && c >= 15 ? 16.0 : 30.0;
        const double cost = static_cast<double>(rounds) * (points * per_point + buckets * per_bucket);
        if (best_cost < 0 || cost < best_cost) {
          best_cost = cost;
          best = MsmParams{c, splits, affine, batch};
        }
      }
    }
  }
  return best;
}

}  // namespace msm_detail

ec::G1 msm_g1(std::span<const ec::G1Affine> bases, std::span<const ff::U256> scalars) noexcept {
  return msm_detail::pippenger<ec::G1Config>(bases, scalars,
                                             msm_detail::choose_params(bases.size(), ff::worker_count()));
}

ec::G2 msm_g2(std::span<const ec::G2Affine> bases, std::span<const ff::U256> scalars) noexcept {
  return msm_detail::pippenger<ec::G2Config>(bases, scalars,
                                             msm_detail::choose_params(bases.size(), ff::worker_count()));
}

}  // namespace zkamm::snark
