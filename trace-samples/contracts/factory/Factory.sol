// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// Created by Factory; its constructor runs as a nested init-code frame.
contract Child {
    uint256 public value;
    address public creator;

    constructor(uint256 v) {
        value = v;
        creator = msg.sender;
    }

    function get() external view returns (uint256) {
        return value;
    }
}

/// Its constructor reverts for zero: a CREATE whose init code fails.
contract Picky {
    uint256 public value;

    constructor(uint256 v) {
        require(v != 0, "Picky: zero");
        value = v;
    }
}

/// CREATE (new Child) and CREATE2 (new Child{salt: ...}); the create path also calls the new
/// contract right away.
contract Factory {
    event Created(address child, bool viaCreate2);

    function create(uint256 v) external returns (address c) {
        Child child = new Child(v);
        c = address(child);
        emit Created(c, false);
        require(child.get() == v, "Factory: bad child");
    }

    function createPicky(uint256 v) external returns (string memory reason) {
        try new Picky(v) returns (Picky p) {
            emit Created(address(p), false);
        } catch Error(string memory r) {
            reason = r;
        }
    }

    function create2(uint256 v, bytes32 salt) external returns (address c) {
        Child child = new Child{salt: salt}(v);
        c = address(child);
        emit Created(c, true);
    }
}
