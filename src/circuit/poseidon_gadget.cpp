#include "circuit/poseidon_gadget.hpp"

#include "hash/poseidon.hpp"

namespace zkamm::circuit {
namespace {

using ff::Fr;
using snark::ConstraintSystem;
using snark::Variable;

/// A state element: c + sum k[j] * wires[j] over the wires of the current span of rounds. After a
/// full round every element depends only on that round's t S-box outputs, so the wire list is
/// reset there and the combinations never grow beyond t + (partial rounds) terms.
struct Element {
  Fr c;
  std::vector<Fr> k;
  Fr value;
  bool depends = false;  ///< depends on some wire (tracked in both modes so that they agree)
  Variable wire{};       ///< the S-box output wire, when this element is one
};

Fr pow5(const Fr& x) noexcept {
  const Fr x2 = x.square();
  return x2.square() * x;
}

bool is_constant(const Lc& lc) noexcept {
  for (const auto& t : lc.terms()) {
    if (t.first != 0) return false;
  }
  return true;
}

class Sponge {
 public:
  Sponge(ConstraintSystem& cs, const hash::PoseidonParams& p)
      : cs_(cs), p_(p), full_(cs.mode() == ConstraintSystem::Mode::kFull), state_(p.t) {}

  Lc run(std::span<const Lc> inputs) {
    const unsigned t = p_.t;
    const unsigned half = p_.rounds_f / 2;
    const unsigned rounds = p_.rounds_f + p_.rounds_p;
    // Round 0: the S-box inputs are the caller's combinations plus the round constants.
    std::vector<Element> out(t);
    std::vector<Variable> new_wires;
    for (unsigned i = 0; i < t; ++i) {
      const Fr& rc = p_.round_constants[i];
      Lc in = (i == 0) ? Lc::constant(rc) : inputs[i - 1] + Lc::constant(rc);
      const Fr v = (i == 0) ? rc : cs_.eval(inputs[i - 1]) + rc;
      const bool constant = (i == 0) || is_constant(inputs[i - 1]);
      out[i] = sbox(in, v, constant, new_wires);
    }
    wires_ = std::move(new_wires);
    mix(out);
    for (unsigned r = 1; r < rounds; ++r) {
      const bool full_round = r < half || r >= half + p_.rounds_p;
      for (unsigned i = 0; i < t; ++i) add_constant(state_[i], p_.round_constants[r * t + i]);
      if (full_round) {
        std::vector<Variable> fresh;
        for (unsigned i = 0; i < t; ++i) out[i] = sbox_of(state_[i], fresh);
        wires_ = std::move(fresh);
      } else {
        out = state_;
        std::vector<Variable> appended;
        out[0] = sbox_of(state_[0], appended);
        if (!appended.empty() && full_) {
          out[0].k.assign(wires_.size() + 1, Fr{});
          out[0].k.back() = Fr::one();
        }
        if (!appended.empty()) wires_.push_back(appended.front());
      }
      if (r + 1 == rounds) {
        // The last mix in both modes straight from the S-box outputs: only row 0 is needed.
        Lc result;
        for (unsigned j = 0; j < t; ++j) {
          const Fr& m = p_.mds[j];
          if (out[j].depends) {
            result.add_term(out[j].wire, m);
          } else {
            result += Lc::constant(m * out[j].c);
          }
        }
        return result;
      }
      mix(out);
    }
    return {};  // unreachable: rounds >= 2
  }

 private:
  void add_constant(Element& e, const Fr& rc) noexcept {
    e.c += rc;
    e.value += rc;
  }

  Lc to_lc(const Element& e) const {
    Lc lc = Lc::constant(e.c);
    for (size_t j = 0; j < e.k.size(); ++j) {
      if (!e.k[j].is_zero()) lc.add_term(wires_[j], e.k[j]);
    }
    return lc;
  }

  Element sbox_of(const Element& e, std::vector<Variable>& new_wires) {
    return sbox(full_ ? to_lc(e) : Lc{}, e.value, !e.depends, new_wires);
  }

  /// x^5 of an input combination: 3 constraints and a new wire, or a constant when in is constant.
  Element sbox(const Lc& in, const Fr& v, bool constant, std::vector<Variable>& new_wires) {
    Element r;
    r.value = pow5(v);
    if (constant) {
      r.c = r.value;
      return r;
    }
    const Fr v2 = v.square();
    const Fr v4 = v2.square();
    const Variable x2 = cs_.alloc(v2);
    const Variable x4 = cs_.alloc(v4);
    const Variable x5 = cs_.alloc(r.value);
    if (full_) {
      cs_.enforce(in, in, x2);
      cs_.enforce(x2, x2, x4);
      cs_.enforce(x4, in, x5);
    } else {
      cs_.enforce({}, {}, {});
      cs_.enforce({}, {}, {});
      cs_.enforce({}, {}, {});
    }
    new_wires.push_back(x5);
    r.depends = true;
    r.wire = x5;
    if (full_) {
      r.k.assign(new_wires.size(), Fr{});  // positions refer to the list being built
      r.k.back() = Fr::one();
    }
    return r;
  }

  /// state = M * out, on values always and on combinations in full mode.
  void mix(const std::vector<Element>& out) {
    const unsigned t = p_.t;
    const size_t width = wires_.size();
    for (unsigned i = 0; i < t; ++i) {
      Element e;
      if (full_) e.k.assign(width, Fr{});
      for (unsigned j = 0; j < t; ++j) {
        const Fr& m = p_.mds[i * t + j];
        e.value += m * out[j].value;
        e.depends = e.depends || out[j].depends;
        if (!full_) continue;
        e.c += m * out[j].c;
        for (size_t w = 0; w < out[j].k.size(); ++w) {
          if (!out[j].k[w].is_zero()) e.k[w] += m * out[j].k[w];
        }
      }
      state_[i] = std::move(e);
    }
  }

  ConstraintSystem& cs_;
  const hash::PoseidonParams& p_;
  bool full_;
  std::vector<Element> state_;
  std::vector<Variable> wires_;
};

}  // namespace

size_t poseidon_constraint_count(size_t n_inputs) noexcept {
  if (n_inputs < 1 || n_inputs > hash::kPoseidonMaxInputs) return 0;
  const size_t t = n_inputs + 1;
  const size_t sboxes = hash::kPoseidonFullRounds * t + hash::kPoseidonPartialRounds[t - 2];
  return 3 * (sboxes - 1);  // the first round's capacity S-box is a constant
}

Lc poseidon_gadget(snark::ConstraintSystem& cs, std::span<const Lc> inputs) {
  const auto& params = hash::poseidon_params(static_cast<unsigned>(inputs.size() + 1));
  Sponge sponge(cs, params);
  return sponge.run(inputs);
}

}  // namespace zkamm::circuit
