from oscar.apps.address.admin import *  # noqa: F403 - the fork keeps Oscar's admin
