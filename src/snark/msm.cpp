#include "snark/msm.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>

#include "snark/msm_pippenger.hpp"

namespace zkamm::snark {

namespace msm_detail {

MsmParams choose_params(size_t n, unsigned threads, unsigned bits) noexcept {
  // Cost in field multiplications per task, calibrated on bench/snark/msm_bench.cpp: a mixed
  // Jacobian bucket addition ~12, a batch-affine one ~7 plus its share of one inversion
  // (~400) and a cache miss on the bucket; reducing a bucket costs two additions (~30,
  // ~16 with 2^14 buckets or more, reduced in affine lockstep).
  threads = threads == 0 ? 1 : threads;
  bits = std::clamp(bits, 1u, 254u);
  MsmParams best{};
  double best_cost = -1;
  for (unsigned c = 1; c <= 20; ++c) {
    const unsigned windows = window_count(bits, c);
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

namespace {

using msm_detail::PippengerPlan;
using msm_detail::PointRange;

// Scalars by bit length: a class holds the scalars of bit length in (bound of the class before,
// its bound]. 0 and 1 are handled apart. Each class costs one bucket set per window, so there are
// few; the bounds follow a 64-swap batch witness (docs/PERFORMANCE.md, issue 19): bits, bytes and
// small integers, 64-bit amounts and indices, and field elements (hashes, inverses).
constexpr std::array<unsigned, 3> kClassBits = {16, 64, 254};
// Points summed per batch-affine inversion for scalars equal to one, and per task.
constexpr size_t kOnesLanes = 512;
constexpr size_t kOnesPerTask = size_t{1} << 16;

/// Indices of one job's points sorted into ones and the bit-length classes; zero scalars and
/// points at infinity (the B query's unused wires) are dropped.
struct ScalarClasses {
  std::vector<uint32_t> ones;
  std::array<std::vector<uint32_t>, kClassBits.size()> cls;

  template <class Cfg>
  void build(const MsmBases<Cfg>& bases, std::span<const ff::U256> scalars) {
    const size_t n = std::min(bases.size(), scalars.size());
    for (size_t i = 0; i < n; ++i) {
      const unsigned bits = ff::bit_length(scalars[i]);
      if (bits == 0 || bases[i].infinity) continue;
      if (bits == 1) {
        ones.push_back(static_cast<uint32_t>(i));
        continue;
      }
      size_t c = 0;
      while (bits > kClassBits[c]) ++c;
      cls[c].push_back(static_cast<uint32_t>(i));
    }
  }
};

/// One job's plans: a Pippenger per non-empty class and tasks over ranges of its ones.
template <class Cfg>
struct JobState {
  using Jac = ec::JacobianPoint<Cfg>;
  MsmBases<Cfg> bases;
  std::span<const ff::U256> scalars;
  const ScalarClasses* classes = nullptr;
  std::vector<std::unique_ptr<PippengerPlan<Cfg>>> plans;
  std::vector<Jac> ones_partial;

  JobState(const MsmBases<Cfg>& b, std::span<const ff::U256> k, const ScalarClasses& c, unsigned workers)
      : bases(b), scalars(k), classes(&c) {
    for (size_t i = 0; i < kClassBits.size(); ++i) {
      const auto& idx = c.cls[i];
      if (idx.empty()) continue;
      plans.push_back(std::make_unique<PippengerPlan<Cfg>>(
          bases, scalars, idx, msm_detail::choose_params(idx.size(), workers, kClassBits[i])));
    }
    ones_partial.assign((c.ones.size() + kOnesPerTask - 1) / kOnesPerTask, Jac::identity());
  }

  PointRange ones_range(size_t t) const noexcept {
    return PointRange{classes->ones, t * kOnesPerTask, std::min(classes->ones.size(), (t + 1) * kOnesPerTask)};
  }

  Jac result() const noexcept {
    Jac acc = Jac::identity();
    for (const auto& p : plans) acc += p->combine();
    for (const Jac& p : ones_partial) acc += p;
    return acc;
  }
};

}  // namespace

ec::G1 msm_g1(const MsmBases<ec::G1Config>& bases, std::span<const ff::U256> scalars) noexcept {
  ec::G1 out;
  const MsmG1Job job{bases, scalars, &out};
  msm_many({&job, 1}, {});
  return out;
}

ec::G2 msm_g2(const MsmBases<ec::G2Config>& bases, std::span<const ff::U256> scalars) noexcept {
  ec::G2 out;
  const MsmG2Job job{bases, scalars, &out};
  msm_many({}, {&job, 1});
  return out;
}

void msm_many(std::span<const MsmG1Job> g1, std::span<const MsmG2Job> g2) noexcept {
  const unsigned workers = ff::worker_count();
  // Classify every job's points, one job per thread at a time.
  std::vector<ScalarClasses> classes(g1.size() + g2.size());
  ff::parallel_for_chunks(classes.size(), [&](size_t begin, size_t end, unsigned) {
    for (size_t j = begin; j < end; ++j) {
      if (j < g1.size()) {
        classes[j].build(g1[j].bases, g1[j].scalars);
      } else {
        classes[j].build(g2[j - g1.size()].bases, g2[j - g1.size()].scalars);
      }
    }
  });
  std::vector<JobState<ec::G1Config>> g1_jobs;
  std::vector<JobState<ec::G2Config>> g2_jobs;
  g1_jobs.reserve(g1.size());
  g2_jobs.reserve(g2.size());
  for (size_t j = 0; j < g1.size(); ++j) g1_jobs.emplace_back(g1[j].bases, g1[j].scalars, classes[j], workers);
  for (size_t j = 0; j < g2.size(); ++j)
    g2_jobs.emplace_back(g2[j].bases, g2[j].scalars, classes[g1.size() + j], workers);

  // Longest tasks first (a G2 addition costs about three G1 ones): the threads then finish
  // within about one short task of each other.
  struct Task {
    double cost;
    bool g2;
    uint32_t job;
    int32_t plan;  // -1: a range of ones
    uint32_t task;
  };
  std::vector<Task> queue;
  auto enqueue = [&queue](auto& jobs, bool is_g2) {
    const double weight = is_g2 ? 3.0 : 1.0;
    for (size_t j = 0; j < jobs.size(); ++j) {
      auto& job = jobs[j];
      for (size_t p = 0; p < job.plans.size(); ++p) {
        const double cost = weight * static_cast<double>(job.plans[p]->points_per_task());
        for (size_t t = 0; t < job.plans[p]->tasks(); ++t)
          queue.push_back({cost, is_g2, static_cast<uint32_t>(j), static_cast<int32_t>(p), static_cast<uint32_t>(t)});
      }
      for (size_t t = 0; t < job.ones_partial.size(); ++t) {
        const PointRange r = job.ones_range(t);
        // One addition per point instead of one per window: about a tenth of a window's cost.
        const double cost = weight * 0.1 * static_cast<double>(r.end - r.begin);
        queue.push_back({cost, is_g2, static_cast<uint32_t>(j), -1, static_cast<uint32_t>(t)});
      }
    }
  };
  enqueue(g1_jobs, false);
  enqueue(g2_jobs, true);
  std::stable_sort(queue.begin(), queue.end(), [](const Task& a, const Task& b) { return a.cost > b.cost; });

  auto run = [](auto& job, const Task& t, auto& scratch) {
    if (t.plan < 0) {
      job.ones_partial[t.task] = msm_detail::sum_points(job.bases, job.ones_range(t.task), kOnesLanes, scratch.affine);
    } else {
      job.plans[static_cast<size_t>(t.plan)]->run_task(t.task, scratch);
    }
  };
  std::atomic<size_t> next{0};
  ff::parallel_for_chunks(std::min<size_t>(workers, queue.size()), [&](size_t, size_t, unsigned) {
    PippengerPlan<ec::G1Config>::Scratch g1_scratch;
    PippengerPlan<ec::G2Config>::Scratch g2_scratch;
    for (size_t i = next.fetch_add(1, std::memory_order_relaxed); i < queue.size();
         i = next.fetch_add(1, std::memory_order_relaxed)) {
      const Task& t = queue[i];
      if (t.g2) {
        run(g2_jobs[t.job], t, g2_scratch);
      } else {
        run(g1_jobs[t.job], t, g1_scratch);
      }
    }
  });
  for (size_t p = 0; p < g1.size(); ++p) *g1[p].result = g1_jobs[p].result();
  for (size_t p = 0; p < g2.size(); ++p) *g2[p].result = g2_jobs[p].result();
}

}  // namespace zkamm::snark
