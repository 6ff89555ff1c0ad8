"""fapilog-hub: find, install and check fapilog plugins with the fapilog hub catalog."""

__version__ = "0.1.0"
