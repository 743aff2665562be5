"""Which shipping methods a basket may use: standard first (Oscar's default choice), express."""

from oscar.apps.shipping import repository

from . import methods


class Repository(repository.Repository):
    methods = (methods.Standard(), methods.Express())
