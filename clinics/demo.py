def load_demo_clinics():
    """Placeholder until the clinic locator lands."""
