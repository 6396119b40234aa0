// Generates the large benchmark input OUTSIDE the repository (default /tmp/ctrecord-bench/):
// contracts/bench/Bench.sol run on ethereumjs for >= 1 million ops with >= 100 KB of memory
// in use, traced straight into the Erigon vmTrace emitter (no struct logs: with memory they
// would be hundreds of GB). Writes vmtrace.json, vmtrace.json.gz, solc-input.json,
// solc-output.json and manifest.json (ops, memory, tx facts).
// Usage: node gen-bench.mjs [outDir] [--words N] [--iterations N]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { buildInput, compile, artifact, solcVersion, EVM_VERSION } from './compile.mjs';
import { Chain, privateKey, HARDFORK } from './execute.mjs';
import { OeTracer } from './erigon_vmtrace.mjs';
import { calldata } from './abi.mjs';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const opts = { out: '/tmp/ctrecord-bench', words: 3300n, iterations: 6500n, custom: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--words') { opts.words = BigInt(argv[++i]); opts.custom = true; }
    else if (argv[i] === '--iterations') { opts.iterations = BigInt(argv[++i]); opts.custom = true; }
    else opts.out = argv[i];
  }
  return opts;
}

/** Streams the result as JSON without building one giant string (vmTrace may exceed V8's
 *  string limit); ops are written one by one, subs recursively. */
function* jsonChunks(result) {
  const head = { ...result, vmTrace: undefined, transactionHash: undefined };
  const headJson = JSON.stringify(head);
  yield headJson.slice(0, -1) + ',"vmTrace":';
  yield* vmTraceChunks(result.vmTrace);
  yield `,"transactionHash":${JSON.stringify(result.transactionHash)}}\n`;
}

function* vmTraceChunks(vm) {
  yield `{"code":${JSON.stringify(vm.code)},"ops":[`;
  let buf = '';
  for (let i = 0; i < vm.ops.length; i++) {
    const op = vm.ops[i];
    if (i) buf += ',';
    if (!op.sub) {
      buf += JSON.stringify(op);
    } else {
      const { sub, op: name, idx, ...rest } = op;
      buf += JSON.stringify(rest).slice(0, -1) + ',"sub":';
      yield buf; buf = '';
      yield* vmTraceChunks(sub);
      buf += `,"op":${JSON.stringify(name)},"idx":${JSON.stringify(idx)}}`;
    }
    if (buf.length > 1 << 20) { yield buf; buf = ''; }
  }
  yield buf + ']}';
}

async function writeAtomically(file, chunks, gzip) {
  const tmp = `${file}.tmp-${process.pid}`;
  const sink = fs.createWriteStream(tmp);
  const stages = [async function* () { for (const c of chunks) yield Buffer.from(c); }];
  if (gzip) stages.push(zlib.createGzip({ level: 6 }));
  await pipeline(...stages, sink);
  fs.renameSync(tmp, file);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(opts.out, { recursive: true });
  const input = buildInput(ROOT, 'bench');
  const output = compile(input);
  const key = privateKey(0xbe4c);
  const chain = await Chain.create([key]);
  const bench = (await chain.send({ key, data: '0x' + artifact(output, 'bench', 'Bench.sol', 'Bench').evm.bytecode.object })).createdAddress;
  const tracer = new OeTracer(chain.txIndex, 'modern');
  let ops = 0;
  let maxMemory = 0;
  const sink = (ev) => {
    if (ev.kind === 'op') { ops++; if (ev.memory.length > maxMemory) maxMemory = ev.memory.length; }
    tracer.onEvent(ev);
  };
  const started = Date.now();
  const tx = await chain.send({ key, to: bench, data: calldata('run(uint256,uint256)', [opts.words, opts.iterations]), gasLimit: 60_000_000n, sink });
  const seconds = (Date.now() - started) / 1000;
  if (tx.result.execResult.exceptionError) throw new Error(`bench tx failed: ${tx.result.execResult.exceptionError.error}`);
  const result = tracer.result(tx.hash);
  await writeAtomically(path.join(opts.out, 'vmtrace.json'), jsonChunks(result), false);
  await writeAtomically(path.join(opts.out, 'vmtrace.json.gz'), jsonChunks(result), true);
  fs.writeFileSync(path.join(opts.out, 'solc-input.json'), JSON.stringify(input));
  fs.writeFileSync(path.join(opts.out, 'solc-output.json'), JSON.stringify(output));
  const manifest = {
    contract: 'contracts/bench/Bench.sol:Bench', address: bench, txHash: tx.hash, txIndex: tx.index,
    input: calldata('run(uint256,uint256)', [opts.words, opts.iterations]),
    memWords: Number(opts.words), iterations: Number(opts.iterations), ops, maxMemoryBytes: maxMemory,
    gasUsed: Number(tx.gasUsed), output: result.output,
    generator: { solc: solcVersion(), evmVersion: EVM_VERSION, hardfork: HARDFORK, seconds },
    files: ['vmtrace.json', 'vmtrace.json.gz', 'solc-input.json', 'solc-output.json'],
  };
  fs.writeFileSync(path.join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  const size = (f) => fs.statSync(path.join(opts.out, f)).size;
  console.log(`${opts.out}: ${ops} ops, max memory ${maxMemory} bytes, vmtrace.json ${size('vmtrace.json')} bytes, gz ${size('vmtrace.json.gz')} bytes, EVM+trace ${seconds}s`);
  if (!opts.custom && (ops < 1_000_000 || maxMemory < 100 * 1024)) {
    throw new Error('benchmark input below 1M ops / 100 KB memory');
  }
}

await main();
