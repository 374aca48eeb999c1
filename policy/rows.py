"""Model instances from plain SQL, for the queries that nearly every request makes (the
session's user; a cell save's criterion).

What Manager.raw does, without its set-up on every query: matching the columns to fields and
finding each field's converters cost more than running the query (docs/performance.md). The
set-up depends only on the model, the columns and the connection, so it is made once per
process and connection and kept; nothing in it changes while the process runs.
"""
import functools

from django.db import DEFAULT_DB_ALIAS, connections


def fetch(model, sql: str, params) -> list[tuple]:
    """(instance, extras) for each row: the model's instance from the columns named as its
    fields (SELECT t.* and more), with the fields' usual conversions, and a dict of the other
    columns as the database returned them."""
    connection = connections[DEFAULT_DB_ALIAS]  # this thread's: the plan is kept per connection
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        columns = tuple(column[0] for column in cursor.description)
    names, fields, extras = _plan(model, columns, connection)
    loaded = []
    for row in rows:
        values = []
        for position, col, converters in fields:
            value = row[position]
            for converter in converters:
                value = converter(value, col, connection)
            values.append(value)
        instance = model.from_db(connection.alias, names, values)
        loaded.append((instance, {name: row[position] for name, position in extras}))
    return loaded


@functools.lru_cache(maxsize=64)
def _plan(model, columns: tuple[str, ...], connection):
    position = {column: i for i, column in enumerate(columns)}
    names, fields = [], []
    # In the model's order of fields, which Model.from_db expects when it is given them all.
    for field in model._meta.concrete_fields:
        if field.column not in position:
            continue
        col = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        names.append(field.attname)
        fields.append((position.pop(field.column), col, converters))
    return names, fields, list(position.items())
