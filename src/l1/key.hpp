#pragma once
// secp256k1 keys for L1 transactions (libsecp256k1): recoverable ECDSA with RFC 6979 nonces and
// low-s signatures, and Ethereum addresses (last 20 bytes of keccak256 of the 64-byte public key).
// The secret never leaves this class except through raw_bytes(); nothing here prints it.
#include <optional>
#include <string_view>

#include "l1/bytes.hpp"

namespace zkamm::l1 {

/// An ECDSA signature with the parity of R's y coordinate (Ethereum's v - 27 / y_parity).
struct Signature {
  uint8_t y_parity = 0;
  Bytes32 r{};
  Bytes32 s{};
  bool operator==(const Signature&) const = default;
};

class PrivateKey {
 public:
  /// A valid key is 0 < k < n (the group order).
  static std::optional<PrivateKey> from_bytes(const Bytes32& secret);
  /// 32 bytes as hex, "0x" optional.
  static std::optional<PrivateKey> from_hex(std::string_view text);

  PrivateKey(const PrivateKey&) = default;
  PrivateKey& operator=(const PrivateKey&) = default;
  ~PrivateKey();

  Address address() const { return address_; }
  /// Signs a 32-byte digest (RFC 6979 deterministic nonce; s <= n/2).
  Signature sign(const Bytes32& digest) const;
  const Bytes32& raw_bytes() const { return secret_; }

 private:
  PrivateKey(const Bytes32& secret, const Address& address) : secret_(secret), address_(address) {}
  Bytes32 secret_{};
  Address address_{};
};

/// The address whose key made `sig` over `digest`; nullopt for an invalid signature.
std::optional<Address> recover_address(const Bytes32& digest, const Signature& sig);

}  // namespace zkamm::l1
