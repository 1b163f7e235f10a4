"""The benchmark (`make bench`; README "Benchmark"; issue 14): how fast the key pages answer as
the data grows, against a bare Django "hello" served the same way (the floor).

    python -m tools.bench --sizes "S L" [--duration 3] [--rounds 2] [--connections 4]

For each size: a database of the benchmark's own (thb_bench_<size>) on the PostgreSQL of
DATABASE_URL, or on a throwaway one started like `make test` does (as Redis, for REDIS_URL);
migrated and filled by `manage.py seed_bench` (at once when it holds that size already). Then
the portal and the floor are served by gunicorn with 2 workers each, under production settings
(DEBUG off, a random SECRET_KEY; only the HTTPS knobs are off, for plain HTTP on 127.0.0.1).
The roles sign in through the real login pages, the password and then the TOTP code of the
authenticator seed_bench enrolled. Every page must answer 200 with its own content; then each
is measured with wrk (4 connections; the benchmark's own load generator when wrk is missing),
interleaved with the floor, over a few rounds. The queries of each page are counted in a child
process with Django's test client, signed in with the same session, against the same database.

Facts and figures "cold" is measured by the benchmark's own load generator on one connection,
which deletes the cached figures from Redis before each request (outside the time measured);
its floor is measured the same way, so its ratio compares like with like.

The child process (`--child prepare|count`) is the only one that loads Django: the parent only
starts services, talks HTTP and prints the tables.

One module a concern: __main__ (services, servers, one size's run, the command line), pages (the
pages, and the child's work in Django), load (wrk and the own load generator), signin (the login
and its TOTP step), tables (the results and what is printed).
"""
