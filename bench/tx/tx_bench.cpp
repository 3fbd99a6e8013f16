// Transaction encoding, message hashing and signature verification costs (per transaction).
#include <benchmark/benchmark.h>

#include "tx/encoding.hpp"
#include "tx/message.hpp"

namespace {

using namespace zkamm::tx;

Domain domain() {
  Domain d;
  d.chain_id = 1;
  d.rollup.fill(0x42);
  return d;
}

Tx swap() {
  SwapExactIn s;
  s.account = 123456;
  s.token_in = 3;
  s.token_out = 7;
  s.amount_in = static_cast<Amount>(1) << 100;
  s.amount_out_min = 98765432109876543;
  s.deadline = 1800000000;
  s.nonce = 42;
  Tx t{s};
  zkamm::hash::PrivateKey prv{};
  prv.fill(7);
  (void)sign(t, prv, domain());
  return t;
}

void BM_EncodeDecodeSwap(benchmark::State& state) {
  const Tx t = swap();
  for (auto _ : state) {
    const auto bytes = encode(t);
    auto back = decode(bytes);
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_EncodeDecodeSwap);

void BM_MessageHashSwap(benchmark::State& state) {
  const Tx t = swap();
  const Domain d = domain();
  for (auto _ : state) {
    auto m = message_hash(t, d);
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_MessageHashSwap);

void BM_VerifySwap(benchmark::State& state) {
  const Tx t = swap();
  const Domain d = domain();
  zkamm::hash::PrivateKey prv{};
  prv.fill(7);
  const auto pub = zkamm::hash::eddsa_public_key(prv);
  for (auto _ : state) {
    bool ok = verify(t, pub, d);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_VerifySwap);

void BM_TxHashSwap(benchmark::State& state) {
  const Tx t = swap();
  for (auto _ : state) {
    auto h = tx_hash(t);
    benchmark::DoNotOptimize(h);
  }
}
BENCHMARK(BM_TxHashSwap);

}  // namespace
