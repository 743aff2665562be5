"""django-axes' backend, made to ignore ``authenticate()`` calls that carry no request.

Every login form (storefront, dashboard, CMS, Django admin) calls ``authenticate(request,
...)``, so each is limited. Oscar's registration view signs the new customer in with
``authenticate(username=..., password=...)`` and no request, and the test client's
``login()`` does the same; axes would raise for those. They are not sign-in attempts an
attacker controls (the password was just set), so there is nothing to count.
"""

from axes.backends import AxesStandaloneBackend


class AxesBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
