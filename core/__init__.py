"""The kernel every app may use; it imports no app (DESIGN.md section 3)."""
