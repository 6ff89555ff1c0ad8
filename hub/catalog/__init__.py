"""The plugin catalog: registry, discovery, assembly and rendering (see docs/about/architecture.md).

The build calls :func:`hub.catalog.site.generate` and nothing else; every other module is
plain Python, testable without MkDocs.
"""
