#include "snark/msm.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>

#include "snark/msm_pippenger.hpp"

namespace zkamm::snark {

namespace msm_detail {

MsmParams choose_params(size_t n, unsigned threads, unsigned bits, double* cost_out) noexcept {
  // Cost in field multiplications per task, calibrated on bench/snark/msm_bench.cpp: a mixed
  // Jacobian bucket addition ~12, a batch-affine one ~7 plus its share of one inversion
  // (~400) and a cache miss on the bucket; reducing a bucket costs two additions (~30,
  // ~16 with 2^14 buckets or more in the task, reduced in affine lockstep). A batch-affine task
  // fills `group` windows at once (MsmParams::window_group): one bucket array of group * 2^(c-1).
  threads = threads == 0 ? 1 : threads;
  bits = std::clamp(bits, 1u, 254u);
  MsmParams best{};
  double best_cost = -1;
  for (unsigned c = 1; c <= 20; ++c) {
    const unsigned windows = window_count(bits, c);
    const double buckets = static_cast<double>(size_t{1} << (c - 1));
    for (unsigned splits = 1; splits <= threads; ++splits) {
      const double points = static_cast<double>(n) / splits;
      for (int method = 0; method < 2; ++method) {
        const bool affine = method == 1;
        if (affine && c < 8) continue;
        const unsigned max_group = affine ? std::min(windows, kMaxWindowGroup) : 1;
        for (unsigned group = 1; group <= max_group; ++group) {
          const size_t tasks = static_cast<size_t>((windows + group - 1) / group) * splits;
          const size_t rounds = (tasks + threads - 1) / threads;
          const double task_buckets = buckets * group;
          unsigned batch = 0;
          double per_point = 12.0;
          if (affine) {
            batch = static_cast<unsigned>(std::clamp(task_buckets / 32.0, 16.0, 1024.0));
            per_point = 7.0 + 400.0 / batch + (task_buckets >= 16384.0 ? 1.0 : 0.0);
          }
          const double per_bucket = affine && task_buckets >= 16384.0 ? 16.0 : 30.0;
          const double cost =
              static_cast<double>(rounds) * group * (points * per_point + buckets * per_bucket);
          if (best_cost < 0 || cost < best_cost) {
            best_cost = cost;
            best = MsmParams{c, splits, affine, batch, group};
          }
        }
      }
    }
  }
  if (cost_out != nullptr) *cost_out = best_cost;
  return best;
}

MsmParams choose_params(size_t n, unsigned threads, unsigned bits) noexcept {
  return choose_params(n, threads, bits, nullptr);
}

bool glv_pays(size_t n, unsigned threads, unsigned bits) noexcept {
  if (bits <= ec::kGlvHalfBits + 1 || n == 0) return false;
  if (2 * n * (sizeof(ff::U256) + sizeof(uint32_t)) > kGlvMaxBytes) return false;
  double plain = 0, glv = 0;
  choose_params(n, threads, bits, &plain);
  choose_params(2 * n, threads, ec::kGlvHalfBits, &glv);
  // Expanding costs about 2 multiplications per point (the split's word products; phi, one or
  // two multiplications per read, is paid once per task at the group sizes chosen here). The
  // model predicts -3 % at 2^16 points against grouped windows; the 2^16 chain's proof measured
  // -3 to -6 % CPU with GLV (docs/PERFORMANCE.md), so no margin is asked.
  glv += 2.0 * static_cast<double>(n) / std::max(1u, threads);
  return glv < plain;
}

}  // namespace msm_detail

namespace {

using msm_detail::PippengerPlan;
using msm_detail::PointRange;

// Scalars by bit length: a class holds the scalars of bit length in (bound of the class before,
// its bound]. 0 and 1 are handled apart. Each class costs one bucket set per window, so there are
// few: bits, bytes and small integers, 64-bit amounts and indices, and field elements (hashes,
// inverses). An empty class costs nothing; a 64-swap batch witness has almost nothing between 1
// and 2^200 but many repeated field elements (docs/PERFORMANCE.md, issue 19), see ScalarGroups.
constexpr std::array<unsigned, 3> kClassBits = {16, 64, 254};
// Points summed per batch-affine inversion for scalars equal to one, and per task.
constexpr size_t kOnesLanes = 512;
constexpr size_t kOnesPerTask = size_t{1} << 16;

// Groups of equal scalars whose bases are summed per task, and additions per inversion there.
constexpr size_t kGroupsPerTask = size_t{1} << 15;
constexpr size_t kMergeBatch = 1024;

/// Indices sorted into ones and the bit-length classes.
struct ScalarClasses {
  std::vector<uint32_t> ones;
  std::array<std::vector<uint32_t>, kClassBits.size()> cls;

  void add(uint32_t i, unsigned bits) {
    if (bits == 1) {
      ones.push_back(i);
      return;
    }
    size_t c = 0;
    while (bits > kClassBits[c]) ++c;
    cls[c].push_back(i);
  }
};

bool less_value(const ff::U256& x, const ff::U256& y) noexcept {
  for (size_t l = 4; l-- > 0;)
    if (x[l] != y[l]) return x[l] < y[l];
  return false;
}

/// The scalars > 1 of one span, grouped by value: a witness repeats values (copies of hashes and
/// path elements: a 64-swap batch's 1.34M wires above 1 hold 733k distinct values), and
///   k P_1 + ... + k P_m = k (P_1 + ... + P_m)
/// costs m - 1 additions and one point in the MSM instead of m points in every window.
struct ScalarGroups {
  std::vector<uint32_t> singles;  ///< indices whose value (> 1) occurs once, increasing
  std::vector<ff::U256> value;    ///< per group of >= 2 indices
  std::vector<uint32_t> begin;    ///< group g: members[begin[g] .. begin[g + 1]), increasing
  std::vector<uint32_t> members;

  explicit ScalarGroups(std::span<const ff::U256> k) {
    struct Entry {
      ff::U256 v;
      uint32_t i;
    };
    std::vector<Entry> e;
    for (size_t i = 0; i < k.size(); ++i)
      if (ff::bit_length(k[i]) > 1) e.push_back({k[i], static_cast<uint32_t>(i)});
    std::sort(e.begin(), e.end(), [](const Entry& a, const Entry& b) {
      if (less_value(a.v, b.v)) return true;
      if (less_value(b.v, a.v)) return false;
      return a.i < b.i;
    });
    begin.push_back(0);
    for (size_t r = 0; r < e.size();) {
      size_t end = r + 1;
      while (end < e.size() && e[end].v == e[r].v) ++end;
      if (end - r == 1) {
        singles.push_back(e[r].i);
      } else {
        value.push_back(e[r].v);
        for (size_t j = r; j < end; ++j) members.push_back(e[j].i);
        begin.push_back(static_cast<uint32_t>(members.size()));
      }
      r = end;
    }
    std::sort(singles.begin(), singles.end());
  }

  /// The grouping of the subspan [offset, offset + size) of the span this was built from.
  ScalarGroups(const ScalarGroups& whole, size_t offset, size_t size) {
    const auto inside = [&](uint32_t i) { return i >= offset && i - offset < size; };
    for (uint32_t i : whole.singles)
      if (inside(i)) singles.push_back(static_cast<uint32_t>(i - offset));
    begin.push_back(0);
    for (size_t g = 0; g + 1 < whole.begin.size(); ++g) {
      const size_t first = members.size();
      for (size_t m = whole.begin[g]; m < whole.begin[g + 1]; ++m)
        if (inside(whole.members[m])) members.push_back(static_cast<uint32_t>(whole.members[m] - offset));
      if (members.size() - first == 1) {
        singles.push_back(members.back());
        members.pop_back();
      } else if (members.size() > first) {
        value.push_back(whole.value[g]);
        begin.push_back(static_cast<uint32_t>(members.size()));
      }
    }
    std::sort(singles.begin(), singles.end());
  }

  size_t groups() const noexcept { return value.size(); }
};

/// One job: its ones, a Pippenger per non-empty class over its own points (with grouping: the
/// single ones) and, with grouping, over the merged group points.
template <class Cfg>
struct JobState {
  using Affine = ec::AffinePoint<Cfg>;
  using Jac = ec::JacobianPoint<Cfg>;
  MsmBases<Cfg> bases;
  std::span<const ff::U256> scalars;
  const ScalarGroups* groups = nullptr;  // null: no grouping
  ScalarClasses direct, merged_classes;
  std::vector<Affine> merged;  // merged[g] = sum of group g's bases (merge tasks)
  std::vector<std::unique_ptr<msm_detail::GlvInputs<Cfg>>> glv;  // what the GLV plans read
  std::vector<std::unique_ptr<PippengerPlan<Cfg>>> plans;
  std::vector<Jac> ones_partial;

  /// Sorts the points into classes (reads the bases of non-zero scalars to drop the points at
  /// infinity: the B query's unused wires).
  void classify() {
    if (groups == nullptr) {
      const size_t n = std::min(bases.size(), scalars.size());
      for (size_t i = 0; i < n; ++i) {
        const unsigned bits = ff::bit_length(scalars[i]);
        if (bits != 0 && !bases[i].infinity) direct.add(static_cast<uint32_t>(i), bits);
      }
      return;
    }
    const size_t n = std::min(bases.size(), scalars.size());
    for (size_t i = 0; i < n; ++i)
      if (ff::bit_length(scalars[i]) == 1 && !bases[i].infinity) direct.ones.push_back(static_cast<uint32_t>(i));
    for (uint32_t i : groups->singles)
      if (!bases[i].infinity) direct.add(i, ff::bit_length(scalars[i]));
    for (size_t g = 0; g < groups->groups(); ++g)
      merged_classes.add(static_cast<uint32_t>(g), ff::bit_length(groups->value[g]));
    merged.assign(groups->groups(), Affine{});
  }

  /// The plans over the job's own points, or (merged_points) over the merged group points, which
  /// the merge tasks fill (made after them, so that no plan ever sees them unfilled).
  void make_plans(unsigned workers, bool merged_points) {
    auto add_plans = [&](const MsmBases<Cfg>& b, std::span<const ff::U256> k, const ScalarClasses& c) {
      for (size_t i = 0; i < kClassBits.size(); ++i) {
        const auto& idx = c.cls[i];
        if (idx.empty()) continue;
        if (msm_detail::glv_pays(idx.size(), workers, kClassBits[i])) {
          // Full-size scalars: the GLV form (msm_pippenger.hpp), when the cost model says so.
          auto& g = *glv.emplace_back(std::make_unique<msm_detail::GlvInputs<Cfg>>());
          msm_detail::glv_expand(b, k, idx, g);
          plans.push_back(std::make_unique<PippengerPlan<Cfg>>(
              g.bases(), g.scalars, std::span<const uint32_t>{},
              msm_detail::choose_params(g.refs.size(), workers, ec::kGlvHalfBits)));
          continue;
        }
        plans.push_back(std::make_unique<PippengerPlan<Cfg>>(
            b, k, idx, msm_detail::choose_params(idx.size(), workers, kClassBits[i])));
      }
    };
    if (!merged_points) {
      add_plans(bases, scalars, direct);
      ones_partial.assign((direct.ones.size() + kOnesPerTask - 1) / kOnesPerTask, Jac::identity());
    } else if (groups != nullptr) {
      add_plans(MsmBases<Cfg>(merged), groups->value, merged_classes);
    }
  }

  size_t merge_tasks() const noexcept {
    return groups == nullptr ? 0 : (groups->groups() + kGroupsPerTask - 1) / kGroupsPerTask;
  }
  /// merged[g] for the groups of task t: one bucket per group, batch-affine additions.
  void merge(size_t t, msm_detail::BatchAffineBuckets<Cfg>& scratch) {
    const size_t g0 = t * kGroupsPerTask, g1 = std::min(groups->groups(), g0 + kGroupsPerTask);
    scratch.reset(g1 - g0, kMergeBatch);
    for (size_t g = g0; g < g1; ++g) {
      for (size_t m = groups->begin[g]; m < groups->begin[g + 1]; ++m) {
        const Affine p = bases[groups->members[m]];
        if (!p.infinity) scratch.add(static_cast<uint32_t>(g - g0), p);
      }
    }
    scratch.flush();
    if (!scratch.spilled()) {
      for (size_t g = g0; g < g1; ++g) merged[g] = scratch.point(g - g0);
      return;
    }
    // A large group (a value repeated hundreds of times) overflowed into Jacobian side buckets.
    std::vector<Jac> totals(g1 - g0);
    for (size_t g = g0; g < g1; ++g) totals[g - g0] = scratch.total(g - g0);
    Jac::batch_to_affine(totals, std::span<Affine>(merged).subspan(g0, g1 - g0));
  }

  PointRange ones_range(size_t t) const noexcept {
    return PointRange{direct.ones, t * kOnesPerTask, std::min(direct.ones.size(), (t + 1) * kOnesPerTask)};
  }

  Jac result() const noexcept {
    Jac acc = Jac::identity();
    for (const auto& p : plans) acc += p->combine();
    for (const Jac& p : ones_partial) acc += p;
    return acc;
  }
};

/// The groupings of the jobs that ask for one: each distinct span grouped once, a span inside
/// an already grouped one (the prover's C query reads the witness after its public part)
/// derived from it.
class GroupCache {
 public:
  const ScalarGroups* get(std::span<const ff::U256> k) {
    for (const auto& [span, g] : built_) {
      if (span.data() == k.data() && span.size() == k.size()) return g.get();
    }
    for (const auto& [span, g] : built_) {
      if (k.data() >= span.data() && k.data() + k.size() <= span.data() + span.size()) {
        built_.emplace_back(k, std::make_unique<ScalarGroups>(*g, static_cast<size_t>(k.data() - span.data()), k.size()));
        return built_.back().second.get();
      }
    }
    built_.emplace_back(k, std::make_unique<ScalarGroups>(k));
    return built_.back().second.get();
  }

 private:
  std::vector<std::pair<std::span<const ff::U256>, std::unique_ptr<ScalarGroups>>> built_;
};

/// Runs tasks 0..count-1 with run(task, g1_scratch, g2_scratch) on the worker threads, each
/// taking the next task when done.
template <class Run>
void drain(size_t count, unsigned workers, Run&& run) {
  std::atomic<size_t> next{0};
  ff::parallel_for_chunks(std::min<size_t>(workers, count), [&](size_t, size_t, unsigned) {
    PippengerPlan<ec::G1Config>::Scratch g1_scratch;
    PippengerPlan<ec::G2Config>::Scratch g2_scratch;
    for (size_t i = next.fetch_add(1, std::memory_order_relaxed); i < count;
         i = next.fetch_add(1, std::memory_order_relaxed))
      run(i, g1_scratch, g2_scratch);
  });
}

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
  std::vector<JobState<ec::G1Config>> g1_jobs(g1.size());
  std::vector<JobState<ec::G2Config>> g2_jobs(g2.size());
  // Largest grouped spans first, so that the smaller ones inside them are derived.
  std::vector<std::span<const ff::U256>> to_group;
  for (const auto& j : g1)
    if (j.group_repeats) to_group.push_back(j.scalars);
  for (const auto& j : g2)
    if (j.group_repeats) to_group.push_back(j.scalars);
  std::stable_sort(to_group.begin(), to_group.end(), [](auto a, auto b) { return a.size() > b.size(); });
  GroupCache cache;
  for (auto k : to_group) cache.get(k);
  for (size_t j = 0; j < g1.size(); ++j) {
    g1_jobs[j].bases = g1[j].bases;
    g1_jobs[j].scalars = g1[j].scalars;
    if (g1[j].group_repeats) g1_jobs[j].groups = cache.get(g1[j].scalars);
  }
  for (size_t j = 0; j < g2.size(); ++j) {
    g2_jobs[j].bases = g2[j].bases;
    g2_jobs[j].scalars = g2[j].scalars;
    if (g2[j].group_repeats) g2_jobs[j].groups = cache.get(g2[j].scalars);
  }
  // Classify every job and make the plans over its own points, one job per thread at a time.
  drain(g1.size() + g2.size(), workers, [&](size_t j, auto&, auto&) {
    if (j < g1.size()) {
      g1_jobs[j].classify();
      g1_jobs[j].make_plans(workers, false);
    } else {
      g2_jobs[j - g1.size()].classify();
      g2_jobs[j - g1.size()].make_plans(workers, false);
    }
  });

  // Phase 1: the sums of the grouped bases, which the merged plans read.
  struct Merge {
    bool g2;
    uint32_t job, task;
  };
  std::vector<Merge> merges;
  for (size_t j = 0; j < g2_jobs.size(); ++j)
    for (size_t t = 0; t < g2_jobs[j].merge_tasks(); ++t)
      merges.push_back({true, static_cast<uint32_t>(j), static_cast<uint32_t>(t)});
  for (size_t j = 0; j < g1_jobs.size(); ++j)
    for (size_t t = 0; t < g1_jobs[j].merge_tasks(); ++t)
      merges.push_back({false, static_cast<uint32_t>(j), static_cast<uint32_t>(t)});
  drain(merges.size(), workers, [&](size_t i, auto& s1, auto& s2) {
    const Merge& m = merges[i];
    if (m.g2) {
      g2_jobs[m.job].merge(m.task, s2.affine);
    } else {
      g1_jobs[m.job].merge(m.task, s1.affine);
    }
  });

  drain(g1.size() + g2.size(), workers, [&](size_t j, auto&, auto&) {
    if (j < g1.size()) {
      g1_jobs[j].make_plans(workers, true);
    } else {
      g2_jobs[j - g1.size()].make_plans(workers, true);
    }
  });

  // Phase 2: longest tasks first (a G2 addition costs about three G1 ones): the threads then
  // finish within about one short task of each other.
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
  drain(queue.size(), workers, [&](size_t i, auto& s1, auto& s2) {
    const Task& t = queue[i];
    if (t.g2) {
      run(g2_jobs[t.job], t, s2);
    } else {
      run(g1_jobs[t.job], t, s1);
    }
  });
  for (size_t p = 0; p < g1.size(); ++p) *g1[p].result = g1_jobs[p].result();
  for (size_t p = 0; p < g2.size(); ++p) *g2[p].result = g2_jobs[p].result();
}

}  // namespace zkamm::snark
