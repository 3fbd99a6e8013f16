#include "snark/msm.hpp"

#include <algorithm>
#include <atomic>
#include <numeric>

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

void msm_many(std::span<const MsmG1Job> g1, std::span<const MsmG2Job> g2) noexcept {
  using msm_detail::PippengerPlan;
  const unsigned workers = ff::worker_count();
  std::vector<PippengerPlan<ec::G1Config>> g1_plans;
  std::vector<PippengerPlan<ec::G2Config>> g2_plans;
  g1_plans.reserve(g1.size());
  g2_plans.reserve(g2.size());
  for (const auto& j : g1) g1_plans.emplace_back(j.bases, j.scalars, msm_detail::choose_params(j.bases.size(), workers));
  for (const auto& j : g2) g2_plans.emplace_back(j.bases, j.scalars, msm_detail::choose_params(j.bases.size(), workers));

  // Longest tasks first (G2 windows, then G1 windows of the largest MSMs): the threads then
  // finish within about one short task of each other.
  struct Task {
    bool g2;
    uint32_t plan;
    uint32_t task;
  };
  std::vector<size_t> g1_order(g1.size());
  std::iota(g1_order.begin(), g1_order.end(), size_t{0});
  std::stable_sort(g1_order.begin(), g1_order.end(),
                   [&](size_t x, size_t y) { return g1[x].bases.size() > g1[y].bases.size(); });
  std::vector<Task> queue;
  for (size_t p = 0; p < g2_plans.size(); ++p)
    for (size_t t = 0; t < g2_plans[p].tasks(); ++t)
      queue.push_back({true, static_cast<uint32_t>(p), static_cast<uint32_t>(t)});
  for (size_t p : g1_order)
    for (size_t t = 0; t < g1_plans[p].tasks(); ++t)
      queue.push_back({false, static_cast<uint32_t>(p), static_cast<uint32_t>(t)});

  std::atomic<size_t> next{0};
  ff::parallel_for_chunks(std::min<size_t>(workers, queue.size()), [&](size_t, size_t, unsigned) {
    PippengerPlan<ec::G1Config>::Scratch g1_scratch;
    PippengerPlan<ec::G2Config>::Scratch g2_scratch;
    for (size_t i = next.fetch_add(1, std::memory_order_relaxed); i < queue.size();
         i = next.fetch_add(1, std::memory_order_relaxed)) {
      const Task& t = queue[i];
      if (t.g2) {
        g2_plans[t.plan].run_task(t.task, g2_scratch);
      } else {
        g1_plans[t.plan].run_task(t.task, g1_scratch);
      }
    }
  });
  for (size_t p = 0; p < g1.size(); ++p) *g1[p].result = g1_plans[p].combine();
  for (size_t p = 0; p < g2.size(); ++p) *g2[p].result = g2_plans[p].combine();
}

}  // namespace zkamm::snark
