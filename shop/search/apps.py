"""Oscar's search app, forked to browse and search the catalogue with database queries.

Oscar 4 lists categories and search results through Haystack. With the simple backend this
project uses (no search server), Haystack cannot sort, cannot narrow to a category and loads
each result's product with its own query. The store has tens of products, so views.py lists
them straight from the database instead: filter, sort, paginate, prefetch, in a fixed number
of queries whatever the catalogue size.
"""

import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "shop.search"
