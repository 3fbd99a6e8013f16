#include "circuit/mutation_check.hpp"

#include <array>
#include <random>

namespace zkamm::circuit {

using ff::Fr;

namespace {

/// One constraint that mentions a wire, with the wire's coefficients in A, B and C.
struct Occurrence {
  uint32_t constraint = 0;
  Fr a, b, c;
};

}  // namespace

FreeWireReport find_free_wires(const snark::ConstraintSystem& cs, uint32_t first_checked, uint64_t seed) {
  const snark::R1cs r1cs = cs.to_r1cs();
  const std::vector<Fr> w = cs.witness();
  const std::vector<uint32_t> order = cs.wire_order();  // builder index -> iden3 wire

  // The index: iden3 wire -> the constraints that mention it (to_r1cs merged repeated terms).
  std::vector<std::vector<Occurrence>> occurs(r1cs.num_wires);
  std::vector<Fr> av(r1cs.constraints.size()), bv(r1cs.constraints.size()), cv(r1cs.constraints.size());
  for (uint32_t k = 0; k < r1cs.constraints.size(); ++k) {
    const snark::Constraint& con = r1cs.constraints[k];
    av[k] = snark::evaluate(con.a, w);
    bv[k] = snark::evaluate(con.b, w);
    cv[k] = snark::evaluate(con.c, w);
    auto entry = [&](uint32_t wire) -> Occurrence& {
      auto& list = occurs[wire];
      if (list.empty() || list.back().constraint != k) list.push_back(Occurrence{k, {}, {}, {}});
      return list.back();
    };
    for (const auto& t : con.a) entry(t.wire).a += t.coeff;
    for (const auto& t : con.b) entry(t.wire).b += t.coeff;
    for (const auto& t : con.c) entry(t.wire).c += t.coeff;
  }

  std::mt19937_64 rng(seed);
  FreeWireReport report;
  const uint32_t num_public = r1cs.num_public();
  for (uint32_t var = first_checked == 0 ? 1 : first_checked; var < order.size(); ++var) {
    const uint32_t wire = order[var];
    if (wire <= num_public) continue;  // wire 0 and the public inputs are the statement
    ++report.checked;
    const std::array<Fr, 3> deltas = {Fr::one(), -Fr::one(), Fr::random(rng)};
    bool free = false;
    for (const Fr& d : deltas) {
      bool all_hold = true;
      for (const Occurrence& o : occurs[wire]) {
        const Fr a = av[o.constraint] + o.a * d;
        const Fr b = bv[o.constraint] + o.b * d;
        const Fr c = cv[o.constraint] + o.c * d;
        if (a * b != c) {
          all_hold = false;
          break;
        }
      }
      if (all_hold) {
        free = true;
        break;
      }
    }
    if (free) report.free_wires.push_back(var);
  }
  return report;
}

}  // namespace zkamm::circuit
