"""Financial planning: a multi-year budget forecast per fiscal year, with actuals.

``budget_report(registry, as_of, years=3, history=3, by="kind")`` is the one
entry point; :mod:`.forecast` places the lines, :mod:`.actuals` sums what was
spent, :mod:`.report` holds the result and its JSON form.
"""

from itamctl.budget.report import BY_CHOICES, BudgetReport, budget_report

__all__ = ["BY_CHOICES", "BudgetReport", "budget_report"]
