// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Big-endian unsigned integers from calldata bytes (docs/BATCH.md, docs/TRANSACTIONS.md §4).
library BigEndian {
    /// Reads `len` (1..32) bytes at `offset`; requires offset + len <= data.length.
    function readUint(bytes calldata data, uint256 offset, uint256 len) internal pure returns (uint256 v) {
        require(len >= 1 && len <= 32 && offset + len <= data.length, "BigEndian: out of range");
        assembly {
            v := shr(mul(sub(32, len), 8), calldataload(add(data.offset, offset)))
        }
    }
}
