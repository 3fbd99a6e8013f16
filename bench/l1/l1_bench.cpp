// L1 client hot paths: signing a batch-commit transaction, decoding it, ABI-encoding and decoding
// a commit call with 4 KiB of public data.
#include <benchmark/benchmark.h>

#include "l1/abi.hpp"
#include "l1/eip1559.hpp"

namespace zkamm::l1 {
namespace {

const PrivateKey& bench_key() {
  // anvil's first default account (a public test key).
  static const PrivateKey key = *PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  return key;
}

const abi::Function& commit_fn() {
  static const abi::Function f = *abi::parse_function("commitBatch(uint64,bytes32,bytes,uint256[8])");
  return f;
}

std::vector<abi::Value> commit_args() {
  std::vector<abi::Value> proof;
  for (uint64_t i = 0; i < 8; ++i) proof.push_back(abi::Value::uint(U256{i, i, i, i >> 1}));
  Bytes32 root{};
  root[0] = 1;
  return {abi::Value::uint(7), abi::Value::bytes32(root), abi::Value::bytes_value(Bytes(4096, 0x5a)),
          abi::Value::list(std::move(proof))};
}

Eip1559Tx commit_tx() {
  Eip1559Tx tx{31337, 12, u256(1'000'000'000), u256(30'000'000'000ull), 500000, Address{}, {}, {}};
  tx.data = *abi::encode_call(commit_fn(), commit_args());
  return tx;
}

void BM_SignTx(benchmark::State& state) {
  const Eip1559Tx tx = commit_tx();
  for (auto _ : state) benchmark::DoNotOptimize(sign_tx(tx, bench_key()));
}
BENCHMARK(BM_SignTx);

void BM_DecodeSignedTx(benchmark::State& state) {
  const Bytes raw = sign_tx(commit_tx(), bench_key());
  for (auto _ : state) benchmark::DoNotOptimize(decode_signed(raw));
}
BENCHMARK(BM_DecodeSignedTx);

void BM_AbiEncodeCommit(benchmark::State& state) {
  const auto args = commit_args();
  for (auto _ : state) benchmark::DoNotOptimize(abi::encode_call(commit_fn(), args));
}
BENCHMARK(BM_AbiEncodeCommit);

void BM_AbiDecodeCommit(benchmark::State& state) {
  const Bytes data = *abi::encode_call(commit_fn(), commit_args());
  const std::span<const uint8_t> body = std::span(data).subspan(4);
  for (auto _ : state) benchmark::DoNotOptimize(abi::decode(commit_fn().inputs, body));
}
BENCHMARK(BM_AbiDecodeCommit);

}  // namespace
}  // namespace zkamm::l1
