// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IPoseidon4} from "./IPoseidon.sol";

/// Root of a quaternary Poseidon(4) sparse Merkle tree from a leaf and its path (docs/STATE.md):
/// at level l (0 = leaves) the node sits at position (index >> 2l) & 3 among its parent's four
/// children, and path[3l..3l+2] are the other three children in increasing position.
library QuaternaryMerkle {
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// Requires index < 4^depth, path.length == 3 * depth and every value < r (checked).
    function root(IPoseidon4 h, uint256 leaf, uint256 index, uint256[] memory path, uint256 depth)
        internal
        pure
        returns (uint256 node)
    {
        require(path.length == 3 * depth, "Merkle: path length");
        require(index >> (2 * depth) == 0, "Merkle: index too large");
        require(leaf < R, "Merkle: leaf not canonical");
        node = leaf;
        for (uint256 l = 0; l < depth; l++) {
            uint256 pos = (index >> (2 * l)) & 3;
            uint256[4] memory children;
            uint256 s = 0;
            for (uint256 k = 0; k < 4; k++) {
                if (k == pos) {
                    children[k] = node;
                } else {
                    uint256 sibling = path[3 * l + s];
                    require(sibling < R, "Merkle: sibling not canonical");
                    children[k] = sibling;
                    s++;
                }
            }
            node = h.poseidon(children);
        }
    }
}
