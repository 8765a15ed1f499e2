"""A compiled training path for plain MLPs: whole epochs in one numba call, exact to autograd.

The torch parameters (and the optimizer's moments) are rebound as views of flat float64 buffers and
the compiled code works on numpy views of that same memory, so torch and this path always see the same
weights and a run can move between them. It covers every activation and loss, any batch size,
shuffling, every optimizer of the config (SGD, momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW, with
weight decay), TF Playground's L1/L2 step, schedules and early stopping; dropout and batch norm stay on
autograd (`supports` and `structural_support` say which). Without numba the module still imports and
`AVAILABLE` is False. Sums run in the same order as torch's and no fastmath is used, so results agree
with autograd to rounding (about 1e-15 per step), not bit for bit; each path is bit-reproducible.
"""

from __future__ import annotations

import math
import os
import threading
import time

import numpy as np
import torch

try:
    import numba

    AVAILABLE = os.environ.get("PLAYGROUND_FASTPATH", "1") != "0"
except ImportError:  # the torch path covers everything; this one is only faster
    numba = None
    AVAILABLE = False


def _jit(fn):
    # No fastmath: the compiled path must round like autograd, never reassociate. The numpy error
    # model makes x/0 give inf or NaN as torch does (no exception) and lets loops vectorise.
    return numba.njit(cache=True, nogil=True, error_model="numpy")(fn) if numba is not None else fn


ACT_CODES = {"relu": 0, "leaky_relu": 1, "elu": 2, "gelu": 3, "silu": 4, "tanh": 5, "sigmoid": 6,
             "softplus": 7, "linear": 8}
# square on a classification problem puts a tanh on the output (TF Playground); on regression it does not
LOSS_CODES = {"square_tanh": 0, "square": 1, "bce": 2, "ce": 3, "hinge": 4, "mse": 5, "mae": 6, "huber": 7}
REG_CODES = {"none": 0, "l1": 1, "l2": 2}
SGD, ADAM, ADAMW, RMSPROP, ADAGRAD = range(5)
# the kernel's hyper-parameter vector
H_OPT, H_DECAY, H_MOMENTUM, H_NESTEROV, H_BETA1, H_BETA2, H_EPS, H_RHO, H_LR_DECAY, H_REG, H_RATE, H_LOSS, \
    H_HUBER, H_PATIENCE, H_ACC = range(15)
RUNNING, DIVERGED, EARLY_STOP = 0, 1, 2
DIVERGED_LOSS = 1e12
GELU_BETA = 2.0 / math.sqrt(math.pi) * math.sqrt(0.5) * 0.5  # torch's kBeta: 1/sqrt(2*pi)
SQRT_HALF = math.sqrt(0.5)
LOG2E = 1.4426950408889634
LN2_HI, LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10  # Cody-Waite split of ln 2
E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13 = (1.0 / math.factorial(i) for i in range(2, 14))


# ---- the compiled kernels ----------------------------------------------------------------------


@_jit
def _tanh_rows(z, a, rows):
    """a[:rows] = tanh(z[:rows]) within 2 ulp, branch-free so the loop vectorises (4x libm's speed).

    |z| >= 0.625: (1 - e) / (1 + e) with e = exp(-2|z|) from a degree-13 polynomial and an exact
    power of two built from the bits of k (|z| is capped at 20, where tanh is 1.0 in double);
    below: Cephes' rational form z + z s P(s) / Q(s), s = z^2. NaN takes the second branch and stays NaN.
    """
    for i in range(rows):
        x = z[i]
        ax = abs(x)
        y = -2.0 * (ax if ax < 20.0 else 20.0)
        k = math.floor(y * LOG2E + 0.5)
        r = (y - k * LN2_HI) - k * LN2_LO
        p = ((((((((((((E13 * r + E12) * r + E11) * r + E10) * r + E9) * r + E8) * r + E7) * r + E6) * r
                  + E5) * r + E4) * r + E3) * r + E2) * r + 1.0) * r + 1.0
        m = -k
        p *= 0.5 if m & 1 else 1.0
        p *= 0.25 if m & 2 else 1.0
        p *= 0.0625 if m & 4 else 1.0
        p *= 0.00390625 if m & 8 else 1.0
        p *= 1.52587890625e-05 if m & 16 else 1.0
        p *= 2.3283064365386963e-10 if m & 32 else 1.0
        s = x * x
        pp = (-9.64399179425052238628e-1 * s - 9.92877231001918586564e1) * s - 1.61468768441708447952e3
        q = ((s + 1.12811678491632931402e2) * s + 2.23548839060100448583e3) * s + 4.84406305325125486048e3
        wide = ax >= 0.625
        t = (1.0 - p if wide else x * s * pp) / (1.0 + p if wide else q)
        a[i] = (t if x > 0.0 else -t) if wide else x + t


@_jit
def _activate(code, z, a, rows):
    """a[:rows] = f(z[:rows]) for one unit, as torch computes f (relu and friends propagate NaN)."""
    if code == 5:
        _tanh_rows(z, a, rows)
    elif code == 8:
        for i in range(rows):
            a[i] = z[i]
    elif code == 0:
        for i in range(rows):
            a[i] = 0.0 if z[i] < 0.0 else z[i]
    elif code == 1:
        for i in range(rows):
            a[i] = z[i] if z[i] > 0.0 else z[i] * 0.01
    elif code == 2:
        for i in range(rows):
            a[i] = math.expm1(z[i]) if z[i] <= 0.0 else z[i]
    elif code == 3:
        for i in range(rows):
            a[i] = z[i] * 0.5 * (1.0 + math.erf(z[i] * SQRT_HALF))
    elif code == 4:
        for i in range(rows):
            a[i] = z[i] / (1.0 + math.exp(-z[i]))
    elif code == 6:
        for i in range(rows):
            a[i] = 1.0 / (1.0 + math.exp(-z[i]))
    else:
        for i in range(rows):
            a[i] = z[i] if z[i] > 20.0 else math.log1p(math.exp(z[i]))


@_jit
def _chain(code, z, a, g, rows):
    """g[:rows] *= f'(z) from pre-activation z and output a, with torch's choices at the kinks."""
    if code == 5:
        for i in range(rows):
            g[i] *= 1.0 - a[i] * a[i]
    elif code == 8:
        return
    elif code == 0:
        for i in range(rows):
            g[i] = 0.0 if a[i] <= 0.0 else g[i]
    elif code == 1:
        for i in range(rows):
            g[i] = g[i] if z[i] > 0.0 else g[i] * 0.01
    elif code == 2:
        for i in range(rows):
            g[i] = g[i] * math.exp(z[i]) if z[i] <= 0.0 else g[i]
    elif code == 3:
        for i in range(rows):
            cdf = 0.5 * (1.0 + math.erf(z[i] * SQRT_HALF))
            g[i] *= cdf + z[i] * (math.exp(-0.5 * z[i] * z[i]) * GELU_BETA)
    elif code == 4:
        for i in range(rows):
            s = 1.0 / (1.0 + math.exp(-z[i]))
            g[i] *= s * (1.0 + z[i] * (1.0 - s))
    elif code == 6:
        for i in range(rows):
            g[i] *= (1.0 - a[i]) * a[i]
    else:
        for i in range(rows):
            if z[i] <= 20.0:
                e = math.exp(z[i])
                g[i] *= e / (e + 1.0)


# Activations are stored unit-major, acts[layer, unit, row]: every inner loop runs along the rows,
# contiguous and independent, so it vectorises without reordering any sum.


@_jit
def _forward(params, layout, acts, pre, rows):
    """acts[0, :, :rows] holds the inputs; fills every layer's pre-activation and output."""
    for l in range(layout.shape[0]):
        n_in, n_out, wo, bo, code = layout[l, 0], layout[l, 1], layout[l, 2], layout[l, 3], layout[l, 4]
        a_in = acts[l]
        for j in range(n_out):
            z = pre[l + 1, j]
            w = params[wo + j * n_in]
            a0 = a_in[0]
            for i in range(rows):
                z[i] = a0[i] * w
            for c in range(1, n_in):
                w = params[wo + j * n_in + c]
                ac = a_in[c]
                for i in range(rows):
                    z[i] += ac[i] * w
            b = params[bo + j]
            for i in range(rows):
                z[i] += b
            _activate(code, z, acts[l + 1, j], rows)


@_jit
def _loss(code, raw, t, y, rows, k, hdelta, delta, want_grad):
    """Mean loss over the rows of raw (k x rows); with want_grad, d loss / d raw into delta."""
    total = 0.0
    if code == 3:
        for i in range(rows):
            m = raw[0, i]
            for j in range(1, k):
                m = max(m, raw[j, i])
            s = 0.0
            for j in range(k):
                s += math.exp(raw[j, i] - m)
            lse = m + math.log(s)
            total += lse - raw[y[i], i]
            if want_grad:
                for j in range(k):
                    p = math.exp(raw[j, i] - lse)
                    delta[j, i] = ((p - 1.0) if j == y[i] else p) / rows
        return total / rows
    n = rows * k
    for j in range(k):
        if code == 0:
            _tanh_rows(raw[j], delta[j], rows)  # the output unit's tanh, read back just below
        for i in range(rows):
            x = raw[j, i]
            tt = t[j, i]
            g = 0.0
            if code <= 1:
                o = delta[j, i] if code == 0 else x
                d = o - tt
                total += d * d
                g = (0.5 / n) * (2.0 * d)
                if code == 0:
                    g *= 1.0 - o * o
            elif code == 2:
                total += (1.0 - tt) * x - (min(x, 0.0) - math.log1p(math.exp(-abs(x))))
                g = (1.0 / (1.0 + math.exp(-x)) - tt) / n
            elif code == 4:
                h = 1.0 - tt * x
                total += h if h > 0.0 else 0.0
                g = -tt / n if h >= 0.0 else 0.0
            elif code == 5:
                d = x - tt
                total += d * d
                g = 2.0 / n * d
            elif code == 6:
                d = x - tt
                total += abs(d)
                g = (1.0 if d > 0.0 else (-1.0 if d < 0.0 else 0.0)) / n
            else:
                d = x - tt
                ad = abs(d)
                total += 0.5 * d * d if ad < hdelta else hdelta * (ad - 0.5 * hdelta)
                g = (-hdelta if d < -hdelta else (hdelta if d > hdelta else d)) / n
            if want_grad:
                delta[j, i] = g
    mean = total / n
    return 0.5 * mean if code <= 1 else mean


@_jit
def _backward(params, grads, layout, acts, pre, delta, spare, rows):
    """Gradients of every weight and bias from delta = d loss / d raw output (units x rows)."""
    for l in range(layout.shape[0] - 1, -1, -1):
        n_in, n_out, wo, bo = layout[l, 0], layout[l, 1], layout[l, 2], layout[l, 3]
        a_in = acts[l]
        for j in range(n_out):
            d = delta[j]
            sb = 0.0
            for i in range(rows):
                sb += d[i]
            grads[bo + j] = sb
            for c in range(n_in):
                ac = a_in[c]
                s = 0.0
                for i in range(rows):
                    s += d[i] * ac[i]
                grads[wo + j * n_in + c] = s
        if l > 0:
            for c in range(n_in):
                g = spare[c]
                w = params[wo + c]
                d = delta[0]
                for i in range(rows):
                    g[i] = d[i] * w
                for j in range(1, n_out):
                    w = params[wo + j * n_in + c]
                    d = delta[j]
                    for i in range(rows):
                        g[i] += d[i] * w
                _chain(layout[l - 1, 4], pre[l, c], a_in[c], g, rows)
            delta, spare = spare, delta


@_jit
def _evaluate(params, layout, x, t, y, acts, pre, spare, code, hdelta, has_acc, dead):
    """(mean loss, accuracy) on a whole split; dead[0] counts relu units <= 0 on every row."""
    rows = x.shape[1]
    if rows == 0:
        return np.nan, np.nan
    for c in range(x.shape[0]):
        for i in range(rows):
            acts[0, c, i] = x[c, i]
    _forward(params, layout, acts, pre, rows)
    n_lin = layout.shape[0]
    k = layout[n_lin - 1, 1]
    raw = acts[n_lin]
    value = _loss(code, raw, t, y, rows, k, hdelta, spare, False)
    acc = np.nan
    if has_acc:
        right = 0
        for i in range(rows):
            if code == 3:
                best = 0
                for j in range(1, k):
                    if raw[j, i] > raw[best, i]:
                        best = j
                right += best == y[i]
            else:
                right += (1 if raw[0, i] >= 0.0 else 0) == y[i]
        acc = right / rows
    if dead.shape[0] > 0:
        dead[0] = 0.0
        for l in range(n_lin - 1):
            if layout[l, 4] != 0:
                continue
            for j in range(layout[l, 1]):
                alive = False
                for i in range(rows):
                    if not (acts[l + 1, j, i] <= 0.0):
                        alive = True
                        break
                if not alive:
                    dead[0] += 1.0
    return value, acc


@_jit
def _update(kind, params, grads, s1, s2, lr, t, hyper):
    """One torch.optim step (foreach formulas), element by element; t is the step count after it."""
    decay = hyper[H_DECAY]
    if kind == SGD:  # dampening 0; s1 = momentum buffer
        momentum, nesterov = hyper[H_MOMENTUM], hyper[H_NESTEROV] != 0.0
        for i in range(params.shape[0]):
            g = grads[i]
            if decay != 0.0:
                g = g + decay * params[i]
            if momentum != 0.0:
                b = s1[i] * momentum + g
                s1[i] = b
                g = g + momentum * b if nesterov else b
            params[i] = params[i] - lr * g
    elif kind == ADAM or kind == ADAMW:  # s1, s2 = exp_avg, exp_avg_sq
        beta1, beta2, eps = hyper[H_BETA1], hyper[H_BETA2], hyper[H_EPS]
        step_size = (lr / (1.0 - beta1 ** t)) * -1.0
        bc2_sqrt = (1.0 - beta2 ** t) ** 0.5
        w = 1.0 - beta1
        for i in range(params.shape[0]):
            g = grads[i]
            if decay != 0.0:
                if kind == ADAMW:
                    params[i] = params[i] * (1.0 - lr * decay)
                else:
                    g = g + decay * params[i]
            m = s1[i]
            m = m + w * (g - m) if w < 0.5 else g - (g - m) * (1.0 - w)  # torch's lerp
            s1[i] = m
            v = s2[i] * beta2
            v = v + (1.0 - beta2) * g * g
            s2[i] = v
            params[i] = params[i] + step_size * (m / (math.sqrt(v) / bc2_sqrt + eps))
    else:  # RMSPROP: s1 = square_avg; ADAGRAD: s1 = sum
        eps = hyper[H_EPS]
        alpha = hyper[H_RHO]
        clr = -lr / (1.0 + (t - 1.0) * hyper[H_LR_DECAY])
        for i in range(params.shape[0]):
            g = grads[i]
            if decay != 0.0:
                g = g + decay * params[i]
            if kind == RMSPROP:
                v = s1[i] * alpha
                v = v + (1.0 - alpha) * g * g
                s1[i] = v
                params[i] = params[i] + -lr * (g / (math.sqrt(v) + eps))
            else:
                v = s1[i] + 1.0 * g * g
                s1[i] = v
                params[i] = params[i] + 1.0 * ((g * clr) / (math.sqrt(v) + eps))


@_jit
def _regularize(params, layout, kind, shrink):
    """TF Playground's penalty step on the weights (not biases) after the gradient step."""
    for l in range(layout.shape[0]):
        wo = layout[l, 2]
        for i in range(wo, wo + layout[l, 0] * layout[l, 1]):
            w = params[i]
            if kind == 2:
                params[i] = w * (1.0 - shrink)
            else:
                sign = 1.0 if w > 0.0 else (-1.0 if w < 0.0 else 0.0)
                new = w - shrink * sign
                params[i] = 0.0 if new * w < 0.0 else new


@_jit
def _finite_loss(value):
    return value if math.isfinite(value) else np.inf


@_jit
def run_epochs(params, s1, s2, good, grads, layout, x_tr, t_tr, y_tr, x_te, t_te, y_te, order, bounds,
               lrs, hyper, acts, pre, delta, spare, tb, yb, metrics, state, grad_norms, weight_norms):
    """Train up to len(lrs) - 1 epochs; stop early on divergence or early stopping (see FastPath.run)."""
    kind = int(hyper[H_OPT])
    reg, rate, code, hdelta = int(hyper[H_REG]), hyper[H_RATE], int(hyper[H_LOSS]), hyper[H_HUBER]
    patience, has_acc = int(hyper[H_PATIENCE]), hyper[H_ACC] != 0.0
    best, best_at, epoch, steps = state[0], int(state[1]), int(state[2]), int(state[3])
    t = state[7]
    n_lin = layout.shape[0]
    k = layout[n_lin - 1, 1]
    n_feat = x_tr.shape[0]
    dead = np.zeros(1)
    no_dead = np.zeros(0)
    last_norms = np.zeros(n_lin)
    status = RUNNING
    done = 0
    for e in range(lrs.shape[0] - 1):
        lr = lrs[e]
        good[:] = params
        row_order = order[e] if order.shape[0] > 1 else order[0]
        ok = True
        for bi in range(bounds.shape[0]):
            lo, hi = bounds[bi, 0], bounds[bi, 1]
            rows = hi - lo
            for r in range(rows):
                src = row_order[lo + r]
                for c in range(n_feat):
                    acts[0, c, r] = x_tr[c, src]
                for c in range(t_tr.shape[0]):
                    tb[c, r] = t_tr[c, src]
                yb[r] = y_tr[src]
            _forward(params, layout, acts, pre, rows)
            value = _loss(code, acts[n_lin], tb, yb, rows, k, hdelta, delta, True)
            _backward(params, grads, layout, acts, pre, delta, spare, rows)
            if bi == bounds.shape[0] - 1:
                for l in range(n_lin):
                    s = 0.0
                    for i in range(layout[l, 2], layout[l, 2] + layout[l, 0] * layout[l, 1]):
                        s += grads[i] * grads[i]
                    last_norms[l] = math.sqrt(s)
            t = float(np.float32(t + 1.0))  # torch keeps the optimizer's step count in float32
            _update(kind, params, grads, s1, s2, lr, t, hyper)
            steps += 1
            if reg != 0:
                _regularize(params, layout, reg, rate * lr)
            if not math.isfinite(value):
                ok = False
                break
        if ok:
            grad_norms[:] = last_norms
        epoch += 1
        done += 1
        train_loss, train_acc = _evaluate(params, layout, x_tr, t_tr, y_tr, acts, pre, spare, code,
                                          hdelta, has_acc, dead)
        finite = ok and math.isfinite(train_loss) and train_loss < DIVERGED_LOSS
        if finite:
            for i in range(params.shape[0]):
                if not math.isfinite(params[i]):
                    finite = False
                    break
        if not finite:
            params[:] = good
            train_loss, train_acc = _evaluate(params, layout, x_tr, t_tr, y_tr, acts, pre, spare, code,
                                              hdelta, has_acc, dead)
            status = DIVERGED
        test_loss, test_acc = _evaluate(params, layout, x_te, t_te, y_te, acts, pre, spare, code,
                                        hdelta, has_acc, no_dead)
        if x_te.shape[1] > 0:
            test_loss = _finite_loss(test_loss)
        metrics[e, 0] = _finite_loss(train_loss)
        metrics[e, 1] = test_loss
        metrics[e, 2] = train_acc
        metrics[e, 3] = test_acc
        if status == RUNNING and patience > 0:
            if test_loss < best - 1e-12:
                best, best_at = test_loss, epoch
            elif epoch - best_at >= patience:
                status = EARLY_STOP
        if status != RUNNING:
            break
    for l in range(n_lin):
        s = 0.0
        for i in range(layout[l, 2], layout[l, 2] + layout[l, 0] * layout[l, 1]):
            s += params[i] * params[i]
        weight_norms[l] = math.sqrt(s)
    state[0], state[1], state[2], state[3] = best, best_at, epoch, steps
    state[4], state[5], state[6], state[7] = done, status, dead[0], t


@_jit
def grid_pass(params, layout, inputs, acts, pre, display, out):
    """Every layer's output on points given unit-major (features x N), and the displayed output."""
    rows = inputs.shape[1]
    for c in range(inputs.shape[0]):
        for i in range(rows):
            acts[0, c, i] = inputs[c, i]
    _forward(params, layout, acts, pre, rows)
    raw = acts[layout.shape[0]]
    k = layout[layout.shape[0] - 1, 1]
    if display == 0:
        _tanh_rows(raw[0], out[0], rows)
    elif display == 1:
        for i in range(rows):
            out[0, i] = raw[0, i]
    elif display == 2:
        for i in range(rows):
            out[0, i] = 2.0 * (1.0 / (1.0 + math.exp(-raw[0, i]))) - 1.0
    elif display == 4:
        for i in range(rows):
            out[0, i] = min(max(raw[0, i], -1.0), 1.0)
    else:
        for i in range(rows):
            m = raw[0, i]
            for j in range(1, k):
                m = max(m, raw[j, i])
            s = 0.0
            for j in range(k):
                out[j, i] = math.exp(raw[j, i] - m)
                s += out[j, i]
            for j in range(k):
                out[j, i] /= s


# ---- the Python side ---------------------------------------------------------------------------


def structural_support(config, n_train: int) -> bool:
    """True when the network and data suit the compiled path (optimizers are checked per run)."""
    return (AVAILABLE and n_train > 0 and all(l.activation in ACT_CODES for l in config.layers)
            and not any(l.dropout > 0 or l.batch_norm for l in config.layers))


# optimizer class -> (kernel code, its state keys kept in flat memory)
OPTIMIZER_STATE = {
    torch.optim.SGD: (SGD, ("momentum_buffer",)),
    torch.optim.Adam: (ADAM, ("exp_avg", "exp_avg_sq")),
    torch.optim.AdamW: (ADAMW, ("exp_avg", "exp_avg_sq")),
    torch.optim.RMSprop: (RMSPROP, ("square_avg",)),
    torch.optim.Adagrad: (ADAGRAD, ("sum",)),
}


def supports(optimizer) -> bool:
    """A torch optimizer the kernel reproduces: one group, in the variants the config can ask for."""
    if type(optimizer) not in OPTIMIZER_STATE or len(optimizer.param_groups) != 1:
        return False
    g = optimizer.param_groups[0]
    if g.get("maximize") or g.get("differentiable") or g.get("capturable") or g.get("fused") \
            or isinstance(g["lr"], torch.Tensor):
        return False
    if isinstance(optimizer, torch.optim.SGD):
        return g["dampening"] == 0
    if isinstance(optimizer, torch.optim.Adam):  # AdamW too
        return not g["amsgrad"] and g.get("decoupled_weight_decay", False) == (type(optimizer) is torch.optim.AdamW)
    if isinstance(optimizer, torch.optim.RMSprop):
        return g["momentum"] == 0 and not g["centered"]
    return True


def loss_code(config) -> int:
    if config.loss == "square":
        return LOSS_CODES["square_tanh" if config.problem == "classification" else "square"]
    return LOSS_CODES[config.loss]


def layout_of(linears, activations) -> np.ndarray:
    """One row per linear layer: inputs, outputs, weight offset, bias offset, activation code."""
    rows, offset = [], 0
    for lin, act in zip(linears, list(activations) + ["linear"], strict=True):
        n_out, n_in = lin.weight.shape
        rows.append((n_in, n_out, offset, offset + n_in * n_out, ACT_CODES[act]))
        offset += n_in * n_out + n_out
    return np.array(rows, dtype=np.int64)


def display_code(config) -> int:
    """How the output is shown: tanh score, raw value, 2*sigmoid-1, softmax, or clamp."""
    if config.problem == "regression":
        return 1
    return {"square": 0, "bce": 2, "ce": 3, "hinge": 4}[config.loss]


_SCRATCH = threading.local()


def grid_outputs(model, config, inputs: np.ndarray):
    """(every layer's outputs, displayed output) on unit-major inputs; None where torch must do it."""
    if not AVAILABLE or any(l.batch_norm for l in config.layers):
        return None  # dropout is the identity at evaluation; batch norm is not compiled here
    linears = model.linears()
    params = np.concatenate([t.detach().numpy().reshape(-1) for lin in linears for t in (lin.weight, lin.bias)])
    layout = layout_of(linears, [l.activation for l in config.layers])
    width = int(max(layout[:, 0].max(), layout[:, 1].max()))
    shape = (len(layout) + 1, width, inputs.shape[1])
    acts = np.empty(shape)  # handed to the caller: the grid's neuron maps are views of it
    pre = getattr(_SCRATCH, "pre", None)
    if pre is None or pre.shape != shape:  # reused per thread: the pre-activations are thrown away
        pre = _SCRATCH.pre = np.empty(shape)
    display = display_code(config)
    out = np.empty((int(layout[-1, 1]) if display == 3 else 1, inputs.shape[1]))
    grid_pass(params, layout, inputs, acts, pre, display, out)
    return acts, out


class FastPath:
    """A model's parameters rebound onto flat memory, plus the data and scratch the kernel needs."""

    def __init__(self, model, config, x_train, t_train, y_train, x_test, t_test, y_test):
        self.model = model
        self.linears = linears = model.linears()
        self.params = [t for lin in linears for t in (lin.weight, lin.bias)]
        total = sum(p.numel() for p in self.params)
        self.flat = torch.empty(total, dtype=torch.float64)
        self.flat_state = [torch.zeros(total, dtype=torch.float64) for _ in range(2)]  # optimizer moments
        offset = 0
        self.state_views = [[], []]
        with torch.no_grad():
            for p in self.params:
                view = self.flat[offset:offset + p.numel()].view_as(p)
                view.copy_(p)
                p.data = view  # torch now trains the very memory the kernel sees
                for flat, views in zip(self.flat_state, self.state_views, strict=True):
                    views.append(flat[offset:offset + p.numel()].view_as(p))
                offset += p.numel()
        self.layout = layout_of(linears, [layer.activation for layer in config.layers])
        self.ptrs = [p.data_ptr() for p in self.params]
        self.np_params = self.flat.numpy()
        self.np_state = [flat.numpy() for flat in self.flat_state]
        self.good = np.empty(total)
        self.grads = np.zeros(total)
        ce = config.loss == "ce"
        classify = config.problem == "classification"

        def targets(t, n):
            if ce:
                return np.zeros((1, n))
            return np.ascontiguousarray(t.numpy().reshape(n, -1).T, dtype=np.float64)

        def labels(y, n):
            return np.asarray(y, dtype=np.int64).reshape(n) if classify else np.zeros(n, dtype=np.int64)

        n_tr, n_te = len(x_train), len(x_test)
        n_feat = x_train.shape[1]
        self.x_tr = np.ascontiguousarray(x_train.numpy().T)  # unit-major, as the kernels store layers
        self.x_te = np.ascontiguousarray(x_test.numpy().reshape(n_te, n_feat).T)
        self.t_tr, self.t_te = targets(t_train, n_tr), targets(t_test, n_te)
        self.y_tr, self.y_te = labels(y_train, n_tr), labels(y_test, n_te)
        width = int(max(self.layout[:, 0].max(), self.layout[:, 1].max()))
        n_rows = max(n_tr, n_te, 1)
        n_lin = len(self.layout)
        self.acts = np.zeros((n_lin + 1, width, n_rows))
        self.pre = np.zeros_like(self.acts)
        self.delta = np.zeros((width, n_rows))
        self.spare = np.zeros((width, n_rows))
        self.tb = np.zeros((self.t_tr.shape[0], n_rows))
        self.yb = np.zeros(n_rows, dtype=np.int64)
        self.identity = np.arange(n_tr, dtype=np.int64).reshape(1, n_tr)
        self.grad_norms = np.zeros(n_lin)
        self.weight_norms = np.zeros(n_lin)
        self.code = loss_code(config)
        self.has_acc = classify

    def still_bound(self, model) -> bool:
        """False when the parameters or their memory were replaced (then the trainer rebuilds this)."""
        if model is not self.model:
            return False
        for lin, i in zip(self.linears, range(0, len(self.params), 2), strict=True):
            w, b = self.params[i], self.params[i + 1]
            if lin.weight is not w or lin.bias is not b or w.data_ptr() != self.ptrs[i] \
                    or b.data_ptr() != self.ptrs[i + 1]:
                return False
        return True

    def _bind_state(self, optimizer, keys) -> float:
        """Optimizer state lives in flat memory too, inside torch's own state dicts; returns the step count.

        A missing entry is created as torch's first step would (zeros, step 0): zero * momentum + g
        equals SGD's first-step copy of g, and Adam and RMSprop start from zeros.
        """
        steps = 0.0
        with torch.no_grad():
            for i, p in enumerate(self.params):
                state = optimizer.state[p]
                for key, views in zip(keys, self.state_views, strict=False):
                    buf = state.get(key)
                    if buf is views[i]:
                        continue
                    if buf is None:
                        views[i].zero_()
                    else:
                        views[i].copy_(buf)
                    state[key] = views[i]
                if "step" in state:
                    steps = float(state["step"])
                elif type(optimizer) is not torch.optim.SGD:
                    state["step"] = torch.tensor(0.0, dtype=_scalar_dtype())
        return steps

    def run(self, optimizer, config, lrs, order, bounds, state):
        """Run len(lrs) - 1 epochs (fewer on divergence or early stop); returns the metrics rows.

        state = [best test loss, its epoch, epoch, step, (out) epochs done, status, dead relu units,
        (out) the optimizer's step count].
        """
        g = optimizer.param_groups[0]
        kind, keys = OPTIMIZER_STATE[type(optimizer)]
        momentum = float(g.get("momentum", 0.0)) if kind == SGD else 0.0
        state[7] = self._bind_state(optimizer, keys) if kind != SGD or momentum != 0.0 else 0.0
        beta1, beta2 = g.get("betas", (0.0, 0.0))
        reg = REG_CODES[config.regularization] if config.regularization_rate > 0 else 0
        hyper = np.zeros(15)
        hyper[[H_OPT, H_DECAY, H_MOMENTUM, H_NESTEROV, H_BETA1, H_BETA2, H_EPS, H_RHO, H_LR_DECAY]] = (
            kind, g["weight_decay"], momentum, bool(g.get("nesterov")), beta1, beta2, g.get("eps", 0.0),
            g.get("alpha", 0.0), g.get("lr_decay", 0.0))
        hyper[[H_REG, H_RATE, H_LOSS, H_HUBER, H_PATIENCE, H_ACC]] = (
            reg, config.regularization_rate, self.code, config.huber_delta, config.early_stopping, self.has_acc)
        metrics = np.empty((len(lrs) - 1, 4))
        run_epochs(self.np_params, self.np_state[0], self.np_state[1], self.good, self.grads, self.layout,
                   self.x_tr, self.t_tr, self.y_tr, self.x_te, self.t_te, self.y_te,
                   order if order is not None else self.identity, bounds, lrs, hyper,
                   self.acts, self.pre, self.delta, self.spare, self.tb, self.yb,
                   metrics, state, self.grad_norms, self.weight_norms)
        if kind != SGD:
            for p in self.params:
                optimizer.state[p]["step"].fill_(state[7])
        return metrics[: int(state[4])]


def _scalar_dtype():
    """The dtype torch.optim keeps its step counts in (float32 unless the default dtype is float64)."""
    return torch.float64 if torch.get_default_dtype() == torch.float64 else torch.float32


_WARM = {"seconds": None}
_WARM_LOCK = threading.Lock()


def warm_up() -> float:
    """Compile the kernels, or load them from numba's on-disk cache, once per process.

    Returns the seconds it took (0 when already warm or when numba is missing). Safe to call from a
    background thread at start-up: a Trainer that needs the kernels meanwhile waits for them.
    """
    if not AVAILABLE:
        return 0.0
    with _WARM_LOCK:
        if _WARM["seconds"] is not None:
            return 0.0
        from playground.config import Config, Layer
        from playground.inspection import decision_grid
        from playground.training import Trainer

        t0 = time.perf_counter()
        trainer = Trainer(Config(n_samples=50, layers=[Layer(2, "tanh")], epochs=2))
        trainer.run(2)
        decision_grid(trainer, 4)
        _WARM["seconds"] = time.perf_counter() - t0
        return _WARM["seconds"]
