// Draws images/icon.png (128x128): a blue rounded square holding a white shipping container with
// two chevrons pressing its sides in, "a slimmer image". Pure Node so the icon can be rebuilt on any
// machine: shapes are signed-distance functions, anti-aliased by supersampling each pixel, and the
// PNG (IHDR, IDAT, IEND with their CRCs) is written by hand and deflated with node:zlib.
// Usage: node scripts/draw-icon.mjs [out.png]
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 8; // 8x8 sub-pixel samples per pixel

// --- shapes: negative inside, positive outside (distance in pixels) ---

function roundedRect(x, y, cx, cy, halfW, halfH, radius) {
  const qx = Math.abs(x - cx) - halfW + radius;
  const qy = Math.abs(y - cy) - halfH + radius;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

/** A stroke from (ax, ay) to (bx, by), `width` wide, with round caps. */
function segment(x, y, ax, ay, bx, by, width) {
  const px = x - ax;
  const py = y - ay;
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - width / 2;
}

/** A chevron (two strokes meeting at the tip) pointing toward `dir` (+1 right, -1 left). */
function chevron(x, y, tipX, tipY, dir, reach, spread, width) {
  const backX = tipX - dir * reach;
  return Math.min(segment(x, y, backX, tipY - spread, tipX, tipY, width), segment(x, y, backX, tipY + spread, tipX, tipY, width));
}

// --- the design ---

const BLUE_TOP = [0x2b, 0x9a, 0xf3];
const BLUE_BOTTOM = [0x10, 0x5c, 0xd6];
const WHITE = [0xff, 0xff, 0xff];
const RIB = [0x8a, 0xbc, 0xf2];

const C = SIZE / 2;
const box = { cx: C, cy: C, halfW: 21, halfH: 27, radius: 4 };
const ribXs = [-12.6, -4.2, 4.2, 12.6].map((dx) => C + dx);

/** Layers from back to front: each gives a distance and a colour at a sample point. */
const layers = [
  { shape: (x, y) => roundedRect(x, y, C, C, C, C, 26), color: (_x, y) => mix(BLUE_TOP, BLUE_BOTTOM, y / SIZE) },
  { shape: (x, y) => roundedRect(x, y, box.cx, box.cy, box.halfW, box.halfH, box.radius), color: () => WHITE },
  // Vertical ribs of the container, stopping short of its top and bottom rails.
  {
    shape: (x, y) => Math.min(...ribXs.map((rx) => roundedRect(x, y, rx, box.cy, 1.7, box.halfH - 7, 1.7))),
    color: () => RIB,
  },
  { shape: (x, y) => chevron(x, y, C - box.halfW - 8, C, +1, 13, 15, 7.5), color: () => WHITE },
  { shape: (x, y) => chevron(x, y, C + box.halfW + 8, C, -1, 13, 15, 7.5), color: () => WHITE },
];

function mix(a, b, t) {
  return a.map((v, i) => v + (b[i] - v) * t);
}

/** Premultiplied RGBA of one pixel: the average over its sub-samples of the layers composited. */
function shade(px, py) {
  const acc = [0, 0, 0, 0];
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const x = px + (sx + 0.5) / SAMPLES;
      const y = py + (sy + 0.5) / SAMPLES;
      let color;
      for (const layer of layers) if (layer.shape(x, y) < 0) color = layer.color(x, y);
      if (!color) continue;
      acc[0] += color[0];
      acc[1] += color[1];
      acc[2] += color[2];
      acc[3] += 255;
    }
  }
  const n = SAMPLES * SAMPLES;
  return acc.map((v) => v / n);
}

function render() {
  const rgba = Buffer.alloc(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const [r, g, b, a] = shade(x, y);
      const o = (y * SIZE + x) * 4;
      // PNG stores straight (not premultiplied) alpha.
      const k = a > 0 ? 255 / a : 0;
      rgba[o] = Math.round(r * k);
      rgba[o + 1] = Math.round(g * k);
      rgba[o + 2] = Math.round(b * k);
      rgba[o + 3] = Math.round(a);
    }
  }
  return rgba;
}

// --- PNG encoding ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Filters each scanline with the filter type (0-4) whose output has the smallest sum of absolute
 * signed bytes, the usual heuristic from the PNG specification; it keeps gradients compressible.
 */
function filterRows(rgba, width, height) {
  const stride = width * 4;
  const out = [];
  const zero = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? rgba.subarray((y - 1) * stride, y * stride) : zero;
    let best;
    let bestCost = Infinity;
    for (let type = 0; type <= 4; type++) {
      const line = Buffer.alloc(stride + 1);
      line[0] = type;
      let cost = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= 4 ? row[i - 4] : 0;
        const b = up[i];
        const c = i >= 4 ? up[i - 4] : 0;
        const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type];
        const v = (row[i] - predictor) & 0xff;
        line[i + 1] = v;
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = line;
      }
    }
    out.push(best);
  }
  return Buffer.concat(out);
}

function encodePng(rgba, width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  // compression, filter and interlace methods are all 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(filterRows(rgba, width, height), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const target = resolve(process.argv[2] ?? new URL('../images/icon.png', import.meta.url).pathname);
mkdirSync(dirname(target), { recursive: true });
const png = encodePng(render(), SIZE, SIZE);
writeFileSync(target, png);
console.log(`${target}: ${SIZE}x${SIZE}, ${png.length} bytes`);
