// MSM against the independent reference sum_i bases[i].mul(scalars[i]) (the curves' own
// fixed-window scalar multiplication and addition, which share no code with the bucket method).
// Points and scalars are self-generated from a printed seed (ZKAMM_SEED replays a run).
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <type_traits>
#include <vector>

#include "ec/g1.hpp"
#include "ec/g2.hpp"
#include "common/seed.hpp"
#include "snark/msm.hpp"
#include "snark/msm_pippenger.hpp"

namespace zkamm::snark {
namespace {

using ff::Fr;
using ff::U256;
using msm_detail::MsmParams;

template <class Jac>
struct Api;
template <>
struct Api<ec::G1> {
  static ec::G1 msm(std::span<const ec::G1Affine> b, std::span<const U256> k) { return msm_g1(b, k); }
};
template <>
struct Api<ec::G2> {
  static ec::G2 msm(std::span<const ec::G2Affine> b, std::span<const U256> k) { return msm_g2(b, k); }
};

template <class Jac>
Jac reference(std::span<const typename Jac::Affine> bases, std::span<const U256> scalars) {
  Jac acc = Jac::identity();
  for (size_t i = 0; i < bases.size(); ++i) acc += Jac(bases[i]).mul(scalars[i]);
  return acc;
}

/// n points: distinct random multiples of the generator, converted together.
template <class Jac, class Rng>
std::vector<typename Jac::Affine> random_points(size_t n, Rng& rng) {
  std::vector<Jac> jac(n);
  // A few scalar multiplications and a chain of additions keep generation cheap.
  const Jac step = Jac::generator().mul(Fr::random(rng).to_canonical());
  Jac cur = Jac::generator().mul(Fr::random(rng).to_canonical());
  for (size_t i = 0; i < n; ++i) {
    jac[i] = cur;
    cur = (i % 7 == 6) ? cur.dbl() + step : cur + step;
  }
  std::vector<typename Jac::Affine> out(n);
  Jac::batch_to_affine(jac, out);
  return out;
}

template <class Rng>
std::vector<U256> random_scalars(size_t n, Rng& rng) {
  std::vector<U256> out(n);
  for (auto& k : out) k = Fr::random(rng).to_canonical();
  return out;
}

U256 r_minus(uint64_t d) {
  U256 out{};
  ff::sub_with_borrow(out, Fr::kModulus, U256{d, 0, 0, 0});
  return out;
}

U256 pow2(unsigned k) {
  U256 out{};
  out[k / 64] = uint64_t{1} << (k % 64);
  return out;
}

/// Parameter sets that force each code path: Jacobian and batch-affine buckets, tiny batches
/// (many collisions, queue spills), several windows and point splits.
std::vector<MsmParams> forced_params() {
  return {
      {1, 1, false, 0}, {3, 2, false, 0}, {8, 1, false, 0},  {11, 3, false, 0},  {4, 1, true, 3},
      {8, 1, true, 1},  {8, 2, true, 2},  {9, 1, true, 5},   {10, 3, true, 64}, {11, 1, true, 256},
      // Several windows per task (one bucket array), the last group short; with 2^14 buckets or
      // more in the task, the lockstep affine reduction per window.
      {8, 1, true, 64, 3}, {9, 2, true, 5, 4}, {10, 1, true, 1024, 32}, {12, 1, true, 512, 8}, {12, 2, true, 64, 9},
  };
}


template <class T>
class Msm : public ::testing::Test {};
using Groups = ::testing::Types<ec::G1, ec::G2>;
TYPED_TEST_SUITE(Msm, Groups);

/// Checks the public entry point and every forced parameter set against the reference.
template <class Jac>
void check_all(std::span<const typename Jac::Affine> b, std::span<const U256> k, const char* what) {
  const Jac expected = reference<Jac>(b, k);
  EXPECT_EQ(Api<Jac>::msm(b, k), expected) << what << " n=" << b.size();
  for (const auto& p : forced_params()) {
    EXPECT_EQ(msm_detail::pippenger(b, k, p), expected)
        << what << " n=" << b.size() << " c=" << p.c << " splits=" << p.splits << " affine=" << p.batch_affine
        << " batch=" << p.batch << " group=" << p.window_group;
  }
}

TYPED_TEST(Msm, RandomInputsMatchReference) {
  using Jac = TypeParam;
  constexpr bool kG2 = std::is_same_v<Jac, ec::G2>;
  auto rng = zkamm::testing::seeded_rng("Msm.RandomInputsMatchReference");
  const auto points = random_points<Jac>(5000, rng);
  const auto scalars = random_scalars(5000, rng);
  for (size_t n : {0, 1, 2, 3, 17, 100, 1000, 5000}) {
    const std::span<const typename Jac::Affine> b(points.data(), n);
    const std::span<const U256> k(scalars.data(), n);
    if (n <= (kG2 ? 100u : 1000u)) {
      check_all<Jac>(b, k, "random");
    } else if (!kG2 || n <= 1000) {
      EXPECT_EQ(Api<Jac>::msm(b, k), reference<Jac>(b, k)) << "n=" << n;
    }
  }
}

TEST(MsmParams, CostModelPicksBatchAffineForLargeInputs) {
  // Documents the cost model's regimes (the forced-parameter tests cover both code paths).
  EXPECT_FALSE(msm_detail::choose_params(100, 2).batch_affine);
  const MsmParams large = msm_detail::choose_params(size_t{1} << 20, 2);
  EXPECT_TRUE(large.batch_affine);
  EXPECT_GE(large.c, 14u);
  EXPECT_LE(large.c, 18u);
  for (size_t n : {1, 2, 31, 1000, 1 << 16}) {
    for (unsigned threads : {1u, 2u, 16u}) {
      const MsmParams p = msm_detail::choose_params(n, threads);
      EXPECT_GE(p.c, 1u);
      EXPECT_LE(p.c, 20u);
      EXPECT_GE(p.splits, 1u);
      EXPECT_TRUE(!p.batch_affine || p.batch >= 1);
    }
  }
}

TYPED_TEST(Msm, EdgeScalars) {
  using Jac = TypeParam;
  auto rng = zkamm::testing::seeded_rng("Msm.EdgeScalars");
  std::vector<U256> scalars = {U256{}, U256{1, 0, 0, 0}, r_minus(1), r_minus(2), U256{2, 0, 0, 0}};
  for (unsigned e : {1u, 15u, 16u, 63u, 64u, 127u, 128u, 200u, 252u, 253u}) scalars.push_back(pow2(e));
  U256 ones{};
  ones[0] = ones[1] = ones[2] = ~0ULL;
  ones[3] = (uint64_t{1} << 61) - 1;  // 2^253 - 1: every digit at its Booth extreme
  scalars.push_back(ones);
  const size_t n = scalars.size();
  const auto points = random_points<Jac>(n, rng);
  check_all<Jac>(points, scalars, "edge scalars");
  // All scalars zero, and the same edge scalars on one repeated point.
  const std::vector<U256> zeros(n, U256{});
  check_all<Jac>(points, zeros, "zero scalars");
  const std::vector<typename Jac::Affine> same(n, points[0]);
  check_all<Jac>(same, scalars, "one point");
}

TYPED_TEST(Msm, RepeatedInfinityAndEqualBases) {
  using Jac = TypeParam;
  using Affine = typename Jac::Affine;
  auto rng = zkamm::testing::seeded_rng("Msm.RepeatedInfinityAndEqualBases");
  const size_t n = 300;
  const auto distinct = random_points<Jac>(5, rng);
  // Few distinct points repeated, some at infinity, some negated (cancellations in buckets).
  std::vector<Affine> mixed(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t v = rng() % 8;
    mixed[i] = v == 0 ? Affine{} : (v == 1 ? -distinct[i % 5] : distinct[i % 5]);
  }
  check_all<Jac>(mixed, random_scalars(n, rng), "mixed bases");
  // All bases equal: every batch entry hits doublings and collisions.
  const std::vector<Affine> equal(n, distinct[1]);
  check_all<Jac>(equal, random_scalars(n, rng), "equal bases");
  // All bases equal and all scalars equal: every point lands in the same bucket.
  std::vector<U256> same_scalar(n, Fr::random(rng).to_canonical());
  check_all<Jac>(equal, same_scalar, "equal bases, equal scalars");
  // P and -P with the same scalar cancel exactly.
  std::vector<Affine> pm;
  std::vector<U256> pm_k;
  for (size_t i = 0; i < 40; ++i) {
    pm.push_back(distinct[i % 5]);
    pm.push_back(-distinct[i % 5]);
    const U256 k = Fr::random(rng).to_canonical();
    pm_k.push_back(k);
    pm_k.push_back(k);
  }
  check_all<Jac>(pm, pm_k, "plus minus");
  EXPECT_TRUE(Api<Jac>::msm(pm, pm_k).is_identity());
  // Only points at infinity.
  const std::vector<Affine> inf(n, Affine{});
  EXPECT_TRUE(Api<Jac>::msm(inf, random_scalars(n, rng)).is_identity());
}

TYPED_TEST(Msm, SmallScalarsLikeAWitness) {
  using Jac = TypeParam;
  auto rng = zkamm::testing::seeded_rng("Msm.SmallScalarsLikeAWitness");
  const size_t n = 2000;
  const auto points = random_points<Jac>(n, rng);
  std::vector<U256> scalars(n);
  for (auto& k : scalars) {
    const uint64_t v = rng() % 4;  // mostly bits, some small values, a few full-size
    k = v == 0 ? U256{} : v == 1 ? U256{1, 0, 0, 0} : v == 2 ? U256{rng() % 1000, 0, 0, 0} : Fr::random(rng).to_canonical();
  }
  const std::span<const typename Jac::Affine> b(points);
  if constexpr (std::is_same_v<Jac, ec::G1>) {
    check_all<Jac>(b, scalars, "witness-like");
  } else {
    EXPECT_EQ(Api<Jac>::msm(b.first(300), std::span<const U256>(scalars).first(300)),
              reference<Jac>(b.first(300), std::span<const U256>(scalars).first(300)));
  }
}

TYPED_TEST(Msm, WideWindowsAsUsedForLargeInputs) {
  using Jac = TypeParam;
  auto rng = zkamm::testing::seeded_rng("Msm.WideWindowsAsUsedForLargeInputs");
  const size_t n = std::is_same_v<Jac, ec::G1> ? 3000 : 500;
  const auto points = random_points<Jac>(n, rng);
  const auto scalars = random_scalars(n, rng);
  const Jac expected = reference<Jac>(points, scalars);
  for (const MsmParams p : {MsmParams{16, 2, true, 1024}, MsmParams{15, 1, false, 0}}) {
    EXPECT_EQ(msm_detail::pippenger(std::span<const typename Jac::Affine>(points), std::span<const U256>(scalars), p),
              expected)
        << "c=" << p.c;
  }
  // Wide windows reduce their buckets with lockstep affine running sums (>= 2^14 buckets): run
  // them on equal bases too, where running sums hit doublings and cancellations.
  const std::vector<typename Jac::Affine> equal(200, points[0]);
  const std::span<const U256> k200 = std::span<const U256>(scalars).first(200);
  EXPECT_EQ(msm_detail::pippenger(std::span<const typename Jac::Affine>(equal), k200, MsmParams{15, 1, true, 8}),
            reference<Jac>(equal, k200));
  std::vector<typename Jac::Affine> pm;
  std::vector<U256> pm_k;
  for (size_t i = 0; i < 100; ++i) {
    pm.push_back(points[i % 3]);
    pm.push_back(-points[i % 3]);
    pm_k.push_back(scalars[i]);
    pm_k.push_back(i % 2 == 0 ? scalars[i] : scalars[i + 1]);
  }
  EXPECT_EQ(msm_detail::pippenger(std::span<const typename Jac::Affine>(pm), std::span<const U256>(pm_k),
                                  MsmParams{15, 1, true, 16}),
            reference<Jac>(pm, pm_k));
}

/// The points in the .zkey layout (Montgomery limbs of x then y; infinity as zero bytes).
template <class Affine>
std::vector<uint8_t> to_records(std::span<const Affine> points) {
  using Field = typename Affine::Field;
  std::vector<uint8_t> out(points.size() * 2 * sizeof(Field), 0);
  for (size_t i = 0; i < points.size(); ++i) {
    if (points[i].infinity) continue;
    std::memcpy(out.data() + i * 2 * sizeof(Field), &points[i].x, sizeof(Field));
    std::memcpy(out.data() + i * 2 * sizeof(Field) + sizeof(Field), &points[i].y, sizeof(Field));
  }
  return out;
}

/// A witness-like mix: zeros, ones, bytes, 64-bit values and field elements, as the classes of
/// msm.cpp see them, with some bases at infinity (unused wires of the B query).
TYPED_TEST(Msm, WitnessScalarClassesAndZkeyRecords) {
  using Jac = TypeParam;
  using Affine = typename Jac::Affine;
  constexpr bool kG2 = std::is_same_v<Jac, ec::G2>;
  auto rng = zkamm::testing::seeded_rng("Msm.WitnessScalarClassesAndZkeyRecords");
  const size_t n = kG2 ? 600 : 3000;
  auto points = random_points<Jac>(n, rng);
  std::vector<U256> scalars(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t v = rng() % 10;
    scalars[i] = v < 4   ? U256{}
                 : v < 7 ? U256{1, 0, 0, 0}
                 : v == 7 ? U256{2 + rng() % 65000, 0, 0, 0}
                 : v == 8 ? U256{rng() | (uint64_t{1} << 63), 0, 0, 0}
                          : Fr::random(rng).to_canonical();
    if (rng() % 8 == 0) points[i] = Affine{};
  }
  // Repeated points among the ones: the lanes of the one-sum meet equal points and negations.
  for (size_t i = 0; i + 40 < n; i += 97) {
    points[i + 20] = points[i];
    points[i + 40] = -points[i];
    scalars[i] = scalars[i + 20] = scalars[i + 40] = U256{1, 0, 0, 0};
  }
  const Jac expected = reference<Jac>(points, scalars);
  EXPECT_EQ(Api<Jac>::msm(points, scalars), expected);
  const auto records = to_records<Affine>(points);
  using Bases = std::conditional_t<kG2, MsmBases<ec::G2Config>, MsmBases<ec::G1Config>>;
  const auto view = Bases::records(records);
  ASSERT_EQ(view.size(), n);
  for (size_t i = 0; i < n; i += 37) EXPECT_EQ(view[i], points[i]) << i;
  Jac from_records;
  if constexpr (kG2) {
    const MsmG2Job job{view, scalars, &from_records};
    msm_many({}, {&job, 1});
  } else {
    const MsmG1Job job{view, scalars, &from_records};
    msm_many({&job, 1}, {});
  }
  EXPECT_EQ(from_records, expected);
}

/// Many MSMs in one batch, some sharing their scalars (as the prover's A, B1, B2 share the
/// witness), all zero, all one, and more ones than one task sums.
TEST(MsmMany, JobsOfEveryShape) {
  auto rng = zkamm::testing::seeded_rng("MsmMany.JobsOfEveryShape");
  const size_t big = 150000;
  const auto points = random_points<ec::G1>(big, rng);
  std::vector<U256> bits(big);
  for (auto& k : bits) k = U256{rng() % 2, 0, 0, 0};
  std::vector<U256> mixed(2000);
  for (auto& k : mixed) k = rng() % 3 == 0 ? Fr::random(rng).to_canonical() : U256{rng() % 3, 0, 0, 0};
  const std::vector<U256> zeros(500, U256{});
  const std::span<const ec::G1Affine> p(points);
  const auto g2_points = random_points<ec::G2>(200, rng);
  const std::span<const U256> g2_scalars = std::span<const U256>(mixed).first(200);

  ec::G1 r[5];
  ec::G2 r2;
  const MsmG1Job jobs[] = {{p, bits, &r[0]},
                           {p.first(2000), mixed, &r[1]},
                           {p.subspan(7, 2000), mixed, &r[2]},
                           {p.first(500), zeros, &r[3]},
                           {p.first(0), std::span<const U256>(), &r[4]}};
  const MsmG2Job g2_jobs[] = {{g2_points, g2_scalars, &r2}};
  msm_many(jobs, g2_jobs);
  ec::G1 sum = ec::G1::identity();  // bits: the plain sum of the points with scalar 1
  for (size_t i = 0; i < big; ++i)
    if (bits[i][0] == 1) sum += points[i];
  EXPECT_EQ(r[0], sum);
  EXPECT_EQ(r[1], reference<ec::G1>(p.first(2000), mixed));
  EXPECT_EQ(r[2], reference<ec::G1>(p.subspan(7, 2000), mixed));
  EXPECT_TRUE(r[3].is_identity());
  EXPECT_TRUE(r[4].is_identity());
  EXPECT_EQ(r2, reference<ec::G2>(g2_points, g2_scalars));
}

/// group_repeats: equal scalars share one point (the sum of their bases), including values
/// repeated more often than a batch holds (the side-bucket path), repeats among the ones and
/// zeros, bases at infinity and bases that cancel; a job on a subspan of a grouped span derives
/// its groups from it (the prover's C query).
TEST(MsmMany, GroupedRepeatedScalars) {
  auto rng = zkamm::testing::seeded_rng("MsmMany.GroupedRepeatedScalars");
  const size_t n = 6000;
  auto points = random_points<ec::G1>(n, rng);
  std::vector<U256> values(40);
  for (auto& v : values) v = Fr::random(rng).to_canonical();
  values[0] = U256{2, 0, 0, 0};
  values[1] = U256{1000, 0, 0, 0};
  std::vector<U256> k(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t v = rng() % 10;
    k[i] = v < 2 ? U256{v, 0, 0, 0} : v < 4 ? Fr::random(rng).to_canonical() : values[rng() % values.size()];
    if (rng() % 16 == 0) points[i] = ec::G1Affine{};
  }
  for (size_t i = 0; i < 1500; ++i) k[i * 4] = values[5];  // one value 1500+ times
  points[9] = -points[8];  // a group whose bases cancel
  k[8] = k[9] = values[7];
  const auto g2_points = random_points<ec::G2>(300, rng);
  const std::span<const U256> all(k);
  ec::G1 r[3];
  ec::G2 r2;
  const MsmG1Job jobs[] = {{points, all, &r[0], true},
                           {std::span<const ec::G1Affine>(points).subspan(5, n - 5), all.subspan(5), &r[1], true},
                           {std::span<const ec::G1Affine>(points).first(n - 7), all.first(n - 7), &r[2], true}};
  const MsmG2Job g2_jobs[] = {{g2_points, all.first(300), &r2, true}};
  msm_many(jobs, g2_jobs);
  EXPECT_EQ(r[0], reference<ec::G1>(points, all));
  EXPECT_EQ(r[1], reference<ec::G1>(std::span<const ec::G1Affine>(points).subspan(5, n - 5), all.subspan(5)));
  EXPECT_EQ(r[2], reference<ec::G1>(std::span<const ec::G1Affine>(points).first(n - 7), all.first(n - 7)));
  EXPECT_EQ(r2, reference<ec::G2>(g2_points, all.first(300)));
}

/// The batch-affine sum of the points with scalar one, across lane counts (1 lane: every
/// addition waits for the previous one; equal points and negations in the same lane).
TEST(MsmMany, SumPointsLanes) {
  auto rng = zkamm::testing::seeded_rng("MsmMany.SumPointsLanes");
  auto points = random_points<ec::G1>(400, rng);
  for (size_t i = 0; i < 400; i += 5) points[i] = points[(i * 7) % 400];
  for (size_t i = 3; i < 400; i += 11) points[i] = -points[i - 1];
  points[17] = ec::G1Affine{};
  ec::G1 expected = ec::G1::identity();
  for (const auto& q : points) expected += q;
  msm_detail::BatchAffineBuckets<ec::G1Config> scratch;
  for (size_t lanes : {1, 2, 3, 64, 512}) {
    const msm_detail::PointRange all{{}, 0, points.size()};
    EXPECT_EQ(msm_detail::sum_points<ec::G1Config>(points, all, lanes, scratch), expected) << lanes;
  }
}

/// BatchAffineBuckets alone (the eight-lane IFMA additions where the build has them, else the
/// scalar chains): points from {+-G, +-2G, 3G} into few buckets, so a bucket's sum is often
/// +-the point added (a doubling or a cancellation inside a batch, in any lane), across batch
/// sizes that leave every tail length of a group of eight; each bucket and the weighted sum
/// against Jacobian sums of the same points.
TYPED_TEST(Msm, BatchAffineBucketsDoublingsAndCancellations) {
  using Jac = TypeParam;
  using Affine = typename Jac::Affine;
  using Cfg = std::conditional_t<std::is_same_v<Jac, ec::G2>, ec::G2Config, ec::G1Config>;
  auto rng = zkamm::testing::seeded_rng("Msm.BatchAffineBucketsDoublingsAndCancellations");
  const Jac g = Jac::generator().mul(Fr::random(rng).to_canonical());
  std::vector<Jac> pool_jac = {g, -g, g.dbl(), -g.dbl(), g.dbl() + g};
  const auto random_pool = random_points<Jac>(3, rng);
  for (const auto& q : random_pool) pool_jac.push_back(Jac(q));
  std::vector<Affine> pool(pool_jac.size());
  Jac::batch_to_affine(pool_jac, pool);
  msm_detail::BatchAffineBuckets<Cfg> buckets;
  for (size_t batch : {1, 2, 7, 8, 9, 13, 16, 17, 31, 64}) {
    for (size_t nb : {1, 3, 11, 40}) {
      buckets.reset(nb, batch);
      std::vector<Jac> expected(nb, Jac::identity());
      const size_t adds = 40 * nb + batch;
      for (size_t i = 0; i < adds; ++i) {
        const uint32_t b = static_cast<uint32_t>(rng() % nb);
        // Mostly the small multiples of g (doublings and cancellations), sometimes others.
        const Affine& q = pool[rng() % 8 < 6 ? rng() % 5 : 5 + rng() % 3];
        buckets.add(b, q);
        expected[b] += q;
      }
      buckets.flush();
      Jac weighted = Jac::identity();
      for (size_t b = 0; b < nb; ++b) {
        EXPECT_EQ(buckets.total(b), expected[b]) << "batch=" << batch << " buckets=" << nb << " b=" << b;
        weighted += expected[b].mul(U256{b + 1, 0, 0, 0});
      }
      EXPECT_EQ(buckets.finish(), weighted) << "batch=" << batch << " buckets=" << nb;
    }
  }
}

TYPED_TEST(Msm, GlvFormMatchesReference) {
  // The GLV expansion (ec/glv.hpp) under every forced parameter set: edge scalars (0, 1, r - 1,
  // lambda and its neighbours, powers of two), random ones, points at infinity and repeats.
  using Jac = TypeParam;
  using Affine = typename Jac::Affine;
  constexpr bool kG2 = std::is_same_v<Jac, ec::G2>;
  auto rng = zkamm::testing::seeded_rng("Msm.GlvFormMatchesReference");
  U256 lambda_plus_1 = ec::kGlvLambda, lambda_minus_1 = ec::kGlvLambda;
  ff::add_with_carry(lambda_plus_1, lambda_plus_1, U256{1, 0, 0, 0});
  ff::sub_with_borrow(lambda_minus_1, lambda_minus_1, U256{1, 0, 0, 0});
  std::vector<U256> scalars = {U256{},          U256{1, 0, 0, 0}, r_minus(1),     r_minus(2),
                               ec::kGlvLambda, lambda_plus_1,    lambda_minus_1, U256{2, 0, 0, 0}};
  for (unsigned e : {63u, 64u, 126u, 127u, 128u, 200u, 253u}) scalars.push_back(pow2(e));
  const size_t edge = scalars.size();
  for (size_t i = 0; i < (kG2 ? 40u : 300u); ++i) scalars.push_back(Fr::random(rng).to_canonical());
  const size_t n = scalars.size();
  auto points = random_points<Jac>(n, rng);
  points[3] = Affine{};         // infinity with scalar r - 2
  points[edge + 1] = points[edge];  // a repeated base
  const Jac expected = reference<Jac>(points, scalars);
  using Cfg = std::conditional_t<kG2, ec::G2Config, ec::G1Config>;
  msm_detail::GlvInputs<Cfg> g;
  msm_detail::glv_expand<Cfg>(MsmBases<Cfg>(points), scalars, {}, g);
  for (const U256& k : g.scalars) ASSERT_LE(ff::bit_length(k), ec::kGlvHalfBits);
  std::vector<Affine> expanded(g.refs.size());
  for (size_t i = 0; i < expanded.size(); ++i) expanded[i] = g.bases()[i];
  EXPECT_EQ(reference<Jac>(expanded, g.scalars), expected);
  // The view over .zkey-layout records reads the same points.
  const auto records = to_records<Affine>(points);
  msm_detail::GlvInputs<Cfg> from_records;
  msm_detail::glv_expand<Cfg>(MsmBases<Cfg>::records(records), scalars, {}, from_records);
  EXPECT_EQ(msm_detail::pippenger<Cfg>(from_records.bases(), from_records.scalars, msm_detail::choose_params(n, 2, 127)),
            expected);
  for (const auto& p : forced_params()) {
    if (kG2 && p.c < 4) continue;  // G2 with 1-bit windows: minutes, and the same code as G1
    EXPECT_EQ(msm_detail::pippenger<Cfg>(g.bases(), g.scalars, p), expected)
        << "c=" << p.c << " splits=" << p.splits << " affine=" << p.batch_affine << " batch=" << p.batch;
  }
  // Through an index list (a scalar class), which skips entries.
  std::vector<uint32_t> idx;
  Jac part = Jac::identity();
  for (uint32_t i = 0; i < n; i += 3) {
    idx.push_back(i);
    part += Jac(points[i]).mul(scalars[i]);
  }
  msm_detail::glv_expand<Cfg>(MsmBases<Cfg>(points), scalars, idx, g);
  EXPECT_EQ(msm_detail::pippenger<Cfg>(g.bases(), g.scalars, msm_detail::choose_params(g.refs.size(), 2, 127)), part);
}

TEST(MsmParams, GlvChosenWhereTheModelSaysItPays) {
  // Full-size scalars at the 2^16 chain's size: GLV; small scalars or tiny inputs: not.
  EXPECT_TRUE(msm_detail::glv_pays(size_t{1} << 16, 2, 254));
  EXPECT_FALSE(msm_detail::glv_pays(size_t{1} << 16, 2, 64));
  EXPECT_FALSE(msm_detail::glv_pays(0, 2, 254));
  // Over the memory budget: not (a 64-swap batch's MSMs of 0.7M points and more keep their form).
  EXPECT_FALSE(msm_detail::glv_pays(msm_detail::kGlvMaxBytes, 2, 254));
  EXPECT_FALSE(msm_detail::glv_pays(700000, 2, 254));
}

TEST(MsmParams, WindowGroupsForNarrowWindowsOnly) {
  // 2^16-2^17 points: narrow windows filled several at a time; 2^20: one wide window per task.
  EXPECT_GT(msm_detail::choose_params(size_t{1} << 17, 2, 127).window_group, 1u);
  EXPECT_GT(msm_detail::choose_params(size_t{1} << 16, 2, 254).window_group, 1u);
  const MsmParams large = msm_detail::choose_params(size_t{1} << 20, 2);
  EXPECT_EQ(large.window_group, 1u);
  for (size_t n : {1, 100, 5000, 1 << 16, 1 << 20}) {
    const MsmParams p = msm_detail::choose_params(n, 2);
    EXPECT_GE(p.window_group, 1u);
    EXPECT_LE(p.window_group, msm_detail::kMaxWindowGroup);
    EXPECT_TRUE(p.batch_affine || p.window_group == 1);
  }
}

TYPED_TEST(Msm, PublicEntryUsesGlvWhereItPays) {
  // Sizes around the model's switch: the public MSM against the reference either way.
  using Jac = TypeParam;
  constexpr bool kG2 = std::is_same_v<Jac, ec::G2>;
  auto rng = zkamm::testing::seeded_rng("Msm.PublicEntryUsesGlvWhereItPays");
  const size_t n = kG2 ? 1200 : 6000;
  const auto points = random_points<Jac>(n, rng);
  auto scalars = random_scalars(n, rng);
  scalars[0] = r_minus(1);
  scalars[1] = ec::kGlvLambda;
  const auto pays = msm_detail::glv_pays(n, ff::worker_count(), 254);
  EXPECT_EQ(Api<Jac>::msm(points, scalars), reference<Jac>(points, scalars)) << "n=" << n << " glv=" << pays;
}

TEST(MsmDigits, BoothRecodingReconstructsScalar) {
  auto rng = zkamm::testing::seeded_rng("MsmDigits.BoothRecoding");
  for (unsigned c = 1; c <= 24; ++c) {
    for (int iter = 0; iter < 20; ++iter) {
      const U256 k = iter == 0 ? r_minus(1) : Fr::random(rng).to_canonical();
      const unsigned windows = msm_detail::window_count(254, c);
      // Horner over the digits in Fr reconstructs k mod r, and every digit is in range.
      Fr acc = Fr::zero();
      const Fr radix = Fr::from_u64(uint64_t{1} << c);
      for (unsigned w = windows; w-- > 0;) {
        const int32_t d = msm_detail::signed_digit(k, w, c);
        ASSERT_LE(d, 1 << (c - 1));
        ASSERT_GE(d, -(1 << (c - 1)));
        const Fr df = Fr::from_u64(static_cast<uint64_t>(d < 0 ? -d : d));
        acc = acc * radix + (d < 0 ? -df : df);
      }
      EXPECT_EQ(acc.to_canonical(), k) << "c=" << c;
    }
  }
}

}  // namespace
}  // namespace zkamm::snark
