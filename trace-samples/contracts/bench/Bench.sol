// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// Benchmark input (gen-bench.mjs): allocates a large buffer once, then keeps reading and
/// writing words of it in a long loop, so that every step runs with the whole buffer in memory.
contract Bench {
    bytes32 public digest;

    function run(uint256 memWords, uint256 iterations) external returns (bytes32 h) {
        bytes memory buf = new bytes(memWords * 32);
        for (uint256 i = 0; i < iterations; i++) {
            uint256 idx = (i * 7919) % memWords;
            assembly {
                let p := add(add(buf, 32), mul(idx, 32))
                mstore(p, add(mload(p), i))
            }
        }
        h = keccak256(buf);
        digest = h;
    }
}
