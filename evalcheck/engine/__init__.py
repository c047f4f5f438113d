"""Step 4: the rule engine — rule packs compiled once, run over any number of reports."""
