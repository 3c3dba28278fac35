"""neuroquant.spike against oracles: a numpy port of snnTorch's spikegen formulas (written from the
published formulas; snnTorch itself needs torch), hand-computed golden cases including snnTorch's
doc examples, statistical bounds for the stochastic encoders, independent numpy implementations
of the distances, and every bad-input rule as users hit it from Python."""

from __future__ import annotations

import inspect
import itertools
import pickle
import warnings

import numpy as np
import pytest

import neuroquant as nq
from neuroquant import spike

RNG = np.random.default_rng(20261207)


# --- numpy ports of snnTorch's spikegen formulas (the oracle) ----------------------------------


def np_latency_code(x, num_steps=1, threshold=0.01, epsilon=1e-7, tau=1.0, first_spike_time=0, normalize=False, linear=False):
    f = first_spike_time
    below = x < threshold
    if not linear:
        xc = np.maximum(x, threshold + epsilon)
        t = tau * np.log(xc / (xc - threshold))
        if f > 0:
            t = t - f * (t.min() / f - 1)
        if normalize:
            t = (t - f) * (num_steps - f - 1) / (t - f).max() + f
    else:
        if normalize:
            tau = num_steps - 1 - f
        t = np.minimum(-tau * (x - 1), -tau * (threshold - 1)) + f
        if t.min() < 0 and normalize:
            t = (t - t.min()) * (1 / (t.max() - t.min())) * (num_steps - 1)
    return t, below


def np_latency(x, num_steps=1, clip=False, snntorch_quirk=False, **kw):
    """snnTorch's latency; with snntorch_quirk, its clearing of the last step when a time was
    clamped; without, our documented behaviour (the clamped spike stays on the last step)."""
    t, below = np_latency_code(x, num_steps=num_steps, **kw)
    step = np.rint(t)  # round half to even, as torch.round
    clamped = (step > num_steps - 1).any()
    step = np.minimum(step, num_steps - 1).astype(np.int64)
    out = np.zeros((num_steps,) + x.shape)
    np.put_along_axis(out, step[None], 1.0, axis=0)
    if snntorch_quirk and clamped:
        out[-1] = 0
    if clip:
        out = out * ~below
    return out


def np_delta(x, threshold=0.1, padding=False, off_spike=False):
    prev = np.concatenate([x[:1] if padding else np.zeros_like(x[:1]), x[:-1]])
    d = x - prev
    on = (d >= threshold).astype(x.dtype)
    if not off_spike:
        return on
    return on - (d <= -threshold).astype(x.dtype)


# --- latency ---------------------------------------------------------------------------------


def test_snntorch_latency_doc_examples():
    a = np.array([0.02, 0.5, 1.0])
    got = spike.latency(a, num_steps=5, normalize=True, linear=True)
    assert got.tolist() == [[0, 0, 1], [0, 0, 0], [0, 1, 0], [0, 0, 0], [1, 0, 0]]
    t, below = spike.latency_code(a, num_steps=5, normalize=True, linear=True)
    np.testing.assert_allclose(t, [3.92, 2.0, 0.0], atol=1e-12)
    assert not below.any()


LATENCY_OPTIONS = list(
    itertools.product(
        [False, True],  # linear
        [False, True],  # normalize
        [False, True],  # clip
        [0, 3],  # first_spike_time
        [0.01, 0.3],  # threshold
        [1.0, 7.5],  # tau
    )
)


@pytest.mark.parametrize("linear,normalize,clip,fst,threshold,tau", LATENCY_OPTIONS)
def test_latency_equals_the_snntorch_formulas_element_by_element(linear, normalize, clip, fst, threshold, tau):
    num_steps = 25
    x = RNG.random((40, 30))
    x.flat[:5] = [0.0, threshold, threshold / 2, 1.0, 0.5]
    kw = dict(num_steps=num_steps, threshold=threshold, tau=tau, first_spike_time=fst, normalize=normalize, linear=linear)
    t_ours, below = spike.latency_code(x, **kw)
    t_ref, below_ref = np_latency_code(x, **kw)
    np.testing.assert_allclose(t_ours, t_ref, rtol=1e-13, atol=1e-12)
    assert (below == below_ref).all()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = spike.latency(x, clip=clip, **kw)
    ref = np_latency(x, clip=clip, **kw)
    assert ours.shape == (num_steps,) + x.shape and ours.dtype == np.float64
    np.testing.assert_array_equal(ours, ref)
    clamped = (np.rint(t_ref) > num_steps - 1).any()
    assert bool(caught) == bool(clamped)
    # Where snnTorch clears the last step after clamping, ours differs on that step only.
    quirk = np_latency(x, clip=clip, snntorch_quirk=True, **kw)
    np.testing.assert_array_equal(ours[:-1], quirk[:-1])
    # One spike per input, unless clipped below the threshold.
    counts = ours.sum(axis=0)
    assert ((counts == 1) | (clip & (x < threshold))).all()


def test_latency_keeps_the_input_dtype_and_decodes():
    x = RNG.random(100).astype(np.float32)
    assert spike.latency(x, num_steps=10, normalize=True).dtype == np.float32  # snnTorch issue #440
    t, _ = spike.latency_code(x.astype(np.float64), num_steps=100, tau=20.0)
    np.testing.assert_allclose(spike.latency_decode(t, num_steps=100, tau=20.0), np.maximum(x, 0.01 + 1e-7), rtol=1e-6)


def test_latency_bad_input():
    x = np.array([0.5])
    for kw, message in [
        (dict(threshold=1.0), "argument `threshold`: is 1, must be in (0, 1)"),
        (dict(tau=0.0), "argument `tau`: is 0, must be > 0"),
        (dict(num_steps=0), "argument `num_steps`: is 0, must be at least 1"),
        (dict(num_steps=3, first_spike_time=3), "argument `first_spike_time`: is 3, must be at most num_steps - 1 = 2"),
    ]:
        with pytest.raises(nq.InvalidArgumentError) as e:
            spike.latency(x, **kw)
        assert str(e.value) == message
    with pytest.raises(nq.NonFiniteError, match="argument `data`: element 1 is NaN, must be finite"):
        spike.latency(np.array([0.1, np.nan]))
    with pytest.raises(nq.InvalidArgumentError, match="linear=True"):
        spike.latency(np.array([2.0]), linear=True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'speed'"):
        spike.latency(x, speed=1)
    with pytest.raises(nq.InvalidArgumentError, match="`speed` is not a parameter of latency"):
        nq._neuroquant._spike_latency(x, speed=1)
    with pytest.raises(nq.InvalidArgumentError, match="output"):
        spike.latency(x, output="sparse")


# --- delta -----------------------------------------------------------------------------------


def test_snntorch_delta_doc_examples():
    a = np.array([1, 2, 2.9, 3, 3.9])
    # snnTorch's docstring shows [1, 1, 0, 1, 0] (issue #214); its formula gives:
    assert spike.delta(a, threshold=1).tolist() == [1, 1, 0, 0, 0]
    assert spike.delta(a, threshold=1, padding=True).tolist() == [0, 1, 0, 0, 0]
    b = np.array([1, 2, 0, 2, 2.9])
    assert spike.delta(b, threshold=1, off_spike=True).tolist() == [1, 1, -1, 1, 0]
    assert spike.delta(b, threshold=1, padding=True, off_spike=True).tolist() == [0, 1, -1, 1, 0]


@pytest.mark.parametrize("padding,off_spike,threshold", list(itertools.product([False, True], [False, True], [0.05, 0.3, -0.1])))
def test_delta_equals_the_snntorch_formula(padding, off_spike, threshold):
    x = np.cumsum(RNG.normal(0, 0.2, size=(200, 3, 4)), axis=0)
    ours = spike.delta(x, threshold=threshold, padding=padding, off_spike=off_spike)
    np.testing.assert_array_equal(ours, np_delta(x, threshold, padding, off_spike))
    raster = spike.delta(x, threshold=threshold, padding=padding, off_spike=off_spike, output="raster")
    assert raster.shape == (200, 12)
    np.testing.assert_array_equal(raster.to_dense().reshape(x.shape), ours)


# --- rate and poisson --------------------------------------------------------------------------


def test_rate_doc_examples_and_shapes():
    assert spike.rate(np.ones(4), num_steps=3).tolist() == [[1.0] * 4] * 3
    assert spike.rate(np.zeros(4), num_steps=3).tolist() == [[0.0] * 4] * 3
    d = spike.rate(np.full(4, 0.5), num_steps=2, seed=1)
    assert d.shape == (2, 4) and d.dtype == np.float64
    assert spike.rate(np.ones((2, 3), np.float32), num_steps=5).dtype == np.float32
    # first_spike_time silences the first steps; time_var_input prepends them.
    assert spike.rate(np.ones(3), num_steps=4, first_spike_time=2)[:2].sum() == 0
    tv = spike.rate(np.ones((5, 2)), time_var_input=True, first_spike_time=2)
    assert tv.shape == (7, 2) and tv[:2].sum() == 0 and tv[2:].sum() == 10
    # num_steps=None: the data is time-first already.
    assert spike.rate(np.ones((6, 2))).shape == (6, 2)


@pytest.mark.parametrize("p", [0.001, 0.1, 0.37, 0.5, 0.9, 0.999])
def test_rate_frequencies_within_confidence_bounds(p):
    # 200 steps x 1000 channels: the count is Binomial(n, p); 5 sigma (two-sided p ~ 6e-7).
    n = 200 * 1000
    s = spike.rate(np.full(1000, p), num_steps=200, seed=7)
    assert abs(s.sum() - n * p) <= 5 * np.sqrt(n * p * (1 - p)) + 1
    # Independence across steps and channels: the lag-1 correlation of each train is ~0.
    c = np.corrcoef(s[:-1].ravel(), s[1:].ravel())[0, 1]
    assert abs(c) < 5 / np.sqrt(n)


def test_rate_gain_offset_clamp():
    x = np.linspace(-1, 2, 31)
    s = spike.rate(x, num_steps=4000, gain=0.5, offset=0.2, seed=3)
    p = np.clip(0.5 * x + 0.2, 0, 1)
    np.testing.assert_allclose(s.mean(axis=0), p, atol=5 * np.sqrt(0.25 / 4000))


def test_rate_is_reproducible_and_thread_independent():
    x = RNG.random(5000)
    a = spike.rate(x, num_steps=50, seed=11, num_threads=1, output="raster")
    b = spike.rate(x, num_steps=50, seed=11, num_threads=2, output="raster")
    assert a == b
    assert a != spike.rate(x, num_steps=50, seed=12, output="raster")


def test_poisson_rates_in_hz():
    rates = np.array([0.0, 5.0, 50.0, 200.0])
    s = spike.poisson(rates, num_steps=20000, dt=1e-3, seed=5)
    p = -np.expm1(-rates * 1e-3)
    np.testing.assert_allclose(s.mean(axis=0), p, atol=5 * np.sqrt(0.25 / 20000))
    with pytest.raises(nq.InvalidArgumentError, match="argument `rates`: element 0 is -1"):
        spike.poisson(np.array([-1.0]))
    with pytest.raises(nq.InvalidArgumentError, match="argument `dt`"):
        spike.poisson(rates, dt=0.0)


def test_rate_bad_input():
    with pytest.raises(nq.InvalidArgumentError, match="argument `num_steps`: is 3, must be None when time_var_input"):
        spike.rate(np.ones(2), num_steps=3, time_var_input=True)
    with pytest.raises(nq.InvalidArgumentError, match="first_spike_time"):
        spike.rate(np.ones(2), num_steps=3, first_spike_time=3)
    with pytest.raises(nq.NonFiniteError):
        spike.rate(np.array([np.inf]), num_steps=1)
    with pytest.raises(nq.InvalidArgumentError, match="num_threads"):
        spike.rate(np.ones(2), num_steps=2, num_threads=0)


# --- data ------------------------------------------------------------------------------------


def test_raster_and_events_round_trip_with_zero_copy_views():
    dense = (RNG.random((50, 70)) < 0.1).astype(np.int8)
    dense[3, 5] = -1
    r = spike.SpikeRaster(dense)
    assert r.shape == (50, 70) and r.signed and r.count() == np.abs(dense).sum()
    np.testing.assert_array_equal(r.to_dense(), dense)
    np.testing.assert_array_equal(np.asarray(r, dtype=np.float32), dense)
    on = np.unpackbits(r.packed, axis=1, bitorder="little")[:, :70]
    np.testing.assert_array_equal(on, dense == 1)
    assert not r.packed.flags.writeable and r.packed.base is not None
    e = r.to_events()
    assert e.times.dtype == np.uint64 and not e.times.flags.writeable
    assert (e.polarities[(e.times == 3) & (e.channels == 5)] == -1).all()
    assert spike.SpikeRaster.from_events(e) == r and e.to_raster() == r
    assert spike.SpikeEvents(e.times, e.channels, e.polarities, 50, 70) == e
    assert pickle.loads(pickle.dumps(r)) == r and pickle.loads(pickle.dumps(e)) == e
    s = e.to_structured()
    assert s.dtype.names == ("x", "t", "p") and (s["x"] == e.channels).all()
    assert r[3, 5] == -1 and list(r.active(3)) == sorted(np.flatnonzero(dense[3]))


def test_data_bad_input():
    with pytest.raises(nq.InvalidArgumentError, match=r"argument `data`: element 1 is 0.5, must be 0, 1 or -1"):
        spike.SpikeRaster(np.array([[0, 0.5]]))
    with pytest.raises(nq.IndexOutOfRangeError, match="argument `channels`: index 4 is out of range, must be < 2"):
        spike.SpikeEvents([0], [4], num_channels=2)
    with pytest.raises(nq.InvalidArgumentError, match="events 0 and 1 are both at step 1, channel 0"):
        spike.SpikeEvents([1, 1], [0, 0]).to_raster()
    with pytest.raises(nq.FormatError):
        spike.SpikeRaster.from_bytes(spike.SpikeRaster(np.eye(3)).to_bytes()[:-3])
    with pytest.raises(nq.IndexOutOfRangeError):
        spike.SpikeRaster(np.eye(3))[3, 0]


# --- streaming encoders ----------------------------------------------------------------------


def test_encoder_signature_is_the_cores():
    sig = inspect.signature(spike.Encoder)
    _, keywords = nq._neuroquant._spike_keywords("encoder")
    assert [(p.name, p.default) for p in sig.parameters.values()] == [(k, d) for k, d, _, _ in keywords]
    for fn, name in [(spike.rate, "rate"), (spike.latency, "latency"), (spike.delta, "delta"), (spike.population, "population"),
                     (spike.rate_decode, "rate_decode"), (spike.poisson_decode, "poisson_decode"),
                     (spike.delta_decode, "delta_decode")]:
        _, keywords = nq._neuroquant._spike_keywords(name)
        params = inspect.signature(fn).parameters
        for k, d, doc, _ in keywords:
            assert params[k].default == d and " ".join(doc.split()) in " ".join(fn.__doc__.split())


KINDS = ["delta", "send_on_delta", "step_forward", "tbr", "moving_window", "rate", "poisson", "phase", "bsa"]


@pytest.mark.parametrize("kind", KINDS)
def test_streaming_equals_batch_and_resumes_after_pickling(kind):
    x = np.abs(np.cumsum(RNG.normal(0, 0.1, size=(300, 4)), axis=0))
    if kind == "poisson":
        x = x * 100
    make = lambda: spike.Encoder(encoder=kind, num_channels=4, threshold=0.05, window=4, seed=9)
    batch = make().run(x)
    enc = make()
    steps = [enc.step(row) for row in x[:120]]
    saved = pickle.loads(pickle.dumps(enc))
    steps += [saved.step(row) for row in x[120:]]
    np.testing.assert_array_equal(np.array(steps), batch)
    assert saved.steps == 300


def test_send_on_delta_reconstructs_within_one_quantum():
    x = np.sin(np.linspace(0, 20, 2000))[:, None] * np.array([1.0, 3.0])
    for quantum in (0.005, 0.05, 0.2):
        enc = spike.Encoder(encoder="send_on_delta", num_channels=2, threshold=quantum)
        s = enc.run(x)
        assert np.abs(enc.decode(s) - x).max() < quantum * (1 + 1e-9)
        rep = spike.reconstruction(x, enc.decode(s), int(np.abs(s).sum()))
        assert rep["nrmse"] < quantum / x.std() * 1.01


def test_step_forward_matches_petro_decoder_by_hand():
    enc = spike.Encoder(encoder="step_forward", threshold=0.5)
    s = enc.run(np.array([0.0, 0.7, 0.8, -0.1, 2.0]))
    assert s.tolist() == [0, 1, 0, -1, 1]
    np.testing.assert_allclose(enc.decode(s), [0.0, 0.5, 0.5, 0.0, 0.5])


def test_encoder_bad_input_changes_nothing():
    enc = spike.Encoder(encoder="step_forward", num_channels=2, threshold=0.5)
    enc.step([0.0, 0.0])
    before = enc.to_bytes()
    with pytest.raises(nq.DimensionMismatchError, match="argument `x`: length 3 does not match, expected 2"):
        enc.step([1.0, 1.0, 1.0])
    with pytest.raises(nq.NonFiniteError, match="argument `x`: element 1 is NaN, must be finite"):
        enc.step([1.0, np.nan])
    assert enc.to_bytes() == before
    for kw, arg in [(dict(threshold=0.0), "threshold"), (dict(num_channels=0), "num_channels"), (dict(encoder="sonar"), "encoder")]:
        with pytest.raises(nq.InvalidArgumentError, match=f"argument `{arg}`"):
            spike.Encoder(**({"encoder": "step_forward"} | kw))
    with pytest.raises(nq.LimitExceededError, match="num_channels"):
        spike.Encoder(num_channels=1 << 30)
    with pytest.raises(nq.FormatError):
        spike.Encoder.from_bytes(before[:-8])
    for kind in ["rate", "bsa"]:
        with pytest.raises(nq.InvalidArgumentError, match="argument `gain`: is 0: the input cannot be recovered"):
            spike.Encoder(encoder=kind, gain=0.0).decode(np.zeros(20, np.int32))


# --- BSA, population, phase --------------------------------------------------------------------


def np_bsa(x, h, threshold):
    """Schrauwen & Van Campenhout's rule, written from the paper's description."""
    x = (x - x.min()) / np.ptp(x)
    s = np.zeros(len(x), np.int8)
    for t in range(len(x)):
        a = min(len(h), len(x) - t)
        # Left-to-right sums, as the definition reads (numpy's pairwise sums round differently).
        if sum(np.abs(x[t : t + a] - h[:a]).tolist()) <= sum(np.abs(x[t : t + a]).tolist()) - threshold:
            s[t] = 1
            x[t : t + a] -= h[:a]
    return s


@pytest.mark.parametrize("threshold", [0.0, 0.5, 0.8])
def test_bsa_equals_the_published_rule_and_reconstructs(threshold):
    t = np.linspace(0, 4 * np.pi, 1000)
    x = np.sin(t) + 0.5 * np.sin(3.1 * t)
    s, shift, scale, h = spike.bsa(x, filter_length=16, threshold=threshold)
    w = np.sin(np.pi * np.arange(1, 17) / 17) ** 2
    np.testing.assert_allclose(h, w / w.sum(), rtol=1e-12)
    np.testing.assert_array_equal(s, np_bsa(x, h, threshold))
    y = spike.bsa_decode(s, shift, scale, h)
    np.testing.assert_allclose(y, x.min() + np.ptp(x) * np.convolve(s, h)[: len(x)], atol=1e-12)
    if threshold == 0.5:
        rep = spike.reconstruction(x, y, int(s.sum()))
        assert rep["nrmse"] < 0.45, rep


def test_population_decodes_within_half_a_receptive_field():
    x = np.linspace(0, 1, 201)
    s = spike.population(x, num_neurons=10, num_steps=50)
    assert s.shape == (50, 201, 10) and (s.sum(axis=0) <= 1).all()
    y = spike.population_decode(s, num_neurons=10, num_steps=50)
    assert np.abs(y - x).max() < 0.5 / 8


def test_phase_code_decodes_to_its_resolution():
    x = RNG.random((40, 3))
    period = 16
    held = np.repeat(x, period, axis=0)
    enc = spike.Encoder(encoder="phase", num_channels=3, period=period)
    s = enc.run(held)
    assert (s.reshape(40, period, 3).sum(axis=1) == 1).all()
    assert np.abs(enc.decode(s) - held).max() <= 0.5 / (period - 1) + 1e-12


# --- measures --------------------------------------------------------------------------------


def np_van_rossum(a, b, tau, dt=1e-4, t_end=None):
    """The definition, integrated numerically: (2/tau)·∫(f - g)² with causal exponential traces."""
    t_end = t_end or max(np.max(a, initial=0), np.max(b, initial=0)) + 20 * tau
    grid = np.arange(0, t_end, dt)
    trace = lambda s: sum(np.where(grid >= ti, np.exp(-(grid - ti) / tau), 0.0) for ti in s)
    return np.sqrt(2 / tau * np.sum((trace(a) - trace(b)) ** 2) * dt)


def np_victor_purpura(a, b, q):
    g = np.zeros((len(a) + 1, len(b) + 1))
    g[:, 0] = np.arange(len(a) + 1)
    g[0, :] = np.arange(len(b) + 1)
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            g[i, j] = min(g[i - 1, j] + 1, g[i, j - 1] + 1, g[i - 1, j - 1] + q * abs(a[i - 1] - b[j - 1]))
    return g[-1, -1]


def test_distances_against_numpy_implementations():
    a = np.sort(RNG.uniform(0, 1, 12))
    b = np.sort(RNG.uniform(0, 1, 9))
    for tau in (0.02, 0.1):
        assert spike.van_rossum_distance(a, b, time_constant=tau) == pytest.approx(np_van_rossum(a, b, tau), rel=2e-3)
    for q in (0.0, 1.0, 10.0, 100.0):
        assert spike.victor_purpura_distance(a, b, cost_factor=q) == pytest.approx(np_victor_purpura(a, b, q), abs=1e-12)
    vr = spike.VanRossum(0.1)
    for t, which in sorted([(t, "a") for t in a] + [(t, "b") for t in b]):
        (vr.push_a if which == "a" else vr.push_b)(t)
    assert vr.distance() == pytest.approx(spike.van_rossum_distance(a, b, 0.1), rel=1e-12)
    with pytest.raises(nq.InvalidArgumentError, match="argument `t`"):
        vr.push_a(0.0)
    with pytest.raises(nq.InvalidArgumentError, match="spike times must be sorted"):
        spike.van_rossum_distance(b[::-1], a)


def test_detector_reports_each_pattern():
    steps, n = 400, 20
    sync = np.zeros((steps, n), np.int8)
    sync[::10] = 1  # everyone fires together every 10 steps
    r = spike.detect(sync)
    assert r["synchrony"]["detected"] and r["rhythm"]["detected"] and r["period"] == 10
    assert not r["sparseness"]["detected"] and not r["burst"]["detected"]
    sparse = np.zeros((steps, n), np.int8)
    sparse[np.arange(steps), RNG.integers(0, n, steps)] = 1  # one neuron at a time
    r = spike.detect(sparse)
    assert r["sparseness"]["detected"] and r["sparseness"]["strength"] == pytest.approx(1.0)
    burst = np.zeros((steps, n), np.int8)
    for c in range(n):
        start = RNG.integers(0, steps - 10)
        burst[start : start + 5, c] = 1
    r = spike.detect(burst, max_isi=1, min_spikes=3)
    assert r["burst"]["detected"] and r["burst"]["strength"] == 1.0 and len(r["bursts"]) == n
    template = (RNG.random((8, n)) < 0.3).astype(np.int8)
    stream = (RNG.random((steps, n)) < 0.02).astype(np.int8)
    stream[100:108] = template
    r = spike.detect(stream, [template])
    assert r["template"]["detected"] and (0, 107, 1.0) in [(t, s, round(v, 12)) for t, s, v in r["matches"]]
    m = spike.TemplateMatcher(template)
    np.testing.assert_allclose([m.push(row) for row in stream][107], 1.0)
    with pytest.raises(nq.InvalidArgumentError, match="synchrony_threshold"):
        spike.detect(sync, synchrony_threshold=2.0)


# ---- Batch decoders of rate, Poisson and delta coding, against numpy written from the formulas ----


def np_rate_decode(s, gain=1.0, offset=0.0, first_spike_time=0, window=None):
    """(m - offset)/gain with m the spike frequency after first_spike_time (or a box filter)."""
    s = np.asarray(s, dtype=np.float64)[first_spike_time:]
    if window is None:
        return (s.mean(axis=0) - offset) / gain
    c = np.cumsum(s, axis=0)
    lagged = np.concatenate([np.zeros((window,) + s.shape[1:]), c[:-window]])[: len(s)]
    n = np.minimum(np.arange(1, len(s) + 1), window).reshape((-1,) + (1,) * (s.ndim - 1))
    return ((c - lagged) / n - offset) / gain


def np_delta_decode(s, threshold=0.1, initial=None):
    s = np.asarray(s, dtype=np.float64)
    start = np.zeros(s.shape[1:]) if initial is None else np.asarray(initial, dtype=np.float64)
    return start + threshold * np.cumsum(s, axis=0)


def test_rate_decode_recovers_the_input_within_binomial_bounds():
    rng = np.random.default_rng(3)
    x = rng.uniform(-0.5, 1.5, size=(30, 40))
    gain, offset, fst, steps = 0.8, 0.1, 2, 3002
    s = spike.rate(x, num_steps=steps, gain=gain, offset=offset, first_spike_time=fst, seed=5)
    decoded = spike.rate_decode(s, gain=gain, offset=offset, first_spike_time=fst)
    assert decoded.shape == x.shape
    np.testing.assert_allclose(decoded, np_rate_decode(s, gain, offset, fst), rtol=0, atol=1e-12)
    # m = gain·x̂ + offset averages n Bernoulli(p) draws, p = clamp(gain·x + offset, 0, 1).
    p = np.clip(gain * x + offset, 0, 1)
    m = gain * decoded + offset
    n = steps - fst
    assert np.all(np.abs(m - p) <= 5 * np.sqrt(p * (1 - p) / n) + 1e-9)
    assert np.all(m[p == 0] == 0) and np.all(m[p == 1] == 1)
    # The score: inside the clamp the NRMSE is the binomial noise over the input's spread.
    inside = (gain * x + offset >= 0) & (gain * x + offset <= 1)
    score = spike.reconstruction(x[inside], decoded[inside], int(s[fst:].sum()))
    assert score["nrmse"] < 0.06
    # The raster form decodes the same; a window gives one value per step, as numpy's box filter.
    r = spike.rate(x.ravel(), num_steps=steps, gain=gain, offset=offset, first_spike_time=fst, seed=5, output="raster")
    np.testing.assert_array_equal(spike.rate_decode(r, gain=gain, offset=offset, first_spike_time=fst), decoded.ravel())
    w = spike.rate_decode(s, gain=gain, offset=offset, first_spike_time=fst, window=7)
    assert w.shape == (steps - fst,) + x.shape
    np.testing.assert_allclose(w, np_rate_decode(s, gain, offset, fst, 7), rtol=0, atol=1e-12)


def test_windowed_rate_decode_equals_the_streaming_decoder():
    x = np.random.default_rng(1).random((200, 3))
    enc = spike.Encoder(encoder="rate", num_channels=3, window=6, gain=0.7, offset=0.2, seed=2)
    s = enc.run(x)
    np.testing.assert_array_equal(spike.rate_decode(s, gain=0.7, offset=0.2, window=6), enc.decode(s))


def test_poisson_decode_recovers_rates_in_hz():
    rates = np.array([0.0, 3.0, 40.0, 300.0, 1e9])
    steps = 20_000
    s = spike.poisson(rates, num_steps=steps, dt=1e-3, seed=4)
    hz = spike.poisson_decode(s, dt=1e-3)
    m = np.minimum(s.mean(axis=0), 1 - 0.5 / steps)
    np.testing.assert_allclose(hz, -np.log1p(-m) / 1e-3, rtol=1e-12, atol=0)
    p = -np.expm1(-rates * 1e-3)
    assert np.all(np.abs(-np.expm1(-hz * 1e-3) - p) <= 5 * np.sqrt(p * (1 - p) / steps) + 0.5 / steps + 1e-12)
    assert hz[0] == 0 and np.isfinite(hz[-1])
    # In Hz, where 5 standard deviations of the count are within 20 % (40 and 300 Hz; at 3 Hz the
    # 60 expected spikes have a 13 % standard deviation, so the bound above is the test there).
    np.testing.assert_allclose(hz[2:4], rates[2:4], rtol=0.2)


@pytest.mark.parametrize("padding", [False, True])
def test_delta_decode_rebuilds_a_staircase_exactly(padding):
    rng = np.random.default_rng(7)
    th = 0.25
    x = 5.0 + th * np.cumsum(rng.integers(-1, 2, size=(300, 4, 2)), axis=0)
    s = spike.delta(x, threshold=th, off_spike=True, padding=padding)
    initial = x[0] if padding else None
    if not padding:
        x = x - 5.0  # without padding the first sample is compared with 0: start from 0
        s = spike.delta(x, threshold=th, off_spike=True)
    y = spike.delta_decode(s, threshold=th, initial=initial)
    np.testing.assert_array_equal(y, x)
    np.testing.assert_array_equal(y, np_delta_decode(s, th, initial))
    assert spike.reconstruction(x.reshape(300, -1), y.reshape(300, -1), int(np.abs(s).sum()))["rmse"] == 0.0
    # Any signal: the numpy staircase of the same spikes.
    z = rng.normal(size=(100, 3))
    sz = spike.delta(z, threshold=0.3, off_spike=True)
    np.testing.assert_allclose(spike.delta_decode(sz, threshold=0.3), np_delta_decode(sz, 0.3), rtol=0, atol=1e-12)


def test_decoders_bad_input():
    s = np.zeros((4, 2))
    with pytest.raises(nq.InvalidArgumentError, match="gain"):
        spike.rate_decode(s, gain=0.0)
    with pytest.raises(nq.InvalidArgumentError, match="window"):
        spike.rate_decode(s, window=0)
    with pytest.raises(nq.InvalidArgumentError, match="first_spike_time"):
        spike.rate_decode(s, first_spike_time=4)
    with pytest.raises(nq.InvalidArgumentError, match="dt"):
        spike.poisson_decode(s, dt=-1.0)
    with pytest.raises(nq.InvalidArgumentError, match=r"spikes.*element 1 is 2"):
        spike.rate_decode(np.array([[0.0, 2.0]]))
    with pytest.raises(nq.InvalidArgumentError, match="off spikes"):
        spike.rate_decode(np.array([[0.0, -1.0]]))
    with pytest.raises(nq.InvalidArgumentError, match="initial"):
        spike.delta_decode(s, initial=np.zeros(3))
    with pytest.raises(nq.InvalidArgumentError, match="initial"):
        spike.delta_decode(s, initial=np.array([0.0, np.nan]))
    with pytest.raises(nq.InvalidArgumentError, match="spikes"):
        spike.delta_decode(1.0)
