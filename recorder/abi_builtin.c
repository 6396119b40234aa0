/*
 * A small built-in ABI of well-known interfaces (ERC-20, ERC-721, ERC-1155 events, WETH,
 * Ownable, ERC-1967 proxies, Multicall), so frames and logs of contracts without artifacts
 * still get names and decoded values offline. Contracts with artifacts always use their own.
 */
#include "abi.h"

#include "util/error.h"

#define P(t, n) "{\"type\":\"" t "\",\"name\":\"" n "\"}"
#define I(t, n) "{\"type\":\"" t "\",\"name\":\"" n "\",\"indexed\":true}"
#define FN(n, in, out) "{\"type\":\"function\",\"name\":\"" n "\",\"inputs\":[" in "],\"outputs\":[" out "]},"
#define EV(n, in) "{\"type\":\"event\",\"name\":\"" n "\",\"inputs\":[" in "]},"

static const char builtin[] = "["
    FN("transfer", P("address", "to") "," P("uint256", "value"), P("bool", ""))
    FN("transferFrom", P("address", "from") "," P("address", "to") "," P("uint256", "value"),
       P("bool", ""))
    FN("approve", P("address", "spender") "," P("uint256", "value"), P("bool", ""))
    FN("balanceOf", P("address", "owner"), P("uint256", ""))
    FN("allowance", P("address", "owner") "," P("address", "spender"), P("uint256", ""))
    FN("totalSupply", "", P("uint256", ""))
    FN("decimals", "", P("uint8", ""))
    FN("symbol", "", P("string", ""))
    FN("name", "", P("string", ""))
    FN("ownerOf", P("uint256", "tokenId"), P("address", ""))
    FN("safeTransferFrom", P("address", "from") "," P("address", "to") "," P("uint256", "tokenId"),
       "")
    FN("safeTransferFrom", P("address", "from") "," P("address", "to") "," P("uint256", "tokenId")
       "," P("bytes", "data"), "")
    FN("setApprovalForAll", P("address", "operator") "," P("bool", "approved"), "")
    FN("getApproved", P("uint256", "tokenId"), P("address", ""))
    FN("isApprovedForAll", P("address", "owner") "," P("address", "operator"), P("bool", ""))
    FN("deposit", "", "")
    FN("withdraw", P("uint256", "wad"), "")
    FN("owner", "", P("address", ""))
    FN("transferOwnership", P("address", "newOwner"), "")
    FN("upgradeTo", P("address", "newImplementation"), "")
    FN("upgradeToAndCall", P("address", "newImplementation") "," P("bytes", "data"), "")
    FN("implementation", "", P("address", ""))
    "{\"type\":\"function\",\"name\":\"aggregate\",\"inputs\":[{\"type\":\"tuple[]\",\"name\":"
    "\"calls\",\"components\":[" P("address", "target") "," P("bytes", "callData") "]}],"
    "\"outputs\":[" P("uint256", "blockNumber") "," P("bytes[]", "returnData") "]},"
    EV("Transfer", I("address", "from") "," I("address", "to") "," P("uint256", "value"))
    EV("Transfer", I("address", "from") "," I("address", "to") "," I("uint256", "tokenId"))
    EV("Approval", I("address", "owner") "," I("address", "spender") "," P("uint256", "value"))
    EV("Approval", I("address", "owner") "," I("address", "approved") "," I("uint256", "tokenId"))
    EV("ApprovalForAll", I("address", "owner") "," I("address", "operator") ","
       P("bool", "approved"))
    EV("TransferSingle", I("address", "operator") "," I("address", "from") "," I("address", "to")
       "," P("uint256", "id") "," P("uint256", "value"))
    EV("Deposit", I("address", "dst") "," P("uint256", "wad"))
    EV("Withdrawal", I("address", "src") "," P("uint256", "wad"))
    EV("OwnershipTransferred", I("address", "previousOwner") "," I("address", "newOwner"))
    EV("Upgraded", I("address", "implementation"))
    "{\"type\":\"event\",\"name\":\"AdminChanged\",\"inputs\":[" P("address", "previousAdmin")
    "," P("address", "newAdmin") "]}"
    "]";

ct_status ct__abi_builtin(ct__abi *out, ct__arena *arena, ct_error *err)
{
    cJSON *doc = cJSON_Parse(builtin);
    ct_status rc;
    if (!doc)
        return ct__error_set(err, CT_ENOMEM, "out of memory (built-in ABI)");
    rc = ct__abi_parse(out, arena, doc, err);
    cJSON_Delete(doc);
    return rc;
}
