/**
 * The baselines of the benchmark, one per process so that each gets its own
 * timing and peak RSS: `node baselines.mjs MODE INPUT OUTPUT`.
 *
 *   split      read the file and split it into lines (nothing else)
 *   parse      JSON.parse every line
 *   yardstick  JSON.parse every line + JSON.stringify of a plain object that
 *              holds the documented field set (the sekoia profile's fields,
 *              src/catalog/fields/sekoia.ts), copied as they are: the least
 *              work any EVE-to-ECS normalizer in Node.js must do.
 *   yardstick-sync  the same work with synchronous I/O: `fs.readSync` into a
 *              64 KiB buffer, `fs.writeSync` of a 1 MiB output buffer flushed
 *              when a line might not fit. On one thread this is the fastest
 *              plain Node.js does the least work (15-35 % faster than the
 *              streams); the benchmark measures both and keeps the faster as
 *              the reference.
 *
 * Lines are read the way the product reads them (a 64 KiB read stream, a
 * string decoder, split on LF). Documents are encoded one by one into a 1 MiB
 * buffer handed to the write stream when full, as the product does: joining
 * the lines into one string and writing that string cost the yardstick up to
 * a third of its time on some machines (AMD EPYC), which flattered every
 * ratio to it.
 */
import { closeSync, createReadStream, createWriteStream, openSync, readSync, realpathSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const [mode, input, output] = process.argv.slice(2);
// Imported (bench/floor.mjs) for eventOf and yardstickDocument: run nothing.
const main = process.argv[1] !== undefined && import.meta.filename === realpathSync(process.argv[1]);
if (main && (!['split', 'parse', 'yardstick', 'yardstick-sync'].includes(mode) || !input || !output)) {
  process.stderr.write('usage: node baselines.mjs split|parse|yardstick|yardstick-sync INPUT OUTPUT\n');
  process.exit(2);
}

/** JSON object text of a line: bare, after a syslog header, or inside {"message": ...}. */
export function eventOf(line) {
  let text = line;
  if (text.charCodeAt(0) !== 123) {
    const brace = text.indexOf('{');
    if (brace === -1) return undefined;
    text = text.slice(brace);
  }
  let e;
  try {
    e = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (e.event_type === undefined && typeof e.message === 'string') {
    text = e.message;
    try {
      e = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  return [e, text];
}

/** The documented field set, values copied without conversion. */
export function yardstickDocument(e, message) {
  const a = e.alert;
  const f = e.flow;
  const h = e.http;
  const sev = a?.metadata?.signature_severity;
  return {
    message,
    event: {
      action: a?.action,
      category: ['network'],
      kind: e.event_type === 'alert' ? 'alert' : undefined,
      severity: a?.severity,
      start: f?.start,
      type: ['connection'],
    },
    '@timestamp': e.timestamp,
    action: a && { properties: { category: a.category, severity: sev?.[0], signature: a.signature, signature_id: a.signature_id } },
    destination: { address: e.dest_ip, bytes: f?.bytes_toclient, ip: e.dest_ip, packets: f?.pkts_toclient, port: e.dest_port },
    host: { ip: e.src_ip },
    http: h && { response: { bytes: h.response_length, status_code: h.status } },
    jizo: { flow: { id: e.flow_id } },
    network: { protocol: e.app_proto, transport: e.proto },
    observer: { ingress: { interface: { name: e.in_iface } } },
    related: { ip: [e.src_ip, e.dest_ip] },
    source: { address: e.src_ip, bytes: f?.bytes_toserver, ip: e.src_ip, packets: f?.pkts_toserver, port: e.src_port },
    url: h && { original: h.url },
  };
}


/** yardstick-sync: synchronous reads and writes, one buffer each way. */
function runSync() {
  let count = 0;
  let docs = 0;
  const fd = openSync(input, 'r');
  const out = openSync(output, 'w');
  const buf = Buffer.allocUnsafeSlow(1 << 16);
  const obuf = Buffer.allocUnsafeSlow(1 << 20);
  let osize = 0;
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const line = (l) => {
    count++;
    const r = eventOf(l);
    if (r === undefined) return;
    docs++;
    const json = JSON.stringify(yardstickDocument(r[0], r[1]));
    if (osize + json.length * 3 + 1 > obuf.length) {
      writeAll(out, obuf, osize);
      osize = 0;
    }
    osize += obuf.write(json, osize);
    obuf[osize++] = 10;
  };
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const text = pending + decoder.write(buf.subarray(0, n));
    let pos = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) break;
      line(text.slice(pos, nl));
      pos = nl + 1;
    }
    pending = text.slice(pos);
  }
  pending += decoder.end();
  if (pending !== '') line(pending);
  writeAll(out, obuf, osize);
  closeSync(fd);
  closeSync(out);
  process.stderr.write(JSON.stringify({ mode, lines: count, events: docs }) + '\n');
}

function writeAll(fd, b, n) {
  let off = 0;
  while (off < n) off += writeSync(fd, b, off, n - off);
}

if (main && mode === 'yardstick-sync') runSync();
else if (main) await runStreams();

/** The other modes: a read stream and a write stream, as the product read before. */
async function runStreams() {
  const ws = createWriteStream(output);
  let lines = 0;
  let events = 0;

  /** Encoded documents not yet handed to the stream (the stream owns a buffer once written). */
  let outBuf = Buffer.allocUnsafeSlow(1 << 20);
  let outSize = 0;

  function flushBuf() {
    ws.write(outBuf.subarray(0, outSize));
    outBuf = Buffer.allocUnsafeSlow(1 << 20);
    outSize = 0;
  }

  function onLine(line) {
    lines++;
    if (mode === 'split') return;
    if (mode === 'parse') {
      const r = eventOf(line);
      if (r !== undefined) events++;
      return;
    }
    const r = eventOf(line);
    if (r === undefined) return;
    events++;
    const json = JSON.stringify(yardstickDocument(r[0], r[1]));
    if (outSize + json.length * 3 + 1 > outBuf.length) flushBuf();
    outSize += outBuf.write(json, outSize);
    outBuf[outSize++] = 10;
  }

  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of createReadStream(input, { highWaterMark: 1 << 16 })) {
    const text = pending + decoder.write(chunk);
    let pos = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) break;
      onLine(text.slice(pos, nl));
      pos = nl + 1;
    }
    pending = text.slice(pos);
    if (outSize > 256 * 1024) {
      flushBuf();
      if (ws.writableLength > 4 << 20) await new Promise((res) => ws.once('drain', res));
    }
  }
  pending += decoder.end();
  if (pending !== '') onLine(pending);
  ws.end(outBuf.subarray(0, outSize));
  await new Promise((res, rej) => ws.on('finish', res).on('error', rej));
  process.stderr.write(JSON.stringify({ mode, lines, events }) + '\n');
}
