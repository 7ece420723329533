"""Turning results into answers people read.

`format` (values, changes, targets, periods), `ask` (question → Answer, errors as messages), `terminal`
(plain-text rendering), `tables` (table results as text), `followups` (trend and breakdown queries).
Import from the submodules: this package module stays empty so charts can use `format` without
loading the parser and the engine.
"""
