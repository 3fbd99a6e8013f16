#include "l1/eip1559.hpp"

#include "hash/keccak256.hpp"
#include "l1/rlp.hpp"

namespace zkamm::l1 {
namespace {

constexpr uint8_t kTxType = 0x02;

// The nine fields of EIP-1559's payload: chain_id, nonce, max_priority_fee_per_gas,
// max_fee_per_gas, gas_limit, destination, amount, data, access_list.
std::vector<Bytes> field_encodings(const Eip1559Tx& tx) {
  std::vector<Bytes> f;
  f.reserve(12);
  f.push_back(rlp::encode_uint(tx.chain_id));
  f.push_back(rlp::encode_uint(tx.nonce));
  f.push_back(rlp::encode_uint(tx.max_priority_fee_per_gas));
  f.push_back(rlp::encode_uint(tx.max_fee_per_gas));
  f.push_back(rlp::encode_uint(tx.gas_limit));
  f.push_back(tx.to ? rlp::encode_string(*tx.to) : rlp::encode_string({}));
  f.push_back(rlp::encode_uint(tx.value));
  f.push_back(rlp::encode_string(tx.data));
  f.push_back(rlp::encode_list({}));
  return f;
}

Bytes typed(const std::vector<Bytes>& fields) {
  Bytes out{kTxType};
  const Bytes body = rlp::encode_list(fields);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

U256 u256_of(const Bytes32& b) { return ff::from_bytes_be(b.data()); }

}  // namespace

Bytes32 signing_hash(const Eip1559Tx& tx) { return hash::keccak256(typed(field_encodings(tx))); }

Bytes encode_signed(const Eip1559Tx& tx, const Signature& sig) {
  auto f = field_encodings(tx);
  f.push_back(rlp::encode_uint(uint64_t{sig.y_parity}));
  f.push_back(rlp::encode_uint(u256_of(sig.r)));  // r and s are integers: leading zeros dropped
  f.push_back(rlp::encode_uint(u256_of(sig.s)));
  return typed(f);
}

Bytes sign_tx(const Eip1559Tx& tx, const PrivateKey& key) { return encode_signed(tx, key.sign(signing_hash(tx))); }

Bytes32 tx_hash(std::span<const uint8_t> raw) { return hash::keccak256(raw); }

std::optional<SignedTx> decode_signed(std::span<const uint8_t> raw) {
  if (raw.empty() || raw[0] != kTxType) return std::nullopt;
  const auto item = rlp::decode(raw.subspan(1));
  if (!item || !item->is_list || item->list.size() != 12) return std::nullopt;
  const auto& f = item->list;
  SignedTx out;
  const auto chain_id = rlp::as_u64(f[0]);
  const auto nonce = rlp::as_u64(f[1]);
  const auto tip = rlp::as_uint(f[2]);
  const auto max_fee = rlp::as_uint(f[3]);
  const auto gas = rlp::as_u64(f[4]);
  const auto value = rlp::as_uint(f[6]);
  const auto parity = rlp::as_u64(f[9]);
  const auto r = rlp::as_uint(f[10]);
  const auto s = rlp::as_uint(f[11]);
  if (!chain_id || !nonce || !tip || !max_fee || !gas || !value || !parity || !r || !s) return std::nullopt;
  if (f[5].is_list || (f[5].str.size() != 0 && f[5].str.size() != 20)) return std::nullopt;
  if (f[7].is_list || !f[8].is_list || !f[8].list.empty() || *parity > 1) return std::nullopt;
  out.tx = Eip1559Tx{*chain_id, *nonce, *tip, *max_fee, *gas, std::nullopt, *value, f[7].str};
  if (f[5].str.size() == 20) {
    Address to{};
    std::copy(f[5].str.begin(), f[5].str.end(), to.begin());
    out.tx.to = to;
  }
  out.sig.y_parity = static_cast<uint8_t>(*parity);
  ff::to_bytes_be(*r, out.sig.r.data());
  ff::to_bytes_be(*s, out.sig.s.data());
  return out;
}

}  // namespace zkamm::l1
