"""evalcheck: a consistency checker for 部门整体支出绩效自评报告.

The pipeline runs one way: load → normalise → model → engine → findings → render.
"""

__version__ = "0.1.0"
