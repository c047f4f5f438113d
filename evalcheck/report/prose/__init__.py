"""The prose reader: what the 正文 and the prose cells of tables state, read by its grammar.

:mod:`.clauses` (the text read as meant, sentences, figures) → :mod:`.grammar` (items, roles,
scopes, claims) → :mod:`.fields` (which report field a value states) → :mod:`.relations`,
:mod:`.lists`, :mod:`.leftovers` (parts, shares, changes, claims, counts, numbering, years,
template text) → :mod:`.reading` (every text of a report) → :mod:`.stated` (``正文数据``).
It belongs to the report step: it never imports the engine or anything after it.
"""
