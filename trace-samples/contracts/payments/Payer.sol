// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// Forwards ether to an account without code (CALL with value and the 2300 stipend).
contract Payer {
    event Paid(address to, uint256 amount);

    function pay(address payable to) external payable {
        to.transfer(msg.value);
        emit Paid(to, msg.value);
    }
}
