"""Spike encoding and spike-train distances, neuroquant vs vectorised numpy of the same formulas
(snnTorch's spikegen needs torch, too large here; these are its formulas written with numpy), on one
core.

Rows:
1. rate (Bernoulli) coding of 10^7 values (10^6 inputs x 10 steps): numpy
   ``rng.random(shape) < clip(gain*x + offset, 0, 1)`` (a bool array) against ours with
   ``output="raster"`` (bit-packed; SPEC §7 target <= 0.1x numpy) and ours with the default dense
   float64 output (snnTorch's output form, 8 bytes per value written).
2. latency coding of 10^6 inputs into 10 steps (10^7 cells), log form, normalize=True: the numpy
   port of snnTorch's formulas (dense float64) against ours dense and as a raster.
3. delta modulation of 10^7 values (1000 steps x 10^4 channels), off spikes on: numpy port
   (dense float64) against ours dense and as a raster.
4. van Rossum distance of two trains of 10^5 spikes: an Elephant-style numpy implementation
   (Houghton & Kreuz's running sums, vectorised where Elephant vectorises) against ours.
5. streaming step latency from C: a C program (built with cc -O2 against libneuroquant.a) pushes
   one sample of 8 channels at a time through a send-on-delta encoder; no peer (ReservoirPy and
   snnTorch have no per-sample C path), reported in ns per step and per channel.

Checked before any time is taken: rate frequencies within 5 standard deviations of the
probabilities (both); latency and delta outputs equal element by element to the numpy port;
van Rossum distances equal to 1e-9 relative; the C program checks its own output against the
batch run. Timing: `interleaved` best of `repeat` rounds.

Run alone: python benches/compare/run.py --only spike [--quick]
"""

from __future__ import annotations

import common  # noqa: F401  (first: pins implicit thread pools to one thread)

import subprocess
import tempfile

import numpy as np

from common import Row, build_c_program, interleaved

PEERS = ["numpy"]


def check(cond: bool, message: str) -> None:
    if not cond:
        raise common.AccuracyError(message)


def np_latency(x: np.ndarray, num_steps: int, threshold: float = 0.01, epsilon: float = 1e-7, tau: float = 1.0) -> np.ndarray:
    """snnTorch's log-form latency with normalize=True, first_spike_time=0, vectorised."""
    xc = np.maximum(x, threshold + epsilon)
    t = tau * np.log(xc / (xc - threshold))
    t = t * (num_steps - 1) / t.max()
    step = np.rint(t).astype(np.int64)
    out = np.zeros((num_steps,) + x.shape)
    np.put_along_axis(out, step[None], 1.0, axis=0)
    return out


def np_delta(x: np.ndarray, threshold: float) -> np.ndarray:
    prev = np.concatenate([np.zeros_like(x[:1]), x[:-1]])
    d = x - prev
    return (d >= threshold).astype(x.dtype) - (d <= -threshold).astype(x.dtype)


def np_van_rossum(a: np.ndarray, b: np.ndarray, tau: float) -> float:
    """Elephant's algorithm for two trains (Houghton & Kreuz 2012): per-train 'markage' running
    sums, then the cross terms through searchsorted; D = sqrt(Kaa + Kbb - 2 Kab)."""
    def markage(v: np.ndarray) -> np.ndarray:
        m = np.zeros(len(v))
        e = np.exp((v[:-1] - v[1:]) / tau)
        for i in range(len(v) - 1):  # the same Python loop Elephant runs
            m[i + 1] = (m[i] + 1.0) * e[i]
        return m

    ma, mb = markage(a), markage(b)
    kaa = len(a) + 2.0 * ma.sum()
    kbb = len(b) + 2.0 * mb.sum()

    def cross(u: np.ndarray, v: np.ndarray, mv: np.ndarray, side: str) -> float:
        js = np.searchsorted(v, u, side) - 1
        ok = js >= 0
        return float(np.sum(np.exp((v[js[ok]] - u[ok]) / tau) * (1.0 + mv[js[ok]])))

    # As Elephant: one direction searches "right", the other "left", so equal times count once.
    kab = cross(a, b, mb, "right") + cross(b, a, ma, "left")
    return float(np.sqrt(max(kaa + kbb - 2.0 * kab, 0.0)))


C_TIMING = r"""
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <time.h>
#include "neuroquant.h"
/* The samples come from a precomputed periodic table (L steps of C sines, whole periods, so the
 * stream has no jump where it wraps): the timed loop is the encoder call, not libm's sin. */
enum { C = 8, L = 4096 };
static double tab[L][C];
int main(int argc, char **argv) {
    long steps = argc > 1 ? atol(argv[1]) : 1000000;
    const double two_pi = 6.283185307179586;
    for (int t = 0; t < L; t++) for (int c = 0; c < C; c++) tab[t][c] = sin(two_pi * (c + 1) * t / L);
    NqEncoderParams p; nq_encoder_params_default(&p, sizeof p);
    p.encoder = NQ_ENCODER_SEND_ON_DELTA; p.num_channels = C; p.threshold = 0.01;
    NqEncoder *enc; if (nq_encoder_new(&p, &enc) != NQ_OK) return 2;
    int32_t s[C]; long total = 0;
    struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
    for (long t = 0; t < steps; t++) {
        if (nq_encoder_step(enc, tab[t & (L - 1)], C, s, C) != NQ_OK) return 3;
        for (int c = 0; c < C; c++) total += s[c] < 0 ? -s[c] : s[c];
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (double)steps;
    /* The stream's total variation bounds the quanta sent (within one per channel). */
    double tv = 0; for (int c = 0; c < C; c++) for (long t = 1; t < steps; t++)
        tv += fabs(tab[t & (L - 1)][c] - tab[(t - 1) & (L - 1)][c]);
    if (fabs((double)total - tv / 0.01) > 2.0 * C + 0.01 * tv / 0.01) return 4;
    printf("%.3f\n", ns);
    nq_encoder_free(enc);
    return 0;
}
"""


def c_step_ns(steps: int) -> float | None:
    """ns per step of the C timing program, or None without a C compiler or the built library."""
    with tempfile.TemporaryDirectory() as d:
        exe = build_c_program(C_TIMING.replace("#include <stdio.h>", "#include <stdio.h>\n#include <stdlib.h>"), d)
        if exe is None:
            return None
        out = subprocess.run([str(exe), str(steps)], capture_output=True, text=True)
        check(out.returncode == 0, f"the C timing program failed ({out.returncode}): {out.stderr}")
        return float(out.stdout.strip()) * 1e-9


def run(quick: bool = False) -> list[Row]:
    from neuroquant import spike

    n_in, steps = (100_000, 10) if quick else (1_000_000, 10)
    repeat = 3 if quick else 5
    rng = np.random.default_rng(0)
    rows: list[Row] = []

    # 1. rate
    x = rng.random(n_in)
    gain, offset = 0.9, 0.05
    p = np.clip(gain * x + offset, 0, 1)

    def np_rate() -> np.ndarray:
        return rng.random((steps,) + x.shape) < np.clip(gain * x + offset, 0, 1)

    def ours_raster() -> object:
        return spike.rate(x, num_steps=steps, gain=gain, offset=offset, seed=1, output="raster", num_threads=1)

    def ours_dense() -> np.ndarray:
        return spike.rate(x, num_steps=steps, gain=gain, offset=offset, seed=1, num_threads=1)

    n = steps * n_in
    sd = np.sqrt(np.sum(p * (1 - p)) * steps)
    for name, count in [("numpy", int(np_rate().sum())), ("ours", ours_raster().count()),
                        ("ours dense", int(ours_dense().sum()))]:
        check(abs(count - steps * p.sum()) < 5 * sd, f"rate {name}: {count} spikes, expected {steps * p.sum():.0f} ± {sd:.0f}")
    t = interleaved({"numpy": np_rate, "raster": ours_raster, "dense": ours_dense}, repeat)
    acc = "spike counts within 5 SD of Σp (both)"
    rows.append(Row("spike encoding: rate", f"Bernoulli, {n:.0e} values ({n_in:.0e} inputs x {steps} steps), bit-packed raster out",
                    t["raster"], "numpy random < p (bool)", t["numpy"], "<= 0.1x numpy (SPEC §7)", acc))
    rows.append(Row("spike encoding: rate", f"same, dense float64 out (snnTorch's form)", t["dense"],
                    "numpy random < p (bool)", t["numpy"], "reported", acc))

    # 2. latency
    xl = rng.random(n_in)
    ref = np_latency(xl, steps)
    ours = spike.latency(xl, num_steps=steps, normalize=True)
    check(np.array_equal(ours, ref), "latency: ours differs from the numpy port")
    check(np.array_equal(spike.latency(xl, num_steps=steps, normalize=True, output="raster").to_dense(), ref),
          "latency raster differs from the numpy port")
    t = interleaved({
        "numpy": lambda: np_latency(xl, steps),
        "dense": lambda: spike.latency(xl, num_steps=steps, normalize=True),
        "raster": lambda: spike.latency(xl, num_steps=steps, normalize=True, output="raster"),
    }, repeat)
    w = f"log form, normalize, {n_in:.0e} inputs x {steps} steps"
    rows.append(Row("spike encoding: latency", w + ", dense float64 out", t["dense"], "numpy port of snnTorch (float64)",
                    t["numpy"], "reported", "equal element by element"))
    rows.append(Row("spike encoding: latency", w + ", bit-packed raster out", t["raster"], "numpy port of snnTorch (float64)",
                    t["numpy"], "reported", "equal element by element"))

    # 3. delta
    ch = n_in // 100
    xd = np.cumsum(rng.normal(0, 0.1, size=(n // ch, ch)), axis=0)
    ref = np_delta(xd, 0.1)
    check(np.array_equal(spike.delta(xd, threshold=0.1, off_spike=True), ref), "delta differs from the numpy port")
    t = interleaved({
        "numpy": lambda: np_delta(xd, 0.1),
        "dense": lambda: spike.delta(xd, threshold=0.1, off_spike=True),
        "raster": lambda: spike.delta(xd, threshold=0.1, off_spike=True, output="raster"),
    }, repeat)
    w = f"off spikes, {xd.shape[0]} steps x {ch} channels"
    rows.append(Row("spike encoding: delta", w + ", dense float64 out", t["dense"], "numpy port of snnTorch (float64)",
                    t["numpy"], "reported", "equal element by element"))
    rows.append(Row("spike encoding: delta", w + ", bit-packed raster out", t["raster"], "numpy port of snnTorch (float64)",
                    t["numpy"], "reported", "equal element by element"))

    # 4. van Rossum
    m = 10_000 if quick else 100_000
    a = np.sort(rng.uniform(0, m, m))
    b = np.sort(rng.uniform(0, m, m))
    tau = 2.0
    d_np, d_ours = np_van_rossum(a, b, tau), spike.van_rossum_distance(a, b, tau)
    check(abs(d_np - d_ours) <= 1e-9 * d_np, f"van Rossum: numpy {d_np} vs ours {d_ours}")
    t = interleaved({"numpy": lambda: np_van_rossum(a, b, tau), "ours": lambda: spike.van_rossum_distance(a, b, tau)}, repeat)
    rows.append(Row("spike trains: van Rossum", f"two trains of {m:.0e} spikes, tau = 2", t["ours"],
                    "numpy, Elephant's algorithm", t["numpy"], "reported", "distances equal to 1e-9"))

    # 5. streaming step from C
    ns = c_step_ns(100_000 if quick else 2_000_000)
    rows.append(Row("spike encoding: streaming step (C)", "send-on-delta, 8 channels, one sample per call",
                    ns, "none (no per-sample C path in the peers)", None, "allocation-free",
                    "quanta sent match the signal's total variation",
                    ours_text="" if ns is not None else "no C compiler or libneuroquant.a",
                    peer_text="—"))
    rows.append(Row("spike encoding: streaming step (C)", "same, per channel (the step time / 8)",
                    None if ns is None else ns / 8, "none (no per-sample C path in the peers)", None,
                    "allocation-free", "quanta sent match the signal's total variation",
                    ours_text="" if ns is not None else "no C compiler or libneuroquant.a",
                    peer_text="—"))
    return rows


if __name__ == "__main__":
    import sys

    def fmt(s: float | None, text: str) -> str:
        if s is None:
            return text
        return f"{s * 1e3:.3f} ms" if s >= 1e-4 else f"{s * 1e9:.0f} ns"

    for r in run(quick="--quick" in sys.argv):
        ratio = f"{r.ratio:.3f}" if r.ratio is not None else "—"
        ours, peer = fmt(r.ours_s, r.ours_text), fmt(r.peer_s, r.peer_text)
        print(f"{r.capability} | {r.workload} | ours {ours} | {r.peer} {peer} | ratio {ratio} | {r.accuracy}")
