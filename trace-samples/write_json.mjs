import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

// Written to a temporary name and renamed, so an interrupted run leaves no complete-looking file.
// A ".gz" name gets gzip (no name, mtime 0: the bytes depend only on the content and zlib).
export function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  let body = Buffer.from(JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v)) + '\n');
  if (file.endsWith('.gz')) body = zlib.gzipSync(body, { level: 9 });
  fs.writeFileSync(tmp, body);
  fs.renameSync(tmp, file);
}

