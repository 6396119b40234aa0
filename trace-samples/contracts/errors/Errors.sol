// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

error InsufficientBalance(uint256 available, uint256 required);

/// Every way a Solidity call fails: require with a reason, a custom error, a checked-arithmetic
/// panic (division by zero, 0x12), an assert panic (0x01) and the INVALID opcode.
contract Thrower {
    uint256 public counter = 42;

    function revertWithReason(uint256 x) external {
        counter = x;
        require(x > 100, "Thrower: x too small");
    }

    function customError(uint256 wanted) external view {
        revert InsufficientBalance(counter, wanted);
    }

    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    function assertPositive(int256 x) external pure {
        assert(x > 0);
    }

    function invalidOpcode() external pure {
        assembly {
            invalid()
        }
    }
}

/// try/catch around failing nested calls: the transaction succeeds although three inner
/// frames revert.
contract Catcher {
    Thrower public immutable thrower;
    string public lastReason;
    uint256 public caught;

    event Caught(string reason);
    event CaughtPanic(uint256 code);
    event CaughtCustom(bytes data);

    constructor(Thrower t) {
        thrower = t;
    }

    function tryAll() external {
        try thrower.revertWithReason(1) {
        } catch Error(string memory reason) {
            lastReason = reason;
            caught++;
            emit Caught(reason);
        }
        try thrower.divide(1, 0) returns (uint256) {
        } catch Panic(uint256 code) {
            caught++;
            emit CaughtPanic(code);
        }
        try thrower.customError(5) {
        } catch (bytes memory data) {
            caught++;
            emit CaughtCustom(data);
        }
    }
}
