"""The plugin catalog: registry, discovery, assembly and rendering (see docs/about/architecture.md).

hub/site.py composes the catalog with the other packages' results; every module here is
plain Python, testable without MkDocs.
"""
