"""Fixtures shared by incubation's tests: an applicant with a complete enterprise profile, and their draft."""

from incubation.tests.test_applications import applicant, draft  # noqa: F401 (fixtures)
