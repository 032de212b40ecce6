// The status page of `jizo-intake serve`: polls status.json every second and
// draws it. Every value is written with textContent or as an SVG attribute,
// never as HTML: signatures, addresses and rejected lines come from the
// network and are shown as the text they are.
'use strict';

const POLL_MS = 1000;
const SVG = 'http://www.w3.org/2000/svg';
const fmt = new Intl.NumberFormat('en-US');
const fmt1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const SEVERITY = { 1: 'high', 2: 'medium', 3: 'low' };

function $(id) {
  return document.getElementById(id);
}

/** An element with a class and text (textContent: never parsed as HTML). */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function num(n) {
  return n === null || n === undefined ? '–' : fmt.format(n);
}

function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let u = -1;
  do {
    n /= 1024;
    u++;
  } while (n >= 1024 && u < units.length - 1);
  return `${fmt1.format(n)} ${units[u]}`;
}

function duration(s) {
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

function clock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleTimeString('en-GB');
}

/** Mean of the last `n` values: the rate shown as "now". */
function recentRate(values, n = 5) {
  const tail = values.slice(-n);
  return tail.length === 0 ? 0 : tail.reduce((a, b) => a + b, 0) / tail.length;
}

function replace(parent, children) {
  parent.replaceChildren(...children);
}

// ---- charts: one SVG per series set, redrawn from the 900 per-second values

const CHART_SECONDS = 900;

function chart(container, series, height) {
  const width = 600;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const top = niceMax(max);
  const x = (i, n) => ((CHART_SECONDS - n + i) / (CHART_SECONDS - 1)) * width;
  const y = (v) => 1 + (1 - v / top) * (height - 2);
  // The drawing stretches to the box (non-scaling strokes); the labels are HTML around it, so they do not stretch.
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img' });
  for (const v of [0, top / 2, top]) root.append(svg('line', { x1: 0, x2: width, y1: y(v), y2: y(v), class: 'grid' }));
  for (const s of series) {
    const n = s.values.length;
    if (n === 0) continue;
    const points = s.values.map((v, i) => `${x(i, n).toFixed(1)},${y(v).toFixed(1)}`);
    if (n === 1) points.push(`${(x(0, 1) - 2).toFixed(1)},${y(s.values[0]).toFixed(1)}`);
    root.append(svg('polyline', { points: points.join(' '), class: `line ${s.cls}` }));
  }
  const yaxis = el('div', 'yaxis');
  yaxis.append(el('span', null, fmt1.format(top)), el('span', null, fmt1.format(top / 2)), el('span', null, '0'));
  const xaxis = el('div', 'xaxis');
  xaxis.append(el('span', null, '15 min ago'), el('span', null, 'now'));
  const plot = el('div', 'plot');
  plot.append(yaxis, root, el('span'), xaxis);
  const legend = el('div', 'legend');
  for (const s of series) {
    const item = el('span', `key ${s.cls}`);
    item.append(el('i', 'swatch'), el('span', null, `${s.label} ${fmt1.format(recentRate(s.values))}/s`));
    legend.append(item);
  }
  replace(container, [plot, legend]);
}

function niceMax(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

// ---- sections

function header(s) {
  const state = $('state');
  const failing = s.components.filter((c) => !c.ok);
  state.textContent = s.service.ok ? 'Healthy' : `Degraded: ${failing.map((c) => `${c.name} ${c.detail ?? 'not ok'}`).join('; ')}`;
  state.className = `pill ${s.service.ok ? 'ok' : 'bad'}`;
  $('meta').textContent = `version ${s.service.version} · profile ${s.service.profile} · up ${duration(s.service.uptime_seconds)} · updated ${clock(s.service.now)}`;
}

function tile(label, value, note, cls) {
  const t = el('div', `tile ${cls ?? ''}`);
  t.append(el('div', 'label', label), el('div', 'value', value), el('div', 'note', note));
  return t;
}

function bar(fraction, cls) {
  const b = el('div', `bar ${cls ?? ''}`);
  const fill = el('div', 'fill');
  // CSSOM, not a style attribute: allowed by the page's Content-Security-Policy
  fill.style.width = `${Math.min(100, Math.max(0, fraction * 100)).toFixed(1)}%`;
  b.append(fill);
  return b;
}

function summary(s) {
  const p = s.pipeline;
  const q = s.queue;
  const rejectedShare = p.received > 0 ? ` · ${fmt1.format((100 * p.rejected) / p.received)} % of received` : '';
  const fill = Math.max(q.events / q.max_events, q.bytes / q.max_bytes);
  const queue = tile('Queue', `${fmt1.format(fill * 100)} %`, `${num(q.events)} / ${num(q.max_events)} events · ${bytes(q.bytes)} / ${bytes(q.max_bytes)}`, fill > 0.8 ? 'warn' : '');
  queue.append(bar(fill, fill > 0.8 ? 'warn' : ''));
  replace($('summary'), [
    tile('Received', num(p.received), `${fmt1.format(recentRate(p.rates.in))} events/s now`),
    tile('Normalized', num(p.normalized), `${fmt1.format(recentRate(p.rates.out))} events/s now`),
    tile('Rejected', num(p.rejected), `bad input${rejectedShare}`, p.rejected > 0 ? 'warn' : ''),
    tile('Dead-lettered', num(p.dead_lettered), `refused by a sink: ${num(p.refused)}`),
    queue,
    tile('Backpressure', q.backpressure ? 'ON' : 'off', q.backpressure ? `${q.waiting_sources} source(s) waiting for room` : 'sources are not held back', q.backpressure ? 'bad' : ''),
  ]);
  chart($('flow-chart'), [
    { label: 'in', values: p.rates.in, cls: 'in' },
    { label: 'normalized', values: p.rates.out, cls: 'out' },
    { label: 'rejected', values: p.rates.rejected, cls: 'rej' },
  ], 150);
}

function facts(pairs) {
  const dl = el('dl', 'facts');
  for (const [k, v, cls] of pairs) {
    if (v === null || v === undefined) continue;
    dl.append(el('dt', null, k), el('dd', cls, v));
  }
  return dl;
}

function card(c) {
  const box = el('article', `card ${c.ok ? '' : 'failing'}`);
  const title = el('h3');
  const kind = c.kind === 'dead_letter' ? 'dead letters' : c.type;
  title.append(el('span', null, c.name), el('span', 'muted', ` ${kind}`), el('span', `pill ${c.ok ? 'ok' : 'bad'}`, c.ok ? 'ok' : 'failing'));
  box.append(title);
  if (!c.ok) box.append(el('p', 'reason', c.detail ?? 'not ok'));
  if (c.endpoints.length > 0) box.append(el('p', 'endpoints', c.endpoints.join(' · ')));
  const chartBox = el('div', 'chart');
  box.append(chartBox);
  const source = c.kind === 'source';
  chart(chartBox, [
    { label: source ? 'in' : 'received', values: c.rates.in, cls: 'in' },
    { label: source ? 'handed on' : 'written', values: c.rates.out, cls: 'out' },
  ], 90);
  const k = c.counters;
  const n = c.connections;
  box.append(
    facts(source
      ? [
          ['received', num(k.received)],
          ['handed on', num(k.sent)],
          ['rejected', num(k.rejected), k.rejected > 0 ? 'warn' : ''],
          ['dropped', num(k.dropped), k.dropped > 0 ? 'bad' : ''],
          ['errors', num(k.errors), k.errors > 0 ? 'warn' : ''],
          ['connections open', n && num(n.open)],
          ['closed: refused / evicted / timed out', n && `${num(n.refused)} / ${num(n.evicted)} / ${num(n.timed_out)}`],
        ]
      : [
          ['received', num(k.received)],
          ['written', num(k.sent)],
          ['refused', num(k.rejected), k.rejected > 0 ? 'warn' : ''],
          ['errors', num(k.errors), k.errors > 0 ? 'warn' : ''],
          ['retries', num(c.retries), c.retries > 0 ? 'warn' : ''],
          ['duplicates', k.duplicates > 0 ? num(k.duplicates) : null],
        ]),
  );
  if (c.detail && c.ok && !c.connections) box.append(el('p', 'muted', c.detail));
  return box;
}

function components(s) {
  replace($('sources'), s.components.filter((c) => c.kind === 'source').map(card));
  replace($('sinks'), s.components.filter((c) => c.kind !== 'source').map(card));
}

/** Rows of `key`, a bar scaled to the largest count, and the count. */
function countRows(tbody, items, empty, label = (i) => el('span', null, i.key)) {
  if (items.length === 0) {
    const row = el('tr', 'empty');
    const cell = el('td', 'muted', empty);
    cell.colSpan = 3;
    row.append(cell);
    replace(tbody, [row]);
    return;
  }
  const max = Math.max(...items.map((i) => i.count));
  replace(tbody, items.map((i) => {
    const row = el('tr');
    const key = el('td', 'key');
    key.append(label(i));
    const b = el('td', 'barcell');
    b.append(bar(i.count / max));
    row.append(key, b, el('td', 'num', num(i.count)));
    return row;
  }));
}

function rejections(s) {
  const r = s.rejections;
  countRows($('reasons').tBodies[0], r.by_reason, 'nothing rejected');
  replace($('rejected-lines'), r.recent.length === 0
    ? [el('li', 'muted', 'no rejected line yet')]
    : r.recent.map((x) => {
        const li = el('li');
        const head = el('div', 'head');
        head.append(el('span', 'reason-code', x.reason), el('span', 'muted', ` ${clock(x.at)} · ${x.source}${x.sink ? ` → ${x.sink}` : ''} · ${x.error}`));
        li.append(head, el('code', 'excerpt', x.excerpt));
        return li;
      }));
}

function sensors(s) {
  const w = s.window;
  $('window').textContent = `last ${w.minutes} minutes${w.sampling > 1 ? ` · estimated: busy, 1 event in ${w.sampling} counted` : ''}`;
  countRows($('signatures').tBodies[0], w.signatures, 'no alert yet', (i) => {
    const span = el('span');
    const sev = i.severity === null ? 'sev ?' : `sev ${i.severity}`;
    const badge = el('span', `sev sev${i.severity ?? 0}`, sev);
    badge.title = SEVERITY[i.severity] ?? 'severity not given';
    span.append(badge, el('span', null, ` ${i.key}`));
    return span;
  });
  countRows($('types').tBodies[0], w.types, 'no event yet');
  countRows($('src-ips').tBodies[0], w.sources, 'no address yet');
  countRows($('dst-ips').tBodies[0], w.destinations, 'no address yet');
  replace($('latest'), w.recent.length === 0
    ? [el('li', 'muted', 'no event yet')]
    : w.recent.map((e) => {
        const li = el('li');
        li.append(el('span', 'time', clock(e.at)), el('span', 'muted', ` ${e.source} `), el('span', 'text', e.text));
        return li;
      }));
}

function config(s) {
  const c = s.config;
  const p = c.pipeline;
  const list = $('config-list');
  list.className = 'facts';
  replace(list, [
    ['profile', c.profile],
    ['data directory', c.data_dir],
    ['queue bound', `${num(p.max_events)} events, ${bytes(p.max_bytes)}`],
    ['batches', `${num(p.batch_max_events)} events, ${bytes(p.batch_max_bytes)}, ${num(p.batch_max_wait_ms)} ms; ${p.max_in_flight} in flight`],
    ['longest line', bytes(p.max_line_bytes)],
    ['admin token', c.admin_token ? 'required' : 'none (loopback only)'],
    ...s.components.map((x) => [`${x.kind === 'dead_letter' ? 'dead letters' : x.kind} ${x.name}`, `${x.type}${x.endpoints.length ? `: ${x.endpoints.join(', ')}` : ''}`]),
  ].flatMap(([k, v]) => [el('dt', null, k), el('dd', null, v)]));
}

// ---- polling

let lastOk = 0;

const drawn = new Map();

/** Redraws a section only when its data changed, so that text being selected or read stays put. */
function update(name, draw, s, data) {
  const key = JSON.stringify(data);
  if (drawn.get(name) === key) return;
  drawn.set(name, key);
  draw(s);
}

function render(s) {
  header(s);
  update('summary', summary, s, [s.pipeline, s.queue]);
  update('components', components, s, s.components);
  update('rejections', rejections, s, s.rejections);
  update('sensors', sensors, s, s.window);
  update('config', config, s, [s.config, s.components.map((c) => c.endpoints)]);
}

async function poll() {
  try {
    const res = await fetch('status.json', { cache: 'no-store', credentials: 'same-origin' });
    if (!res.ok) throw new Error(`status.json: HTTP ${res.status}`);
    render(await res.json());
    lastOk = Date.now();
    $('stale').hidden = true;
  } catch (e) {
    const stale = $('stale');
    stale.hidden = false;
    stale.textContent = lastOk === 0 ? `cannot reach the service (${e.message})` : `no answer from the service for ${Math.round((Date.now() - lastOk) / 1000)} s`;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

void poll();
