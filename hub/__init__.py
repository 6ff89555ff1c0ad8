"""fapilog hub: turns the repository's content and data into site pages.

The MkDocs build enters only through :mod:`hub.mkdocs_hooks`; every other module is
plain Python, testable without a build.
"""
