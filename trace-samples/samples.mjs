// The sample transactions. Each project gets a fresh chain; its transactions are the consecutive
// entries of block 1 (txIndex = position), so Erigon's "idx" prefix is that position.
import { calldata, encodeArgs, errorString, panic, keccakHex } from './abi.mjs';

export const SAMPLES = [
  {
    project: 'erc20',
    description: 'ERC-20 token: contract-creation tx with constructor, transfer, approve, transferFrom; storage mappings, events, require messages.',
    async run(ctx) {
      const { alice, bob, carol } = ctx.addr;
      const token = await ctx.deploy('Token.sol', 'Token', encodeArgs([['uint256', 10n ** 24n]]), {
        trace: 'deploy', demonstrates: 'contract-creation transaction (root CREATE frame running init code), constructor argument appended to init code, mint event',
        expect: { status: 'success', logCount: 1 },
      });
      await ctx.call(token, calldata('transfer(address,uint256)', [bob, 1000n]), {
        trace: 'transfer', demonstrates: 'ERC-20 transfer: SLOAD/SSTORE of two balances, Transfer event, returns true',
        expect: { status: 'success', logCount: 1, output: '0x' + '1'.padStart(64, '0'), opcodes: ['SSTORE', 'LOG3'] },
      });
      await ctx.call(token, calldata('approve(address,uint256)', [carol, 500n]), {
        key: ctx.keys.bob, trace: 'approve', demonstrates: 'nested mapping write, Approval event',
        expect: { status: 'success', logCount: 1, opcodes: ['SSTORE', 'LOG3'] },
      });
      await ctx.call(token, calldata('transferFrom(address,address,uint256)', [bob, alice, 300n]), {
        key: ctx.keys.carol, trace: 'transferFrom', demonstrates: 'allowance check and update, internal _transfer call, Transfer event',
        expect: { status: 'success', logCount: 1, opcodes: ['SSTORE', 'LOG3'] },
      });
    },
  },
];
