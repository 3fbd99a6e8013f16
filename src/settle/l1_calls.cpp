#include "settle/l1_calls.hpp"

#include <algorithm>

#include "hash/keccak256.hpp"
#include "l1/rlp.hpp"
#include "tx/registration.hpp"

namespace zkamm::settle {

l1::Address create_address(const l1::Address& sender, uint64_t nonce) {
  std::vector<l1::Bytes> items = {l1::rlp::encode_string(sender), l1::rlp::encode_uint(nonce)};
  const auto h = hash::keccak256(l1::rlp::encode_list(items));
  l1::Address a{};
  std::copy(h.begin() + 12, h.end(), a.begin());
  return a;
}

l1::Bytes call(const char* signature, std::vector<l1::abi::Value> args) {
  auto f = l1::abi::parse_function(signature);
  auto data = l1::abi::encode_call(*f, args);
  return data ? *data : l1::Bytes{};
}

l1::Bytes register_account_call(const hash::PrivateKey& prv, const tx::Domain& d, const l1::Address& owner,
                                bool deposit_eth) {
  const auto pub = hash::eddsa_public_key(prv);
  const auto sig = tx::sign_registration(prv, d, owner);
  return call(deposit_eth ? tx::kRegisterAndDepositEthFunction : tx::kRegisterAccountFunction,
              {fr_value(pub.x), fr_value(pub.y), fr_value(sig.r8.x), fr_value(sig.r8.y), l1::abi::Value::uint(sig.s)});
}

l1::Bytes encode_args(const std::vector<const char*>& types, std::vector<l1::abi::Value> values) {
  std::vector<l1::abi::Type> ts;
  for (const char* t : types) ts.push_back(*l1::abi::parse_type(t));
  auto enc = l1::abi::encode(ts, values);
  return enc ? *enc : l1::Bytes{};
}

}  // namespace zkamm::settle
