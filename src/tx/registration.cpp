#include "tx/registration.hpp"

#include "hash/poseidon.hpp"

namespace zkamm::tx {

std::array<ff::Fr, 2> registration_message_inputs(const Domain& d, const L1Address& owner) noexcept {
  // Big-endian 32-byte words. e1: chain id in bits 0..64, rollup address 64..224 (section 3.2,
  // the same element as an L2 message's). e_owner: owner 0..160, tag 160..192.
  std::array<uint8_t, 32> e1{}, eo{};
  for (std::size_t i = 0; i < 20; ++i) e1[4 + i] = d.rollup[i];
  for (std::size_t i = 0; i < 8; ++i) e1[24 + i] = static_cast<uint8_t>(d.chain_id >> (8 * (7 - i)));
  for (std::size_t i = 0; i < 4; ++i) eo[8 + i] = static_cast<uint8_t>(kRegistrationTag >> (8 * (3 - i)));
  for (std::size_t i = 0; i < 20; ++i) eo[12 + i] = owner[i];
  // Both are below 2^224 < r: canonical as they stand.
  return {ff::Fr::from_canonical_unchecked(ff::from_bytes_be(e1.data())),
          ff::Fr::from_canonical_unchecked(ff::from_bytes_be(eo.data()))};
}

ff::Fr registration_message(const Domain& d, const L1Address& owner) noexcept {
  const auto e = registration_message_inputs(d, owner);
  return hash::poseidon(std::span<const ff::Fr>(e.data(), e.size()));
}

hash::EddsaSignature sign_registration(const hash::PrivateKey& prv, const Domain& d, const L1Address& owner) noexcept {
  return hash::eddsa_sign_poseidon(prv, registration_message(d, owner));
}

bool verify_registration(const ec::BabyJubAffine& pub, const Domain& d, const L1Address& owner,
                         const hash::EddsaSignature& sig) noexcept {
  return hash::eddsa_verify_poseidon(pub, registration_message(d, owner), sig);
}

}  // namespace zkamm::tx
