// A V8 CPU profile (.cpuprofile, as `node --cpu-prof` writes it) drawn as a flame graph in SVG: each box one
// function in one call path, as wide as the time spent in it and under it; the callers below, the callees above;
// idle time left out.
// No package on npm converts a .cpuprofile to an SVG without a browser, hence this one page of code.
//   npx tsx bench/flamegraph.ts PROFILE.cpuprofile OUT.svg [TITLE]
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

interface Frame {
  name: string;
  self: number;
  total: number;
  children: Map<string, Frame>;
}

const WIDTH = 1600;
const ROW = 17;
const MIN_WIDTH = 0.5; // px: narrower boxes are left out (their time still counts in their parent's width)

/** The profile's call tree with the same function in the same path merged, its idle and GC roots kept apart. */
function callTree(profile: Profile): Frame {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const label = (n: ProfileNode) => {
    const { functionName, url, lineNumber } = n.callFrame;
    const file = url ? url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~') : '';
    const short = file.includes('/work/') ? file.replace(/^.*?\/(src|workers|dist)\//, '$1/') : file;
    return `${functionName || '(anonymous)'}${short ? ` ${short}:${lineNumber + 1}` : ''}`;
  };
  const build = (n: ProfileNode): Frame => {
    const frame: Frame = { name: label(n), self: n.hitCount ?? 0, total: 0, children: new Map() };
    for (const id of n.children ?? []) {
      const child = byId.get(id);
      // Time the process waited for work is no work: the graph shows where the busy time went.
      if (!child || child.callFrame.functionName === '(idle)') continue;
      const built = build(child);
      const same = frame.children.get(built.name);
      if (same) merge(same, built);
      else frame.children.set(built.name, built);
    }
    frame.total = frame.self + [...frame.children.values()].reduce((t, c) => t + c.total, 0);
    return frame;
  };
  const merge = (into: Frame, from: Frame) => {
    into.self += from.self;
    into.total += from.total;
    for (const [name, c] of from.children) {
      const same = into.children.get(name);
      if (same) merge(same, c);
      else into.children.set(name, c);
    }
  };
  const root = profile.nodes[0];
  if (!root) throw new Error('empty profile');
  return build(root);
}

const xmlText = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A warm colour from the name, so one function keeps its colour across graphs. */
function colour(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  if (name.startsWith('(')) return 'rgb(200,200,200)';
  const node = name.includes('~') || name.includes('node:');
  return node ? `rgb(${200 + (h % 55)},${120 + (h % 80)},60)` : `rgb(230,${60 + (h % 120)},${40 + (h % 30)})`;
}

function flameGraphSvg(profile: Profile, title: string): string {
  const root = callTree(profile);
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const perSample = root.total > 0 ? seconds / root.total : 0;
  const boxes: string[] = [];
  let depthMax = 0;
  const draw = (f: Frame, x: number, depth: number, scale: number) => {
    const w = f.total * scale;
    if (w < MIN_WIDTH) return;
    depthMax = Math.max(depthMax, depth);
    const share = root.total > 0 ? ((100 * f.total) / root.total).toFixed(1) : '0';
    const ms = (f.total * perSample * 1000).toFixed(0);
    const text = w > 40 ? xmlText(f.name.slice(0, Math.floor(w / 6.5))) : '';
    boxes.push(
      `<g><title>${xmlText(f.name)} — ${share}% (${ms} ms)</title>` +
        `<rect x="${x.toFixed(1)}" y="${-depth * ROW}" width="${w.toFixed(1)}" height="${ROW - 1}" fill="${colour(f.name)}"/>` +
        (text ? `<text x="${(x + 3).toFixed(1)}" y="${-depth * ROW + 12}">${text}</text>` : '') +
        '</g>',
    );
    let cx = x;
    for (const c of [...f.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      draw(c, cx, depth + 1, scale);
      cx += c.total * scale;
    }
  };
  draw(root, 0, 0, WIDTH / Math.max(1, root.total));
  const height = (depthMax + 1) * ROW + 40;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 ${-depthMax * ROW - 30} ${WIDTH} ${height}" font-family="monospace" font-size="11">`,
    `<title>${xmlText(title)}: CPU flame graph</title>`,
    `<text x="4" y="${-depthMax * ROW - 12}" font-size="14">${xmlText(title)} — ${seconds.toFixed(1)} s sampled, busy time only; width = share of it (hover for the figures)</text>`,
    ...boxes,
    '</svg>',
    '',
  ].join('\n');
}

const [input, output, title] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: tsx bench/flamegraph.ts PROFILE.cpuprofile OUT.svg [TITLE]');
const profile = JSON.parse(readFileSync(input, 'utf8')) as Profile;
writeFileSync(output, flameGraphSvg(profile, title ?? basename(input)));
