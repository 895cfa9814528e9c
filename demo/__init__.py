"""Demo data for every app: the demo accounts, buildings and hand-written enterprises (`manage.py seed_demo`) and a
generated history of made-up tenants (`demo.generator`), whose vocabulary bench/generate.py shares."""
