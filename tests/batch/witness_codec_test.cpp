// The witness codec a remote prover receives: a real batch witness survives encode/decode and
// still satisfies the circuit with the same public input; every truncation, a non-canonical
// field element, an unknown tx type, a bad magic and trailing bytes are rejected.
#include <gtest/gtest.h>

#include "batch/witness_codec.hpp"
#include "batch_fixture.hpp"

namespace zkamm::batch::testing {
namespace {

tx::Tx swap(uint32_t account, uint16_t tin, uint16_t tout, const U256& in) {
  tx::SwapExactIn t;
  t.account = account;
  t.token_in = tin;
  t.token_out = tout;
  t.amount_in = amount(in);
  t.amount_out_min = amount(u(1));
  t.deadline = kTimestamp + 100;
  return signed_tx(t, account);
}

const BatchWitness& sample() {
  static const BatchWitness w = build({swap(1, 1, 2, e18(3)), swap(2, 2, 1, e18(1))}).w;
  return w;
}

TEST(WitnessCodec, RoundTripKeepsTheProofInputs) {
  const BatchWitness& w = sample();
  const std::vector<uint8_t> bytes = encode_witness(w);
  const auto back = decode_witness(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(encode_witness(*back), bytes);
  EXPECT_EQ(back->new_root, w.new_root);
  EXPECT_EQ(back->header, w.header);
  EXPECT_EQ(back->pubdata, w.pubdata);
  const Checked c = check(*back);
  EXPECT_TRUE(c.satisfied);
  EXPECT_EQ(c.public_input, w.public_input);
  // A remote worker gets a few KB per slot, not the megabytes of the wire assignment.
  EXPECT_LT(bytes.size(), 16'000u * w.slots.size());
}

TEST(WitnessCodec, EveryTruncationIsRejected) {
  const std::vector<uint8_t> bytes = encode_witness(sample());
  for (std::size_t n = 0; n < bytes.size(); n += (n < 64 ? 1 : 97)) {
    EXPECT_FALSE(decode_witness(std::span(bytes.data(), n)).has_value()) << "length " << n;
  }
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0);
  EXPECT_FALSE(decode_witness(longer).has_value());
}

TEST(WitnessCodec, RejectsNonCanonicalAndUnknownValues) {
  const std::vector<uint8_t> good = encode_witness(sample());
  // Bytes 5..28 are the three u64 fields; account_root_old (an Fr) starts at byte 29.
  std::vector<uint8_t> bad = good;
  for (int i = 0; i < 32; ++i) bad[29 + i] = 0xff;  // >= r
  EXPECT_FALSE(decode_witness(bad).has_value());

  bad = good;
  bad[0] = 'X';
  EXPECT_FALSE(decode_witness(bad).has_value());
  bad = good;
  bad[4] = 1;  // version 1 (before the pair tree)
  EXPECT_FALSE(decode_witness(bad).has_value());

  // The first slot starts where the encoding of the same witness without slots ends.
  BatchWitness none = sample();
  none.slots.clear();
  const std::size_t type_at = encode_witness(none).size();
  std::vector<uint8_t> enc = good;
  ASSERT_EQ(enc[type_at], static_cast<uint8_t>(tx::TxType::SwapExactIn));
  enc[type_at] = tx::kTxTypeCount;
  EXPECT_FALSE(decode_witness(enc).has_value());
}

}  // namespace
}  // namespace zkamm::batch::testing
