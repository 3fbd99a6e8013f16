#include "ec/serialize.hpp"

#include <algorithm>

namespace zkamm::ec {
namespace {

void put_fq(const Fq& v, uint8_t* out32) noexcept { v.to_bytes_be(out32); }
std::optional<Fq> get_fq(const uint8_t* in32) noexcept { return Fq::from_bytes_be(in32); }

template <size_t N>
bool all_zero(std::span<const uint8_t, N> in) noexcept {
  return std::all_of(in.begin(), in.end(), [](uint8_t b) { return b == 0; });
}

template <class Affine, class Field>
std::optional<Affine> from_jacobian(const Field& x, const Field& y, const Field& z) {
  if (z.is_zero()) return Affine{};
  Affine p;
  if (z.is_one()) {
    p = Affine{x, y};
  } else {
    const Field zi = z.inverse();
    const Field zi2 = zi.square();
    p = Affine{x * zi2, y * zi2 * zi};
  }
  if (!p.is_in_subgroup()) return std::nullopt;
  return p;
}

std::optional<ff::Fq2> fq2_from_strings(const std::array<std::string, 2>& s) {
  const auto c0 = Fq::from_decimal(s[0]);
  const auto c1 = Fq::from_decimal(s[1]);
  if (!c0 || !c1) return std::nullopt;
  return ff::Fq2{*c0, *c1};
}

}  // namespace

G1Bytes encode_g1_evm(const G1Affine& p) noexcept {
  G1Bytes out{};
  if (p.infinity) return out;
  put_fq(p.x, out.data());
  put_fq(p.y, out.data() + 32);
  return out;
}

std::optional<G1Affine> decode_g1_evm(std::span<const uint8_t, 64> in) noexcept {
  const auto x = get_fq(in.data());
  const auto y = get_fq(in.data() + 32);
  if (!x || !y) return std::nullopt;
  if (x->is_zero() && y->is_zero()) return G1Affine{};
  const G1Affine p{*x, *y};
  if (!p.is_on_curve()) return std::nullopt;
  return p;
}

G2Bytes encode_g2_evm(const G2Affine& p) noexcept {
  G2Bytes out{};
  if (p.infinity) return out;
  put_fq(p.x.c1, out.data());
  put_fq(p.x.c0, out.data() + 32);
  put_fq(p.y.c1, out.data() + 64);
  put_fq(p.y.c0, out.data() + 96);
  return out;
}

std::optional<G2Affine> decode_g2_evm(std::span<const uint8_t, 128> in) noexcept {
  const auto x1 = get_fq(in.data());
  const auto x0 = get_fq(in.data() + 32);
  const auto y1 = get_fq(in.data() + 64);
  const auto y0 = get_fq(in.data() + 96);
  if (!x0 || !x1 || !y0 || !y1) return std::nullopt;
  if (all_zero(in)) return G2Affine{};
  const G2Affine p{ff::Fq2{*x0, *x1}, ff::Fq2{*y0, *y1}};
  if (!p.is_in_subgroup()) return std::nullopt;
  return p;
}

G1Strings g1_to_snarkjs(const G1Affine& p) {
  if (p.infinity) return G1Strings{"0", "1", "0"};
  return G1Strings{p.x.to_decimal(), p.y.to_decimal(), "1"};
}

G2Strings g2_to_snarkjs(const G2Affine& p) {
  if (p.infinity) return G2Strings{{{"0", "0"}, {"1", "0"}, {"0", "0"}}};
  return G2Strings{{{p.x.c0.to_decimal(), p.x.c1.to_decimal()},
                    {p.y.c0.to_decimal(), p.y.c1.to_decimal()},
                    {"1", "0"}}};
}

std::optional<G1Affine> g1_from_snarkjs(const G1Strings& s) {
  const auto x = Fq::from_decimal(s[0]);
  const auto y = Fq::from_decimal(s[1]);
  const auto z = Fq::from_decimal(s[2]);
  if (!x || !y || !z) return std::nullopt;
  return from_jacobian<G1Affine>(*x, *y, *z);
}

std::optional<G2Affine> g2_from_snarkjs(const G2Strings& s) {
  const auto x = fq2_from_strings(s[0]);
  const auto y = fq2_from_strings(s[1]);
  const auto z = fq2_from_strings(s[2]);
  if (!x || !y || !z) return std::nullopt;
  return from_jacobian<G2Affine>(*x, *y, *z);
}

}  // namespace zkamm::ec
