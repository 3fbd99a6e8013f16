#include "sync/sync_rpc.hpp"

#include <algorithm>

#include "explorer/explorer.hpp"
#include "node/rpc_explorer.hpp"
#include "node/rpc_views.hpp"
#include "tx/batch_header.hpp"
#include "tx/tx.hpp"

namespace zkamm::sync {
namespace {

using node::rpc::code::kInvalidParams;
using node::rpc::code::kNotFound;
using node::rpc::json;
using node::rpc::param;
using node::rpc::RpcError;

uint64_t uint_arg(const json& j, const char* name, uint64_t max) {
  uint64_t v = 0;
  if (j.is_number_unsigned()) v = j.get<uint64_t>();
  else if (j.is_string() && node::rpc::u64_from_decimal(j.get_ref<const std::string&>())) v = *node::rpc::u64_from_decimal(j.get_ref<const std::string&>());
  else throw RpcError(kInvalidParams, std::string(name) + " must be a non-negative integer");
  if (v > max) throw RpcError(kInvalidParams, std::string(name) + " must be <= " + std::to_string(max));
  return v;
}

json batch_view(const L1Batch& b) {
  return {{"number", b.number},
          {"kind", std::string(tx::batch_kind_name(b.kind()))},
          {"new_root", fr_hex(b.stored_root)},
          {"header", node::rpc::hex0x(b.header)},
          {"pubdata", node::rpc::hex0x(b.pubdata)},
          {"l1", {{"commit_tx", l1::to_hex(b.commit_tx)}, {"commit_block", b.commit_block}, {"final_block", b.final_block}}}};
}

/// zkamm_getBatches' item (the node's summary shape; every replica batch is final on L1).
json batch_summary(const L1Batch& b) {
  // One decode for both fields (a malformed header, which Replica::replay rejects, reads as a
  // universal batch of 0 slots, as L1Batch::kind() reads it).
  const auto h = tx::decode_batch_header(b.header);
  const tx::BatchKind kind = h ? h->kind : tx::BatchKind::Universal;
  const uint32_t slots = h ? h->num_slots : 0;
  return {{"number", b.number},
          {"kind", kind == tx::BatchKind::Swap ? "swap" : "universal"},
          {"num_slots", slots},
          {"txs", nullptr},
          {"root_ready", true},
          {"new_root", fr_hex(b.stored_root)},
          {"l1",
           {{"stage", "finalized"},
            {"commit_tx", l1::to_hex(b.commit_tx)},
            {"commit_block", b.commit_block},
            {"final_block", b.final_block}}},
          {"settle", nullptr}};
}

}  // namespace

void add_sync_methods(node::rpc::Dispatcher& d, const Replica& r, StatusExtra extra) {
  const Replica* rp = &r;
  d.add_sync("zkamm_status", [rp, extra](const json&, const node::rpc::CallContext&) {
    const ReplicaStatus s = rp->status();
    json j = {{"mode", "l1-replica"},
              {"last_batch", s.meta.last_batch},
              {"last_root_batch", s.meta.last_batch},
              {"state_root", fr_hex(s.meta.root)},
              {"l1_block", s.meta.cursor.block},
              {"pending_commits", s.pending},
              {"slots_replayed", s.meta.slots_replayed},
              {"num_accounts", s.accounts},
              {"num_tokens", s.tokens},
              {"num_pools", s.pools},
              {"error", s.error}};
    if (s.chain) {
      j["chain_id"] = std::to_string(s.chain->chain_id);
      j["rollup"] = l1::to_checksum_address(s.chain->rollup);
      j["deploy_block"] = s.chain->deploy_block;
    }
    if (extra) j.update(extra());
    return j;
  });
  d.add_sync("zkamm_getAccount", [rp](const json& p, const node::rpc::CallContext&) {
    const auto index = uint_arg(*param(p, 0, "index"), "index", tx::kAccountLimit - 1);
    auto a = rp->account(static_cast<state::AccountIndex>(index));
    if (!a) throw RpcError(kNotFound, "account not found", json{{"index", index}});
    return node::rpc::account_json(*a);
  });
  d.add_sync("zkamm_getPool", [rp](const json& p, const node::rpc::CallContext&) {
    const auto a = uint_arg(*param(p, 0, "token_a"), "token_a", tx::kTokenLimit - 1);
    const auto b = uint_arg(*param(p, 1, "token_b"), "token_b", tx::kTokenLimit - 1);
    auto pool = rp->pool(static_cast<state::TokenId>(a), static_cast<state::TokenId>(b));
    if (!pool) throw RpcError(kNotFound, "pool not found", json{{"token_a", a}, {"token_b", b}});
    return node::rpc::pool_json(*pool);
  });
  d.add_sync("zkamm_getBatch", [rp](const json& p, const node::rpc::CallContext&) {
    const json* n = param(p, 0, "number", false);
    const uint64_t last = rp->meta().last_batch;
    const uint64_t number = !n || (n->is_string() && *n == "latest") ? last : uint_arg(*n, "number", UINT64_MAX);
    auto b = number == 0 || number > last ? std::nullopt : rp->batch(number);
    if (!b) throw RpcError(kNotFound, "batch not found (final batches: 1.." + std::to_string(last) + ")", json{{"number", number}});
    return batch_view(*b);
  });
  // The explorer's lists (docs/EXPLORER.md): the latest final batches, every pool.
  d.add_sync("zkamm_getBatches", [rp](const json& p, const node::rpc::CallContext&) {
    const json* c = param(p, 0, "count", false);
    const json* b = param(p, 1, "before", false);
    const uint64_t count = c && !c->is_null() ? uint_arg(*c, "count", node::rpc::ExplorerFeed::kMaxList) : 20;
    const uint64_t last = rp->meta().last_batch;
    const uint64_t before = b && !b->is_null() ? std::min(uint_arg(*b, "before", UINT64_MAX - 1), last + 1) : last + 1;
    json out = json::array();
    for (uint64_t n = before; n > 1 && out.size() < count; --n)
      if (auto batch = rp->batch(n - 1)) out.push_back(batch_summary(*batch));
    return out;
  }, node::rpc::MethodCost{node::rpc::ExplorerFeed::kListCost, true});
  d.add_sync("zkamm_getPools", [rp](const json&, const node::rpc::CallContext&) {
    // The replica finds pools by pair; pools join L1 tokens only, so the scan stops at the
    // pool count or after the first 64 tokens' pairs.
    const ReplicaStatus s = rp->status();
    const auto tokens = static_cast<state::TokenId>(std::min<std::size_t>(s.tokens, 64));
    json out = json::array();
    for (state::TokenId a = 0; a < tokens && out.size() < s.pools; ++a)
      for (state::TokenId b = a + 1; b < tokens && out.size() < s.pools; ++b)
        if (auto pool = rp->pool(a, b)) {
          json j = node::rpc::pool_json(*pool);
          j["id"] = pool->lp_token - state::kFirstLpToken;
          out.push_back(std::move(j));
        }
    return out;
  }, node::rpc::MethodCost{8, true});
  d.add_sync("zkamm_getExitProof", [rp](const json& p, const node::rpc::CallContext&) {
    const auto account = uint_arg(*param(p, 0, "account"), "account", tx::kAccountLimit - 1);
    const auto token = uint_arg(*param(p, 1, "token"), "token", tx::kTokenLimit - 1);
    const node::ExitProofResult res = rp->exit_proof(static_cast<state::AccountIndex>(account), static_cast<state::TokenId>(token));
    if (!res.ok()) {
      const bool missing = res.error == node::ExitProofError::kUnknownAccount || res.error == node::ExitProofError::kUnknownPool;
      throw RpcError(missing ? kNotFound : kInvalidParams, "no exit proof: " + res.message,
                     json{{"reason", std::string(node::to_string(res.error))}});
    }
    if (const json* want = param(p, 2, "root", false); want && !want->is_null()) {
      // The replica holds one state: the proof is for its root only.
      if (!want->is_string()) throw RpcError(kInvalidParams, "root must be a string");
      const std::string have = fr_hex(res.proof->root);
      auto wb = node::rpc::hash_from_hex(want->get<std::string>());
      auto wf = wb ? ff::Fr::from_bytes_be(wb->data()) : std::nullopt;
      if (!wf) throw RpcError(kInvalidParams, "root must be 0x + 64 hex digits below r");
      if (*wf != res.proof->root)
        throw RpcError(kNotFound, "root " + want->get<std::string>() + " is not this replica's state root (batch " +
                                      std::to_string(res.proof->batch) + ", root " + have + "); wait for it to catch up",
                       json{{"reason", "root_not_found"}});
    }
    return node::exit_proof_json(*res.proof);
  });
  d.add_sync("zkamm_chainId", [rp](const json&, const node::rpc::CallContext&) {
    const auto s = rp->status();
    return json(s.chain ? std::to_string(s.chain->chain_id) : "0");
  });
  d.add_sync("zkamm_domain", [rp](const json&, const node::rpc::CallContext&) {
    const auto s = rp->status();
    tx::Domain dom;
    if (s.chain) {
      dom.chain_id = s.chain->chain_id;
      std::copy(s.chain->rollup.begin(), s.chain->rollup.end(), dom.rollup.begin());
    }
    return node::rpc::domain_json(dom);
  });
}

SyncService::SyncService(const Replica& replica, node::http::ServerConfig cfg, StatusExtra extra)
    : disp_(std::make_shared<node::rpc::Dispatcher>()) {
  add_sync_methods(*disp_, replica, std::move(extra));
  node::http::Handlers h;
  std::shared_ptr<node::rpc::Dispatcher> d = disp_;
  h.rpc = [d](std::string body, const node::rpc::CallContext& ctx, std::function<void(std::string)> done) {
    d->handle(body, ctx, std::move(done));
  };
  h.get = [&replica](const std::string& path) {
    node::http::GetResponse r;
    if (auto asset = explorer::find_asset(path)) {
      r.content_type = std::string(asset->content_type);
      r.body = std::string(asset->body);
    } else if (path == "/health") {
      const auto s = replica.status();
      r.status = s.error.empty() ? 200 : 503;
      r.body = json{{"ok", s.error.empty()}, {"last_batch", s.meta.last_batch}, {"error", s.error}}.dump();
    } else {
      r.status = 404;
      r.body = "{}";
    }
    return r;
  };
  h.ws_closed = [](uint64_t) {};
  server_ = std::make_unique<node::http::Server>(std::move(cfg), std::move(h));
}

SyncService::~SyncService() { stop(); }
bool SyncService::start(std::string* error) { return server_->start(error); }
uint16_t SyncService::port() const noexcept { return server_->port(); }
void SyncService::stop() {
  if (server_) server_->stop();
}

}  // namespace zkamm::sync
