// The sample transactions. Each project gets a fresh chain; its transactions are the consecutive
// entries of block 1 (txIndex = position), so Erigon's "idx" prefix is that position.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { calldata, encodeArgs, errorString, panic, keccak, selector } from './abi.mjs';
import { artifact } from './compile.mjs';

const word = (v) => '0x' + BigInt(v).toString(16).padStart(64, '0');
const addrWord = (a) => word(BigInt(a));

// Hand-assembled contract without source (see contracts/unverified/Caller.sol):
//   00 CALLDATASIZE  01 ISZERO  02 PUSH1 0x13  04 JUMPI            no calldata -> tail
//   05 PUSH0  06 CALLDATALOAD  07 DUP1  08 PUSH0  09 SSTORE         slot0 = x
//   0a PUSH1 1  0c ADD  0d PUSH0  0e MSTORE  0f PUSH1 32  11 PUSH0  12 RETURN   return x + 1
//   13 JUMPDEST  14 PUSH1 1  16 PUSH1 1  18 SSTORE                 slot1 = 1, then pc 0x19 = end
export const RAW_RUNTIME = '36156013575f35805f556001015f5260205ff35b6001600155';
// init code: CODECOPY the runtime (25 bytes at offset 9) to memory 0 and RETURN it
export const RAW_INIT = '0x' + '6019' + '80' + '6009' + '5f' + '39' + '5f' + 'f3' + RAW_RUNTIME;

// PUSH1 3, JUMP: pc 3 is the JUMP itself, not a JUMPDEST.
export const BAD_JUMP_INIT = '0x' + '6003' + '80' + '6009' + '5f' + '39' + '5f' + 'f3' + '600356';

// Another hand-assembled contract: CALL(gas, target, 0, 0, 0, 0, 0) immediately followed by
// STOP. When the callee's last op is a STOP too, Erigon drops this top-level STOP (§2.1).
//   00 PUSH0 x5  05 PUSH20 target  1a GAS  1b CALL  1c STOP
export function relayInit(target) {
  const runtime = '5f5f5f5f5f' + '73' + target.slice(2).toLowerCase() + '5a' + 'f1' + '00';
  return '0x' + '601d' + '80' + '6009' + '5f' + '39' + '5f' + 'f3' + runtime;
}

export const SAMPLES = [
  {
    project: 'erc20',
    description: 'ERC-20 token: contract-creation tx with constructor, transfer, approve, transferFrom; storage mappings, events, require messages. Also the whole block (all four txs) as trace_replayBlockTransactions / debug_traceBlockByNumber results.',
    block: true,
    async run(ctx) {
      const { alice, bob, carol } = ctx.addr;
      const token = await ctx.deploy('Token.sol', 'Token', encodeArgs([['uint256', 10n ** 24n]]), {
        trace: 'deploy', demonstrates: 'contract-creation transaction (root CREATE frame running init code), constructor argument appended to init code, mint event',
        expect: { status: 'success', logCount: 1, functions: ['Token.constructor', 'Token._mint'] },
      });
      await ctx.call(token, calldata('transfer(address,uint256)', [bob, 1000n]), {
        trace: 'transfer', demonstrates: 'ERC-20 transfer: SLOAD/SSTORE of two balances, Transfer event, returns true',
        expect: { status: 'success', logCount: 1, output: '0x' + '1'.padStart(64, '0'), opcodes: ['SSTORE', 'LOG3'], functions: ['Token.transfer', 'Token._transfer'] },
      });
      await ctx.call(token, calldata('approve(address,uint256)', [carol, 500n]), {
        key: ctx.keys.bob, trace: 'approve', demonstrates: 'nested mapping write, Approval event',
        expect: { status: 'success', logCount: 1, opcodes: ['SSTORE', 'LOG3'] },
      });
      await ctx.call(token, calldata('transferFrom(address,address,uint256)', [bob, alice, 500n]), {
        key: ctx.keys.carol, trace: 'transferFrom', demonstrates: 'allowance check, allowance cleared to zero (SSTORE refund: structLogs "refund"), internal _transfer call, Transfer event',
        expect: { status: 'success', logCount: 1, opcodes: ['SSTORE', 'LOG3'] },
      });
    },
  },
  ...[['erc20-optimized', { optimizer: { enabled: true, runs: 200 } }, 'legacy optimizer (runs 200)'],
    ['erc20-viair', { optimizer: { enabled: true, runs: 200 }, viaIR: true }, 'via-IR pipeline with optimizer (runs 200)']]
    .map(([project, settings, how]) => ({
      project, sources: 'erc20', settings,
      description: `The erc20 sources (contracts/erc20/Token.sol) compiled with the ${how}: optimized code and source maps for the same Solidity.`,
      async run(ctx) {
        const { bob } = ctx.addr;
        const token = await ctx.deploy('Token.sol', 'Token', encodeArgs([['uint256', 10n ** 24n]]), {
          trace: 'deploy', demonstrates: `contract-creation transaction, ${how}`,
          expect: { status: 'success', logCount: 1, functions: ['Token.constructor'] },
        });
        await ctx.call(token, calldata('transfer(address,uint256)', [bob, 1000n]), {
          trace: 'transfer', demonstrates: `ERC-20 transfer, ${how}`,
          expect: { status: 'success', logCount: 1, output: word(1n), opcodes: ['SSTORE', 'LOG3'], functions: ['Token.transfer'] },
        });
      },
    })),
  {
    project: 'calls',
    description: 'Internal function calls (JUMP in/out), internal recursion (fib), loop calling a helper, and external self-recursion nesting call frames.',
    async run(ctx) {
      const lib = await ctx.deploy('Calls.sol', 'MathLib');
      const c = await ctx.deploy('Calls.sol', 'Calls', '', { libraries: { MathLib: lib } });
      await ctx.call(c, calldata('run(uint256)', [3n]), {
        trace: 'recursion', demonstrates: 'internal calls and recursion (fib(3)), sumOfSquares loop with an internal helper, this.countDown(2): 3 nested CALL frames, DELEGATECALL into a linked library',
        expect: { status: 'success', output: word(2n + 14n + 2n + 8n), logCount: 1, minDepth: 4, opcodes: ['CALL', 'DELEGATECALL'], functions: ['Calls.run', 'Calls.fib', 'Calls.sumOfSquares', 'Calls.square', 'Calls.countDown', 'MathLib.cube'] },
      });
    },
  },
  {
    project: 'errors',
    description: 'Failing calls: require with a reason string, custom error, division-by-zero panic, assert panic, and try/catch of reverting nested calls.',
    async run(ctx) {
      const t = await ctx.deploy('Errors.sol', 'Thrower');
      const c = await ctx.deploy('Errors.sol', 'Catcher', encodeArgs([['address', t]]));
      await ctx.call(t, calldata('revertWithReason(uint256)', [7n]), {
        trace: 'revertReason', demonstrates: 'transaction reverting with Error(string) after an SSTORE (rolled back)',
        expect: { status: 'failed', error: 'execution reverted', output: errorString('Thrower: x too small'), revertReason: 'Thrower: x too small', failureSnippet: 'require(x > 100' },
      });
      await ctx.call(t, calldata('customError(uint256)', [1000n]), {
        trace: 'customError', demonstrates: 'revert with a custom error InsufficientBalance(uint256,uint256)',
        expect: { status: 'failed', error: 'execution reverted', output: '0x' + selector('InsufficientBalance(uint256,uint256)') + encodeArgs([['uint256', 42n], ['uint256', 1000n]]), customError: 'InsufficientBalance(42, 1000)', failureSnippet: 'InsufficientBalance(counter, wanted)' },
      });
      await ctx.call(t, calldata('divide(uint256,uint256)', [1n, 0n]), {
        trace: 'panicDivision', demonstrates: 'checked arithmetic: division by zero reverts with Panic(0x12)',
        expect: { status: 'failed', error: 'execution reverted', output: panic(0x12n), panicCode: 18, failureSnippet: 'a / b' },
      });
      await ctx.call(t, calldata('assertPositive(int256)', [-1n]), {
        trace: 'assertPanic', demonstrates: 'assert(false) reverts with Panic(0x01)',
        expect: { status: 'failed', error: 'execution reverted', output: panic(1n), panicCode: 1, failureSnippet: 'assert(x > 0)' },
      });
      await ctx.call(t, calldata('invalidOpcode()'), {
        gasLimit: 100_000n, trace: 'invalidOpcode', demonstrates: 'INVALID (0xfe) consumes all gas; Geth logs the op without "error" (it fails after the hook), Erigon keeps its ex and says "invalid opcode: INVALID"',
        expect: { status: 'failed', error: 'invalid opcode: INVALID', output: '0x', opcodes: ['INVALID'], failureSnippet: 'invalid()' },
      });
      await ctx.call(c, calldata('tryAll()'), {
        trace: 'tryCatch', demonstrates: 'try/catch: three nested calls revert (reason, panic 0x12, custom error) and are caught; the transaction succeeds',
        expect: { status: 'success', logCount: 3, minDepth: 2, caughtReasons: ['Thrower: x too small', 'Panic(0x12)', 'InsufficientBalance(42, 5)'], functions: ['Catcher.tryAll', 'Thrower.revertWithReason', 'Thrower.divide', 'Thrower.customError'] },
      });
    },
  },
  {
    project: 'factory',
    description: 'Contract creation from a contract: CREATE (then calling the child) and CREATE2 with a salt.',
    async run(ctx) {
      const f = await ctx.deploy('Factory.sol', 'Factory');
      await ctx.call(f, calldata('create(uint256)', [11n]), {
        trace: 'create', demonstrates: 'CREATE running Child init code in a nested frame, then a STATICCALL into the new child',
        expect: { status: 'success', logCount: 1, minDepth: 2, opcodes: ['CREATE', 'STATICCALL'], functions: ['Factory.create', 'Child.constructor', 'Child.get'] },
      });
      await ctx.call(f, calldata('createPicky(uint256)', [0n]), {
        trace: 'createReverts', demonstrates: 'CREATE whose constructor reverts: CREATE pushes 0, the revert data becomes the return buffer, caught with try/catch',
        expect: { status: 'success', logCount: 0, minDepth: 2, opcodes: ['CREATE', 'REVERT', 'RETURNDATACOPY'], output: '0x' + encodeArgs([['string', 'Picky: zero']]), functions: ['Factory.createPicky', 'Picky.constructor'], failureSnippet: 'require(v != 0, "Picky: zero")' },
      });
      const salt = word(0x5a17n);
      const init = Buffer.from(artifact(ctx.output, 'factory', 'Factory.sol', 'Child').evm.bytecode.object + encodeArgs([['uint256', 22n]]), 'hex');
      const predicted = '0x' + keccak(Buffer.concat([Buffer.from('ff', 'hex'), Buffer.from(f.slice(2), 'hex'), Buffer.from(salt.slice(2), 'hex'), keccak(init)])).subarray(12).toString('hex');
      await ctx.call(f, calldata('create2(uint256,bytes32)', [22n, salt]), {
        trace: 'create2', demonstrates: 'CREATE2: address = keccak256(0xff ++ factory ++ salt ++ keccak256(init code))[12:]',
        expect: { status: 'success', logCount: 1, minDepth: 2, opcodes: ['CREATE2'], output: addrWord(predicted), create2Address: predicted },
      });
    },
  },
  {
    project: 'proxy',
    description: 'Delegatecall proxy: the Implementation code runs in the Proxy storage context (EIP-1967 slot).',
    async run(ctx) {
      const impl = await ctx.deploy('Proxy.sol', 'Implementation');
      const proxy = await ctx.deploy('Proxy.sol', 'Proxy', encodeArgs([['address', impl]]));
      await ctx.call(proxy, calldata('setValue(uint256)', [77n]), {
        trace: 'delegatecall', demonstrates: 'fallback with DELEGATECALL: storage writes land in the proxy; returndata forwarded with RETURNDATACOPY',
        expect: { status: 'success', logCount: 1, output: word(154n), opcodes: ['DELEGATECALL', 'RETURNDATACOPY'], storageAddress: proxy, functions: ['Proxy.fallback', 'Implementation.setValue'] },
      });
    },
  },
  {
    project: 'precompiles',
    description: 'Precompiles ecrecover, sha256, ripemd160 and identity (empty "0x" sub frames), and a STATICCALL to a view function.',
    async run(ctx) {
      const oracle = await ctx.deploy('Precompiles.sol', 'Oracle');
      const p = await ctx.deploy('Precompiles.sol', 'Precompiles', encodeArgs([['address', oracle]]));
      const hash = keccak(Buffer.from('ctrecord sample message'));
      const sig = secp256k1.sign(hash, ctx.keys.alice, { prehash: false, format: 'recovered' });
      const r = '0x' + Buffer.from(sig.subarray(1, 33)).toString('hex');
      const s = '0x' + Buffer.from(sig.subarray(33, 65)).toString('hex');
      await ctx.call(p, calldata('run(bytes32,uint8,bytes32,bytes32,bytes)', ['0x' + hash.toString('hex'), 27n + BigInt(sig[0]), r, s, '0x' + Buffer.from('hello precompiles').toString('hex')]), {
        trace: 'run', demonstrates: 'STATICCALL to precompiles 0x01-0x04 and to a contract view function; precompile calls are absent from the trace list',
        expect: { status: 'success', logCount: 1, output: addrWord(ctx.addr.alice), opcodes: ['STATICCALL'], signer: ctx.addr.alice },
      });
    },
  },
  {
    project: 'memory',
    description: 'Memory-heavy loop and KECCAK256: memory grows word by word, then hashes are chained.',
    async run(ctx) {
      const m = await ctx.deploy('MemoryHeavy.sol', 'MemoryHeavy');
      await ctx.call(m, calldata('run(uint256,uint256)', [6n, 3n]), {
        trace: 'loop', demonstrates: 'memory expansion by MSTORE in a loop, KECCAK256 over a buffer, abi.encodePacked',
        expect: { status: 'success', opcodes: ['KECCAK256', 'MSTORE', 'MLOAD'] },
      });
    },
  },
  {
    project: 'cancun',
    description: 'Cancun/Shanghai opcodes: TSTORE/TLOAD (transient state variable and assembly), MCOPY, BLOBHASH, BLOBBASEFEE, PUSH0.',
    async run(ctx) {
      const c = await ctx.deploy('Cancun.sol', 'Cancun');
      await ctx.call(c, calldata('run(bytes)', ['0x' + Buffer.from('transient and mcopy sample data, longer than one word').toString('hex')]), {
        classic: true, trace: 'run', demonstrates: 'TSTORE/TLOAD, MCOPY, BLOBHASH, BLOBBASEFEE, PUSH0',
        expect: { status: 'success', opcodes: ['TSTORE', 'TLOAD', 'MCOPY', 'PUSH0', 'BLOBHASH', 'BLOBBASEFEE'], functions: ['Cancun.nonReentrant', 'Cancun.run'] },
      });
    },
  },
  {
    project: 'oog',
    description: 'Out of gas: a transaction that runs out of gas at the root, and a call with a gas cap whose callee runs out while the caller carries on.',
    async run(ctx) {
      const b = await ctx.deploy('OutOfGas.sol', 'Burner');
      const g = await ctx.deploy('OutOfGas.sol', 'Guard', encodeArgs([['address', b]]));
      await ctx.call(b, calldata('burn()'), {
        gasLimit: 120_000n, trace: 'rootOog', demonstrates: 'root frame out of gas: last op has "ex": null in the vmTrace and "error": "out of gas" in structLogs',
        expect: { status: 'failed', error: 'out of gas', output: '0x', functions: ['Burner.burn'] },
      });
      await ctx.call(g, calldata('tryBurn()'), {
        trace: 'nestedOog', demonstrates: 'CALL with a 60000 gas cap; the callee runs out of gas, CALL pushes 0, caller stores false and succeeds',
        expect: { status: 'success', output: word(0n), minDepth: 2 },
      });
    },
  },
  {
    project: 'selfdestruct',
    description: 'SELFDESTRUCT (EIP-6780): of an existing contract (balance moves only) and of a contract created in the same transaction.',
    async run(ctx) {
      const bomb = await ctx.deploy('SelfDestruct.sol', 'Bomb', '', { value: 10n ** 18n });
      await ctx.call(bomb, calldata('destroy(address)', [ctx.addr.bob]), {
        trace: 'destroy', demonstrates: 'SELFDESTRUCT in the root frame sending 1 ether to bob; Erigon gives the op an empty sub and a "suicide" trace entry',
        expect: { status: 'success', opcodes: ['SELFDESTRUCT'] },
      });
      const f = await ctx.deploy('SelfDestruct.sol', 'BombFactory');
      await ctx.call(f, calldata('createAndDestroy(address)', [ctx.addr.carol]), {
        value: 5n * 10n ** 17n, trace: 'createAndDestroy', demonstrates: 'CREATE with value, then CALL into the new contract which SELFDESTRUCTs at depth 2',
        expect: { status: 'success', logCount: 1, minDepth: 2, opcodes: ['CREATE', 'CALL', 'SELFDESTRUCT'] },
      });
    },
  },
  {
    project: 'payments',
    description: 'Value transfers to accounts without code: a plain ether transfer transaction and a contract paying a fresh address.',
    async run(ctx) {
      const p = await ctx.deploy('Payer.sol', 'Payer');
      await ctx.send({
        to: ctx.addr.bob, value: 12345n, gasLimit: 21_000n, trace: 'plainTransfer',
        demonstrates: 'transaction to an account without code: no ops, vmTrace {"code":"0x","ops":[]}, empty structLogs',
        expect: { status: 'success' },
      });
      await ctx.call(p, calldata('pay(address)', ['0x000000000000000000000000000000000000dead']), {
        value: 777n, trace: 'payEoa', demonstrates: 'CALL with value (9000 + 25000 new account, 2300 stipend) to an address without code: empty sub frame',
        expect: { status: 'success', logCount: 1, opcodes: ['CALL'] },
      });
    },
  },
  {
    project: 'opcodes',
    description: 'Opcodes the other samples miss: SIGNEXTEND, SAR, BYTE, SMOD, SDIV, MULMOD, ADDMOD, EXP, MSTORE8, MSIZE, block/tx context, BALANCE, SELFBALANCE, EXTCODESIZE/EXTCODECOPY/EXTCODEHASH, CODESIZE, CALLCODE, LOG0, LOG4.',
    async run(ctx) {
      const target = await ctx.deploy('OpcodeZoo.sol', 'Target');
      const zoo = await ctx.deploy('OpcodeZoo.sol', 'OpcodeZoo', '', { value: 3n });
      await ctx.call(zoo, calldata('run(int256,address)', [-1234567n, target]), {
        trace: 'zoo', demonstrates: 'signed/modular arithmetic, MSTORE8, EXTCODECOPY window (s1,s3), block context, CALLCODE (storage of the caller), LOG0 and LOG4',
        expect: {
          status: 'success', logCount: 2,
          opcodes: ['SIGNEXTEND', 'SAR', 'BYTE', 'SMOD', 'SDIV', 'MULMOD', 'ADDMOD', 'EXP', 'MSTORE8', 'MSIZE', 'GASPRICE', 'ORIGIN', 'COINBASE', 'TIMESTAMP', 'NUMBER', 'DIFFICULTY', 'GASLIMIT', 'CHAINID', 'SELFBALANCE', 'BASEFEE', 'BALANCE', 'BLOCKHASH', 'CODESIZE', 'EXTCODESIZE', 'EXTCODECOPY', 'EXTCODEHASH', 'CALLCODE', 'LOG0', 'LOG4'],
          functions: ['OpcodeZoo.run', 'OpcodeZoo.arithmetic', 'OpcodeZoo.context', 'OpcodeZoo.code', 'Target.store'],
        },
      });
    },
  },
  {
    project: 'unverified',
    description: 'A verified contract calling hand-assembled bytecode that has no source or artifacts.',
    async run(ctx) {
      const raw = await ctx.deployRaw('RawStore', RAW_INIT);
      const caller = await ctx.deploy('Caller.sol', 'Caller');
      await ctx.call(caller, calldata('poke(address)', [raw]), {
        trace: 'poke', demonstrates: 'CALL into code without artifacts (returns 42), then a second CALL whose frame ends by running off the end of the code (implicit STOP at pc 25)',
        expect: { status: 'success', logCount: 1, minDepth: 2, opcodes: ['CALL', 'SSTORE'], rawReturn: word(42n), functions: ['Caller.poke'] },
      });
      const badJump = await ctx.deployRaw('RawBadJump', BAD_JUMP_INIT);
      await ctx.call(badJump, '0x', {
        gasLimit: 50_000n, trace: 'badJump', demonstrates: 'JUMP to a byte that is not a JUMPDEST: Geth logs the JUMP without "error", Erigon keeps its ex; trace error "invalid jump destination"',
        expect: { status: 'failed', error: 'invalid jump destination', output: '0x', opcodes: ['JUMP'] },
      });
      const relay = await ctx.deployRaw('RawRelay', relayInit(raw));
      await ctx.call(relay, '0x', {
        trace: 'relayStop', demonstrates: 'unverified root code: CALL into RawStore (ends with the implicit STOP), then STOP; Erigon drops that second STOP, so vmtrace.json has one op less than structlogs',
        expect: { status: 'success', minDepth: 2, opcodes: ['CALL', 'STOP'], erigonDroppedTopLevelStop: true },
      });
    },
  },
  ...[['args', undefined, 'legacy code generator, optimizer off'],
    ['args-viair', { viaIR: true }, 'via-IR pipeline, optimizer off']]
    .map(([project, settings, how]) => ({
      project, sources: 'args', settings,
      description: `Internal functions with reference-type arguments and return values (memory bytes, string, arrays, structs; calldata slices, arrays, structs), ${how}.`,
      async run(ctx) {
        const a = await ctx.deploy('Args.sol', 'Args', '', { gasLimit: 3_000_000n });
        // run(uint256[] xs = [10, 20, 30], bytes data = "-world", (uint128, bool) p = (5, true))
        const data = Buffer.from('-world');
        const input = '0x' + selector('run(uint256[],bytes,(uint128,bool))') +
          [0x80, 0x100, 5, 1, 3, 10, 20, 30, data.length].map((v) => word(v).slice(2)).join('') +
          data.toString('hex').padEnd(64, '0');
        await ctx.call(a, input, {
          gasLimit: 3_000_000n, trace: 'run', demonstrates: `memory and calldata reference arguments of internal calls (${how})`,
          expect: { status: 'success', logCount: 1, output: word(308n), functions: ['Args.run', 'Args.total', 'Args.minMax', 'Args.digits', 'Args.classify', 'Args.discounted', 'Args.greet', 'Args.sumOrder', 'Args.reversed', 'Args.sliceLen', 'Args.firstTwo', 'Args.pairValue'] },
        });
      },
    })),
];
