"""The rules, one module per rule (``dur001_io`` ...), their codes (``codes``), and the table of
checks by code (``catalog``). This __init__ imports nothing: a rule module imports its siblings
(``rules._calls``) through it, and the orchestrator finder imports ``rules.codes``.
"""
