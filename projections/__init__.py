"""The read side: views (tracking recorders with domain verbs, on PostgreSQL or SQLite) and the
runners that fill them from the event store.

    views = open_views(database)                   # read-only use (a separate API process)
    with run_projections(database) as projections:  # fill them (and read them) in-process
        projections.views.charge_points.get_charge_point("CP-1")
"""
