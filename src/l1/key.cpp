#include "l1/key.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <random>

#include "hash/keccak256.hpp"

namespace zkamm::l1 {
namespace {

// One context for the process: libsecp256k1 allows concurrent use of a const context. It is
// randomized once (blinding against side channels); randomization failure only loses blinding.
const secp256k1_context* context() {
  static secp256k1_context* ctx = [] {
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    std::random_device rd;
    unsigned char seed[32];
    for (auto& b : seed) b = static_cast<unsigned char>(rd());
    if (!secp256k1_context_randomize(c, seed)) { /* unblinded but still correct */ }
    return c;
  }();
  return ctx;
}

Address address_of(const secp256k1_pubkey& pub) {
  unsigned char ser[65];
  size_t len = sizeof ser;
  secp256k1_ec_pubkey_serialize(context(), ser, &len, &pub, SECP256K1_EC_UNCOMPRESSED);
  const auto h = hash::keccak256(std::span<const uint8_t>(ser + 1, 64));  // drop the 0x04 tag
  Address a{};
  std::copy(h.begin() + 12, h.end(), a.begin());
  return a;
}

void wipe(Bytes32& b) {
  volatile uint8_t* p = b.data();
  for (size_t i = 0; i < b.size(); ++i) p[i] = 0;
}

}  // namespace

std::optional<PrivateKey> PrivateKey::from_bytes(const Bytes32& secret) {
  if (!secp256k1_ec_seckey_verify(context(), secret.data())) return std::nullopt;
  secp256k1_pubkey pub;
  if (!secp256k1_ec_pubkey_create(context(), &pub, secret.data())) return std::nullopt;
  return PrivateKey(secret, address_of(pub));
}

std::optional<PrivateKey> PrivateKey::from_hex(std::string_view text) {
  auto b = bytes32_from_hex(text);
  if (!b) return std::nullopt;
  auto k = from_bytes(*b);
  wipe(*b);
  return k;
}

PrivateKey::~PrivateKey() { wipe(secret_); }

Signature PrivateKey::sign(const Bytes32& digest) const {
  secp256k1_ecdsa_recoverable_signature rsig;
  // The default nonce function is RFC 6979; signing succeeds for a verified key.
  if (!secp256k1_ecdsa_sign_recoverable(context(), &rsig, digest.data(), secret_.data(), nullptr, nullptr)) {
    return Signature{};  // unreachable: the key was verified on construction
  }
  unsigned char compact[64];
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact, &recid, &rsig);
  Signature sig;
  sig.y_parity = static_cast<uint8_t>(recid);
  std::copy(compact, compact + 32, sig.r.begin());
  std::copy(compact + 32, compact + 64, sig.s.begin());
  return sig;
}

std::optional<Address> recover_address(const Bytes32& digest, const Signature& sig) {
  if (sig.y_parity > 1) return std::nullopt;
  unsigned char compact[64];
  std::copy(sig.r.begin(), sig.r.end(), compact);
  std::copy(sig.s.begin(), sig.s.end(), compact + 32);
  secp256k1_ecdsa_recoverable_signature rsig;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &rsig, compact, sig.y_parity))
    return std::nullopt;
  // Ethereum (EIP-2) rejects high-s signatures; recovery alone would accept them.
  secp256k1_ecdsa_signature plain;
  secp256k1_ecdsa_recoverable_signature_convert(context(), &plain, &rsig);
  if (secp256k1_ecdsa_signature_normalize(context(), nullptr, &plain)) return std::nullopt;
  secp256k1_pubkey pub;
  if (!secp256k1_ecdsa_recover(context(), &pub, &rsig, digest.data())) return std::nullopt;
  return address_of(pub);
}

}  // namespace zkamm::l1
