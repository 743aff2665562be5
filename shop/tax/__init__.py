"""Sales tax for the US and Canada, behind one provider interface (providers.py).

The default provider reads the ``TaxRate`` table that shop managers edit in the dashboard;
``SHOP_TAX_PROVIDER`` names another class (e.g. one calling Stripe Tax or Avalara).
Checkout applies the quote to Oscar's basket lines and shipping charge (services.py), so the
order lines, the order total and the Stripe amount carry tax the way Oscar stores it.
"""
