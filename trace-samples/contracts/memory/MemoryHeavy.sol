// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// Fills a memory buffer word by word, hashes it, then chains KECCAK256 over it: memory grows
/// with every step of the loop (the case where Geth-style traces explode).
contract MemoryHeavy {
    bytes32 public digest;

    function run(uint256 words, uint256 rounds) external returns (bytes32 h) {
        bytes memory buf = new bytes(words * 32);
        for (uint256 i = 0; i < words; i++) {
            assembly {
                mstore(add(add(buf, 32), mul(i, 32)), add(i, 0x1000))
            }
        }
        h = keccak256(buf);
        for (uint256 i = 0; i < rounds; i++) {
            h = keccak256(abi.encodePacked(h, i));
        }
        digest = h;
    }
}
