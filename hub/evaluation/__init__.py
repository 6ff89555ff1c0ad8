"""Plugin evaluation: conformance, benchmarks, security, compatibility, compliance, tiers.

Plugin code runs only in :mod:`hub.evaluation.sandbox` subprocesses, inside the plugin's
own virtualenv (:mod:`hub.evaluation.venvs`), driven by the scripts in ``probe/``. The
runner (:mod:`hub.evaluation.runner`) writes ``registry/results/evaluations.json``
(:mod:`hub.evaluation.results`); the site build only reads that file.
"""
