"""Stock checks at payment time, with the stock rows locked when it matters."""

from collections import defaultdict

from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


def stock_problems(basket, *, lock):
    """Reasons the basket cannot be bought now; with ``lock`` the stock rows stay locked
    until the surrounding transaction ends (rows are locked in id order: no deadlocks)."""
    lines = list(basket.all_lines())
    wanted = defaultdict(int)
    for line in lines:
        wanted[line.stockrecord_id] += line.quantity
    records = StockRecord._default_manager.filter(id__in=wanted.keys()).order_by("id")
    if lock:
        records = records.select_for_update()
    records = {record.id: record for record in records}
    problems = []
    for line in lines:
        record = records.get(line.stockrecord_id)
        title = line.product.get_title()
        if record is None:
            problems.append(f"{title} is no longer available.")
            continue
        info = basket.strategy.fetch_for_product(line.product, stockrecord=record)
        permitted, reason = info.availability.is_purchase_permitted(wanted[record.id])
        if not permitted:
            problems.append(f"{title}: {reason}.")
    return problems
