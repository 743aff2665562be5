from oscar.apps.address.models import *  # noqa: F403 - the fork keeps Oscar's models
