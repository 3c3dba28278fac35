"""neuroquant.reservoir against ReservoirPy 0.4.2 (the peer, with injected matrices), numpy /
scipy oracles (lstsq, dense eigenvalues, ARPACK, solve_ivp) and scikit-learn's estimator
machinery."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.sparse as sp

import neuroquant as nq
from neuroquant import reservoir as rc

rpy = pytest.importorskip("reservoirpy")
from reservoirpy.nodes import NVAR as RpyNVAR  # noqa: E402
from reservoirpy.nodes import RLS as RpyRLS  # noqa: E402
from reservoirpy.nodes import Reservoir as RpyReservoir  # noqa: E402
from reservoirpy.nodes import Ridge as RpyRidge  # noqa: E402



def _weights(n: int = 100, d: int = 2, seed: int = 0):
    rng = np.random.default_rng(seed)
    W = sp.random(n, n, density=0.1, random_state=seed, format="csr", data_rvs=rng.standard_normal)
    W = W * (0.9 / np.max(np.abs(np.linalg.eigvals(W.toarray()))))
    Win = rng.uniform(-1, 1, size=(n, d))
    bias = rng.uniform(-0.2, 0.2, size=n)
    return sp.csr_matrix(W), Win, bias


@pytest.mark.parametrize("per_unit", [False, True])
def test_states_equal_reservoirpy_with_injected_matrices(per_unit: bool) -> None:
    W, Win, bias = _weights()
    lr = np.linspace(0.1, 1.0, 100) if per_unit else 0.3
    X = np.random.default_rng(1).uniform(-1, 1, size=(500, 2))
    theirs = RpyReservoir(W=W, Win=Win, bias=bias, lr=lr).run(X)
    ours = rc.Reservoir(W=W, Win=Win, bias=bias, lr=lr).run(X)
    assert ours.shape == (500, 100)
    assert np.max(np.abs(ours - theirs)) <= 1e-12
    # Dense W and a list of series (each continuing from the last state, as ReservoirPy does).
    res = rc.Reservoir(W=W.toarray(), Win=sp.csr_matrix(Win), bias=bias, lr=lr)
    parts = res.run([X[:200], X[200:]])
    assert np.max(np.abs(np.vstack(parts) - theirs)) <= 1e-12
    assert np.max(np.abs(res.state - theirs[-1])) <= 1e-12


def test_step_reset_and_the_injected_matrices_read_back() -> None:
    W, Win, bias = _weights(50, 1, 3)
    ours = rc.Reservoir(W=W, Win=Win, bias=bias, lr=0.5)
    theirs = RpyReservoir(W=W, Win=Win, bias=bias, lr=0.5)
    for u in (0.1, -0.4, 0.7):
        np.testing.assert_allclose(ours.step(np.array([u])), theirs.step(np.array([u])), rtol=0, atol=1e-13)
    ours.reset()
    assert not ours.state.any()
    assert (ours.W != W).nnz == 0
    np.testing.assert_array_equal(ours.Win.toarray(), Win)
    np.testing.assert_array_equal(ours.bias, bias)


def _augmented_lstsq(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    A = np.hstack([X, np.ones((len(X), 1))])
    sol, *_ = np.linalg.lstsq(A, Y, rcond=None)
    return A @ sol


def test_ridge_is_at_least_as_close_to_exact_least_squares_as_reservoirpy() -> None:
    rng = np.random.default_rng(2)
    # Reservoir-like states: correlated, offset from zero.
    X = np.tanh(rng.standard_normal((3000, 80)) @ rng.standard_normal((80, 80)) * 0.2 + 0.5)
    Y = X @ rng.standard_normal((80, 2)) + 0.3 + 1e-3 * rng.standard_normal((3000, 2))
    exact = _augmented_lstsq(X, Y)
    ours = rc.Ridge(ridge=0.0).fit(X, Y).run(X)
    theirs = RpyRidge(ridge=0.0).fit(X, Y).run(X)
    err_ours = np.max(np.abs(ours - exact))
    err_theirs = np.max(np.abs(theirs - exact))
    assert err_ours <= max(err_theirs, 1e-10), (err_ours, err_theirs)
    # With a penalty both solve the same centred problem: Wout agrees.
    a = rc.Ridge(ridge=1e-3).fit(X, Y, warmup=10)
    b = RpyRidge(ridge=1e-3).fit(X, Y, warmup=10)
    np.testing.assert_allclose(a.Wout, b.Wout, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(a.bias, np.ravel(b.bias), rtol=1e-8, atol=1e-10)
    # Lists of series = the concatenation.
    c = rc.Ridge(ridge=1e-3).fit([X[:1000], X[1000:]], [Y[:1000], Y[1000:]])
    d = rc.Ridge(ridge=1e-3).fit(X, Y)
    np.testing.assert_allclose(c.Wout, d.Wout, rtol=1e-9, atol=1e-12)


def test_rls_matches_reservoirpy_and_converges_to_ridge() -> None:
    rng = np.random.default_rng(4)
    X = rng.standard_normal((400, 10))
    Y = X @ rng.standard_normal((10, 1)) + 0.5
    theirs = RpyRLS(alpha=1e-3, forgetting=0.999)
    theirs.partial_fit(X, Y)
    ours = rc.RLS(alpha=1e-3, forgetting=0.999).partial_fit(X, Y)
    np.testing.assert_allclose(ours.Wout, theirs.Wout, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.bias, np.ravel(theirs.bias), rtol=1e-9, atol=1e-12)
    back = pickle.loads(pickle.dumps(ours))
    np.testing.assert_array_equal(back.Wout, ours.Wout)


def test_nvar_features_equal_reservoirpy() -> None:
    X = np.random.default_rng(5).standard_normal((50, 3))
    theirs = RpyNVAR(delay=3, order=2, strides=2).run(X)
    ours = rc.NVAR(delay=3, order=2, strides=2).run(X)
    np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=0)
    const = rc.NVAR(delay=3, order=2, strides=2, constant=True).run(X)
    assert (const[:, 0] == 1).all()
    np.testing.assert_array_equal(const[:, 1:], ours)


def test_spectral_radius_against_dense_eigenvalues_and_arpack() -> None:
    from scipy.sparse.linalg import eigs

    for n, seed in ((100, 1), (250, 2)):
        W = sp.random(n, n, density=0.1, random_state=seed, format="csr")
        exact = np.max(np.abs(np.linalg.eigvals(W.toarray())))
        assert abs(rc.spectral_radius(W) - exact) <= 1e-10 * exact
    # ReservoirPy's size: N = 1000 at 10 % density, normal weights.
    W = sp.random(1000, 1000, density=0.1, random_state=3, format="csr", data_rvs=np.random.default_rng(3).standard_normal)
    arpack = np.max(np.abs(eigs(W, k=1, which="LM", maxiter=20000, v0=np.ones(1000), return_eigenvectors=False)))
    assert abs(rc.spectral_radius(W) - arpack) <= 1e-8 * arpack
    # sr scaling of a drawn reservoir.
    res = rc.Reservoir(units=300, sr=1.25, input_dim=1, seed=7)
    assert abs(np.max(np.abs(np.linalg.eigvals(res.W.toarray()))) - 1.25) < 1e-9


def test_esn_fits_lists_forecasts_and_pickles_mid_stream() -> None:
    mg = rc.mackey_glass(3000)
    mg = 2 * (mg - mg.min()) / (mg.max() - mg.min()) - 1
    X, Y = mg[:-1], mg[1:]
    res = rc.Reservoir(units=200, lr=0.5, sr=0.9, input_scaling=0.5, seed=42)
    esn = res >> rc.Ridge(ridge=1e-7)
    assert isinstance(esn, rc.ESN)
    esn.fit([X[:1000], X[1000:2000]], [Y[:1000], Y[1000:2000]], warmup=100)
    # Node views follow the network.
    assert esn.readout.Wout.shape == (200, 1)
    np.testing.assert_array_equal(res.state, esn.state)
    pred = esn.run(X[2000:2500])
    assert rc.nrmse(Y[2000:2500], pred) < 1e-2
    # Pickle mid-stream: the copy continues bit for bit.
    copy = pickle.loads(pickle.dumps(esn))
    np.testing.assert_array_equal(copy.run(X[2500:2600]), esn.run(X[2500:2600]))
    np.testing.assert_array_equal(copy.forecast(20), esn.forecast(20))
    y1 = esn.step(X[2700])
    assert np.array_equal(copy.step(X[2700]), y1)
    # generate: warm-up on true inputs, then free run.
    gen = esn.generate(30, warmup=X[2600:2800])
    assert gen.shape == (30, 1)
    # The warm-up's last output predicts X[2800]; the closed loop continues from it.
    assert rc.nrmse(Y[2800:2830], gen) < 0.05
    cv = esn.fit_cv([X[:1000], X[1000:2000]], [Y[:1000], Y[1000:2000]], ridges=[1e-9, 1e-5, 1.0], folds=2, warmup=100)
    assert cv["best"] in (1e-9, 1e-5, 1.0) and len(cv["errors"]) == 3
    assert esn.readout.Wout.shape == (200, 1)


def test_other_chains_and_online_training() -> None:
    rng = np.random.default_rng(6)
    X = rng.uniform(-1, 1, (600, 1))
    Y = np.roll(X, 1)
    m = rc.Reservoir(units=50, sr=0.5, input_connectivity=1.0, seed=1) >> rc.RLS(alpha=1e-4, fit_bias=False)
    assert isinstance(m, rc.Model)
    m.fit(X, Y, warmup=10)
    # Without forgetting, RLS from P0 = I/alpha ends at the ridge solution with ridge = alpha.
    S = rc.Reservoir(units=50, sr=0.5, input_connectivity=1.0, seed=1).run(X)
    ridge = rc.Ridge(ridge=1e-4, fit_bias=False).fit(S, Y, warmup=10)
    np.testing.assert_allclose(m.readout.Wout, ridge.Wout, rtol=1e-5, atol=1e-6)
    # NLMS against the rule written out in numpy on the same features.
    lms = rc.LMS(learning_rate=0.5).partial_fit(S, Y)
    w, b = np.zeros((50, 1)), np.zeros(1)
    for x, t in zip(S, Y):
        e = x @ w + b - t
        eta = 0.5 / (1e-8 + x @ x + 1.0)
        w -= eta * np.outer(x, e)
        b -= eta * e
    np.testing.assert_allclose(lms.Wout, w, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(lms.bias, b, rtol=1e-10, atol=1e-12)
    nv = rc.NVAR(delay=2, order=2) >> rc.Ridge(ridge=1e-8)
    nv.fit(X, X**2 + np.roll(X, 1), warmup=2)
    assert rc.nrmse((X**2 + np.roll(X, 1))[10:], nv.run(X)[10:]) < 1e-6


def test_reservoir_pickles_and_the_container_is_read_back() -> None:
    res = rc.Reservoir(units=30, sr=0.9, noise_rc=1e-3, input_dim=2, seed=5)
    res.run(np.ones((5, 2)))
    back = pickle.loads(pickle.dumps(res))
    np.testing.assert_array_equal(back.run(np.ones((4, 2))), res.run(np.ones((4, 2))))
    lazy = rc.Reservoir(units=10, seed=1)
    assert not lazy.initialized
    assert pickle.loads(pickle.dumps(lazy)).units == 10
    with pytest.raises(nq.FormatError):
        rc.Reservoir.from_bytes(res.to_bytes()[:-9])
    lsm = rc.LSM(units=40, input_dim=3, seed=2)
    raster = lsm.run(np.ones((20, 3), dtype=np.uint8))
    assert raster.dtype == np.uint8 and raster.shape == (20, 40)
    lsm2 = pickle.loads(pickle.dumps(lsm))
    spikes = np.random.default_rng(0).integers(0, 2, (30, 3))
    np.testing.assert_array_equal(lsm2.run(spikes), lsm.run(spikes))
    np.testing.assert_array_equal(rc.spike_counts(raster, 10).sum(axis=0), raster.sum(axis=0))


def test_bad_input_is_refused_and_changes_nothing() -> None:
    res = rc.Reservoir(units=20, input_dim=1, seed=1)
    res.run(np.ones((3, 1)))
    before = res.state.copy()
    with pytest.raises(nq.NonFiniteError, match="argument `inputs`: element 1 is NaN, must be finite"):
        res.run(np.array([[0.1], [np.nan]]))
    with pytest.raises(nq.DimensionMismatchError):
        res.run(np.ones((3, 2)))
    with pytest.raises(nq.NonFiniteError):
        res.step(np.array([np.inf]))
    np.testing.assert_array_equal(res.state, before)
    with pytest.raises(nq.InvalidArgumentError, match="argument `lr`: is 2, must be in \\(0, 1\\]"):
        rc.Reservoir(units=5, lr=2.0)
    with pytest.raises(nq.InvalidArgumentError, match="`unit` is not a parameter of Reservoir"):
        rc.Reservoir(unit=5)
    with pytest.raises(nq.InvalidArgumentError, match="units"):
        rc.Reservoir()
    with pytest.raises(nq.DimensionMismatchError, match="argument `W`"):
        rc.Reservoir(W=np.ones((3, 4)), input_dim=1)
    with pytest.raises(nq.InvalidArgumentError, match="argument `ridge`: is -1, must be >= 0"):
        rc.Ridge(ridge=-1.0)
    with pytest.raises(nq.InvalidArgumentError, match="not fitted"):
        rc.Ridge().run(np.ones((2, 2)))
    esn = rc.Reservoir(units=10, seed=1) >> rc.Ridge()
    with pytest.raises(nq.DimensionMismatchError):
        esn.fit(np.ones((10, 1)), np.ones((9, 1)))
    with pytest.raises(nq.InvalidArgumentError, match="must be 0 or 1"):
        rc.LSM(units=5).run(np.array([[2]]))
    with pytest.raises(nq.InvalidArgumentError, match="\"max\" is not one of"):
        rc.nrmse(np.ones(3), np.ones(3), norm="max")


def test_datasets_follow_their_definitions() -> None:
    from scipy.integrate import solve_ivp

    u, y = rc.narma10(300, seed=1)
    assert u.shape == y.shape == (300, 1)
    u, y = u[:, 0], y[:, 0]
    for t in range(9, 299):
        expect = 0.3 * y[t] + 0.05 * y[t] * y[t - 9 : t + 1].sum() + 1.5 * u[t - 9] * u[t] + 0.1
        assert abs(y[t + 1] - expect) <= 1e-15 * abs(expect)
    Z = rc.lorenz(41, h=0.025, x0=(1.0, 1.0, 1.0), substeps=40)
    f = lambda t, s: [10 * (s[1] - s[0]), s[0] * (28 - s[2]) - s[1], s[0] * s[1] - 8 / 3 * s[2]]  # noqa: E731
    ref = solve_ivp(f, (0, 1.0), [1.0, 1.0, 1.0], t_eval=np.arange(41) * 0.025, rtol=1e-12, atol=1e-12).y.T
    assert np.max(np.abs(Z - ref)) < 1e-6


def test_metrics_match_reservoirpy_definitions() -> None:
    from reservoirpy import observables as obs

    rng = np.random.default_rng(8)
    y, p = rng.standard_normal(200), rng.standard_normal(200)
    for norm in ("var", "minmax", "mean", "q1q3"):
        assert rc.nrmse(y, p, norm=norm) == pytest.approx(obs.nrmse(y, p, norm=norm), rel=1e-12)
    assert rc.nrmse(y, p) == pytest.approx(np.sqrt(np.mean((y - p) ** 2)) / np.std(y), rel=1e-12)
    assert rc.rsquare(y, p) == pytest.approx(obs.rsquare(y, p), rel=1e-12)
    assert rc.mse(y, p) == pytest.approx(obs.mse(y, p), rel=1e-12)


def test_memory_capacity_of_a_delay_line() -> None:
    n = 10
    W = np.eye(n, k=-1)
    Win = np.zeros((n, 1))
    Win[0] = 1.0
    res = rc.Reservoir(W=W, Win=Win, activation="identity")
    mc = rc.memory_capacity(res, 15, seed=1, ridge=1e-10)
    np.testing.assert_allclose(mc[: n - 1], 1.0, atol=0.02)
    assert mc[n:].max() < 0.1


def test_stub_signatures_are_the_core_keywords() -> None:
    import ast
    import inspect
    import pathlib

    tree = ast.parse((pathlib.Path(nq.__file__).parent / "_neuroquant.pyi").read_text())
    stubs = {
        n.name: next((f for f in n.body if isinstance(f, ast.FunctionDef) and f.name == "__new__"), None)
        for n in tree.body
        if isinstance(n, ast.ClassDef)
    }
    for cls in (rc.Reservoir, rc.Ridge, rc.RLS, rc.LMS, rc.NVAR, rc.LSM):
        args = stubs[cls.__name__].args
        stub = [(a.arg, ast.literal_eval(d), "POSITIONAL_OR_KEYWORD") for a, d in zip(args.args[1:], args.defaults)]
        stub += [(a.arg, ast.literal_eval(d), "KEYWORD_ONLY") for a, d in zip(args.kwonlyargs, args.kw_defaults)]
        runtime = [
            (p.name, tuple(p.default) if isinstance(p.default, list) else p.default, p.kind.name)
            for p in inspect.signature(cls).parameters.values()
        ]
        assert stub == runtime, cls.__name__
        assert "Parameters" in cls.__doc__


def test_leading_parameters_are_also_positional_as_in_reservoirpy() -> None:
    # ReservoirPy's habits: Reservoir(100, lr=0.3), Ridge(1e-6), NVAR(2, 2), RLS(1e-3).
    X = np.sin(np.arange(60) * 0.3)[:, None]
    a = rc.Reservoir(50, 0.3, 0.9, seed=3)
    b = rc.Reservoir(units=50, lr=0.3, sr=0.9, seed=3)
    np.testing.assert_array_equal(a.run(X), b.run(X))
    assert repr(rc.Ridge(1e-6)) == "Ridge(ridge=1e-06)"
    assert repr(rc.Ridge(1e-6, False)) == repr(rc.Ridge(ridge=1e-6, fit_bias=False))
    assert repr(rc.NVAR(2, 3, 2)) == repr(rc.NVAR(delay=2, order=3, strides=2))
    assert repr(rc.RLS(1e-3)) == repr(rc.RLS(alpha=1e-3))
    assert repr(rc.LMS(1e-2)) == repr(rc.LMS(learning_rate=1e-2))
    assert rc.LSM(30, seed=1).potential.shape == (30,)
    assert rc.LSM(30, seed=1).to_bytes() == rc.LSM(units=30, seed=1).to_bytes()
    with pytest.raises(TypeError, match=r"Ridge\(\) takes at most 2 positional arguments \(3 given\)"):
        rc.Ridge(1e-6, True, 3)
    with pytest.raises(TypeError, match="Reservoir\\(\\) got multiple values for argument 'units'"):
        rc.Reservoir(50, units=60)
    with pytest.raises(TypeError, match=r"RLS\(\) takes at most 1 positional argument \(2 given\)"):
        rc.RLS(1e-3, 0.9)


def test_sklearn_pipeline_and_grid_search() -> None:
    sklearn = pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    u, y = rc.narma10(1200, seed=3)
    est = rc.ESNRegressor(units=60, sr=0.9, input_scaling=0.5, input_connectivity=1.0, input_to_readout=True, warmup=50, seed=1)
    assert clone(est).get_params() == est.get_params()
    est.fit(u, y[:, 0])
    assert est.predict(u).shape == (1200,)
    assert est.score(u, y[:, 0]) > 0.5
    grid = GridSearchCV(est, {"ridge": [1e-8, 1e-4], "sr": [0.5, 0.9]}, cv=TimeSeriesSplit(3))
    grid.fit(u, y[:, 0])
    assert set(grid.best_params_) == {"ridge", "sr"}
    pipe = make_pipeline(StandardScaler(), rc.ESNRegressor(units=30, seed=2))
    pipe.fit(u, y[:, 0])
    assert np.isfinite(pipe.score(u, y[:, 0]))
    with pytest.raises(ValueError, match="invalid parameter"):
        est.set_params(unit=3)
    assert sklearn is not None


def _lif_reference(W: np.ndarray, Win: np.ndarray, S: np.ndarray, beta: float, thr: float) -> np.ndarray:
    """snnTorch Leaky with reset by subtraction, written out in numpy: U(t) = beta·U(t−1) −
    thr·S(t−1) + W·S(t−1) + Win·s_in(t), S(t) = U(t) > thr."""
    v, s = np.zeros(W.shape[0]), np.zeros(W.shape[0])
    out = np.zeros((len(S), W.shape[0]), dtype=np.uint8)
    for t, s_in in enumerate(S):
        v = beta * v - thr * s + W @ s + Win @ s_in
        s = (v > thr).astype(float)
        out[t] = s
    return out


def test_lsm_takes_a_spike_raster_and_equals_the_lif_recurrence() -> None:
    rng = np.random.default_rng(4)
    n, d, steps = 30, 5, 40
    # Weights on a grid of 1/8 and beta 1/2: every potential is exact in binary, so the
    # threshold comparisons cannot depend on the order of the additions.
    W = rng.integers(-4, 5, (n, n)) / 8 * (rng.random((n, n)) < 0.2)
    Win = rng.integers(0, 12, (n, d)) / 8 * (rng.random((n, d)) < 0.5)
    S = (rng.random((steps, d)) < 0.3).astype(np.uint8)
    expected = _lif_reference(W, Win, S, 0.5, 1.0)
    assert 0 < expected.sum() < expected.size  # the liquid is neither silent nor saturated
    lsm = rc.LSM(beta=0.5, threshold=1.0, W=W, Win=Win, seed=0)
    twin = pickle.loads(pickle.dumps(lsm))
    out = lsm.run(nq.spike.SpikeRaster(S))
    assert isinstance(out, nq.spike.SpikeRaster)
    assert (out.num_steps, out.num_channels) == (steps, n)
    np.testing.assert_array_equal(out.to_dense(), expected)
    np.testing.assert_array_equal(twin.run(S), expected)
    np.testing.assert_array_equal(lsm.potential, twin.potential)
    # Readout features take the raster as they take the dense array.
    np.testing.assert_array_equal(rc.spike_counts(out, 8), rc.spike_counts(expected, 8))
    np.testing.assert_array_equal(rc.filtered_traces(out, 0.5), rc.filtered_traces(expected, 0.5))
    # An encoder's raster drives it directly.
    enc = nq.spike.rate(rng.random(d), num_steps=12, seed=3, output="raster")
    np.testing.assert_array_equal(lsm.run(enc).to_dense(), twin.run(enc.to_dense()))


def test_lsm_refuses_bad_spike_rasters_and_changes_nothing() -> None:
    lsm = rc.LSM(units=20, input_dim=3, seed=1)
    lsm.run(np.ones((5, 3), dtype=np.uint8))
    before = lsm.potential.copy()
    with pytest.raises(nq.DimensionMismatchError, match="raster channels"):
        lsm.run(nq.spike.SpikeRaster(np.ones((4, 2))))
    with pytest.raises(nq.InvalidArgumentError, match="off spikes"):
        lsm.run(nq.spike.SpikeRaster(np.array([[1, -1, 0]])))
    with pytest.raises(nq.InvalidArgumentError, match="off spikes"):
        rc.spike_counts(nq.spike.SpikeRaster(np.array([[1, -1, 0]])), 1)
    np.testing.assert_array_equal(lsm.potential, before)


def test_long_runs_stop_on_interrupt_or_timeout_and_change_nothing() -> None:
    W, Win, bias = _weights(200, 1, 5)
    X = np.sin(np.arange(6000) * 0.05)[:, None]
    calls: list[int] = []

    def stop() -> bool:
        calls.append(1)
        return True

    res = rc.Reservoir(W=W, Win=Win, bias=bias, lr=0.3)
    res.run(X[:10])
    before = res.state.copy()
    with pytest.raises(nq.StoppedError, match="stopped before completion"):
        res.run(X, interrupt_function=stop)
    assert len(calls) == 1
    np.testing.assert_array_equal(res.state, before)
    np.testing.assert_array_equal(res.run(X[10:20], interrupt_function=lambda: False), res.__class__(W=W, Win=Win, bias=bias, lr=0.3).run(X[:20])[10:])
    esn = rc.Reservoir(W=W, Win=Win, bias=bias, lr=0.3) >> rc.Ridge(ridge=1e-6)
    esn.fit(X[:-1], X[1:], warmup=10)
    y0 = esn.run(X[:50])
    twin = pickle.loads(pickle.dumps(esn))
    for call in (
        lambda **kw: esn.run(X, **kw),
        lambda **kw: esn.forecast(6000, **kw),
        lambda **kw: esn.generate(6000, warmup=X[:100], **kw),
        lambda **kw: esn.fit(X[:-1], X[1:], **kw),
    ):
        calls.clear()
        with pytest.raises(nq.StoppedError):
            call(interrupt_function=stop)
        assert len(calls) == 1
        with pytest.raises(nq.StoppedError):
            call(timeout=0.0)
    # Nothing changed: the network continues as its pickled twin does.
    np.testing.assert_array_equal(esn.run(X[50:80]), twin.run(X[50:80]))
    assert y0.shape == (50, 1)
    with pytest.raises(nq.InvalidArgumentError, match="timeout"):
        esn.run(X, timeout=-1.0)
    # The liquid, dense and bit-packed; a deadline stops it within milliseconds.
    lsm = rc.LSM(units=400, input_dim=8, rc_connectivity=0.25, seed=4)
    S = (np.random.default_rng(2).random((4000, 8)) < 0.3).astype(np.uint8)
    lsm.run(S[:5])
    v = lsm.potential.copy()
    for spikes in (S, nq.spike.SpikeRaster(S)):
        calls.clear()
        with pytest.raises(nq.StoppedError):
            lsm.run(spikes, interrupt_function=stop)
        assert len(calls) == 1
        np.testing.assert_array_equal(lsm.potential, v)
    import time

    t0 = time.perf_counter()
    lsm.run(S)
    full = time.perf_counter() - t0
    lsm.reset()
    t0 = time.perf_counter()
    with pytest.raises(nq.StoppedError):
        lsm.run(np.tile(S, (20, 1)), timeout=full / 10)
    assert time.perf_counter() - t0 < full / 10 + max(0.05, full / 2)


def test_readouts_and_nvar_stop_on_interrupt_or_timeout_and_change_nothing() -> None:
    rng = np.random.default_rng(7)
    X, Y = rng.standard_normal((20_000, 60)), rng.standard_normal((20_000, 2))
    calls: list[int] = []

    def stop() -> bool:
        calls.append(1)
        return True

    ridge = rc.Ridge(ridge=1e-3).fit(X[:500], Y[:500])
    w0 = ridge.Wout.copy()
    rls = rc.RLS(alpha=1e-3).partial_fit(X[:50], Y[:50])
    lms = rc.LMS(learning_rate=0.1).partial_fit(X[:50], Y[:50])
    twins = [pickle.loads(pickle.dumps(m)) for m in (rls, lms)]
    nvar = rc.NVAR(delay=3, order=2, strides=1)
    U = np.tile(X[:3000, :5], (2, 1))
    nvar.run(U[:10])
    nvar_twin = pickle.loads(pickle.dumps(nvar))
    for call in (
        lambda **kw: ridge.fit(X, Y, **kw),
        lambda **kw: ridge.fit([X[:100], X], [Y[:100], Y], **kw),
        lambda **kw: rls.partial_fit(X[:5000], Y[:5000], **kw),
        lambda **kw: rls.partial_fit([X[:10], X[:5000]], [Y[:10], Y[:5000]], **kw),
        lambda **kw: rls.fit(X[:5000], Y[:5000], **kw),
        lambda **kw: lms.partial_fit(X, Y, **kw),
        lambda **kw: lms.fit(X, Y, **kw),
        lambda **kw: nvar.run(U, **kw),
    ):
        calls.clear()
        with pytest.raises(nq.StoppedError, match="stopped before completion"):
            call(interrupt_function=stop)
        assert len(calls) == 1, "stopped at the first look, after some work"
        with pytest.raises(nq.StoppedError):
            call(timeout=0.0)
        call(interrupt_function=lambda: False)  # runs to the end when never stopped
    # Every stop left the model as it was: the completed calls above are the only changes.
    np.testing.assert_array_equal(ridge.Wout, rc.Ridge(ridge=1e-3).fit([X[:100], X], [Y[:100], Y]).Wout)
    assert not np.array_equal(ridge.Wout, w0)
    rls_want = twins[0]
    rls_want.partial_fit(X[:5000], Y[:5000])
    rls_want.partial_fit([X[:10], X[:5000]], [Y[:10], Y[:5000]])
    rls_want.fit(X[:5000], Y[:5000])
    np.testing.assert_array_equal(rls.Wout, rls_want.Wout)
    lms_want = twins[1]
    lms_want.partial_fit(X, Y)
    lms_want.fit(X, Y)
    np.testing.assert_array_equal(lms.Wout, lms_want.Wout)
    nvar_twin.run(U)
    np.testing.assert_array_equal(nvar.run(U[:5]), nvar_twin.run(U[:5]))


@pytest.mark.parametrize("layout", ["fortran", "float32", "strided", "int64", "3d_fortran", "3d_float32"])
def test_every_input_layout_gives_the_c_contiguous_float64_result(layout: str) -> None:
    W, Win, bias = _weights(60, 3, 6)
    # Small integers: exact in every dtype below.
    X = np.random.default_rng(3).integers(-2, 3, size=(300, 3)).astype(np.float64)
    expected = rc.Reservoir(W=W, Win=Win, bias=bias, lr=0.5).run(X)
    other = {
        "fortran": lambda: np.asfortranarray(X),
        "float32": lambda: X.astype(np.float32),
        "strided": lambda: np.repeat(X, 2, axis=0)[::2],
        "int64": lambda: X.astype(np.int64),
        "3d_fortran": lambda: np.asfortranarray(np.stack([X, -X])),
        "3d_float32": lambda: np.stack([X, -X]).astype(np.float32),
    }[layout]()
    assert not (isinstance(other, np.ndarray) and other.dtype == np.float64 and other.flags.c_contiguous)
    ours = rc.Reservoir(W=W, Win=Win, bias=bias, lr=0.5).run(other)
    Y = X[:, :1] * 0.5
    esn = rc.Reservoir(W=W, Win=Win, bias=bias, lr=0.5) >> rc.Ridge(ridge=1e-6)
    twin = rc.Reservoir(W=W, Win=Win, bias=bias, lr=0.5) >> rc.Ridge(ridge=1e-6)
    if layout.startswith("3d"):
        # Two series, the second continuing from the state the first left.
        both = rc.Reservoir(W=W, Win=Win, bias=bias, lr=0.5).run([X, -X])
        assert isinstance(ours, list) and len(ours) == 2
        np.testing.assert_array_equal(ours[0], expected)
        np.testing.assert_array_equal(ours[1], both[1])
        np.testing.assert_array_equal(esn.fit(other, [Y, -Y]).readout.Wout, twin.fit([X, -X], [Y, -Y]).readout.Wout)
    else:
        np.testing.assert_array_equal(ours, expected)
        np.testing.assert_array_equal(esn.fit(other, Y).readout.Wout, twin.fit(X, Y).readout.Wout)
        np.testing.assert_array_equal(rc.Ridge(ridge=1e-3).fit(other, Y).Wout, rc.Ridge(ridge=1e-3).fit(X, Y).Wout)


def test_a_c_contiguous_float64_input_is_read_without_a_copy() -> None:
    # Peak resident memory of a fresh interpreter around calls that only read their input
    # (NVAR.fit_standardization): an 80 MB C-contiguous float64 array adds nothing; the same
    # values in Fortran order are copied once (which shows the measurement sees a copy).
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across exec, so a child of a
    # large pytest process would start with pytest's peak and never grow past it.
    import subprocess
    import sys

    script = """
import re
import numpy as np
from neuroquant import reservoir as rc
X = np.ones((5_000_000, 2))
F = np.asfortranarray(X)
nv = rc.NVAR(delay=1, order=1)
def peak():
    with open("/proc/self/status") as f:
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", f.read()).group(1)) // 1024
before = peak()
nv.fit_standardization(X)
c = peak()
nv.fit_standardization(F)
print(c - before, peak() - c)
"""
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    c_grown, f_grown = map(int, out.split())
    assert c_grown < 10, (c_grown, f_grown)
    assert f_grown >= 70, (c_grown, f_grown)


def test_ridge_fit_gives_the_same_weights_on_any_number_of_threads() -> None:
    rng = np.random.default_rng(11)
    X, Y = rng.standard_normal((3000, 400)), rng.standard_normal((3000, 2))
    one = rc.Ridge(ridge=1e-4).fit(X, Y, num_threads=1)
    two = rc.Ridge(ridge=1e-4).fit(X, Y, num_threads=2)
    default = rc.Ridge(ridge=1e-4).fit(X, Y)
    np.testing.assert_array_equal(one.Wout, two.Wout)
    np.testing.assert_array_equal(one.bias, default.bias)
    # The oracle: numpy's least squares on the centred, ridge-augmented system.
    Xc, Yc = X - X.mean(0), Y - Y.mean(0)
    A = np.vstack([Xc, np.sqrt(1e-4) * np.eye(400)])
    W = np.linalg.lstsq(A, np.vstack([Yc, np.zeros((400, 2))]), rcond=None)[0]
    np.testing.assert_allclose(one.Wout, W, atol=1e-10)
    with pytest.raises(nq.InvalidArgumentError, match="num_threads"):
        rc.Ridge().fit(X, Y, num_threads=0)
    esn1 = rc.Reservoir(units=50, seed=3) >> rc.Ridge(ridge=1e-6)
    esn2 = rc.Reservoir(units=50, seed=3) >> rc.Ridge(ridge=1e-6)
    u = np.sin(np.arange(600) * 0.1)[:, None]
    esn1.fit(u[:-1], u[1:], num_threads=1)
    esn2.fit(u[:-1], u[1:], num_threads=2)
    np.testing.assert_array_equal(esn1.run(u[:20]), esn2.run(u[:20]))
