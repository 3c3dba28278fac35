"""Spikes: spike data, encoders and decoders, and spike-train pattern measures (numpy in and out).

- Data: ``SpikeRaster`` (time × channel, bit-packed, zero-copy ``packed`` view) and ``SpikeEvents``
  (address events: ``t``, ``channel``, ``polarity`` as zero-copy views), converted losslessly.
- snnTorch ``spikegen`` encoders with its names, defaults and formulas: ``rate``, ``latency``
  (and ``latency_code``), ``delta``; output ``(num_steps, *data.shape)`` in the input's float dtype,
  or a ``SpikeRaster`` with ``output="raster"``. Seeded ones take ``seed`` (same seed, same
  spikes, whatever ``num_threads``). Their decoders: ``rate_decode``, ``latency_decode``,
  ``delta_decode`` (and ``poisson_decode`` for ``poisson``).
- More encoders: ``poisson`` (rates in Hz), ``bsa`` (Ben's Spiker Algorithm with its FIR filter),
  ``population`` (Gaussian receptive fields), and ``Encoder``, the streaming encoders
  (delta, send-on-delta, step-forward, TBR, moving window, rate, Poisson, phase, BSA), one sample
  at a time with O(1) state per channel, picklable mid-stream. Each has a decoder; ``reconstruction``
  scores one (NRMSE, spikes per sample).
- Measures: ``van_rossum_distance`` (and the streaming ``VanRossum``), ``victor_purpura_distance``,
  ``kuramoto``, ``spike_synchronization``, ``bursts``, ``rhythmicity``, ``treves_rolls``,
  ``population_sparseness``, ``TemplateMatcher`` and ``detect``, the pattern detector.

Where we deviate from snnTorch: ``latency`` keeps spikes whose time falls past the last step on
that step and warns (snnTorch clears the whole last step then); ``rate(time_var_input=True)``
applies ``gain`` and ``offset`` (snnTorch silently ignores them there); randomness comes from our
own seeded streams, not torch's.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from neuroquant import _neuroquant as _native
from neuroquant._neuroquant import (
    Encoder,
    SpikeEvents,
    SpikeRaster,
    TemplateMatcher,
    VanRossum,
    autocorrelation,
    bursts,
    kuramoto,
    population_sparseness,
    rhythmicity,
    spike_synchronization,
    treves_rolls,
    van_rossum_distance,
    victor_purpura_distance,
)

__all__ = [
    "Encoder",
    "SpikeEvents",
    "SpikeRaster",
    "TemplateMatcher",
    "VanRossum",
    "autocorrelation",
    "bsa",
    "bsa_decode",
    "bursts",
    "delta",
    "delta_decode",
    "detect",
    "kuramoto",
    "latency",
    "latency_code",
    "latency_decode",
    "population",
    "population_decode",
    "population_sparseness",
    "poisson",
    "poisson_decode",
    "rate",
    "rate_decode",
    "reconstruction",
    "rhythmicity",
    "spike_synchronization",
    "tbr_threshold",
    "treves_rolls",
    "van_rossum_distance",
    "victor_purpura_distance",
]

_P = inspect.Parameter


def _from_core(
    native: Callable[..., Any],
    name: str,
    keywords: str,
    leading: tuple[str, ...],
    extra: tuple[tuple[str, object, str], ...] = (),
    summary: str = "",
    optional: tuple[str, ...] = (),
) -> Callable[..., Any]:
    """A function whose signature and docstring come from the core's parameter description
    ``keywords`` (names, defaults, docs), after the positional ``leading`` arguments and before
    the Python-only keyword-only ``extra`` ones; ``optional`` leading arguments default to None.
    It hands every argument given to ``native``."""
    description, params = _native._spike_keywords(keywords)
    sig_params = [
        _P(n, _P.POSITIONAL_OR_KEYWORD, **({"default": None} if n in optional else {})) for n in leading
    ]
    doc = [summary or description.strip(), "", "Parameters", "----------"]
    for n in leading:
        doc.append(f"{n} : array_like")
    for kw, default, kdoc, accepted in params:
        if isinstance(default, list):
            default = tuple(default)
        sig_params.append(_P(kw, _P.POSITIONAL_OR_KEYWORD, default=default))
        doc.append(f"{kw} : {accepted}, default {default!r}\n    {kdoc}")
    for kw, default, kdoc in extra:
        sig_params.append(_P(kw, _P.KEYWORD_ONLY, default=default))
        doc.append(f"{kw} : default {default!r}\n    {kdoc}")
    signature = inspect.Signature(sig_params)

    def function(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        first = [bound.arguments.pop(n, None) for n in leading]
        return native(*first, **bound.arguments)

    function.__signature__ = signature  # type: ignore[attr-defined]
    function.__doc__ = "\n".join(doc)
    function.__name__ = function.__qualname__ = name
    function.__module__ = __name__
    return function


_OUTPUT = ("output", "dense", '"dense": an array of the input\'s float dtype; "raster": a SpikeRaster')
_THREADS = ("num_threads", None, "threads to use (None: all cores); the result does not depend on it")

rate = _from_core(
    _native._spike_rate,
    "rate",
    "rate",
    ("data",),
    (_OUTPUT, _THREADS),
    "Rate coding (snnTorch spikegen.rate): a spike with probability clamp(gain·x + offset, 0, 1) "
    "per step; shape (num_steps, *data.shape), or data's own shape when num_steps is None.",
)
poisson = _from_core(
    _native._spike_poisson,
    "poisson",
    "poisson",
    ("rates",),
    (_OUTPUT, _THREADS),
    "Poisson spike trains from rates in Hz: a spike with probability 1 - exp(-rate·dt) per step; "
    "shape (num_steps, *rates.shape).",
)
latency = _from_core(
    _native._spike_latency,
    "latency",
    "latency",
    ("data",),
    (_OUTPUT,),
    "Latency coding (snnTorch spikegen.latency): one spike per input at round(t) (half to even), "
    "t = tau·ln(x/(x - threshold)) or tau·(1 - x) with linear; shape (num_steps, *data.shape). "
    "Spikes past the last step are placed on it with a RuntimeWarning.",
)
latency_code = _from_core(
    _native._spike_latency_code,
    "latency_code",
    "latency",
    ("data",),
    (),
    "snnTorch spikegen.latency_code: (spike_time, below_threshold), the times before rounding.",
)
latency_decode = _from_core(
    _native._spike_latency_decode,
    "latency_decode",
    "latency",
    ("spike_time",),
    (),
    "Inverts the latency code: the input firing at spike_time (the log form without normalize "
    "and first_spike_time, or the linear form).",
)
delta = _from_core(
    _native._spike_delta,
    "delta",
    "delta",
    ("data",),
    (_OUTPUT,),
    "Delta modulation (snnTorch spikegen.delta) of time-first data: 1 where the change from the "
    "previous step is >= threshold, -1 where <= -threshold with off_spike; shape data.shape.",
)
bsa = _from_core(
    _native._spike_bsa,
    "bsa",
    "bsa",
    ("data",),
    (),
    "Ben's Spiker Algorithm on time-first data: returns (spikes int8 of data's shape, shift, "
    "scale, filter); bsa_decode(*result) reconstructs.",
)
population = _from_core(
    _native._spike_population,
    "population",
    "population",
    ("data",),
    (_OUTPUT,),
    "Gaussian receptive-field population coding (Bohte et al. 2002): shape "
    "(num_steps, *data.shape, num_neurons), one spike per neuron whose response reaches cutoff.",
)
population_decode = _from_core(
    _native._spike_population_decode,
    "population_decode",
    "population",
    ("spikes",),
    (),
    "Decodes a population raster (num_steps, ..., num_neurons) to values: the response-weighted "
    "mean of the fired neurons' centres.",
)
detect = _from_core(
    _native._spike_detect,
    "detect",
    "patterns",
    ("raster", "templates"),
    (),
    "The spike-pattern detector: synchronous, rhythmic, sparse, burst and template patterns of a "
    "raster (SpikeRaster or 2-D 0/1 array), each {'strength', 'detected'}, plus 'kuramoto', "
    "'period', 'bursts' and 'matches'. templates: a sequence of rasters (or None).",
    optional=("templates",),
)

rate_decode = _from_core(
    _native._spike_rate_decode,
    "rate_decode",
    "rate_decode",
    ("spikes",),
    (),
    "Inverts rate coding: (m - offset)/gain from each channel's spike frequency m. spikes: a "
    "SpikeRaster or a time-first array (num_steps, *shape); returns shape, or (num_steps - "
    "first_spike_time, *shape) with a window. Score it with reconstruction(x, decoded, num_spikes).",
)
poisson_decode = _from_core(
    _native._spike_poisson_decode,
    "poisson_decode",
    "poisson_decode",
    ("spikes",),
    (),
    "Inverts Poisson coding: rates in Hz, -ln(1 - m)/dt from each channel's spike frequency m "
    "(a channel firing on all n steps reads m = 1 - 1/(2n)). Shapes as rate_decode.",
)
delta_decode = _from_core(
    _native._spike_delta_decode,
    "delta_decode",
    "delta_decode",
    ("spikes",),
    (),
    "Inverts delta modulation: x_t = x_(t-1) + threshold*s_t from initial (zeros; pass the first "
    "sample when encoding with padding=True); shape of spikes.",
)

tbr_threshold = _native._spike_tbr_threshold
bsa_decode = _native._spike_bsa_decode
reconstruction = _native._spike_reconstruction
