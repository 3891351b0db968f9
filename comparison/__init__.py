"""The comparison client: run the anti-pattern and its two fixes and compare them.

``python -m comparison demo`` runs everything on the embedded host (``make demo``);
``python -m comparison compare --base-url URL`` runs the three side by side on any running
host. Modules: ``client`` (the app's public endpoints), ``compare`` (the flow), ``report``
(the count tables), ``times`` (the times table), ``cost_model`` (the Azure projection),
``profile`` (the Azure-like time scale), ``host_time`` (the host's own work, apart from what
the profile emulates), ``results`` (out/demo.json), ``figure``, ``console`` and ``demo``.
"""
