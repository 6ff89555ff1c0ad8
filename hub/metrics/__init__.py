"""Ecosystem metrics: collectors that fetch figures from outside (``nox -s metrics``), the
history file they append to, the adopters file, and the dashboard page built from them."""
