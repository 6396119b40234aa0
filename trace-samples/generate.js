// Regenerates every committed sample: compiles contracts/<project>/*.sol with the pinned solc,
// runs the sample transactions (samples.mjs) on ethereumjs and writes, per traced transaction,
//   <project>/<tx>/structlogs.json.gz         Geth debug_traceTransaction (geth_structlogs.mjs)
//   <project>/<tx>/vmtrace.json               Erigon trace_replayTransaction (erigon_vmtrace.mjs)
//   <project>/<tx>/vmtrace.erigon-classic.json  same with Erigon's old defects (when asked)
// and per project solc-input.json, solc-output.json and manifest.json, plus index.json.
// Usage: node generate.js [project ...]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAddressFromPrivateKey } from '@ethereumjs/util';
import { buildInput, compile, solcVersion, EVM_VERSION } from './compile.mjs';
import { Chain, HARDFORK, CHAIN_ID } from './execute.mjs';
import { STRUCTLOG_CONFIG } from './geth_structlogs.mjs';
import { Context, KEYS } from './context.mjs';
import { writeJson } from './write_json.mjs';
import { SAMPLES } from './samples.mjs';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** The whole block as trace_replayBlockTransactions (Erigon: an array of the per-tx results,
 *  identical to single replays, reference §1.2) and debug_traceBlockByNumber ([{txHash, result}])
 *  would return it; only for projects whose every transaction is traced. */
function writeBlock(ctx) {
  if (ctx.blockResults.length !== ctx.txs.length) throw new Error(`${ctx.project}: block needs every tx traced`);
  const dir = path.join(ROOT, ctx.project, 'block');
  writeJson(path.join(dir, 'vmtrace.json'), ctx.blockResults.map((r) => r.vm));
  writeJson(path.join(dir, 'structlogs.json.gz'), ctx.blockResults.map((r) => ({ txHash: r.hash, result: r.logs })));
  ctx.block = { vmtrace: 'block/vmtrace.json', structlogs: 'block/structlogs.json.gz', transactions: ctx.blockResults.map((r) => r.hash) };
}

async function runProject(sample) {
  // a project may compile another project's sources with other settings (optimizer, via-IR)
  const input = buildInput(ROOT, sample.sources ?? sample.project, sample.settings);
  const output = compile(input);
  const chain = await Chain.create(Object.values(KEYS));
  const ctx = new Context(ROOT, sample.project, sample.sources ?? sample.project, chain, input, output);
  for (const [k, key] of Object.entries(KEYS)) ctx.addr[k] = createAddressFromPrivateKey(key).toString();
  await sample.run(ctx);
  if (sample.block) writeBlock(ctx);
  writeJson(path.join(ROOT, sample.project, 'solc-input.json'), input);
  writeJson(path.join(ROOT, sample.project, 'solc-output.json'), output);
  writeJson(path.join(ROOT, sample.project, 'manifest.json'), {
    project: sample.project, description: sample.description,
    generator: { solc: solcVersion(), evmVersion: EVM_VERSION, settings: input.settings, hardfork: HARDFORK, chainId: Number(CHAIN_ID), evm: '@ethereumjs/vm 10.1.3', structLogConfig: STRUCTLOG_CONFIG },
    block: { number: 1, timestamp: 1750000000, baseFeePerGas: '0x3b9aca00', coinbase: '0x00000000000000000000000000000000c0ffee00' },
    accounts: ctx.addr,
    contracts: ctx.contracts,
    transactions: ctx.txs,
    blockTraces: ctx.block,
  });
  console.log(`${sample.project}: ${ctx.txs.filter((t) => t.name).map((t) => `${t.name}(${t.stats.ops} ops)`).join(', ')}`);
}

/** index.json: every traced transaction of every project on disk, so tests can iterate over
 *  all samples without naming them. */
function writeIndex() {
  const index = [];
  for (const sample of SAMPLES) {
    const file = path.join(ROOT, sample.project, 'manifest.json');
    if (!fs.existsSync(file)) continue;
    const m = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const t of m.transactions.filter((x) => x.name)) {
      index.push({
        project: sample.project, tx: t.name, hash: t.hash, status: t.status, ops: t.stats.ops,
        maxDepth: t.stats.maxDepth, manifest: `${sample.project}/manifest.json`,
        solcOutput: `${sample.project}/solc-output.json`, solcInput: `${sample.project}/solc-input.json`,
        files: Object.fromEntries(Object.entries(t.files).map(([k, v]) => [k, `${sample.project}/${v}`])),
      });
    }
  }
  writeJson(path.join(ROOT, 'index.json'), index);
}

const wanted = process.argv.slice(2);
for (const sample of SAMPLES) {
  if (wanted.length && !wanted.includes(sample.project)) continue;
  await runProject(sample);
}
writeIndex();
