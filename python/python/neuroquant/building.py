"""The synthetic building of the flagship HVAC pipeline: seeded RC thermal zones with heat pumps,
outdoor temperature with a daily cycle and noise, occupancy, a time-of-use price, the heating load
a controller forecasts, and closed-loop runs of a thermostat baseline or of a schedule."""

from neuroquant._neuroquant import Building, run_pipeline

__all__ = ["Building", "run_pipeline"]
