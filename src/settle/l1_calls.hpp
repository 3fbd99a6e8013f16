#pragma once
// Small builders for the L1 transactions the devnet and the settle tests send by hand: contract
// addresses, call data and constructor arguments.
#include <vector>

#include "ff/bn254.hpp"
#include "hash/eddsa.hpp"
#include "l1/abi.hpp"
#include "l1/bytes.hpp"
#include "tx/message.hpp"

namespace zkamm::settle {

/// The address a CREATE from `sender` with `nonce` gets: keccak256(rlp([sender, nonce]))[12:].
l1::Address create_address(const l1::Address& sender, uint64_t nonce);
/// Call data of `signature` (e.g. "approve(address,uint256)") with `args`; empty if they do not fit.
l1::Bytes call(const char* signature, std::vector<l1::abi::Value> args);
/// ABI encoding of `values` as `types` (constructor arguments); empty if they do not fit.
l1::Bytes encode_args(const std::vector<const char*>& types, std::vector<l1::abi::Value> values);
/// A field element as a uint256 argument.
inline l1::abi::Value fr_value(const ff::Fr& x) { return l1::abi::Value::uint(x.to_canonical()); }
/// registerAccount (registerAndDepositETH with `deposit_eth`; the value goes with the transaction)
/// of the key of `prv`, sent by `owner` to the rollup of `d`: the key signs the registration
/// message (tx/registration.hpp) so the contract accepts it from `owner` only.
l1::Bytes register_account_call(const hash::PrivateKey& prv, const tx::Domain& d, const l1::Address& owner,
                                bool deposit_eth = false);

}  // namespace zkamm::settle
