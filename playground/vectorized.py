"""Many configurations that share a network shape, trained together as one stack of networks.

Every parameter, activation and optimizer state carries a last axis of lanes, one entry per
configuration, so each inner loop of the compiled kernel runs across configurations: contiguous,
independent lanes that the compiler turns into SIMD, with no reordering of any sum inside one network.
Each lane follows playground.training.Trainer step by step: TF-style ordered batches (or the same
per-seed shuffles), the loss definitions of losses.py, torch.optim's update formulas, TF Playground's
L1/L2 step after the optimizer step, the same per-epoch checks for divergence and early stopping. What
differs is rounding at the last bit (torch's kernels sum and call libm in their own order), so a lane
equals its single run to a tight tolerance, not bit for bit. Dropout and batch norm draw random masks or
couple the rows of a batch; `vector_key` returns None for them and the sweep runs those configurations
with Trainer.

A stack's lanes are split into blocks of whole SIMD vectors, each with its own arrays, and the blocks
train at the same time on a small shared thread pool (the kernel releases the GIL; numba's own
parallel=True is not used because its default threading layer aborts when entered from several threads
at once, as a Streamlit server with several sessions does). Lanes never interact, so the split does not
change any result. The pool has min(2, CPUs) threads, shared by every stack in the process; the
environment variable PLAYGROUND_SWEEP_THREADS sets another count (1 to the number of CPUs).
"""

from __future__ import annotations

import math
import os
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
import torch

from playground.config import Config
from playground.datasets import Data, make_data
from playground.losses import LOSSES
from playground.model import build_model
from playground.optim import make_optimizer, make_schedule

try:
    import numba
    from llvmlite import ir
    from numba.core import types
    from numba.extending import intrinsic

    AVAILABLE = os.environ.get("PLAYGROUND_VECTORIZED", "1") != "0"
except ImportError:  # without numba every configuration runs on Trainer, one after another
    numba = None
    AVAILABLE = False


def _jit(fn):
    # error_model="numpy": no per-division Python error checks, so the lane loops vectorise.
    # No fastmath: the lanes must round as Trainer does, not reassociate sums or fuse multiply-adds.
    return numba.njit(cache=True, nogil=True, error_model="numpy")(fn) if numba is not None else fn


def _inline(fn):
    return numba.njit(cache=True, inline="always", error_model="numpy")(fn) if numba is not None else fn


def _threads() -> int:
    """Threads of the shared pool: PLAYGROUND_SWEEP_THREADS if it is a whole number, within 1..CPUs."""
    cpus = os.cpu_count() or 1
    try:
        wanted = int(os.environ.get("PLAYGROUND_SWEEP_THREADS", ""))
    except ValueError:
        wanted = 2
    return max(1, min(wanted, cpus))


THREADS = _threads()
LANE_ALIGN = 8  # lanes per block come in multiples of this: one 512-bit vector of doubles
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    """The process-wide pool every stack's blocks run on, so concurrent sweeps share THREADS threads."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="sweep")
        return _pool


ACT_CODES = {"relu": 0, "leaky_relu": 1, "elu": 2, "gelu": 3, "silu": 4, "tanh": 5, "sigmoid": 6,
             "softplus": 7, "linear": 8}
LOSS_CODES = {"square_tanh": 0, "square": 1, "bce": 2, "ce": 3, "hinge": 4, "mse": 5, "mae": 6, "huber": 7}
OPT_CODES = {"sgd": 0, "momentum": 1, "nesterov": 2, "adagrad": 3, "rmsprop": 4, "adam": 5, "adamw": 6}
REG_CODES = {"none": 0, "l1": 1, "l2": 2}
RUNNING, DONE, DIVERGED, EARLY = 0, 1, 2, 3
STATUS_NAMES = {RUNNING: "running", DONE: "done", DIVERGED: "diverged", EARLY: "done"}
DIVERGED_LOSS = 1e12  # as training.DIVERGED_LOSS
EVAL_BLOCK = 16  # rows per forward pass when measuring a whole split (keeps the activations in cache)
SQRT_HALF = math.sqrt(0.5)
GELU_BETA = 1.12837916709551257390 * 0.70710678118654752440 * 0.5  # torch's kBeta: 1/sqrt(2*pi)
LOG2E = 1.4426950408889634
LN2_HI, LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10  # Cody-Waite split of ln 2
E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13 = (1.0 / math.factorial(i) for i in range(2, 14))

# hyper rows (per configuration)
H_MOMENTUM, H_DECAY, H_REG, H_RATE, H_HUBER, H_BETA1, H_BETA2, H_EPS, H_RHO, H_PATIENCE, H_BUDGET, \
    H_TARGET = range(12)
# state rows (per configuration)
S_STATUS, S_EPOCH, S_BEST, S_BEST_AT, S_REACHED = range(5)


# ---- compiled lanes --------------------------------------------------------------------------------


if numba is not None:
    @intrinsic
    def _pow2(typingctx, k):
        """2.0 ** k for a whole number -1022 <= k <= 1023, written straight into the exponent bits."""
        def codegen(context, builder, signature, args):
            i64 = ir.IntType(64)
            bits = builder.shl(builder.add(args[0], ir.Constant(i64, 1023)), ir.Constant(i64, 52))
            return builder.bitcast(bits, ir.DoubleType())
        return types.float64(types.int64), codegen


@_inline
def _tanh(x):
    """tanh within 2 ulp with one division and no branch, so a lane loop vectorises.

    |x| >= 0.625: (1 - e) / (1 + e) with e = exp(-2|x|) = 2^k p(r), p a degree-13 polynomial in Estrin's
    form (short dependency chains) and 2^k exact from its bits (|x| is capped at 20, where tanh is 1.0 in
    double); below: Cephes' rational form x + x s P(s) / Q(s), s = x^2. Both branches share the division.
    """
    ax = abs(x)
    y = -2.0 * (ax if ax < 20.0 else 20.0)
    k = math.floor(y * LOG2E + 0.5)
    r = (y - k * LN2_HI) - k * LN2_LO
    r2 = r * r
    r4 = r2 * r2
    b0 = (1.0 + r) + (E2 + E3 * r) * r2
    b1 = (E4 + E5 * r) + (E6 + E7 * r) * r2
    b2 = (E8 + E9 * r) + (E10 + E11 * r) * r2
    b3 = E12 + E13 * r
    e = ((b0 + b1 * r4) + (b2 + b3 * r4) * (r4 * r4)) * _pow2(int(k))
    s = x * x
    p = (-9.64399179425052238628e-1 * s - 9.92877231001918586564e1) * s - 1.61468768441708447952e3
    q = ((s + 1.12811678491632931402e2) * s + 2.23548839060100448583e3) * s + 4.84406305325125486048e3
    wide = ax >= 0.625
    t = (1.0 - e if wide else x * s * p) / (1.0 + e if wide else q)
    return (t if x > 0.0 else -t) if wide else x + t


@_jit
def _activate(code, z, a, rows):
    """a = f(z) on rows x lanes, as torch computes f."""
    G = z.shape[1]
    for r in range(rows):
        zr, ar = z[r], a[r]
        if code == 5:
            for g in range(G):
                ar[g] = _tanh(zr[g])
        elif code == 8:
            for g in range(G):
                ar[g] = zr[g]
        elif code == 0:
            for g in range(G):
                ar[g] = 0.0 if zr[g] < 0.0 else zr[g]
        elif code == 1:
            for g in range(G):
                ar[g] = zr[g] if zr[g] > 0.0 else zr[g] * 0.01
        elif code == 2:
            for g in range(G):
                ar[g] = math.expm1(zr[g]) if zr[g] <= 0.0 else zr[g]
        elif code == 3:
            for g in range(G):
                ar[g] = zr[g] * 0.5 * (1.0 + math.erf(zr[g] * SQRT_HALF))
        elif code == 4:
            for g in range(G):
                ar[g] = zr[g] / (1.0 + math.exp(-zr[g]))
        elif code == 6:
            for g in range(G):
                ar[g] = 1.0 / (1.0 + math.exp(-zr[g]))
        else:
            for g in range(G):
                ar[g] = zr[g] if zr[g] > 20.0 else math.log1p(math.exp(zr[g]))


@_jit
def _chain(code, z, a, d, rows):
    """d *= f'(z) on rows x lanes, from pre-activation z and output a, with torch's choices at the kinks."""
    if code == 8:
        return
    G = z.shape[1]
    for r in range(rows):
        zr, ar, dr = z[r], a[r], d[r]
        if code == 5:
            for g in range(G):
                dr[g] *= 1.0 - ar[g] * ar[g]
        elif code == 0:
            for g in range(G):
                dr[g] = 0.0 if ar[g] <= 0.0 else dr[g]
        elif code == 1:
            for g in range(G):
                dr[g] = dr[g] if zr[g] > 0.0 else dr[g] * 0.01
        elif code == 2:
            for g in range(G):
                dr[g] = dr[g] * math.exp(zr[g]) if zr[g] <= 0.0 else dr[g]
        elif code == 3:
            for g in range(G):
                cdf = 0.5 * (1.0 + math.erf(zr[g] * SQRT_HALF))
                dr[g] *= cdf + zr[g] * (math.exp(-0.5 * zr[g] * zr[g]) * GELU_BETA)
        elif code == 4:
            for g in range(G):
                s = 1.0 / (1.0 + math.exp(-zr[g]))
                dr[g] *= s * (1.0 + zr[g] * (1.0 - s))
        elif code == 6:
            for g in range(G):
                dr[g] *= (1.0 - ar[g]) * ar[g]
        else:
            for g in range(G):
                if zr[g] <= 20.0:
                    e = math.exp(zr[g])
                    dr[g] *= e / (e + 1.0)


# Arrays are unit-major with the lanes last: acts[layer, unit, row, lane]. Each sum runs in the same
# order as in a single network (inputs in order, then the bias); only the lanes run side by side.


@_jit
def _forward(P, layout, acts, pre, rows):
    """acts[0, :, :rows] holds the inputs; fills every layer's pre-activation and output."""
    G = P.shape[1]
    for l in range(layout.shape[0]):
        n_in, n_out, wo, bo, code = layout[l, 0], layout[l, 1], layout[l, 2], layout[l, 3], layout[l, 4]
        a_in = acts[l]
        for j in range(n_out):
            z = pre[l + 1, j]
            w, a = P[wo + j * n_in], a_in[0]
            for r in range(rows):
                for g in range(G):
                    z[r, g] = a[r, g] * w[g]
            for c in range(1, n_in):
                w, a = P[wo + j * n_in + c], a_in[c]
                for r in range(rows):
                    for g in range(G):
                        z[r, g] += a[r, g] * w[g]
            b = P[bo + j]
            for r in range(rows):
                for g in range(G):
                    z[r, g] += b[g]
            _activate(code, z, acts[l + 1, j], rows)


@_jit
def _loss(code, raw, t, y, off, rows, k, hdelta, total, delta, n_grad, want_grad):
    """Adds each lane's summed loss over rows off.. of t and y to total; with want_grad, d loss / d raw into delta.

    Whole arrays and an offset, never slices: a sliced row would lose its known unit stride and with it SIMD.
    """
    G = total.shape[0]
    if code == 3:
        m = np.empty(G)
        s = np.empty(G)
        for i in range(rows):
            for g in range(G):
                m[g] = raw[0, i, g]
            for j in range(1, k):
                for g in range(G):
                    m[g] = max(m[g], raw[j, i, g])
            s[:] = 0.0
            for j in range(k):
                for g in range(G):
                    s[g] += math.exp(raw[j, i, g] - m[g])
            for g in range(G):
                lse = m[g] + math.log(s[g])
                m[g] = lse
                total[g] += lse - raw[y[off + i, g], i, g]
            if want_grad:
                for j in range(k):
                    for g in range(G):
                        p = math.exp(raw[j, i, g] - m[g])
                        delta[j, i, g] = ((p - 1.0) if j == y[off + i, g] else p) / n_grad
        return
    for j in range(k):
        for i in range(rows):
            xi, ti, di = raw[j, i], t[j, off + i], delta[j, i]
            if code == 0 and want_grad:
                for g in range(G):
                    o = _tanh(xi[g])
                    d = o - ti[g]
                    total[g] += d * d
                    di[g] = (0.5 / n_grad) * (2.0 * d) * (1.0 - o * o)
            elif code == 0:
                for g in range(G):
                    d = _tanh(xi[g]) - ti[g]
                    total[g] += d * d
            elif code == 1:
                for g in range(G):
                    d = xi[g] - ti[g]
                    total[g] += d * d
                    if want_grad:
                        di[g] = (0.5 / n_grad) * (2.0 * d)
            elif code == 2:
                for g in range(G):
                    v = xi[g]
                    total[g] += (1.0 - ti[g]) * v - (min(v, 0.0) - math.log1p(math.exp(-abs(v))))
                    if want_grad:
                        di[g] = (1.0 / (1.0 + math.exp(-v)) - ti[g]) / n_grad
            elif code == 4:
                for g in range(G):
                    h = 1.0 - ti[g] * xi[g]
                    total[g] += h if h > 0.0 else 0.0
                    if want_grad:
                        di[g] = -ti[g] / n_grad if h >= 0.0 else 0.0
            elif code == 5:
                for g in range(G):
                    d = xi[g] - ti[g]
                    total[g] += d * d
                    if want_grad:
                        di[g] = 2.0 / n_grad * d
            elif code == 6:
                for g in range(G):
                    d = xi[g] - ti[g]
                    total[g] += abs(d)
                    if want_grad:
                        di[g] = (1.0 if d > 0.0 else (-1.0 if d < 0.0 else 0.0)) / n_grad
            else:
                for g in range(G):
                    d = xi[g] - ti[g]
                    ad = abs(d)
                    hd = hdelta[g]
                    total[g] += 0.5 * d * d if ad < hd else hd * (ad - 0.5 * hd)
                    if want_grad:
                        di[g] = (-hd if d < -hd else (hd if d > hd else d)) / n_grad


@_jit
def _backward(P, grads, layout, acts, pre, delta, spare, rows):
    """Every weight's and bias's gradient, lane by lane, from delta = d loss / d raw output."""
    G = P.shape[1]
    for l in range(layout.shape[0] - 1, -1, -1):
        n_in, n_out, wo, bo = layout[l, 0], layout[l, 1], layout[l, 2], layout[l, 3]
        a_in = acts[l]
        grads[wo:bo + n_out] = 0.0
        for i in range(rows):  # row by row into all of the layer's gradients, each summing its rows in order
            for j in range(n_out):
                for g in range(G):
                    grads[bo + j, g] += delta[j, i, g]
                for c in range(n_in):
                    p = wo + j * n_in + c
                    for g in range(G):
                        grads[p, g] += delta[j, i, g] * a_in[c, i, g]
        if l > 0:
            for c in range(n_in):
                s = spare[c]
                w, d = P[wo + c], delta[0]
                for i in range(rows):
                    for g in range(G):
                        s[i, g] = d[i, g] * w[g]
                for j in range(1, n_out):
                    w, d = P[wo + j * n_in + c], delta[j]
                    for i in range(rows):
                        for g in range(G):
                            s[i, g] += d[i, g] * w[g]
                _chain(layout[l - 1, 4], pre[l, c], a_in[c], s, rows)
            delta, spare = spare, delta


@_jit
def _step(opt, P, grads, s1, s2, lr, hyper, active, step):
    """torch.optim's update for each lane (dampening 0, no amsgrad); lanes not active stay put."""
    G = P.shape[1]
    mom, decay = hyper[H_MOMENTUM], hyper[H_DECAY]
    beta1, beta2, eps, rho = hyper[H_BETA1], hyper[H_BETA2], hyper[H_EPS], hyper[H_RHO]
    size = np.empty(G)
    root = np.empty(G)
    if opt >= 5:
        for g in range(G):
            size[g] = (lr[g] / (1.0 - beta1[g] ** float(step))) * -1.0
            root[g] = (1.0 - beta2[g] ** float(step)) ** 0.5
    for p in range(P.shape[0]):
        w, gr, m, v = P[p], grads[p], s1[p], s2[p]
        if opt == 0:
            for g in range(G):
                x = gr[g] + decay[g] * w[g] if decay[g] != 0.0 else gr[g]
                w[g] = w[g] - lr[g] * x if active[g] else w[g]
            continue
        for g in range(G):
            if not active[g]:
                continue
            x = gr[g]
            if opt == 6:
                if decay[g] != 0.0:
                    w[g] = w[g] * (1.0 - lr[g] * decay[g])
            elif decay[g] != 0.0:
                x = x + decay[g] * w[g]
            if opt <= 2:
                b = m[g] * mom[g] + x
                m[g] = b
                x = x + mom[g] * b if opt == 2 else b
                w[g] = w[g] - lr[g] * x
            elif opt == 3:
                v[g] = v[g] + x * x
                w[g] = w[g] + (x * -lr[g]) / (math.sqrt(v[g]) + eps[g])
            elif opt == 4:
                v[g] = v[g] * rho[g] + (1.0 - rho[g]) * x * x
                w[g] = w[g] + (-lr[g] * x) / (math.sqrt(v[g]) + eps[g])
            else:
                weight = 1.0 - beta1[g]
                if abs(weight) < 0.5:
                    m[g] = m[g] + weight * (x - m[g])
                else:
                    m[g] = x - (x - m[g]) * (1.0 - weight)
                v[g] = v[g] * beta2[g] + (1.0 - beta2[g]) * x * x
                w[g] = w[g] + size[g] * m[g] / (math.sqrt(v[g]) / root[g] + eps[g])


@_jit
def _regularize(P, layout, lr, hyper, active):
    """TF Playground's penalty step on the weights (not biases) after the gradient step."""
    kind, rate = hyper[H_REG], hyper[H_RATE]
    G = P.shape[1]
    shrink = np.zeros(G)
    any_reg = False
    for g in range(G):
        if active[g] and rate[g] > 0.0 and kind[g] != 0.0:
            shrink[g] = rate[g] * lr[g]
            any_reg = True
    if not any_reg:
        return
    for l in range(layout.shape[0]):
        wo = layout[l, 2]
        for p in range(wo, wo + layout[l, 0] * layout[l, 1]):
            w = P[p]
            for g in range(G):
                if shrink[g] == 0.0:
                    continue
                if kind[g] == 2.0:
                    w[g] = w[g] * (1.0 - shrink[g])
                else:
                    x = w[g]
                    sign = 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)
                    new = x - shrink[g] * sign
                    w[g] = 0.0 if new * x < 0.0 else new


@_jit
def _load(acts, x, start, rows):
    """Rows start.. of the inputs x (features, rows, lanes) into layer 0."""
    for c in range(x.shape[0]):
        for i in range(rows):
            src, dst = x[c, start + i], acts[0, c, i]
            for g in range(dst.shape[0]):
                dst[g] = src[g]


@_jit
def _measure(P, layout, code, x, t, y, acts, pre, hdelta, has_acc, loss, acc):
    """Mean loss (inf when not finite) and accuracy of each lane on a whole split (x: features, rows, lanes)."""
    n, G = x.shape[1], P.shape[1]
    if n == 0:
        loss[:] = np.nan
        acc[:] = np.nan
        return
    k = layout[layout.shape[0] - 1, 1]
    last = layout.shape[0]
    total = np.zeros(G)
    right = np.zeros(G)
    best = np.zeros(G, dtype=np.int64)
    for s in range(0, n, EVAL_BLOCK):
        rows = min(EVAL_BLOCK, n - s)
        _load(acts, x, s, rows)
        _forward(P, layout, acts, pre, rows)
        raw = acts[last]
        _loss(code, raw, t, y, s, rows, k, hdelta, total, pre[0], 1.0, False)
        if not has_acc:
            continue
        for i in range(rows):
            yi = y[s + i]
            if code == 3:
                best[:] = 0
                for j in range(1, k):
                    for g in range(G):
                        if raw[j, i, g] > raw[best[g], i, g]:
                            best[g] = j
                for g in range(G):
                    right[g] += best[g] == yi[g]
            else:
                r0 = raw[0, i]
                for g in range(G):
                    right[g] += (1 if r0[g] >= 0.0 else 0) == yi[g]
    count = n if code == 3 else n * k
    for g in range(G):
        v = total[g] / count
        v = 0.5 * v if code <= 1 else v
        loss[g] = v if math.isfinite(v) else np.inf
        acc[g] = right[g] / n if has_acc else np.nan


@_jit
def _train(P, good, grads, s1, s2, layout, opt, code, x_tr, t_tr, y_tr, x_te, t_te, y_te, order,
           bounds, lrs, hyper, state, acts, pre, delta, spare, tb, yb, counters, stride, has_acc, record):
    """Up to lrs.shape[0] epochs for every running lane; returns the epochs run.

    record[e] = (train loss, test loss, train acc, test acc) per lane; a lane's test entries are NaN on
    epochs that are neither on the stride nor its last, so its curve does not depend on its neighbours.
    """
    G = P.shape[1]
    n_feat, k = x_tr.shape[0], layout[layout.shape[0] - 1, 1]
    last = layout.shape[0]
    active = np.empty(G, dtype=np.bool_)
    bad = np.zeros(G)
    batch_loss = np.zeros(G)
    tr_loss, tr_acc = np.empty(G), np.empty(G)
    te_loss, te_acc = np.empty(G), np.empty(G)
    shuffled = order.shape[0] > 0
    for e in range(lrs.shape[0]):
        n_active = 0
        for g in range(G):
            active[g] = state[S_STATUS, g] == RUNNING
            n_active += active[g]
        if n_active == 0:
            return e
        lr = lrs[e]
        good[:, :] = P
        bad[:] = 0.0
        for bi in range(bounds.shape[0]):
            lo, hi = bounds[bi, 0], bounds[bi, 1]
            rows = hi - lo
            if shuffled:
                for i in range(rows):
                    for g in range(G):
                        src = order[e, lo + i, g]
                        for c in range(n_feat):
                            acts[0, c, i, g] = x_tr[c, src, g]
                        for c in range(t_tr.shape[0]):
                            tb[c, i, g] = t_tr[c, src, g]
                        yb[i, g] = y_tr[src, g]
                _forward(P, layout, acts, pre, rows)
                batch_loss[:] = 0.0
                _loss(code, acts[last], tb, yb, 0, rows, k, hyper[H_HUBER], batch_loss, delta,
                      float(rows if code == 3 else rows * k), True)
            else:
                _load(acts, x_tr, lo, rows)
                _forward(P, layout, acts, pre, rows)
                batch_loss[:] = 0.0
                _loss(code, acts[last], t_tr, y_tr, lo, rows, k, hyper[H_HUBER], batch_loss, delta,
                      float(rows if code == 3 else rows * k), True)
            for g in range(G):
                if not math.isfinite(batch_loss[g]):
                    bad[g] = 1.0
            _backward(P, grads, layout, acts, pre, delta, spare, rows)
            counters[0] += 1
            _step(opt, P, grads, s1, s2, lr, hyper, active, counters[0])
            _regularize(P, layout, lr, hyper, active)
        _measure(P, layout, code, x_tr, t_tr, y_tr, acts, pre, hyper[H_HUBER], has_acc, tr_loss, tr_acc)
        counters[1] += 1
        epoch = counters[1]
        stopping = False
        diverged = False
        for g in range(G):
            if not active[g]:
                continue
            state[S_EPOCH, g] = epoch
            finite = bad[g] == 0.0 and math.isfinite(tr_loss[g]) and tr_loss[g] < DIVERGED_LOSS
            if finite:
                for p in range(P.shape[0]):
                    if not math.isfinite(P[p, g]):
                        finite = False
                        break
            if not finite:
                P[:, g] = good[:, g]
                state[S_STATUS, g] = DIVERGED
                diverged = stopping = True
            if epoch >= hyper[H_BUDGET, g] or hyper[H_PATIENCE, g] > 0.0:
                stopping = True
        if diverged:
            _measure(P, layout, code, x_tr, t_tr, y_tr, acts, pre, hyper[H_HUBER], has_acc, tr_loss, tr_acc)
        if stopping or epoch % stride == 0:
            _measure(P, layout, code, x_te, t_te, y_te, acts, pre, hyper[H_HUBER], has_acc, te_loss, te_acc)
        for g in range(G):
            if not active[g]:
                continue
            if state[S_STATUS, g] == RUNNING:
                if state[S_REACHED, g] < 0.0 and tr_loss[g] <= hyper[H_TARGET, g]:
                    state[S_REACHED, g] = epoch
                if hyper[H_PATIENCE, g] > 0.0:
                    if te_loss[g] < state[S_BEST, g] - 1e-12:
                        state[S_BEST, g] = te_loss[g]
                        state[S_BEST_AT, g] = epoch
                    elif epoch - state[S_BEST_AT, g] >= hyper[H_PATIENCE, g]:
                        state[S_STATUS, g] = EARLY
                if state[S_STATUS, g] == RUNNING and epoch >= hyper[H_BUDGET, g]:
                    state[S_STATUS, g] = DONE
            shown = epoch % stride == 0 or state[S_STATUS, g] != RUNNING  # a lane stopping had it measured
            record[e, 0, g] = tr_loss[g]
            record[e, 1, g] = te_loss[g] if shown else np.nan
            record[e, 2, g] = tr_acc[g]
            record[e, 3, g] = te_acc[g] if shown else np.nan
    return lrs.shape[0]


@_jit
def _initial(P, layout, code, x_tr, t_tr, y_tr, x_te, t_te, y_te, acts, pre, hdelta, has_acc, out):
    """Epoch 0: every lane's metrics before training."""
    _measure(P, layout, code, x_tr, t_tr, y_tr, acts, pre, hdelta, has_acc, out[0], out[2])
    _measure(P, layout, code, x_te, t_te, y_te, acts, pre, hdelta, has_acc, out[1], out[3])


# ---- which configurations share a stack -----------------------------------------------------------


def vector_key(config: Config, n_train: int, n_test: int) -> tuple | None:
    """What must be equal for configurations to train as one stack; None when only Trainer can run it."""
    if not AVAILABLE or n_train == 0:
        return None
    if any(l.dropout > 0 or l.batch_norm for l in config.layers):
        return None  # random masks and batch statistics: not reproducible lane by lane
    return (len(config.features), tuple((l.units, l.activation) for l in config.layers), config.n_outputs,
            config.problem, config.loss, config.optimizer, config.batch_size, config.shuffle, n_train, n_test)


def loss_code(config: Config) -> int:
    if config.loss == "square":
        return LOSS_CODES["square_tanh" if config.problem == "classification" else "square"]
    return LOSS_CODES[config.loss]


def batch_bounds(n: int, batch_size: int) -> np.ndarray:
    """Trainer's ordered batches: [start, end) rows of each, the last one possibly short."""
    return np.array([(s, min(s + batch_size, n)) for s in range(0, n, batch_size)], dtype=np.int64).reshape(-1, 2)


def rates(config: Config, epochs: int) -> np.ndarray:
    """The learning rate of each of the first `epochs` epochs, read from the config's real scheduler."""
    if config.schedule == "constant":
        return np.full(epochs, float(config.learning_rate))
    dummy = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer([dummy], config)
    sched = make_schedule(opt, config, 0)
    out = np.empty(epochs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for e in range(epochs):
            out[e] = opt.param_groups[0]["lr"]
            sched.step()
    return out


@dataclass
class Lane:
    """One configuration's outcome: final metrics, its loss curves and its trained weights."""

    config: Config
    status: str = "running"
    epoch: int = 0
    train_loss: float = math.nan
    test_loss: float = math.nan
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    epochs_to_target: int | None = None
    message: str = ""
    seconds: float = 0.0
    vectorised: bool = True
    curve: dict = field(default_factory=lambda: {"epoch": [], "train_loss": [], "test_loss": [],
                                                 "test_accuracy": []})
    weights: list = field(default_factory=list)  # [(W (out, in), b (out,)), ...] numpy


class Stack:
    """Configurations with one vector_key, trained together; advance() in slices, read lanes() any time.

    The lanes are split into one block per thread (`threads`, default THREADS) of whole SIMD vectors.
    """

    def __init__(self, configs: list[Config], datas: list[Data], target: float = -math.inf, stride: int = 1,
                 threads: int | None = None):
        self.configs = configs
        self.n = G = len(configs)
        first = configs[0]
        self.has_acc = first.problem == "classification"
        self.code = loss_code(first)
        self.opt = OPT_CODES[first.optimizer]
        self.stride = max(1, int(stride))
        self.epochs = max(c.epochs for c in configs)
        sizes = first.shape()
        rows, offset = [], 0
        acts = [l.activation for l in first.layers] + ["linear"]
        for n_in, n_out, act in zip(sizes[:-1], sizes[1:], acts, strict=True):
            rows.append((n_in, n_out, offset, offset + n_in * n_out, ACT_CODES[act]))
            offset += n_in * n_out + n_out
        self.layout = np.array(rows, dtype=np.int64).reshape(-1, 5)
        P = np.empty((offset, G))
        initial: dict[tuple, np.ndarray] = {}  # lanes that differ only in rates start from the same weights
        for g, c in enumerate(configs):
            key = (c.init, c.seed, tuple(c.layers), len(c.features), c.n_outputs)
            if key not in initial:
                initial[key] = np.concatenate([t.detach().reshape(-1).numpy() for lin in build_model(c).linears()
                                               for t in (lin.weight, lin.bias)])
            P[:, g] = initial[key]
        splits = self._data(datas)
        hyper = np.array([[c.momentum, c.weight_decay, REG_CODES[c.regularization], c.regularization_rate,
                           c.huber_delta, c.beta1, c.beta2, c.eps, c.rho, c.early_stopping, c.epochs, target]
                          for c in configs], dtype=np.float64).T
        lrs = np.stack([rates(c, self.epochs) for c in configs], axis=1)
        self.bounds = batch_bounds(self.n_train, first.batch_size)
        self.shuffle_gens = [torch.Generator().manual_seed(c.seed + 2) for c in configs] if first.shuffle else None
        per = LANE_ALIGN * math.ceil(G / (LANE_ALIGN * max(1, threads or THREADS)))
        self.blocks = [self._block(P, splits, hyper, lrs, lo, min(lo + per, G)) for lo in range(0, G, per)]
        self.seconds = 0.0
        first_metrics = np.concatenate([self._first_metrics(b) for b in self.blocks], axis=1)
        self.curve_epochs = np.zeros(1, dtype=np.int64)  # epochs where some lane's test split was recorded
        self.curve_values = first_metrics[None]  # (epoch, metric, lane) as in record
        self.last = first_metrics.copy()

    def _data(self, datas: list[Data]) -> dict[str, np.ndarray]:
        """Inputs, loss targets and labels of every configuration, lanes last: (rows, columns, G)."""
        first = self.configs[0]
        spec = LOSSES[first.loss]
        classify = first.problem == "classification"
        n_feat = len(first.features)

        def targets(labels):
            if first.loss == "ce":
                return np.zeros((len(labels), 1))
            t = spec.targets(labels, first.problem).numpy()
            return t.reshape(len(labels), -1).astype(np.float64)

        def labels(y):
            return np.asarray(y).astype(np.int64) if classify else np.zeros(len(y), np.int64)

        def inputs(x):
            return np.asarray(x, dtype=np.float64).reshape(-1, n_feat).T

        def split(d: Data) -> dict[str, np.ndarray]:
            return {"x_tr": inputs(d.train_inputs), "t_tr": targets(d.train_labels).T, "y_tr": labels(d.train_labels),
                    "x_te": inputs(d.test_inputs), "t_te": targets(d.test_labels).T, "y_te": labels(d.test_labels)}

        self.n_train, self.n_test = len(datas[0].train_labels), len(datas[0].test_labels)
        unique: dict[int, dict] = {}  # lanes that differ only in rates share one Data
        for d in datas:
            if id(d) not in unique:
                unique[id(d)] = split(d)
        lanes = [unique[id(d)] for d in datas]
        return {name: np.stack([lane[name] for lane in lanes], axis=-1) for name in lanes[0]}

    def _block(self, P, splits, hyper, lrs, lo: int, hi: int) -> SimpleNamespace:
        """Lanes lo:hi with arrays of their own, contiguous along the lanes as the kernel needs them."""
        G = hi - lo

        def own(a):
            return np.ascontiguousarray(a[..., lo:hi])

        b = SimpleNamespace(lo=lo, hi=hi, P=own(P), hyper=own(hyper), lrs=own(lrs),
                            **{name: own(a) for name, a in splits.items()})
        b.good = np.empty_like(b.P)
        b.grads = np.zeros_like(b.P)
        b.s1 = np.zeros_like(b.P)
        b.s2 = np.zeros_like(b.P)
        width = int(max(self.configs[0].shape()))
        r = max(min(self.configs[0].batch_size, self.n_train), 1, EVAL_BLOCK)
        b.acts = np.zeros((len(self.layout) + 1, width, r, G))
        b.pre = np.zeros_like(b.acts)
        b.delta = np.zeros((width, r, G))
        b.spare = np.zeros_like(b.delta)
        b.tb = np.zeros((b.t_tr.shape[0], r, G))
        b.yb = np.zeros((r, G), dtype=np.int64)
        b.state = np.zeros((5, G))
        b.state[S_BEST] = np.inf
        b.state[S_REACHED] = -1.0
        b.counters = np.zeros(2, dtype=np.int64)
        return b

    def _first_metrics(self, b: SimpleNamespace) -> np.ndarray:
        """Epoch 0 of one block: its lanes' metrics before training."""
        out = np.empty((4, b.hi - b.lo))
        _initial(b.P, self.layout, self.code, b.x_tr, b.t_tr, b.y_tr, b.x_te, b.t_te, b.y_te, b.acts, b.pre,
                 b.hyper[H_HUBER], self.has_acc, out)
        return out

    @property
    def epoch(self) -> int:
        return max(int(b.counters[1]) for b in self.blocks)

    @property
    def state(self) -> np.ndarray:
        return np.concatenate([b.state for b in self.blocks], axis=1)

    @property
    def done(self) -> bool:
        return not any((b.state[S_STATUS] == RUNNING).any() for b in self.blocks)

    def advance(self, epochs: int) -> int:
        """Train up to `epochs` more epochs; returns how many ran (0 once every lane has stopped)."""
        start = self.epoch
        n = min(int(epochs), self.epochs - start)
        if n <= 0 or self.done:
            return 0
        t0 = time.perf_counter()
        order = np.zeros((0, 1, self.n), dtype=np.int64)
        if self.shuffle_gens is not None:
            size = self.n_train
            order = np.stack([np.stack([torch.randperm(size, generator=gen).numpy() for gen in self.shuffle_gens],
                                       axis=-1) for _ in range(n)])
        record = np.full((n, 4, self.n), np.nan)

        def train(b: SimpleNamespace) -> int:
            part = np.full((n, 4, b.hi - b.lo), np.nan)
            ran = _train(b.P, b.good, b.grads, b.s1, b.s2, self.layout, self.opt, self.code, b.x_tr, b.t_tr,
                         b.y_tr, b.x_te, b.t_te, b.y_te, np.ascontiguousarray(order[..., b.lo:b.hi]), self.bounds,
                         b.lrs[start:start + n], b.hyper, b.state, b.acts, b.pre, b.delta, b.spare, b.tb, b.yb,
                         b.counters, self.stride, self.has_acc, part)
            record[..., b.lo:b.hi] = part
            return ran

        if len(self.blocks) == 1:
            ran = train(self.blocks[0])
        else:
            ran = max(_executor().map(train, self.blocks))
        self._keep(start, record[:ran])
        self.seconds += time.perf_counter() - t0
        return ran

    def _keep(self, start: int, record: np.ndarray) -> None:
        """Each lane's latest metrics, and the epochs where the test split was measured (the curves)."""
        lanes = np.arange(self.n)
        for row in (0, 1):  # train entries exist on every epoch a lane ran, test ones where it was measured
            seen = ~np.isnan(record[:, row, :])
            has = seen.any(axis=0)
            last = len(record) - 1 - np.argmax(seen[::-1], axis=0)
            for k in (row, row + 2):
                self.last[k, has] = record[last[has], k, lanes[has]]
        rows = np.flatnonzero((~np.isnan(record[:, 1, :])).any(axis=1))
        if len(rows):
            self.curve_epochs = np.concatenate([self.curve_epochs, start + 1 + rows])
            self.curve_values = np.concatenate([self.curve_values, record[rows]])

    def weights(self, g: int) -> list[tuple[np.ndarray, np.ndarray]]:
        b = next(b for b in self.blocks if b.lo <= g < b.hi)
        lane = b.P[:, g - b.lo]
        return [(lane[wo:wo + n_in * n_out].reshape(n_out, n_in).copy(), lane[bo:bo + n_out].copy())
                for n_in, n_out, wo, bo, _ in self.layout]

    def lane(self, g: int) -> Lane:
        """Where configuration g stands now (status `stopped` if it is still running)."""
        cfg = self.configs[g]
        state = self.state[:, g]
        status = int(state[S_STATUS])
        name = STATUS_NAMES[status] if status != RUNNING else ("running" if self.epoch == 0 else "stopped")
        message = ""
        epoch = int(state[S_EPOCH])
        if status == DIVERGED:
            message = (f"Training diverged at epoch {epoch}: the loss became infinite or NaN. "
                       f"Try a smaller learning rate.")
        elif status == EARLY:
            message = (f"early stopping: no better test loss for {cfg.early_stopping} epochs "
                       f"(best at epoch {int(state[S_BEST_AT])})")
        values = self.curve_values[:, :, g]
        keep = ~np.isnan(values[:, 1])
        epochs, values = self.curve_epochs[keep], values[keep]
        curve = {"epoch": epochs.tolist(), "train_loss": values[:, 0].tolist(), "test_loss": values[:, 1].tolist(),
                 "test_accuracy": [None if math.isnan(v) else v for v in values[:, 3].tolist()]}
        reached = int(state[S_REACHED])
        return Lane(
            config=cfg, status=name, epoch=epoch, train_loss=float(self.last[0, g]),
            test_loss=float(self.last[1, g]),
            train_accuracy=float(self.last[2, g]) if self.has_acc else None,
            test_accuracy=float(self.last[3, g]) if self.has_acc and not math.isnan(self.last[3, g]) else None,
            epochs_to_target=reached if reached >= 0 else None, message=message,
            seconds=self.seconds / self.n, curve=curve, weights=self.weights(g),
        )

    def lanes(self) -> list[Lane]:
        return [self.lane(g) for g in range(self.n)]


def warm_up() -> float:
    """Compile (or load from numba's cache) the kernels once; returns the seconds it took."""
    if not AVAILABLE:
        return 0.0
    t0 = time.perf_counter()
    cfg = Config(n_samples=50, epochs=2)
    Stack([cfg], [make_data(cfg)]).advance(2)
    return time.perf_counter() - t0
