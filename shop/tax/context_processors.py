def tax(request):
    """Oscar's templates show prices before tax and the tax on its own line when
    ``show_tax_separately`` is set: a US or Canadian receipt."""
    return {"show_tax_separately": True}
