// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IVerifier} from "./IVerifier.sol";
import {IPoseidon2, IPoseidon4} from "./IPoseidon.sol";
import {IERC20Minimal} from "./IERC20Minimal.sol";
import {BigEndian} from "./BigEndian.sol";
import {BatchFormat} from "./BatchFormat.sol";
import {ZkammExodus} from "./ZkammExodus.sol";
import {EdDSAPoseidonVerifier} from "./EdDSAPoseidonVerifier.sol";

/// The rollup's constants, types, storage and events. ZkammRollup and ZkammExodus (exodus mode,
/// run on the rollup's storage with delegatecall) both inherit it, so both see one storage
/// layout: a state variable either of them uses belongs here, never in one of the two.
abstract contract ZkammStorage {
    // ---- constants (docs/BATCH.md, docs/TRANSACTIONS.md section 4, docs/STATE.md) ----
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant INPUT_MASK = (1 << 253) - 1;
    uint256 internal constant BABYJUB_A = 168700; // Baby Jubjub (EIP-2494) twisted Edwards a, d
    uint256 internal constant BABYJUB_D = 168696;
    uint256 public constant HEADER_BYTES = BatchFormat.HEADER_BYTES; // layout: BatchFormat.sol
    uint256 public constant SLOT_BYTES = BatchFormat.SLOT_BYTES; // slot layout: BatchFormat.sol
    uint256 public constant SWAP_SLOT_BYTES = BatchFormat.SWAP_SLOT_BYTES; // docs/BATCH.md section 8
    uint8 public constant KIND_UNIVERSAL = BatchFormat.KIND_UNIVERSAL;
    uint8 public constant KIND_SWAP = BatchFormat.KIND_SWAP;
    uint256 public constant MAX_TIMESTAMP_AHEAD = 3600;
    uint16 public constant MAX_L1_TOKEN = 511;
    uint16 public constant FIRST_LP_TOKEN = 512; // pool p's LP token is FIRST_LP_TOKEN + p
    uint16 internal constant MAX_TOKEN_ID = 1024; // token ids are 10 bits
    uint32 public constant MAX_ACCOUNT = (1 << 24) - 1;
    uint256 public constant BALANCE_DEPTH = 5;
    uint256 public constant ACCOUNT_DEPTH = 12;
    /// l2Holdings of every token stays below this, so no L2 balance can reach 2^128 (the circuit's
    /// balance range) and every deposit is credited in full (docs/BATCH.md section 4).
    uint256 public constant TOKEN_CAP = 1 << 128;

    uint8 public constant OP_NOOP = 0;
    uint8 public constant OP_DEPOSIT = 1;
    uint8 public constant OP_FULL_EXIT = 2;
    uint8 public constant OP_WITHDRAW = 9;
    uint8 public constant OP_CREATE_ACCOUNT = 10;
    uint8 internal constant NUM_TYPES = 11;

    /// One entry of the priority queue. `sender` is the depositor (refunds) or the requester.
    struct PriorityOp {
        address sender;
        uint64 deadline;
        uint32 account;
        uint128 amount;
        uint16 token;
        uint8 opType;
        bytes32 pubkey;
    }

    /// What later steps need of a committed batch.
    struct StoredBatch {
        bytes32 onchainOpsHash; // chain hash of the slots executeBatch needs (onchainOpsHash())
        uint256 newRoot;
        uint256 publicInput; // sha256(header || pubdata) & (2^253 - 1)
        uint64 timestamp;
        uint64 priorityFirst;
        uint32 priorityCount;
        uint8 kind; // KIND_UNIVERSAL or KIND_SWAP: which verifier proves it
    }

    // ---- tokens and accounts ----
    address[] internal tokenAddresses; // tokenAddresses[id - 1] for ERC-20 ids 1..511
    mapping(address => uint16) public tokenIds;
    mapping(uint32 => address) public owner;
    mapping(uint64 => PriorityOp) internal priorityOps;

    // ---- queue counters, account count and exodus flag: one storage slot (the batch path reads
    // it once; registering and queueing write it once) ----
    // Priority serials [executedPriorityOps, totalPriorityOps) are outstanding.
    uint64 public totalPriorityOps; // next serial to assign
    uint64 public committedPriorityOps; // next serial a commit must consume
    uint64 public executedPriorityOps; // oldest serial not yet executed
    uint32 public numAccounts;
    bool public exodusMode;

    // ---- batch counters: one storage slot. Batch 0 is the genesis state. ----
    uint64 public lastCommitted;
    uint64 public lastProven;
    uint64 public lastExecuted;
    uint64 internal lastExecutedTimestamp; // header timestamp of batch lastExecuted (0 for genesis)
    uint256 public lastExecutedRoot;
    /// Batches committed with commitBatch (kept after execution; revertBatches deletes reverted ones).
    mapping(uint256 => StoredBatch) internal batches;

    // ---- balances and exodus ----
    mapping(address => mapping(uint16 => uint256)) public pendingWithdrawals;
    /// Per L1 token, the most the L2 can hold: deposits queued minus withdrawals and full exits
    /// paid by executeBatch and deposits refunded in exodus mode. The L2 supply of a token (the
    /// sum of its balances and pool reserves; transfers, swaps and liquidity conserve it) never
    /// exceeds it, so neither does any single balance.
    mapping(uint16 => uint256) public l2Holdings;
    mapping(uint32 => mapping(uint16 => bool)) public exited;
    uint256 internal locked = 1;

    event TokenAdded(uint16 indexed tokenId, address indexed token);
    event AccountRegistered(uint32 indexed account, address indexed owner, bytes32 pubkey);
    event PriorityOpQueued(
        uint64 indexed serial,
        uint8 opType,
        uint32 account,
        uint16 token,
        uint128 amount,
        bytes32 pubkey,
        address sender,
        uint64 deadline
    );
    event BatchCommitted(
        uint256 indexed batchNumber, uint256 newRoot, uint256 publicInput, bytes32 commitment, uint64 priorityFirst, uint32 priorityCount
    );
    event BatchProven(uint256 indexed batchNumber);
    event BatchExecuted(uint256 indexed batchNumber, uint256 newRoot);
    event BatchesReverted(uint256 newLastCommitted);
    event Withdrawal(address indexed to, uint16 indexed token, uint256 amount);
    event ExodusActivated(uint64 overdueSerial);
    event ExodusExit(uint32 indexed account, uint16 indexed token, address indexed to, uint128 amount);
    event DepositRefunded(uint64 indexed serial, address indexed to, uint16 token, uint128 amount);
    /// Every credit to pendingWithdrawals: executed withdraws and full exits, exodus exits (an LP
    /// exit: one per token paid), refunded deposits.
    event PayoutCredited(address indexed to, uint16 indexed token, uint256 amount);
    /// exodusExitLp: the LP balance exited and what it paid of each pool token.
    event ExodusExitLp(
        uint32 indexed account,
        uint16 indexed pool,
        address indexed to,
        uint128 lpBalance,
        uint16 token0,
        uint256 amount0,
        uint16 token1,
        uint256 amount1
    );

    /// Adds `amount` of `token` to what `to` may withdraw.
    function _credit(address to, uint16 token, uint256 amount) internal {
        pendingWithdrawals[to][token] += amount;
        emit PayoutCredited(to, token, amount);
    }
}

/// The zkamm L1 rollup contract (docs/CONTRACTS.md): token registry, accounts and the priority
/// queue (deposits, full exits, account creation), the batch lifecycle commit -> prove -> execute
/// (docs/BATCH.md), pull withdrawals, and the exodus mode that lets users leave with a Merkle proof
/// against the last executed state root (docs/STATE.md) when the operator stops serving the queue.
contract ZkammRollup is ZkammStorage {
    using BigEndian for bytes;

    // ---- configuration ----
    IVerifier public immutable verifier;
    IVerifier public immutable swapVerifier; // address(0): swap batches are refused
    IPoseidon2 public immutable poseidon2;
    IPoseidon4 public immutable poseidon4;
    /// Checks that whoever registers a key holds it (registerAccount).
    EdDSAPoseidonVerifier public immutable keyVerifier;
    uint32 public immutable numSlots;
    uint64 public immutable priorityDeadlineSeconds;
    address public immutable operator;
    address public immutable governor;
    uint256 public immutable genesisRoot;
    /// The proving rate the operator commits to: one full batch of priority operations every
    /// priorityBatchSeconds. Deadlines of a long queue grow at this rate (_deadline).
    uint64 public immutable priorityBatchSeconds;
    /// A batch's timestamp may lag the L1 block that commits it by at most this (seconds).
    uint64 public immutable timestampWindow;
    /// ZkammExodus, made by the constructor: the fallback delegatecalls it.
    address public immutable exodusModule;

    modifier onlyOperator() {
        require(msg.sender == operator, "zkamm: not operator");
        _;
    }

    modifier notExodus() {
        require(!exodusMode, "zkamm: exodus mode");
        _;
    }

    modifier nonReentrant() {
        require(locked == 1, "zkamm: reentrant call");
        locked = 2;
        _;
        locked = 1;
    }

    /// `slots` must equal the batch circuit's N (the verifier's circuit); genesisRoot_ is the
    /// canonical root of the empty state (account 0 only, docs/STATE.md). The checks below refuse
    /// deployments that could never settle a batch or whose escape hatch would not work
    /// (docs/CONTRACTS.md "Deployment checks").
    constructor(
        IVerifier verifier_,
        IVerifier swapVerifier_,
        IPoseidon2 poseidon2_,
        IPoseidon4 poseidon4_,
        EdDSAPoseidonVerifier keyVerifier_,
        uint256 genesisRoot_,
        uint32 slots,
        uint64 priorityDeadlineSeconds_,
        uint64 priorityBatchSeconds_,
        uint64 timestampWindow_,
        address operator_,
        address governor_
    ) {
        require(genesisRoot_ != 0 && genesisRoot_ < R, "zkamm: bad genesis root");
        require(slots > 0 && slots < 1 << 24, "zkamm: slots");
        _checkVerifier(verifier_, KIND_UNIVERSAL, slots);
        if (address(swapVerifier_) != address(0)) _checkVerifier(swapVerifier_, KIND_SWAP, slots);
        _checkPoseidon(poseidon2_, poseidon4_);
        require(
            priorityDeadlineSeconds_ >= MIN_PRIORITY_DEADLINE && priorityDeadlineSeconds_ <= MAX_PRIORITY_DEADLINE,
            "zkamm: priority deadline"
        );
        // The flood guarantee needs the deadline to cover one batch interval plus the latency of
        // a batch (docs/CONTRACTS.md "Priority deadlines"): at least half of it is left for that.
        require(
            priorityBatchSeconds_ > 0 && priorityBatchSeconds_ <= priorityDeadlineSeconds_ / 2,
            "zkamm: priority batch seconds"
        );
        require(
            timestampWindow_ >= MIN_TIMESTAMP_WINDOW && timestampWindow_ <= MAX_TIMESTAMP_WINDOW,
            "zkamm: timestamp window"
        );
        verifier = verifier_;
        swapVerifier = swapVerifier_;
        poseidon2 = poseidon2_;
        poseidon4 = poseidon4_;
        require(address(keyVerifier_).code.length > 0, "zkamm: key verifier without code");
        keyVerifier = keyVerifier_;
        genesisRoot = genesisRoot_;
        numSlots = slots;
        priorityDeadlineSeconds = priorityDeadlineSeconds_;
        priorityBatchSeconds = priorityBatchSeconds_;
        timestampWindow = timestampWindow_;
        operator = operator_;
        governor = governor_;
        lastExecutedRoot = genesisRoot_;
        exodusModule = address(new ZkammExodus(poseidon2_, poseidon4_));
    }

    // ---- deployment checks (constructor only) ----
    uint64 internal constant MIN_PRIORITY_DEADLINE = 1 hours;
    uint64 internal constant MAX_PRIORITY_DEADLINE = 30 days;
    uint64 internal constant MIN_TIMESTAMP_WINDOW = 5 minutes;
    uint64 internal constant MAX_TIMESTAMP_WINDOW = 30 days;
    /// Gas for each check call: circomlib's Poseidon(4) takes about 70k; a wrong contract may
    /// spend all it gets (an invalid opcode), and the deployment must still get to its reason.
    uint256 internal constant CHECK_GAS = 500_000;
    /// circomlibjs poseidon([1, 2]) and poseidon([1, 2, 3, 4]) (the circuit's hash).
    uint256 internal constant POSEIDON2_OF_1_2 = 7853200120776062878684798364095072458815029376092732009249414926327459813530;
    uint256 internal constant POSEIDON4_OF_1_2_3_4 =
        18821383157269793795438455681495246036402687001665670618754263018637548127333;

    /// The verifier must be code that says it checks proofs of a `kind` batch of `slots` slots: a
    /// verifier of another circuit would reject every batch, and the queue would go to exodus.
    function _checkVerifier(IVerifier v, uint8 kind, uint32 slots) private view {
        require(address(v).code.length > 0, "zkamm: verifier has no code");
        try v.batchCircuit{gas: CHECK_GAS}() returns (uint8 k, uint32 n) {
            require(k == kind && n == slots, "zkamm: verifier is for another circuit");
        } catch {
            revert("zkamm: verifier is for another circuit");
        }
    }

    /// Both Poseidon contracts must hash as the circuit does (a known answer each): exodus proofs
    /// are checked with them, and swapped or wrong contracts would refuse every exit.
    function _checkPoseidon(IPoseidon2 p2, IPoseidon4 p4) private view {
        require(address(p2).code.length > 0 && address(p4).code.length > 0, "zkamm: Poseidon has no code");
        bool ok;
        try p2.poseidon{gas: CHECK_GAS}([uint256(1), 2]) returns (uint256 h) {
            ok = h == POSEIDON2_OF_1_2;
        } catch {}
        require(ok, "zkamm: not Poseidon(2)");
        ok = false;
        try p4.poseidon{gas: CHECK_GAS}([uint256(1), 2, 3, 4]) returns (uint256 h) {
            ok = h == POSEIDON4_OF_1_2_3_4;
        } catch {}
        require(ok, "zkamm: not Poseidon(4)");
    }

    // =========================================================================================
    // Tokens, accounts, priority queue
    // =========================================================================================

    /// Registers an ERC-20 as the next L1 token id (1..511; 0 is ETH). Governor only.
    function addToken(address token) external returns (uint16 id) {
        require(msg.sender == governor, "zkamm: not governor");
        require(token != address(0) && token.code.length > 0, "zkamm: not a contract");
        require(tokenIds[token] == 0, "zkamm: token exists");
        require(tokenAddresses.length < MAX_L1_TOKEN, "zkamm: token registry full");
        tokenAddresses.push(token);
        id = uint16(tokenAddresses.length);
        tokenIds[token] = id;
        emit TokenAdded(id, token);
    }

    /// Number of registered ERC-20 tokens (ids 1..numTokens).
    function numTokens() public view returns (uint16) {
        return uint16(tokenAddresses.length);
    }

    /// The ERC-20 of id 1..numTokens (address(0) for ETH, id 0).
    function tokenAddress(uint16 id) public view returns (address) {
        require(id <= tokenAddresses.length, "zkamm: unknown token");
        return id == 0 ? address(0) : tokenAddresses[id - 1];
    }

    /// Next account index for msg.sender (the owner that full and exodus exits pay); queues
    /// create_account with the key's packed form (packPubKey: the key must be a Baby Jubjub point
    /// with x != 0, the keys the L2 can unpack, docs/BATCH.md section 4). (r8x, r8y, s) is the
    /// key's EdDSA-Poseidon signature on the registration message (_requireKeyHolder).
    function registerAccount(uint256 pubKeyX, uint256 pubKeyY, uint256 r8x, uint256 r8y, uint256 s)
        public
        notExodus
        returns (uint32 account)
    {
        bytes32 packed = packPubKey(pubKeyX, pubKeyY);
        _requireKeyHolder(pubKeyX, pubKeyY, r8x, r8y, s);
        require(numAccounts < MAX_ACCOUNT, "zkamm: accounts full");
        account = ++numAccounts;
        owner[account] = msg.sender;
        emit AccountRegistered(account, msg.sender, packed);
        _queue(OP_CREATE_ACCOUNT, account, 0, 0, packed);
    }

    /// Whoever registers a key must hold it, or a squatter would own the account's full exits
    /// and exodus payouts: the key signs (docs/TRANSACTIONS.md section 3.4) this chain, this
    /// contract and msg.sender, so a signature copied from another registration (a front-runner)
    /// or another deployment is useless. Checked here rather than in the circuit: the 42-byte
    /// create_account slot has no room for the 20-byte owner (docs/CONTRACTS.md, key ownership).
    function _requireKeyHolder(uint256 x, uint256 y, uint256 r8x, uint256 r8y, uint256 s) private view {
        require(keyVerifier.verifyRegistration(address(this), msg.sender, x, y, r8x, r8y, s), "zkamm: key signature");
    }

    /// circomlibjs babyjub.packPoint of (x, y): y as 32 little-endian bytes (first byte = least
    /// significant), bit 7 of the last byte set when x > (r-1)/2. Requires x, y < r, the point on
    /// Baby Jubjub (168700 x^2 + y^2 = 1 + 168696 x^2 y^2 mod r) and x != 0: the L2 (and circomlibjs
    /// unpackPoint) cannot unpack the identity (0, 1) or the order-2 point (0, -1).
    function packPubKey(uint256 x, uint256 y) public pure returns (bytes32) {
        require(x < R && y < R, "zkamm: pubkey not canonical");
        require(x != 0, "zkamm: pubkey x is zero");
        uint256 x2 = mulmod(x, x, R);
        uint256 y2 = mulmod(y, y, R);
        require(
            addmod(mulmod(BABYJUB_A, x2, R), y2, R) == addmod(1, mulmod(BABYJUB_D, mulmod(x2, y2, R), R), R),
            "zkamm: pubkey not on Baby Jubjub"
        );
        // Byte-reverse y (big-endian word -> little-endian bytes) by swapping halves of ever
        // larger lanes; y < r < 2^254 leaves the top bit of the last byte free for the sign.
        uint256 v = y;
        v = ((v >> 8) & 0x00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF)
            | ((v & 0x00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF) << 8);
        v = ((v >> 16) & 0x0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF)
            | ((v & 0x0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000FFFF) << 16);
        v = ((v >> 32) & 0x00000000FFFFFFFF00000000FFFFFFFF00000000FFFFFFFF00000000FFFFFFFF)
            | ((v & 0x00000000FFFFFFFF00000000FFFFFFFF00000000FFFFFFFF00000000FFFFFFFF) << 32);
        v = ((v >> 64) & 0x0000000000000000FFFFFFFFFFFFFFFF0000000000000000FFFFFFFFFFFFFFFF)
            | ((v & 0x0000000000000000FFFFFFFFFFFFFFFF0000000000000000FFFFFFFFFFFFFFFF) << 64);
        v = (v >> 128) | (v << 128);
        if (x > (R - 1) / 2) v |= 0x80;
        return bytes32(v);
    }

    /// Queues a deposit of `token` to a registered account: ETH (token 0) with msg.value ==
    /// amount; an ERC-20 via transferFrom of `amount` (approve first), credited with what the
    /// rollup's balance grew by (less than `amount` for a token that takes a transfer fee). The
    /// token's l2Holdings must stay below TOKEN_CAP (2^128).
    function deposit(uint32 account, uint16 token, uint128 amount) public payable notExodus nonReentrant {
        require(account >= 1 && account <= numAccounts, "zkamm: unknown account");
        require(amount > 0, "zkamm: zero amount");
        if (token == 0) {
            require(msg.value == amount, "zkamm: wrong msg.value");
        } else {
            require(msg.value == 0, "zkamm: ETH sent with ERC-20");
            amount = _pullToken(tokenAddress(token), amount);
        }
        uint256 held = l2Holdings[token] + amount;
        require(held < TOKEN_CAP, "zkamm: token cap");
        l2Holdings[token] = held;
        _queue(OP_DEPOSIT, account, token, amount, bytes32(0));
    }

    /// transferFrom(msg.sender, this, amount); returns what arrived (docs/CONTRACTS.md
    /// "Deposits"): only that can ever be paid out again, so crediting `amount` when a fee was
    /// taken would leave the last withdrawals unpaid. Above 2^128 - 1 reverts (the token cap).
    function _pullToken(address erc20, uint128 amount) private returns (uint128) {
        uint256 before = IERC20Minimal(erc20).balanceOf(address(this));
        _callToken(erc20, abi.encodeCall(IERC20Minimal.transferFrom, (msg.sender, address(this), amount)));
        uint256 balance = IERC20Minimal(erc20).balanceOf(address(this));
        require(balance > before, "zkamm: nothing received");
        require(balance - before < TOKEN_CAP, "zkamm: token cap");
        return uint128(balance - before);
    }

    /// registerAccount followed by an ETH deposit of msg.value to the new account.
    function registerAndDepositETH(uint256 pubKeyX, uint256 pubKeyY, uint256 r8x, uint256 r8y, uint256 s)
        external
        payable
        returns (uint32 account)
    {
        account = registerAccount(pubKeyX, pubKeyY, r8x, r8y, s);
        deposit(account, 0, uint128(msg.value));
    }

    /// Queues a full exit of the account's whole balance of an L1 token, or of its whole position
    /// in pool p (token FIRST_LP_TOKEN + p: the position is burned pro rata and both tokens are
    /// paid out, so an operator that censors the owner's remove_liquidity cannot freeze it).
    /// Owner only.
    function requestFullExit(uint32 account, uint16 token) external notExodus {
        require(account >= 1 && account <= numAccounts, "zkamm: unknown account");
        require(owner[account] == msg.sender, "zkamm: not owner");
        require(token <= tokenAddresses.length || (token >= FIRST_LP_TOKEN && token < MAX_TOKEN_ID), "zkamm: unknown token");
        _queue(OP_FULL_EXIT, account, token, 0, bytes32(0));
    }

    /// The queue entry of `serial` (deleted entries, once executed or refunded, read as zero).
    function priorityOp(uint64 serial) external view returns (PriorityOp memory) {
        return priorityOps[serial];
    }

    function _queue(uint8 opType, uint32 account, uint16 token, uint128 amount, bytes32 pubkey) private {
        uint64 serial = totalPriorityOps++;
        uint64 deadline = _deadline(serial);
        priorityOps[serial] = PriorityOp({
            sender: msg.sender,
            deadline: deadline,
            account: account,
            amount: amount,
            token: token,
            opType: opType,
            pubkey: pubkey
        });
        emit PriorityOpQueued(serial, opType, account, token, amount, pubkey, msg.sender, deadline);
    }

    /// The deadline of priority op `serial` (docs/CONTRACTS.md "Priority deadlines"): at least
    /// priorityDeadlineSeconds from now, never before the previous op's, and one more
    /// priorityBatchSeconds at every multiple of numSlots, the ops one full batch holds. So the
    /// ops queued ahead of an op push its deadline out by the time the operator needs to prove
    /// them at its rate, and a flood of operations cannot make an honest operator miss one. The
    /// previous op reads deadline 0 once executed: the queue was empty, nothing is ahead.
    function _deadline(uint64 serial) private view returns (uint64 d) {
        d = uint64(block.timestamp) + priorityDeadlineSeconds;
        if (serial > 0) {
            uint64 next = priorityOps[serial - 1].deadline;
            if (serial % numSlots == 0) next += priorityBatchSeconds;
            if (next > d) d = next;
        }
    }

    // =========================================================================================
    // Batches
    // =========================================================================================

    /// Commits the next batch (docs/BATCH.md sections 2-5). Operator only.
    function commitBatch(bytes calldata header, bytes calldata pubdata) external onlyOperator notExodus {
        uint64 n = lastCommitted + 1;
        batches[n] = _commit(header, pubdata, false);
    }

    /// Commits, proves and executes `headers.length` consecutive batches in one transaction:
    /// batch i is (headers[i], pubdatas[i]) with the proof proofs[i] = [a0, a1, b00, b01, b10, b11,
    /// c0, c1] (proveBatch's a, b, c in order). Each batch follows the rules of commitBatch,
    /// proveBatch and executeBatch (its own pubdata is what is executed); only allowed when no
    /// batch is pending (lastCommitted == lastExecuted). One batch is checked with verifyProof,
    /// several with the verifier's verifyProofs (k + 3 pairings for k proofs); any invalid proof
    /// reverts the whole call. Stores no StoredBatch (storedBatch(n) reads zero); emits
    /// BatchCommitted, BatchProven and BatchExecuted per batch. Operator only.
    function commitProveExecute(bytes[] calldata headers, bytes[] calldata pubdatas, uint256[8][] calldata proofs)
        external
        onlyOperator
        notExodus
    {
        uint256 k = headers.length;
        require(k > 0 && pubdatas.length == k && proofs.length == k, "zkamm: batch arrays");
        require(lastExecuted == lastCommitted, "zkamm: batches pending");
        uint256[1][] memory inputs = new uint256[1][](k);
        uint8[] memory kinds = new uint8[](k);
        bool oneKind = true;
        for (uint256 i = 0; i < k; i++) {
            StoredBatch memory b = _commit(headers[i], pubdatas[i], true);
            uint64 n = lastCommitted;
            inputs[i][0] = b.publicInput;
            kinds[i] = b.kind;
            oneKind = oneKind && b.kind == kinds[0];
            lastProven = n;
            emit BatchProven(n);
            _executed(n, b.newRoot, b.timestamp, b.priorityFirst + b.priorityCount);
        }
        // A verifier that runs out of gas returns false: a short gas limit reverts, never accepts.
        // Batches of one kind share one batched check; mixed kinds are checked one by one.
        bool ok = true;
        if (k > 1 && oneKind) {
            ok = _verifierOf(kinds[0]).verifyProofs(proofs, inputs);
        } else {
            for (uint256 i = 0; i < k && ok; i++) {
                uint256[8] calldata p = proofs[i];
                ok = _verifierOf(kinds[i]).verifyProof([p[0], p[1]], [[p[2], p[3]], [p[4], p[5]]], [p[6], p[7]], inputs[i]);
            }
        }
        require(ok, "zkamm: invalid proof");
    }

    /// Checks the next batch against the last committed one and the queue (docs/BATCH.md sections
    /// 2-5), makes it the last committed one and emits BatchCommitted. With `pay` it also credits
    /// its withdraws and full exits and dequeues its priority operations (executeBatch's work).
    function _commit(bytes calldata header, bytes calldata pubdata, bool pay) private returns (StoredBatch memory b) {
        BatchFormat.Header memory h = BatchFormat.decodeHeader(header); // length and kind
        b.kind = h.kind;
        require(h.numSlots == numSlots, "zkamm: num_slots");
        if (b.kind == KIND_SWAP) {
            require(address(swapVerifier) != address(0), "zkamm: swap batches off");
            require(pubdata.length == SWAP_SLOT_BYTES * uint256(numSlots), "zkamm: pubdata length");
        } else {
            require(pubdata.length == SLOT_BYTES * uint256(numSlots), "zkamm: pubdata length");
        }
        uint64 n = lastCommitted;
        (uint256 prevRoot, uint64 prevTime) =
            n == lastExecuted ? (lastExecutedRoot, lastExecutedTimestamp) : (batches[n].newRoot, batches[n].timestamp);
        n++;
        require(h.number == n, "zkamm: batch number");
        b.timestamp = h.timestamp;
        require(b.timestamp >= prevTime, "zkamm: timestamp before previous batch");
        require(b.timestamp <= block.timestamp + MAX_TIMESTAMP_AHEAD, "zkamm: timestamp in the future");
        // L2 time may lag L1 by timestampWindow at most, so signed deadlines bind: an operator
        // cannot keep the batch clock frozen (docs/CONTRACTS.md "Batch timestamps").
        require(uint256(b.timestamp) + timestampWindow >= block.timestamp, "zkamm: timestamp too old");
        require(h.oldRoot == prevRoot, "zkamm: old root");
        b.newRoot = h.newRoot;
        require(b.newRoot < R, "zkamm: new root not canonical");
        b.priorityFirst = h.priorityFirst;
        require(b.priorityFirst == committedPriorityOps, "zkamm: priority_first");
        b.priorityCount = h.priorityCount;
        // The circuit creates pools only of tokens below the header's count (ETH included).
        require(h.numTokens <= tokenAddresses.length + 1, "zkamm: num_tokens");
        // A swap batch has no on-chain slot: nothing to walk, check or pay (its circuit proves
        // priority_count = 0 and only swaps).
        (uint64 end, bytes32 opsHash) =
            b.kind == KIND_SWAP ? (b.priorityFirst, bytes32(0)) : _walk(pubdata, b.priorityFirst, true, pay);
        require(end - b.priorityFirst == b.priorityCount, "zkamm: priority_count");
        b.onchainOpsHash = opsHash;
        bytes memory data = abi.encodePacked(header, pubdata);
        b.publicInput = uint256(sha256(data)) & INPUT_MASK;
        lastCommitted = n;
        committedPriorityOps = end;
        emit BatchCommitted(n, b.newRoot, b.publicInput, keccak256(data), b.priorityFirst, b.priorityCount);
    }

    /// Walks the on-chain slots of `data` (a batch's pubdata, or only its on-chain slots) from the
    /// priority serial `serial`. With `check`, each priority slot must match the next queue entry
    /// (commit); with `pay`, withdraws and full exits are credited and priority operations
    /// dequeued (execute). Returns the next serial and the chain hash of the on-chain slots.
    function _walk(bytes calldata data, uint64 serial, bool check, bool pay) private returns (uint64, bytes32 opsHash) {
        for (uint256 off = 0; ; off += SLOT_BYTES) {
            uint256 t;
            bool unknown;
            (off, t, unknown) = _scan(data, off);
            require(!unknown, "zkamm: unknown slot type");
            if (off == data.length) break;
            opsHash = _chain(opsHash, data, off);
            if (t == OP_WITHDRAW) {
                if (pay) {
                    _payOut(
                        address(uint160(data.readUint(off + BatchFormat.SLOT_L1_ADDRESS_AT, BatchFormat.L1_ADDRESS_BYTES))),
                        uint16(data.readUint(off + BatchFormat.SLOT_TOKEN_AT, BatchFormat.TOKEN_BYTES)),
                        data.readUint(off + BatchFormat.SLOT_AMOUNT_AT, BatchFormat.AMOUNT_BYTES)
                    );
                }
                continue;
            }
            if (check) _checkOp(data, off, t, serial);
            if (pay) _dequeue(data, off, t, serial);
            serial++;
        }
        return (serial, opsHash);
    }

    /// The priority slot of type t at data[off..] must match the queue entry `serial`.
    function _checkOp(bytes calldata data, uint256 off, uint256 t, uint64 serial) private view {
        require(serial < totalPriorityOps, "zkamm: priority op not queued");
        PriorityOp storage op = priorityOps[serial];
        require(op.opType == t, "zkamm: priority op type");
        require(data.readUint(off + BatchFormat.SLOT_ACCOUNT_AT, BatchFormat.ACCOUNT_BYTES) == op.account, "zkamm: priority op account");
        if (t == OP_CREATE_ACCOUNT) {
            require(
                bytes32(data[off + BatchFormat.SLOT_PUBKEY_AT:off + BatchFormat.SLOT_PUBKEY_END]) == op.pubkey,
                "zkamm: priority op pubkey"
            );
        } else {
            require(data.readUint(off + BatchFormat.SLOT_TOKEN_AT, BatchFormat.TOKEN_BYTES) == op.token, "zkamm: priority op token");
            if (t == OP_DEPOSIT) {
                // Credited in full: the token cap rules out an overflowing balance.
                require(data.readUint(off + BatchFormat.SLOT_AMOUNT_AT, BatchFormat.AMOUNT_BYTES) == op.amount, "zkamm: deposit amount");
            }
        }
    }

    /// Executes the priority slot of type t at data[off..] (queue entry `serial`): a full exit
    /// credits owner[account] the slot's amount, or for an LP token the two amounts of the pool's
    /// tokens (layout: lp_token, token0, amount0, token1, amount1); the entry is dequeued.
    function _dequeue(bytes calldata data, uint256 off, uint256 t, uint64 serial) private {
        if (t == OP_FULL_EXIT) {
            PriorityOp storage op = priorityOps[serial];
            address to = owner[op.account];
            if (op.token >= FIRST_LP_TOKEN) {
                _payOut(
                    to,
                    uint16(data.readUint(off + BatchFormat.SLOT_EXIT_TOKEN0_AT, BatchFormat.TOKEN_BYTES)),
                    data.readUint(off + BatchFormat.SLOT_EXIT_AMOUNT0_AT, BatchFormat.AMOUNT_BYTES)
                );
                _payOut(
                    to,
                    uint16(data.readUint(off + BatchFormat.SLOT_EXIT_TOKEN1_AT, BatchFormat.TOKEN_BYTES)),
                    data.readUint(off + BatchFormat.SLOT_EXIT_AMOUNT1_AT, BatchFormat.AMOUNT_BYTES)
                );
            } else {
                _payOut(to, op.token, data.readUint(off + BatchFormat.SLOT_AMOUNT_AT, BatchFormat.AMOUNT_BYTES));
            }
        }
        delete priorityOps[serial];
    }

    /// Proves the next unproven committed batch with the Groth16 verifier and the stored input.
    function proveBatch(uint256 batchNumber, uint256[2] calldata a, uint256[2][2] calldata b, uint256[2] calldata c)
        external
        notExodus
    {
        require(batchNumber == lastProven + 1, "zkamm: not the next batch to prove");
        require(batchNumber <= lastCommitted, "zkamm: batch not committed");
        uint256 input = batches[batchNumber].publicInput;
        require(input < R, "zkamm: public input >= r");
        // A verifier that runs out of gas returns false, so a short gas limit reverts here
        // instead of accepting.
        require(_verifierOf(batches[batchNumber].kind).verifyProof(a, b, c, [input]), "zkamm: invalid proof");
        lastProven = uint64(batchNumber);
        emit BatchProven(batchNumber);
    }

    /// Executes the next proven batch: credits withdrawals and full exits (taking them off
    /// l2Holdings), dequeues its priority operations, moves lastExecutedRoot.
    /// `ops` is the batch's pubdata, or only its on-chain slots (types 1, 2, 9, 10) concatenated
    /// in order, which is much cheaper: slots of other types are skipped either way, and the
    /// on-chain slots must chain-hash to the value stored at commit.
    function executeBatch(uint256 batchNumber, bytes calldata ops) external notExodus {
        require(batchNumber == lastExecuted + 1, "zkamm: not the next batch to execute");
        require(batchNumber <= lastProven, "zkamm: batch not proven");
        require(ops.length % SLOT_BYTES == 0, "zkamm: ops length");
        StoredBatch storage batch = batches[batchNumber];
        (uint64 serial, bytes32 opsHash) = _walk(ops, batch.priorityFirst, false, true);
        require(opsHash == batch.onchainOpsHash, "zkamm: pubdata mismatch");
        _executed(uint64(batchNumber), batch.newRoot, batch.timestamp, serial);
    }

    /// The verifier of a committed batch kind (_commit accepts only kinds that have one).
    function _verifierOf(uint8 kind) private view returns (IVerifier) {
        return kind == KIND_SWAP ? swapVerifier : verifier;
    }

    /// Makes batch n (new root, header timestamp, next priority serial) the last executed one.
    function _executed(uint64 n, uint256 newRoot, uint64 timestamp, uint64 serial) private {
        executedPriorityOps = serial;
        lastExecuted = n;
        lastExecutedTimestamp = timestamp;
        lastExecutedRoot = newRoot;
        emit BatchExecuted(n, newRoot);
    }

    /// Slot types executeBatch acts on: deposit, full_exit, withdraw, create_account.
    uint256 private constant ONCHAIN_TYPES = 0x606; // bits 1, 2, 9, 10

    /// From the slot at `off` (a multiple of 42; data.length a multiple of 42), the offset and type
    /// of the first on-chain slot (data.length if none), or unknown = true at a type byte >= 11.
    /// In assembly because it runs once per slot: a swap-only batch spends ~40 gas per slot here.
    function _scan(bytes calldata data, uint256 off) private pure returns (uint256 next, uint256 t, bool unknown) {
        assembly {
            let end := data.length
            for {} lt(off, end) { off := add(off, 42) } { // SLOT_BYTES (assembly takes no library constant)
                t := byte(0, calldataload(add(data.offset, off)))
                if iszero(lt(t, 11)) { // NUM_TYPES
                    unknown := 1
                    break
                }
                if and(shr(t, ONCHAIN_TYPES), 1) { break }
            }
            next := off
        }
    }

    /// h' = keccak256(h || data[off .. off + 42]); requires off + 42 <= data.length.
    function _chain(bytes32 h, bytes calldata data, uint256 off) private pure returns (bytes32 r) {
        require(off + SLOT_BYTES <= data.length, "zkamm: slot out of range");
        assembly {
            let ptr := mload(0x40) // scratch above the free memory pointer, not allocated
            mstore(ptr, h)
            calldatacopy(add(ptr, 0x20), add(data.offset, off), 42) // SLOT_BYTES
            r := keccak256(ptr, 74) // 32 + SLOT_BYTES
        }
    }

    /// Drops the committed, unexecuted batches after `newLastCommitted` (proven ones included);
    /// their priority operations return to the queue. Operator only.
    function revertBatches(uint256 newLastCommitted) external onlyOperator notExodus {
        require(newLastCommitted >= lastExecuted && newLastCommitted < lastCommitted, "zkamm: bad revert target");
        for (uint256 n = lastCommitted; n > newLastCommitted; n--) {
            delete batches[n];
        }
        if (newLastCommitted == lastExecuted) {
            committedPriorityOps = executedPriorityOps;
        } else {
            StoredBatch storage last = batches[newLastCommitted];
            committedPriorityOps = last.priorityFirst + last.priorityCount;
        }
        lastCommitted = uint64(newLastCommitted);
        if (lastProven > newLastCommitted) lastProven = uint64(newLastCommitted);
        emit BatchesReverted(newLastCommitted);
    }

    /// The stored data of a batch committed with commitBatch (zero for uncommitted ones and for
    /// batches settled by commitProveExecute; batch 0 reads zero: genesisRoot is the genesis).
    function storedBatch(uint256 batchNumber) external view returns (StoredBatch memory) {
        return batches[batchNumber];
    }

    // =========================================================================================
    // Withdrawals
    // =========================================================================================

    /// Pays msg.sender its whole pending balance of `token` (pull payment).
    function withdraw(uint16 token) external {
        withdrawFor(msg.sender, token);
    }

    /// Pays `recipient` its whole pending balance of `token`; anyone may call it, so a recipient
    /// that cannot make calls (a contract without such code) still gets its funds.
    function withdrawFor(address recipient, uint16 token) public nonReentrant {
        uint256 amount = pendingWithdrawals[recipient][token];
        require(amount > 0, "zkamm: nothing to withdraw");
        pendingWithdrawals[recipient][token] = 0;
        if (token == 0) {
            (bool ok,) = recipient.call{value: amount}("");
            require(ok, "zkamm: ETH transfer failed");
        } else {
            _callToken(tokenAddress(token), abi.encodeCall(IERC20Minimal.transfer, (recipient, amount)));
        }
        emit Withdrawal(recipient, token, amount);
    }

    /// Moves `amount` of `token` from the L2 to `to`'s pending withdrawals. The proven state
    /// holds at most l2Holdings[token], so the subtraction cannot underflow.
    function _payOut(address to, uint16 token, uint256 amount) private {
        if (amount > 0) {
            l2Holdings[token] -= amount;
            _credit(to, token, amount);
        }
    }

    /// Calls an ERC-20 and accepts both `true` and an empty return (tokens that return nothing).
    function _callToken(address token, bytes memory data) private {
        (bool ok, bytes memory ret) = token.call(data);
        require(ok && (ret.length == 0 || abi.decode(ret, (bool))) && token.code.length > 0, "zkamm: token call failed");
    }

    // =========================================================================================
    // Exodus
    // =========================================================================================

    /// activateExodus, exodusExit, exodusExitLp and refundDeposit (and any other call this
    /// contract does not implement) run in ZkammExodus on this contract's storage: kept apart so
    /// that this contract stays well under the EIP-170 code size limit (docs/CONTRACTS.md "Code
    /// size"). Not payable: no exodus call takes ETH.
    fallback() external {
        address m = exodusModule;
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), m, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }
}
