// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IPoseidon2, IPoseidon4} from "./IPoseidon.sol";
import {QuaternaryMerkle} from "./QuaternaryMerkle.sol";
import {ZkammStorage} from "./ZkammRollup.sol";

/// ZkammRollup's exodus mode (docs/CONTRACTS.md, docs/BATCH.md section 7): activateExodus, the
/// exits and the refunds. The rollup's constructor deploys it and its fallback delegatecalls it,
/// so this code runs on the rollup's storage and is called at the rollup's address; the split
/// keeps the rollup's code well under the EIP-170 size limit. Called directly, it works on its own
/// empty storage (no queue, never in exodus mode: every call reverts) and holds no funds.
contract ZkammExodus is ZkammStorage {
    IPoseidon2 public immutable poseidon2;
    IPoseidon4 public immutable poseidon4;

    constructor(IPoseidon2 poseidon2_, IPoseidon4 poseidon4_) {
        poseidon2 = poseidon2_;
        poseidon4 = poseidon4_;
    }

    /// Anyone may switch to exodus mode once the oldest unexecuted priority op is overdue.
    function activateExodus() external {
        require(!exodusMode, "zkamm: exodus mode");
        uint64 serial = executedPriorityOps;
        require(serial < totalPriorityOps, "zkamm: no outstanding priority op");
        require(block.timestamp > priorityOps[serial].deadline, "zkamm: priority op not overdue");
        exodusMode = true;
        emit ExodusActivated(serial);
    }

    /// Proves `balance` of `token` in `account` against lastExecutedRoot and credits it, once,
    /// to owner[account]. balancePath: 15 siblings (depth 5), accountPath: 36 (depth 12).
    function exodusExit(
        uint32 account,
        uint16 token,
        uint128 balance,
        uint256[3] calldata pubkeyXYNonce,
        uint256[] calldata balancePath,
        uint256[] calldata accountPath,
        uint256 poolRoot
    ) external {
        // poolRoot: the state root's pool half, Poseidon(pool_root, pair_root, num_pools, 0).
        require(token <= tokenAddresses.length, "zkamm: not an L1 token");
        _startExit(account, token, balance);
        uint256 accountRoot = _accountRoot(account, token, balance, pubkeyXYNonce, balancePath, accountPath);
        require(poolRoot < R, "zkamm: pool root not canonical");
        require(poseidon2.poseidon([accountRoot, poolRoot]) == lastExecutedRoot, "zkamm: bad Merkle proof");
        address to = owner[account];
        _credit(to, token, balance);
        emit ExodusExit(account, token, to, balance);
    }

    /// Exits an LP position of pool `pool` (LP token 512 + pool): proves the account's LP balance
    /// and the pool leaf [token0 + 2^10 * token1, reserve0, reserve1, lp_supply] (poolPath: 15
    /// siblings) against lastExecutedRoot and credits owner[account] its pro-rata share
    /// floor(lpBalance * reserve_i / lp_supply) of both reserves. Shares are taken from the frozen
    /// root, so their sum never exceeds the reserves (the locked MINIMUM_LIQUIDITY never exits).
    /// poolLeaf[4], poolLeaf[5]: the pair tree's root and the pool count, which with the pool
    /// tree's root make the state root's pool half (docs/STATE.md).
    function exodusExitLp(
        uint32 account,
        uint16 pool,
        uint128 lpBalance,
        uint256[3] calldata pubkeyXYNonce,
        uint256[] calldata balancePath,
        uint256[] calldata accountPath,
        uint256[6] calldata poolLeaf,
        uint256[] calldata poolPath
    ) external {
        uint256 root = _startLpExit(account, pool, lpBalance, pubkeyXYNonce, balancePath, accountPath);
        root = poseidon2.poseidon([root, _poolsHalf(pool, poolLeaf, poolPath)]);
        require(root == lastExecutedRoot, "zkamm: bad Merkle proof");
        require(
            poolLeaf[0] >> 20 == 0 && poolLeaf[1] >> 128 == 0 && poolLeaf[2] >> 128 == 0 && poolLeaf[3] >= lpBalance,
            "zkamm: bad pool leaf"
        );
        _payShares(account, pool, lpBalance, poolLeaf);
    }

    /// exodusExitLp's checks of the account (its own frame: exodusExitLp has too many arguments
    /// for one); returns the account-tree root of the LP balance leaf.
    function _startLpExit(
        uint32 account,
        uint16 pool,
        uint128 lpBalance,
        uint256[3] calldata pubkeyXYNonce,
        uint256[] calldata balancePath,
        uint256[] calldata accountPath
    ) private returns (uint256) {
        require(pool <= MAX_L1_TOKEN, "zkamm: bad pool id");
        uint16 lpToken = pool + MAX_L1_TOKEN + 1;
        _startExit(account, lpToken, lpBalance);
        return _accountRoot(account, lpToken, lpBalance, pubkeyXYNonce, balancePath, accountPath);
    }

    /// The state root's pool half Poseidon(pool_root, pair_root, num_pools, 0) from a pool leaf,
    /// its path, the pair root and the pool count (poolLeaf[4..5]).
    function _poolsHalf(uint16 pool, uint256[6] calldata poolLeaf, uint256[] calldata poolPath)
        private
        view
        returns (uint256)
    {
        for (uint256 i = 0; i < 6; i++) {
            require(poolLeaf[i] < R, "zkamm: pool field not canonical");
        }
        uint256 root = poseidon4.poseidon([poolLeaf[0], poolLeaf[1], poolLeaf[2], poolLeaf[3]]);
        root = QuaternaryMerkle.root(poseidon4, root, pool, poolPath, BALANCE_DEPTH);
        return poseidon4.poseidon([root, poolLeaf[4], poolLeaf[5], 0]);
    }

    /// Credits owner[account] its shares of both reserves of the pool leaf and reports them.
    function _payShares(uint32 account, uint16 pool, uint128 lpBalance, uint256[6] calldata poolLeaf) private {
        address to = owner[account];
        uint16 token0 = uint16(poolLeaf[0] & 1023);
        uint16 token1 = uint16(poolLeaf[0] >> 10);
        uint256 amount0 = _payShare(to, token0, lpBalance, poolLeaf[1], poolLeaf[3]);
        uint256 amount1 = _payShare(to, token1, lpBalance, poolLeaf[2], poolLeaf[3]);
        emit ExodusExitLp(account, pool, to, lpBalance, token0, amount0, token1, amount1);
    }

    /// Common checks of an exit; marks (account, token) as exited.
    function _startExit(uint32 account, uint16 token, uint128 balance) private {
        require(exodusMode, "zkamm: not in exodus mode");
        require(account >= 1 && account <= numAccounts, "zkamm: unknown account");
        require(!exited[account][token], "zkamm: already exited");
        require(balance > 0, "zkamm: zero balance");
        require(lastExecutedRoot != 0, "zkamm: no executed root");
        exited[account][token] = true;
    }

    /// Account-tree root from the balance leaf `balance` at `token` and the account's fields.
    function _accountRoot(
        uint32 account,
        uint16 token,
        uint128 balance,
        uint256[3] calldata pubkeyXYNonce,
        uint256[] calldata balancePath,
        uint256[] calldata accountPath
    ) private view returns (uint256) {
        uint256 balanceRoot = QuaternaryMerkle.root(poseidon4, balance, token, balancePath, BALANCE_DEPTH);
        for (uint256 i = 0; i < 3; i++) {
            require(pubkeyXYNonce[i] < R, "zkamm: account field not canonical");
        }
        uint256 leaf = poseidon4.poseidon([pubkeyXYNonce[0], pubkeyXYNonce[1], pubkeyXYNonce[2], balanceRoot]);
        return QuaternaryMerkle.root(poseidon4, leaf, account, accountPath, ACCOUNT_DEPTH);
    }

    /// Credits `to` floor(lp * reserve / supply) of `token` (an L1 token: pools hold L1 tokens
    /// only) and returns it.
    function _payShare(address to, uint16 token, uint256 lp, uint256 reserve, uint256 supply)
        private
        returns (uint256 amount)
    {
        require(token <= tokenAddresses.length, "zkamm: pool token not an L1 token");
        amount = lp * reserve / supply;
        if (amount > 0) _credit(to, token, amount);
    }

    /// In exodus mode, refunds a deposit that no executed batch consumed (to its depositor).
    function refundDeposit(uint64 serial) external {
        require(exodusMode, "zkamm: not in exodus mode");
        require(serial >= executedPriorityOps && serial < totalPriorityOps, "zkamm: not an outstanding op");
        PriorityOp storage op = priorityOps[serial];
        require(op.opType == OP_DEPOSIT, "zkamm: not a deposit (or refunded)");
        address to = op.sender;
        uint16 token = op.token;
        uint128 amount = op.amount;
        delete priorityOps[serial];
        l2Holdings[token] -= amount;
        _credit(to, token, amount);
        emit DepositRefunded(serial, to, token, amount);
    }
}
