"""Hypothesis strategies for values valid under the description's schemas.

``valid_values(spec, pointer)`` composes small named pieces (one per JSON Schema keyword family)
into a strategy for any schema in the description, then keeps only values the spec's own
validator accepts. Conditional keywords (``if``/``then`` inside ``allOf``) are satisfied
constructively, so the filter rarely rejects.
"""

from __future__ import annotations

from ._schemas import valid_values

__all__ = ["valid_values"]
