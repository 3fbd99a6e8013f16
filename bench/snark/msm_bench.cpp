// MSM throughput: G1 at 2^16..2^22 points, G2 at 2^16..2^20, random scalars below r.
// Points are distinct: a random multiple of the generator followed by a chain of additions,
// converted with one batch inversion, cached across iterations (the chain only makes the bases
// cheap to generate; the bucket method's cost depends on the scalars, not on how bases relate).
// Run:  build/<dir>/src/snark/zkamm_snark_bench --benchmark_filter=Msm
// BM_MsmG1Params/<log2 n>/<c>/<batch_affine>/<batch> sweeps the parameters the cost model picks from.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "ec/g1.hpp"
#include "ec/g2.hpp"
#include "snark/msm.hpp"
#include "snark/msm_pippenger.hpp"

namespace {

using namespace zkamm;
using ff::Fr;
using ff::U256;

template <class Jac>
const std::vector<typename Jac::Affine>& cached_points(size_t n) {
  static std::vector<typename Jac::Affine> points;
  if (points.size() >= n) return points;
  std::mt19937_64 rng(42);
  const Jac step = Jac::generator().mul(Fr::random(rng).to_canonical());
  Jac cur = Jac::generator().mul(Fr::random(rng).to_canonical());
  constexpr size_t kChunk = size_t{1} << 16;
  std::vector<Jac> jac(kChunk);
  std::vector<typename Jac::Affine> out(kChunk);
  points.clear();
  points.reserve(n);
  for (size_t done = 0; done < n; done += kChunk) {
    const size_t m = std::min(kChunk, n - done);
    for (size_t i = 0; i < m; ++i) {
      jac[i] = cur;
      cur += step;
    }
    Jac::batch_to_affine(std::span<const Jac>(jac.data(), m), std::span<typename Jac::Affine>(out.data(), m));
    points.insert(points.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(m));
  }
  return points;
}

const std::vector<U256>& cached_scalars(size_t n) {
  static std::vector<U256> scalars;
  if (scalars.size() >= n) return scalars;
  std::mt19937_64 rng(7);
  scalars.resize(n);
  for (auto& k : scalars) k = Fr::random(rng).to_canonical();
  return scalars;
}

void BM_MsmG1(benchmark::State& state) {
  const size_t n = size_t{1} << state.range(0);
  const std::span<const ec::G1Affine> bases(cached_points<ec::G1>(n).data(), n);
  const std::span<const U256> scalars(cached_scalars(n).data(), n);
  for (auto _ : state) benchmark::DoNotOptimize(snark::msm_g1(bases, scalars));
  state.counters["points"] = static_cast<double>(n);
}
BENCHMARK(BM_MsmG1)->DenseRange(16, 22, 1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MsmG2(benchmark::State& state) {
  const size_t n = size_t{1} << state.range(0);
  const std::span<const ec::G2Affine> bases(cached_points<ec::G2>(n).data(), n);
  const std::span<const U256> scalars(cached_scalars(n).data(), n);
  for (auto _ : state) benchmark::DoNotOptimize(snark::msm_g2(bases, scalars));
  state.counters["points"] = static_cast<double>(n);
}
BENCHMARK(BM_MsmG2)->DenseRange(16, 20, 1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MsmG1Params(benchmark::State& state) {
  const size_t n = size_t{1} << state.range(0);
  const std::span<const ec::G1Affine> bases(cached_points<ec::G1>(n).data(), n);
  const std::span<const U256> scalars(cached_scalars(n).data(), n);
  snark::msm_detail::MsmParams params;
  params.c = static_cast<unsigned>(state.range(1));
  params.splits = 1;
  params.batch_affine = state.range(2) != 0;
  params.batch = static_cast<unsigned>(state.range(3));
  for (auto _ : state) benchmark::DoNotOptimize(snark::msm_detail::pippenger<ec::G1Config>(bases, scalars, params));
}
BENCHMARK(BM_MsmG1Params)
    ->ArgsProduct({{16, 18, 20}, {12, 13, 14, 15, 16, 17}, {0, 1}, {256, 1024}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

namespace {
// BM_MsmG1Group/<log2 n>/<c>/<windows per task>/<bits>: batch-affine windows filled together
// (MsmParams::window_group), batch = buckets in the task / 32 within [16, 1024]; bits < 254
// truncates the scalars (127: the GLV halves' length).
void BM_MsmG1Group(benchmark::State& state) {
  using namespace zkamm;
  const size_t n = size_t{1} << state.range(0);
  const std::span<const ec::G1Affine> bases(cached_points<ec::G1>(n).data(), n);
  std::vector<ff::U256> scalars(cached_scalars(n).begin(), cached_scalars(n).begin() + static_cast<std::ptrdiff_t>(n));
  const unsigned bits = static_cast<unsigned>(state.range(3));
  for (auto& k : scalars) {
    for (unsigned b = bits; b < 256; ++b) k[b / 64] &= ~(uint64_t{1} << (b % 64));
  }
  snark::msm_detail::MsmParams params;
  params.c = static_cast<unsigned>(state.range(1));
  params.splits = 1;
  params.batch_affine = true;
  params.window_group = static_cast<unsigned>(state.range(2));
  params.batch = static_cast<unsigned>(
      std::clamp<size_t>((size_t{1} << (params.c - 1)) * params.window_group / 32, 16, 1024));
  for (auto _ : state)
    benchmark::DoNotOptimize(snark::msm_detail::pippenger<ec::G1Config>(bases, scalars, params));
}
BENCHMARK(BM_MsmG1Group)
    ->ArgsProduct({{16, 17}, {12, 13, 14, 15, 16}, {1, 5, 10}, {254, 127}})
    ->Unit(benchmark::kMillisecond);
}  // namespace
