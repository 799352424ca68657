"""Suite-wide settings: nothing in the default run may depend on how fast the machine is.

Hypothesis judges time twice by default (an example over 200 ms fails, slow data generation fails a health
check); on a busy machine both fail correct code, so neither is checked here.
"""

from hypothesis import HealthCheck, settings

settings.register_profile("shopbot", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shopbot")
