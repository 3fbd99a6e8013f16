#pragma once
// The batch verifier without a compiler at run time. The Solidity verifier of a key
// (snark::export_solidity_verifier) differs from key to key only in its constants: 18 uint256
// (alpha, beta, gamma, delta, IC0, IC1) and the circuit's slot count. So the build compiles the
// verifier once for a "template" key made of placeholder values (settle/verifier_template_main.cpp
// writes its source, src/settle/compile_contracts.js compiles it with the same solc settings as
// the rollup) and verifier_bytecode() (settle/contract_code.hpp) puts a real key's values where
// the placeholders are: each uint256 placeholder is a PUSH32 operand, the slot count a PUSH4
// operand. The placeholders are hash outputs, so no other bytes of the code equal them; the
// build and the patcher both refuse a template in which a placeholder is missing or (the slot
// count) not unique. Header-only: the build's generator links no settle code.
#include <array>
#include <cstdint>
#include <string>

#include "hash/sha256.hpp"
#include "snark/groth16.hpp"

namespace zkamm::settle::verifier_template {

/// The number of uint256 constants in a one-public-input verifier: alpha (2), beta, gamma,
/// delta (4 each), IC0 and IC1 (2 each).
inline constexpr size_t kWords = 18;
/// The slot-count placeholder (a PUSH4 operand; above the rollup's 2^24 limit, so never real).
inline constexpr uint32_t kSlotsPlaceholder = 0x5a17c0deu;

/// Placeholder i: sha256("zkamm verifier template" || i) with its top byte set to 0x2a, so it
/// is a base-field element (< q = 0x3064...) as export_solidity_verifier requires.
inline std::array<uint8_t, 32> placeholder(size_t i) {
  std::string m = "zkamm verifier template";
  m.push_back(static_cast<char>(i));
  const auto d = hash::sha256({reinterpret_cast<const uint8_t*>(m.data()), m.size()});
  std::array<uint8_t, 32> out{};
  std::copy(d.begin(), d.end(), out.begin());
  out[0] = 0x2a;
  return out;
}

inline ff::Fq placeholder_fq(size_t i) {
  const auto b = placeholder(i);
  return ff::Fq::from_canonical_unchecked(ff::from_bytes_be(b.data()));
}

/// The values of vk's constants in the template's order (each 32 bytes, big-endian; a point at
/// infinity is (0, 0) as export_solidity_verifier writes it). Precondition: vk.num_public() == 1.
inline std::array<std::array<uint8_t, 32>, kWords> words(const snark::VerificationKey& vk) {
  std::array<std::array<uint8_t, 32>, kWords> w{};
  size_t i = 0;
  const auto put = [&](const ff::Fq& v, bool inf) {
    if (!inf) ff::to_bytes_be(v.to_canonical(), w[i].data());
    ++i;
  };
  const auto g1 = [&](const ec::G1Affine& p) { put(p.x, p.infinity), put(p.y, p.infinity); };
  const auto g2 = [&](const ec::G2Affine& p) {
    put(p.x.c1, p.infinity), put(p.x.c0, p.infinity), put(p.y.c1, p.infinity), put(p.y.c0, p.infinity);
  };
  g1(vk.alpha_g1);
  g2(vk.beta_g2), g2(vk.gamma_g2), g2(vk.delta_g2);
  g1(vk.ic.at(0)), g1(vk.ic.at(1));
  return w;
}

/// The template key: words(template_key())[i] == placeholder(i).
inline snark::VerificationKey template_key() {
  size_t i = 0;
  const auto fq = [&] { return placeholder_fq(i++); };
  const auto g1 = [&] {
    ec::G1Affine p;
    p.infinity = false;
    p.x = fq();
    p.y = fq();
    return p;
  };
  const auto g2 = [&] {
    ec::G2Affine p;
    p.infinity = false;
    p.x.c1 = fq(), p.x.c0 = fq(), p.y.c1 = fq(), p.y.c0 = fq();
    return p;
  };
  snark::VerificationKey vk;
  vk.alpha_g1 = g1();
  vk.beta_g2 = g2(), vk.gamma_g2 = g2(), vk.delta_g2 = g2();
  vk.ic.push_back(g1());
  vk.ic.push_back(g1());
  return vk;
}

}  // namespace zkamm::settle::verifier_template
