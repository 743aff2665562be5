from oscar.apps.checkout.models import *  # noqa: F403 - the fork adds no models
