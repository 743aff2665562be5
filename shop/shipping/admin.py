from oscar.apps.shipping.admin import *  # noqa: F403 - the fork keeps Oscar's admin
