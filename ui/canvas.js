// Neural Playground's live canvas: boundary, network diagram, loss curve, epoch counter, metrics and
// the dataset gallery. One "feed" instance inside the live fragment receives each tick's snapshots
// (plain arrays from playground/frames.py: base64 uint8 + colour lookup tables) and publishes them on
// a small in-page bus; the views, mounted once in their places, draw the newest snapshot with
// putImageData on explicitly sized canvases, once per animation frame, never blocking the page.

const BUS = (window.__npBus = window.__npBus || { latest: null, views: new Set() });

// A tick's bundle: snapshots taken during the tick's training, the last one complete, the earlier
// ones only what changes (boundary, neurons, weights, numbers). They are shown spaced over the tick,
// so one Streamlit rerun gives several real, distinct pictures. A newer bundle cuts the old one short.
function play(bundle) {
  clearTimeout(BUS.timer);
  const s = stats("tick", null, 0);
  for (const [k, v] of Object.entries(bundle.tick)) s[k] = (s[k] || 0) + v;  // summed for the bench
  const frames = bundle.frames, full = frames[frames.length - 1];
  // a crowded server leaves the diagram out of the earlier snapshots: the one on screen stays until the
  // tick's last snapshot (a different network on screen, after a change of shape, gives way to that one)
  const shown = BUS.latest && BUS.latest.network, shape = (n) => JSON.stringify([n.sizes, n.active, n.activations, n.tres]);
  const held = shown && BUS.latest.session === full.session && shape(shown) === shape(full.network) ? shown : full.network;
  const list = frames.map((p) => (p === full ? full : {
    ...full, ...p,
    boundary: { ...full.boundary, img: p.boundary_img },
    network: p.network_maps ? { ...full.network, maps: p.network_maps, weights: p.network_weights, biases: p.network_biases } : held,
  }));
  let i = 0;
  const next = () => {
    publish(list[i]);
    i += 1;
    if (i < list.length) BUS.timer = setTimeout(next, 1000 * bundle.spacing);
  };
  next();
}

// The watchdog. Streamlit's browser side drops every fragment timer when a full-page run starts and
// sets it again when that run reaches the fragment; on a loaded server a timer rerun already on its way
// can pre-empt that run, and the timer is then never set again: the page says "playing" and nothing
// moves (seen with scripts/load_test.py at 30 sessions). So while the last bundle said it was playing,
// a feed that hears nothing for a long while asks the server to wake the loop (a full-page run).
const WATCHDOG_S = 8;

function watch(bundle, send) {
  const tick = bundle.tick || {};
  BUS.lastFeed = Date.now();
  BUS.playing = Object.keys(tick).length > 0;
  BUS.cycle = tick.cycle_ms ? tick.cycle_ms / 1000 : 0.2;
  BUS.wake = send;
  if (BUS.watchdog) return;
  BUS.watchdog = setInterval(() => {
    if (!BUS.playing || !BUS.wake || !document.querySelector(".np-canvas")) return;
    if ((Date.now() - BUS.lastFeed) / 1000 > Math.max(WATCHDOG_S, 3 * BUS.cycle)) {
      BUS.lastFeed = Date.now();
      stats("wake", null, 0);
      BUS.wake("wake", Date.now());
    }
  }, 1000);
}

function publish(frame) {
  if (BUS.latest && frame.seq < BUS.latest.seq && frame.session === BUS.latest.session) return;
  BUS.latest = frame;
  stats("feed", frame, 0);
  BUS.views.forEach((el) => {
    const same = el.kind === "network" && el.frame && el.frame.network === frame.network;  // held: no redraw
    el.frame = frame;
    if (!same) schedule(el);
  });
}

const DPR = () => Math.min(2, window.devicePixelRatio || 1);
const INK = "#1f2430", MUTED = "#6b7480", EDGE = "#b9c0c7";

function bytes(s) {
  const bin = atob(s || ""), n = bin.length, out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = bin.charCodeAt(i);
  return out;
}
const floats = (s) => { const b = bytes(s); return new Float32Array(b.buffer, 0, b.length >> 2); };
const u16 = (s) => { const b = bytes(s); return new Uint16Array(b.buffer, 0, b.length >> 1); };
const rgb = (lut, i) => `rgb(${lut[3 * i]},${lut[3 * i + 1]},${lut[3 * i + 2]})`;
const fmt = (v, d = 3) => (Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.001) ? v.toExponential(2) : v.toFixed(d));

// What the page measured, for scripts/bench_live.py: draws, their cost, and how far they trail the engine.
function stats(kind, frame, ms) {
  const all = (window.__npStats = window.__npStats || {});
  const s = (all[kind] = all[kind] || { draws: 0, ms: 0, lagSum: 0, lagMax: 0, seq: -1, epoch: 0 });
  s.draws += 1; s.ms += ms;
  if (frame && frame.t) {
    const lag = Math.max(0, Date.now() / 1000 - frame.t);
    s.lagSum += lag; s.lagMax = Math.max(s.lagMax, lag); s.lag = lag;
  }
  if (frame) { s.seq = frame.seq; s.epoch = frame.epoch; }
  return s;
}

function sizeCanvas(canvas, w, h) {
  const r = DPR(), W = Math.round(w * r), H = Math.round(h * r);
  if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
  canvas.style.width = w + "px"; canvas.style.height = h + "px";
  const ctx = canvas.getContext("2d");
  ctx.setTransform(r, 0, 0, r, 0, 0);
  return ctx;
}

// A res x res map of lookup-table indices drawn as an out x out image: values are interpolated
// before colouring (smooth shades, crisp discretized edges); class indices blend in colour instead.
function mapImage(idx, res, lut, out, blendColours, offset = 0) {
  const img = new ImageData(out, out), px = img.data, f = (res - 1) / Math.max(1, out - 1);
  for (let y = 0; y < out; y++) {
    const fy = y * f, y0 = Math.min(res - 2, Math.floor(fy)), ty = res > 1 ? fy - y0 : 0;
    for (let x = 0; x < out; x++) {
      const fx = x * f, x0 = Math.min(res - 2, Math.floor(fx)), tx = res > 1 ? fx - x0 : 0;
      const a = offset + y0 * res + x0, b = a + 1, c = a + res, d = c + 1, o = 4 * (y * out + x);
      const wa = (1 - tx) * (1 - ty), wb = tx * (1 - ty), wc = (1 - tx) * ty, wd = tx * ty;
      if (blendColours) {
        for (let k = 0; k < 3; k++)
          px[o + k] = wa * lut[3 * idx[a] + k] + wb * lut[3 * idx[b] + k] + wc * lut[3 * idx[c] + k] + wd * lut[3 * idx[d] + k];
      } else {
        const v = Math.round(wa * idx[a] + wb * idx[b] + wc * idx[c] + wd * idx[d]);
        px[o] = lut[3 * v]; px[o + 1] = lut[3 * v + 1]; px[o + 2] = lut[3 * v + 2];
      }
      px[o + 3] = 255;
    }
  }
  return img;
}

function blit(ctx, img, x, y, w, h) {
  const off = blit.off || (blit.off = document.createElement("canvas"));
  off.width = img.width; off.height = img.height;
  off.getContext("2d").putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, x, y, w, h);
}

// ---- decision boundary with points ------------------------------------------------------------

function drawBoundary(el, d) {
  const f = d.frame, b = f.boundary, p = f.points;
  const w = Math.max(120, Math.min(el.root.clientWidth || d.size || 300, d.max_size || 560));
  const ctx = sizeCanvas(el.canvas, w, w);
  const res = b.res, idx = bytes(b.img), lut = bytes(d.discretize ? b.lut_discrete : b.lut);
  const out = Math.min(256, Math.round(w * DPR()));
  blit(ctx, mapImage(idx, res, lut, out, b.mode === "classes"), 0, 0, w, w);
  el.cache = { idx, res, b, w };
  // points: train first, then (on the toggle) test points with a dark edge
  const xy = u16(p.xy), cls = bytes(p.c), pal = f.palette, plut = bytes(b.lut_points);
  const r = Math.max(2.6, Math.min(5, w / 95));
  const scale = w / 65535;
  const draw = (i, test) => {
    const x = xy[2 * i] * scale, y = w - xy[2 * i + 1] * scale;
    let fill, edge;
    if (b.mode === "regression") {
      const c = cls[i];
      fill = `rgb(${plut[3 * c] * 0.7},${plut[3 * c + 1] * 0.7},${plut[3 * c + 2] * 0.7})`;
      edge = test ? INK : "#fff";
    } else {
      fill = pal[cls[i]] ? pal[cls[i]][0] : INK;
      edge = test ? INK : "#fff";
    }
    ctx.beginPath(); ctx.arc(x, y, test ? r * 0.95 : r, 0, 6.2832);
    ctx.fillStyle = fill; ctx.fill(); ctx.lineWidth = test ? 1.6 : 1; ctx.strokeStyle = edge; ctx.stroke();
  };
  for (let i = 0; i < p.n_train; i++) draw(i, false);
  if (d.show_test) for (let i = p.n_train; i < p.n; i++) draw(i, true);
  // axes: ticks every 2 units along the bottom and left edges
  ctx.fillStyle = MUTED; ctx.font = "10px sans-serif";
  const dom = b.domain, step = dom > 8 ? Math.ceil(dom / 3) : 2;
  for (let v = -Math.floor(dom / step) * step; v <= dom; v += step) {
    const x = (v + dom) / (2 * dom) * w;
    if (x < 8 || x > w - 8) continue;
    ctx.textAlign = "center"; ctx.fillText(String(v), x, w - 3);
    ctx.textAlign = "left"; ctx.fillText(String(v), 3, w - x + 3);
  }
  ctx.strokeStyle = EDGE; ctx.lineWidth = 1; ctx.strokeRect(0.5, 0.5, w - 1, w - 1);
  el.root.dataset.epoch = f.epoch; el.root.dataset.seq = f.seq;
  el.canvas.style.cursor = d.clickable ? "crosshair" : "default";
}

function boundaryAt(el, mx, my) {
  const c = el.cache; if (!c) return null;
  const dom = c.b.domain, x1 = (mx / c.w) * 2 * dom - dom, x2 = dom - (my / c.w) * 2 * dom;
  const gi = Math.max(0, Math.min(c.res - 1, Math.round((my / c.w) * (c.res - 1))));
  const gj = Math.max(0, Math.min(c.res - 1, Math.round((mx / c.w) * (c.res - 1))));
  const v = c.idx[gi * c.res + gj];
  let value;
  if (c.b.mode === "classes") value = `class ${Math.floor(v / 51)}`;
  else value = fmt((v / 255) * 2 * c.b.scale - c.b.scale, 2);
  return { x1, x2, value };
}

// ---- network diagram ----------------------------------------------------------------------------

function networkLayout(el, d, w) {
  const n = d.frame.network, sizes = n.sizes, hidden = sizes.length - 2;
  const cols = hidden + 2, colW = w / cols;
  const counts = [n.features.length, ...sizes.slice(1)];
  const most = Math.max(...counts);
  let s = Math.max(14, Math.min(48, colW * 0.42));
  // keep the whole diagram on screen: no taller than what is left of the viewport below its top
  const top = el.root.getBoundingClientRect().top + window.scrollY;
  const maxH = Math.max(220, Math.min(d.max_height || 520, window.innerHeight - top - 40));
  if (most * s * 1.3 + 24 > maxH) s = Math.max(6, (maxH - 24) / (most * 1.3));
  const gap = s * 1.3, h = Math.round(most * gap + 22);
  // input nodes sit right of their labels ("sin(X₁)"), inside the first column when it is wide enough
  const font = Math.min(13, Math.max(9, s * 0.36));
  const ctx = el.canvas.getContext("2d");
  ctx.font = `${font}px sans-serif`;
  const label = Math.max(...n.feature_labels.map((t) => ctx.measureText(t).width));
  const nodes = [];
  counts.forEach((count, c) => {
    const cx = c === 0 ? Math.max(colW * 0.66, label + 8 + s / 2) : (c + 0.5) * colW;
    for (let i = 0; i < count; i++) nodes.push({ c, i, x: cx - s / 2, y: 10 + i * gap, s });
  });
  return { s, h, nodes, counts, font };
}

function drawNetwork(el, d) {
  const f = d.frame, n = f.network, w = Math.max(200, el.root.clientWidth || 400);
  const L = networkLayout(el, d, w), ctx = sizeCanvas(el.canvas, w, L.h);
  ctx.clearRect(0, 0, w, L.h);
  const maps = bytes(n.maps), tr = n.tres, area = tr * tr;
  const thumb = bytes(f.thumb_lut), outLut = bytes(f.out_lut);
  const byCol = L.counts.map(() => []);
  L.nodes.forEach((node) => byCol[node.c].push(node));
  // active inputs feed the first layer in canonical feature order
  const inputs = byCol[0].filter((_, i) => n.active[i]);
  const sources = [inputs, ...byCol.slice(1)];
  const links = [];
  n.weights.forEach((wb, l) => {
    const W = floats(wb), from = sources[l], to = sources[l + 1];
    for (let j = 0; j < to.length; j++)
      for (let i = 0; i < from.length; i++) {
        const v = W[j * from.length + i], a = from[i], b = to[j];
        links.push({ v, x0: a.x + a.s, y0: a.y + a.s / 2, x1: b.x, y1: b.y + b.s / 2, l, i, j });
      }
  });
  links.sort((p, q) => Math.abs(p.v) - Math.abs(q.v));
  for (const k of links) {
    const m = Math.min(1, Math.abs(k.v)), mid = (k.x0 + k.x1) / 2;
    ctx.strokeStyle = k.v >= 0 ? `rgba(8,119,189,${0.18 + 0.82 * m})` : `rgba(245,147,34,${0.18 + 0.82 * m})`;
    ctx.lineWidth = 0.5 + Math.min(Math.abs(k.v), 4) * 1.5;
    ctx.beginPath(); ctx.moveTo(k.x0, k.y0); ctx.bezierCurveTo(mid, k.y0, mid, k.y1, k.x1, k.y1); ctx.stroke();
  }
  const outCol = L.counts.length - 1, px = Math.max(4, Math.round(L.s * DPR()));
  L.nodes.forEach((node, flat) => {
    const lut = node.c === outCol ? outLut : thumb;
    const inactive = node.c === 0 && !n.active[node.i];
    ctx.globalAlpha = inactive ? 0.28 : 1;
    blit(ctx, mapImage(maps, tr, lut, px, false, flat * area), node.x, node.y, node.s, node.s);
    ctx.strokeStyle = inactive ? EDGE : "#8a939c"; ctx.lineWidth = 1;
    ctx.strokeRect(node.x + 0.5, node.y + 0.5, node.s - 1, node.s - 1);
    ctx.globalAlpha = 1;
    if (node.c === 0 && L.s >= 12) {
      ctx.fillStyle = inactive ? "#a2a9b1" : INK; ctx.textAlign = "right";
      ctx.font = `${L.font}px sans-serif`;
      ctx.fillText(n.feature_labels[node.i], node.x - 5, node.y + node.s / 2 + 4);
    }
  });
  el.cache = { L, links, n, biases: n.biases.map(floats), byCol };
  el.canvas.style.cursor = "default";
}

function bezierDistance(k, mx, my) {
  let best = 1e9, mid = (k.x0 + k.x1) / 2;
  for (let t = 0; t <= 1.0001; t += 0.0625) {
    const u = 1 - t, x = u * u * u * k.x0 + 3 * u * u * t * mid + 3 * u * t * t * mid + t * t * t * k.x1;
    const y = u * u * u * k.y0 + 3 * u * u * t * k.y0 + 3 * u * t * t * k.y1 + t * t * t * k.y1;
    best = Math.min(best, Math.hypot(x - mx, y - my));
  }
  return best;
}

function networkAt(el, mx, my, labels) {
  const c = el.cache; if (!c) return null;
  const node = c.L.nodes.find((q) => mx >= q.x && mx <= q.x + q.s && my >= q.y && my <= q.y + q.s);
  if (node) {
    const last = c.L.counts.length - 1;
    if (node.c === 0) return { node, text: `${c.n.feature_labels[node.i]} · ${c.n.active[node.i] ? labels.on : labels.off}` };
    const bias = c.biases[node.c - 1][node.i];
    const head = node.c === last ? labels.output : `${labels.layer} ${node.c} · ${c.n.activations[node.c - 1]}`;
    return { node, text: `${head} · #${node.i + 1} · ${labels.bias} ${fmt(bias)}` };
  }
  let best = null, bestD = 5;
  for (const k of c.links) {
    if (mx < Math.min(k.x0, k.x1) - 4 || mx > Math.max(k.x0, k.x1) + 4) continue;
    const dist = bezierDistance(k, mx, my);
    if (dist <= bestD) { bestD = dist; best = k; }
  }
  if (!best) return null;
  const from = best.l === 0 ? c.n.feature_labels[c.n.active.map((a, i) => (a ? i : -1)).filter((i) => i >= 0)[best.i]]
    : `${labels.layer} ${best.l} #${best.i + 1}`;
  const to = best.l === c.n.weights.length - 1 ? labels.output : `${labels.layer} ${best.l + 1} #${best.j + 1}`;
  return { text: `${labels.weight} ${fmt(best.v)} · ${from} → ${to}` };
}

// ---- loss curves --------------------------------------------------------------------------------

function drawLoss(el, d) {
  const c = d.frame.loss, w = Math.max(160, el.root.clientWidth || 300), h = d.height || 90;
  const ctx = sizeCanvas(el.canvas, w, h);
  ctx.clearRect(0, 0, w, h);
  const ep = floats(c.epoch), tr = floats(c.train), te = floats(c.test);
  let n = c.n;
  while (n > 1 && ep[n - 1] > d.frame.epoch) n -= 1;  // an earlier snapshot of this tick
  const left = 4, right = w - 4, top = 6, bottom = h - 14;
  ctx.strokeStyle = "#e3e6ea"; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(left, bottom + 0.5); ctx.lineTo(right, bottom + 0.5); ctx.stroke();
  if (n >= 1) {
    const e0 = ep[0], e1 = Math.max(ep[n - 1], e0 + 1), ymax = c.top * 1.05;
    const X = (e) => left + ((e - e0) / (e1 - e0)) * (right - left);
    const Y = (v) => bottom - Math.min(1, v / ymax) * (bottom - top);
    const line = (ys, colour, width) => {
      ctx.strokeStyle = colour; ctx.lineWidth = width; ctx.beginPath();
      let on = false;
      for (let i = 0; i < n; i++) {
        if (ys[i] < 0) { on = false; continue; }
        if (on) ctx.lineTo(X(ep[i]), Y(ys[i])); else ctx.moveTo(X(ep[i]), Y(ys[i]));
        on = true;
      }
      ctx.stroke();
    };
    line(tr, "#9aa3ad", 1.6);
    line(te, INK, 1.8);
    ctx.fillStyle = MUTED; ctx.font = "10px sans-serif";
    ctx.textAlign = "left"; ctx.fillText(`${d.labels.epoch} ${Math.round(e0)}`, left, h - 2);
    ctx.textAlign = "right"; ctx.fillText(String(Math.round(ep[n - 1])), right, h - 2);
    ctx.fillText(fmt(ymax, 2), right, top + 8);
  }
}

// ---- layer health: each layer's gradient size (log scale) and its switched-off ReLUs -------------

const HEALTH_LO = -7, HEALTH_HI = 1;  // log10 of the gradient norm at the bar's two ends

function drawHealth(el, d) {
  const hl = d.frame.health || { grad: [], dead: [] }, L = d.labels, rows = hl.grad.length;
  const w = Math.max(200, el.root.clientWidth || 300), row = 17, h = Math.max(1, rows) * row + 4;
  const ctx = sizeCanvas(el.canvas, w, h);
  ctx.clearRect(0, 0, w, h);
  const labelW = 64, textW = 120, left = labelW, right = Math.max(left + 40, w - textW);
  el.cache = { rows: [], row };
  ctx.font = "11px sans-serif"; ctx.textBaseline = "middle";
  for (let i = 0; i < rows; i++) {
    const y = 2 + i * row + row / 2, g = hl.grad[i], dead = hl.dead[i];
    const name = i === rows - 1 ? L.output : `${L.layer} ${i + 1}`;
    ctx.fillStyle = MUTED; ctx.textAlign = "left"; ctx.fillText(name, 0, y);
    ctx.fillStyle = "#eef0f3"; ctx.fillRect(left, y - 5, right - left, 10);
    const ok = g !== null && g !== undefined && Number.isFinite(g);
    const f = ok && g > 0 ? Math.max(0, Math.min(1, (Math.log10(g) - HEALTH_LO) / (HEALTH_HI - HEALTH_LO))) : 0;
    ctx.fillStyle = f < 0.25 ? "#c0392b" : "#2b7bba";  // below 1e-5: hardly any signal arrives
    ctx.fillRect(left, y - 5, f * (right - left), 10);
    const relu = dead !== null && dead !== undefined, off = relu ? Math.round(100 * dead) : 0;
    const text = (ok ? g.toExponential(1) : "–") + (relu && dead > 0 ? ` · ${off}% ${L.off}` : "");
    ctx.fillStyle = INK; ctx.textAlign = "left"; ctx.fillText(text, right + 6, y);
    el.cache.rows.push(`${name}: ${L.grad} ${ok ? g.toExponential(2) : "–"}` + (relu ? `, ${off}% ${L.off_long}` : ""));
  }
  el.root.dataset.grad = JSON.stringify(hl.grad);
}

// ---- dataset gallery ----------------------------------------------------------------------------

function galleryLayout(d, w) {
  const n = d.items.length, per = Math.max(4, Math.min(6, Math.floor(w / 52)));
  const tile = Math.floor((w - (per - 1) * 6) / per), rows = Math.ceil(n / per);
  return { per, tile, h: rows * (tile + 18) };
}

function drawGallery(el, d) {
  const w = Math.max(150, el.root.clientWidth || 260), G = galleryLayout(d, w);
  const ctx = sizeCanvas(el.canvas, w, G.h);
  ctx.clearRect(0, 0, w, G.h);
  el.cache = { G, rects: [] };
  d.items.forEach((item, k) => {
    const x = (k % G.per) * (G.tile + 6), y = Math.floor(k / G.per) * (G.tile + 18), t = G.tile;
    const chosen = item.name === d.selected;
    ctx.fillStyle = "#fff"; ctx.fillRect(x, y, t, t);
    const xy = u16(item.xy), cls = bytes(item.c), lut = bytes(d.lut_points), pal = d.palette;
    for (let i = 0; i < cls.length; i++) {
      const px = x + 2 + (xy[2 * i] / 65535) * (t - 4), py = y + t - 2 - (xy[2 * i + 1] / 65535) * (t - 4);
      ctx.fillStyle = item.mode === "regression" ? rgb(lut, cls[i]) : pal[cls[i] % pal.length];
      ctx.fillRect(px - 1, py - 1, 2.2, 2.2);
    }
    ctx.strokeStyle = chosen ? "#f59322" : EDGE; ctx.lineWidth = chosen ? 3 : 1;
    ctx.strokeRect(x + (chosen ? 1.5 : 0.5), y + (chosen ? 1.5 : 0.5), t - (chosen ? 3 : 1), t - (chosen ? 3 : 1));
    ctx.fillStyle = chosen ? INK : MUTED; ctx.font = `${chosen ? "bold " : ""}10px sans-serif`; ctx.textAlign = "center";
    ctx.fillText(item.label, x + t / 2, y + t + 12, t + 4);
    el.cache.rects.push({ x, y, t, name: item.name, label: item.label });
  });
  el.canvas.style.cursor = d.disabled ? "default" : "pointer";
}

// ---- epoch counter and losses (text, so the page and tests can read them) ---------------------

function drawEpoch(el, d) {
  const n = d.frame.epoch;
  const text = String(n).padStart(6, "0").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  el.text.innerHTML = `<div class="np-epoch-label">${d.labels.epoch}</div><div class="np-epoch">${text}</div>`;
  el.root.dataset.epoch = n;
}

function drawMetrics(el, d) {
  const m = d.frame.metrics, L = d.labels;
  const num = (v) => (v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(3));
  const rows = [["test", L.test_loss, num(m.test_loss)], ["train", L.train_loss, num(m.train_loss)]];
  if (m.test_accuracy !== null && m.test_accuracy !== undefined)
    rows.push(["none", L.test_accuracy, (100 * m.test_accuracy).toFixed(1) + "%"]);
  el.text.innerHTML = `<div class="np-metrics">${rows.map(([c, l, v]) => `<span><i class="${c}"></i>${l}</span><b>${v}</b>`).join("")}</div>`;
}

// ---- plumbing -----------------------------------------------------------------------------------

const DRAW = { boundary: drawBoundary, network: drawNetwork, loss: drawLoss, gallery: drawGallery,
  epoch: drawEpoch, metrics: drawMetrics, health: drawHealth };
const TEXT_VIEWS = new Set(["epoch", "metrics"]);
const LIVE_VIEWS = new Set(["boundary", "network", "loss", "epoch", "metrics", "health"]);

function localXY(el, ev) {
  const r = el.canvas.getBoundingClientRect();
  return [ev.clientX - r.left, ev.clientY - r.top];
}

function showTip(el, text, mx, my) {
  if (!text) { el.tip.style.display = "none"; return; }
  el.tip.textContent = text; el.tip.style.display = "block";
  const w = el.root.clientWidth;
  el.tip.style.left = Math.min(Math.max(0, w - el.tip.offsetWidth), mx + 12) + "px";
  el.tip.style.top = my + 14 + "px";
}

function mount(parent, kind) {
  const root = document.createElement("div");
  root.className = `np-canvas np-${kind}`;
  parent.appendChild(root);
  if (TEXT_VIEWS.has(kind)) {
    const el = { root, kind, text: root, pending: false, frame: BUS.latest };
    BUS.views.add(el);
    return el;
  }
  const canvas = document.createElement("canvas");
  const tip = document.createElement("div");
  tip.className = "np-tip";
  root.append(canvas, tip);
  const el = { root, canvas, tip, kind, pending: false, frame: BUS.latest };
  if (LIVE_VIEWS.has(kind)) BUS.views.add(el);
  canvas.addEventListener("mousemove", (ev) => {
    const d = el.data; if (!d) return;
    const [mx, my] = localXY(el, ev);
    if (kind === "boundary") {
      const h = boundaryAt(el, mx, my);
      showTip(el, h && `x₁ ${h.x1.toFixed(2)}, x₂ ${h.x2.toFixed(2)} → ${h.value}`, mx, my);
    } else if (kind === "network") {
      const h = networkAt(el, mx, my, d.labels);
      showTip(el, h && h.text, mx, my);
      canvas.style.cursor = h && h.node && h.node.c === 0 && d.features_clickable ? "pointer" : "default";
    } else if (kind === "health") {
      const i = el.cache ? Math.floor((my - 2) / el.cache.row) : -1;
      showTip(el, el.cache && el.cache.rows[i], mx, my);
    } else if (kind === "gallery") {
      const hit = el.cache && el.cache.rects.find((q) => mx >= q.x && mx <= q.x + q.t && my >= q.y && my <= q.y + q.t + 16);
      showTip(el, hit && hit.label, mx, my);
    }
  });
  canvas.addEventListener("mouseleave", () => showTip(el, null));
  canvas.addEventListener("click", (ev) => {
    const d = el.data; if (!d) return;
    const [mx, my] = localXY(el, ev);
    if (kind === "boundary" && d.clickable) {
      const h = boundaryAt(el, mx, my);
      if (h) el.send("click", { x1: +h.x1.toFixed(2), x2: +h.x2.toFixed(2), n: Date.now() });
    } else if (kind === "network" && d.features_clickable) {
      const h = networkAt(el, mx, my, d.labels);
      if (h && h.node && h.node.c === 0) el.send("feature", { name: el.cache.n.features[h.node.i], n: Date.now() });
    } else if (kind === "gallery" && !d.disabled) {
      const hit = el.cache && el.cache.rects.find((q) => mx >= q.x && mx <= q.x + q.t && my >= q.y && my <= q.y + q.t + 16);
      if (hit && hit.name !== d.selected) el.send("pick", hit.name);
    }
  });
  el.observer = new ResizeObserver(() => schedule(el));
  el.observer.observe(root);
  return el;
}

function schedule(el) {
  if (el.pending) return;
  el.pending = true;
  requestAnimationFrame(() => {
    el.pending = false;
    if (!el.data || !el.root.isConnected) return;
    const live = LIVE_VIEWS.has(el.kind);
    if (live && !el.frame) return;  // nothing to show until the feed's first frame
    const d = live ? { ...el.data, frame: el.frame } : el.data;
    const t0 = performance.now();
    DRAW[el.kind](el, d);
    stats(el.kind, live ? el.frame : null, performance.now() - t0);
  });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (data.kind === "feed") {
    play(data);
    watch(data, setTriggerValue);
    return undefined;
  }
  let el = parentElement.__np;
  if (!el || el.kind !== data.kind || !el.root.isConnected) {
    if (el) { el.root.remove(); BUS.views.delete(el); }
    el = parentElement.__np = mount(parentElement, data.kind);
  }
  el.send = setTriggerValue;
  el.data = data;
  schedule(el);
  return () => { BUS.views.delete(el); if (el.observer) el.observer.disconnect(); };
}
