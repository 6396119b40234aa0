// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// A linked library: its external function is reached by DELEGATECALL, and the caller's
/// bytecode holds a link placeholder until deployment (linkReferences).
library MathLib {
    function cube(uint256 x) external pure returns (uint256) {
        return x * x * x;
    }
}

/// Internal calls (JUMP into a function and back), internal recursion, and external recursion
/// (each level calls itself through this.countDown, so call frames nest).
contract Calls {
    uint256 public lastResult;

    event Computed(uint256 n, uint256 result);

    function fib(uint256 n) internal pure returns (uint256) {
        if (n < 2) {
            return n;
        }
        return fib(n - 1) + fib(n - 2);
    }

    function square(uint256 x) internal pure returns (uint256) {
        return x * x;
    }

    function sumOfSquares(uint256 n) internal pure returns (uint256 s) {
        for (uint256 i = 1; i <= n; i++) {
            s += square(i);
        }
    }

    function countDown(uint256 n) external returns (uint256) {
        if (n == 0) {
            return 0;
        }
        return 1 + this.countDown(n - 1);
    }

    function run(uint256 n) external returns (uint256 r) {
        r = fib(n) + sumOfSquares(n) + this.countDown(2) + MathLib.cube(2);
        lastResult = r;
        emit Computed(n, r);
    }
}
