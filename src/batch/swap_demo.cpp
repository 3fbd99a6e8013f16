#include "batch/swap_demo.hpp"

#include "hash/eddsa.hpp"

namespace zkamm::batch {
namespace {

U256 e18(uint64_t v) {
  U256 out{};
  (void)state::checked_mul(out, U256{v, 0, 0, 0}, U256{1'000'000'000'000'000'000ULL, 0, 0, 0});
  return out;
}

}  // namespace

hash::PrivateKey demo_key(uint32_t account) {
  hash::PrivateKey k{};
  k[0] = static_cast<uint8_t>(account);
  k[2] = 0x5a;
  return k;
}

state::State demo_genesis() {
  state::State s;
  for (uint8_t t = 1; t <= 2; ++t) {
    state::L1Address addr{};
    addr[19] = t;
    state::TokenId id = 0;
    (void)s.add_token(addr, id);
  }
  for (uint32_t a = 1; a <= 4; ++a) {
    const ec::BabyJubAffine p = hash::eddsa_public_key(demo_key(a));
    state::AccountIndex idx = 0;
    (void)s.create_account(state::PublicKey{p.x, p.y}, idx);
    for (state::TokenId t = 0; t <= 2; ++t) (void)s.deposit(a, t, e18(1'000'000));
  }
  state::TokenId lp = 0;
  (void)s.create_pool(1, 2, lp);
  state::AddLiquidityReceipt rc;
  (void)s.add_liquidity(1, 1, 2, e18(1000), e18(2000), U256{}, U256{}, rc);
  return s;
}

std::vector<tx::Tx> demo_swaps(uint32_t n, const tx::Domain& domain) {
  std::vector<tx::Tx> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    tx::SwapExactIn t;
    t.account = 1 + i % 4;
    t.token_in = 1;
    t.token_out = 2;
    t.amount_in = 1'000'000'000'000'000'000ULL;
    t.deadline = 2'000'000'000;
    t.nonce = i / 4;
    tx::Tx signed_tx = t;
    (void)tx::sign(signed_tx, demo_key(t.account), domain);
    out.push_back(std::move(signed_tx));
  }
  return out;
}

WitnessResult demo_swap_witness(const BatchParams& params) {
  state::State s = demo_genesis();
  state::StateTrees trees = state::StateTrees::build(s);
  BatchInput in;
  in.txs = demo_swaps(params.num_slots, params.domain);
  in.timestamp = 1'700'000'000;
  return build_witness(s, trees, params, in);
}

}  // namespace zkamm::batch
