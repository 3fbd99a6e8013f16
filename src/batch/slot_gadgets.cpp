#include "batch/slot_gadgets.hpp"

#include "circuit/babyjubjub_gadget.hpp"
#include "circuit/bits.hpp"
#include "circuit/comparators.hpp"
#include "circuit/eddsa_gadget.hpp"
#include "circuit/poseidon_gadget.hpp"
#include "tx/message.hpp"
#include "state/uint.hpp"

namespace zkamm::batch::gadgets {

using snark::ConstraintSystem;
using snark::Variable;

std::vector<Lc> path_wires(ConstraintSystem& cs, const std::vector<Fr>& path, size_t n) {
  std::vector<Lc> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(cs.alloc(i < path.size() ? path[i] : Fr::zero()));
  return out;
}

void assert_ge_if(ConstraintSystem& cs, const Lc& g, const Lc& y, const Lc& x, size_t n) {
  circuit::range_check(cs, cs.mul(g, y - x), n);
}

void assert_nonzero_if(ConstraintSystem& cs, const Lc& g, const Lc& a) {
  const Fr av = cs.eval(a);
  const Variable inv = cs.alloc(!cs.eval(g).is_zero() && !av.is_zero() ? av.inverse() : Fr::zero());
  cs.enforce(a, inv, g);
  cs.enforce(Lc::constant(1) - g, inv, Lc{});
}

Variable strict_is_zero(ConstraintSystem& cs, const Lc& x) {
  const Fr xv = cs.eval(x);
  const Variable inv = cs.alloc(xv.is_zero() ? Fr::zero() : xv.inverse());
  const Variable out = cs.alloc(xv.is_zero() ? Fr::one() : Fr::zero());
  cs.enforce(x, inv, Lc::constant(1) - Lc(out));
  cs.enforce(x, out, Lc{});
  cs.enforce(out, inv, Lc{});
  return out;
}

Variable divide(ConstraintSystem& cs, const Lc& num, const Lc& den, size_t qbits, size_t dbits,
                const std::optional<U256>& claimed) {
  U256 q_val{};
  const U256 n = cs.eval(num).to_canonical(), d = cs.eval(den).to_canonical();
  if (claimed) {
    q_val = *claimed;
  } else if (!ff::is_zero(d)) {
    q_val = state::div(n, d);
    U256 qd{}, rem_val{};
    if (!state::checked_mul(qd, q_val, d) || ff::sub_with_borrow(rem_val, n, qd) != 0 || ff::bit_length(q_val) > qbits) {
      q_val = U256{};
    }
  }
  const Variable q = cs.alloc(fr(q_val));
  circuit::range_check(cs, q, qbits);
  // rem = num - q * den in the field: a wrong quotient makes it negative (a huge field element)
  // or >= den, and the checks below fail.
  const Variable rem = cs.alloc(cs.eval(num) - cs.value(q) * cs.eval(den));
  circuit::range_check(cs, rem, dbits);
  cs.enforce(q, den, num - Lc(rem));
  circuit::assert_less_than(cs, rem, den, dbits);
  return q;
}

Lc signed_message(ConstraintSystem& cs, const tx::Domain& domain, const MessageFields& f) {
  using circuit::pow2;
  const Lc e0 = f.type + f.account * pow2(8) + f.nonce * pow2(32) + f.token_x * pow2(64) + f.token_y * pow2(80) +
                f.deadline * pow2(96) + f.to * pow2(160) + Lc::constant(fr(tx::kMessageTag) * pow2(184));
  Fr rollup = Fr::zero();
  for (uint8_t b : domain.rollup) rollup = rollup * fr(256) + fr(b);
  const Lc e1 = Lc::constant(fr(domain.chain_id) + rollup * pow2(64));
  return circuit::poseidon_gadget(cs, {e0, e1, f.e2, f.e3, f.e4, f.e5});
}

void append_be_bits(std::vector<circuit::Bit>& out, const std::vector<Variable>& le_bits, size_t nbits) {
  for (size_t i = nbits; i-- > 0;) {
    out.push_back(i < le_bits.size() ? circuit::Bit::of(le_bits[i]) : circuit::Bit::constant_bit(false));
  }
}

void verify_signature_if(ConstraintSystem& cs, const Lc& enabled, const Lc& pkx, const Lc& pky, const Lc& msg,
                         const SlotWitness& w) {
  const Variable r8x = cs.alloc(w.r8_x);
  const Variable r8y = cs.alloc(w.r8_y);
  const Variable s = cs.alloc(fr(w.s));
  circuit::assert_on_curve(cs, circuit::PointExpr{pkx, pky});
  const ec::BabyJubAffine base8 = ec::BabyJubAffine::base8();
  const Variable kx_d = cs.mul(enabled, pkx - Lc::constant(base8.x));
  const Variable ky_d = cs.mul(enabled, pky - Lc::constant(base8.y));
  const circuit::PointExpr key{Lc::constant(base8.x) + Lc(kx_d), Lc::constant(base8.y) + Lc(ky_d)};
  circuit::eddsa_poseidon_verify(cs, key, msg, circuit::EddsaSignatureExpr{circuit::PointExpr{r8x, r8y}, s}, enabled);
}

}  // namespace zkamm::batch::gadgets
