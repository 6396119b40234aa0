// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// SELFDESTRUCT under EIP-6780: from an old contract it only moves the balance; from a contract
/// created in the same transaction it also deletes the account.
contract Bomb {
    address public owner;

    constructor() payable {
        owner = msg.sender;
    }

    function destroy(address payable to) external {
        require(msg.sender == owner, "Bomb: not owner");
        selfdestruct(to);
    }
}

contract BombFactory {
    event Detonated(address bomb);

    function createAndDestroy(address payable to) external payable returns (address b) {
        Bomb bomb = new Bomb{value: msg.value}();
        b = address(bomb);
        bomb.destroy(to);
        emit Detonated(b);
    }
}
