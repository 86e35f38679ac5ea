"""Quipu past one machine on Apache Spark (docs/scaling.md section 5).

Each partition of a DataFrame goes to ``quipu partial`` through ``mapInArrow``; the partials
are collected in partition order and ``quipu combine`` runs on the driver. Two passes over the
partitions: the first sums cross-products, the second (with the solution broadcast) residuals
and cluster scores. The numbers are those of ``quipu feols`` on the whole data.
"""

from .driver import QuipuSparkError, feols

__all__ = ["feols", "QuipuSparkError"]
