"""Development-only tools: the localstripe wrapper and its webhook registration.

Production never imports this package: it is in INSTALLED_APPS only when DEV_TOOLS is set
(``make run``'s bin/run-local and config/test_settings.py set it), and localstripe is in
requirements-dev.txt, never requirements.txt.
"""
