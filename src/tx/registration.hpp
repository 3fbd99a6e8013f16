#pragma once
// The key-ownership proof of an L1 registration (docs/TRANSACTIONS.md section 3.4): the Baby
// Jubjub key signs, with EdDSA-Poseidon, the message
//     M_reg = Poseidon(e1, owner + 2^160 * "zkR1"),   e1 = chain_id + 2^64 * rollup,
// and ZkammRollup.registerAccount / registerAndDepositETH (contracts/src/EdDSAPoseidonVerifier.sol)
// accept the key only from `owner` (msg.sender) on that chain and rollup contract.
#include <array>
#include <cstdint>

#include "ec/babyjubjub.hpp"
#include "ff/bn254.hpp"
#include "hash/eddsa.hpp"
#include "tx/message.hpp"
#include "tx/tx.hpp"

namespace zkamm::tx {

/// "zkR1": bits 160..192 of the second input; distinct from the L2 tag "zkA1" (kMessageTag).
inline constexpr uint32_t kRegistrationTag = 0x7a6b5231;

/// The ZkammRollup functions that take the signature (key x, y, then R8.x, R8.y, S).
inline constexpr const char* kRegisterAccountFunction = "registerAccount(uint256,uint256,uint256,uint256,uint256)";
inline constexpr const char* kRegisterAndDepositEthFunction =
    "registerAndDepositETH(uint256,uint256,uint256,uint256,uint256)";

/// The two Poseidon inputs: e1 (as in L2 messages) and owner + 2^160 * kRegistrationTag.
std::array<ff::Fr, 2> registration_message_inputs(const Domain& d, const L1Address& owner) noexcept;

/// M_reg = Poseidon(registration_message_inputs).
ff::Fr registration_message(const Domain& d, const L1Address& owner) noexcept;

/// The key's signature on M_reg (deterministic, circomlibjs signPoseidon).
hash::EddsaSignature sign_registration(const hash::PrivateKey& prv, const Domain& d, const L1Address& owner) noexcept;

/// The signature is valid for `pub` on M_reg (hash::eddsa_verify_poseidon). It accepts what
/// sign_registration makes, as EdDSAPoseidonVerifier.verifyRegistration does; both refuse keys of
/// small order, and this one also refuses an R8 of small order, which only the key's holder could
/// make valid anyway.
[[nodiscard]] bool verify_registration(const ec::BabyJubAffine& pub, const Domain& d, const L1Address& owner,
                                       const hash::EddsaSignature& sig) noexcept;

}  // namespace zkamm::tx
