"""Model instances from plain SQL, for the queries that nearly every request makes (the
session's user, with what the poll or a cell save needs about them).

What Manager.raw does, without its set-up on every query: matching the columns to fields and
finding each field's converters cost more than running the query (docs/performance.md). The
set-up depends only on the models, the columns and the connection, so it is made once per
process and connection and kept; nothing in it changes while the process runs.
"""
import functools

from django.db import DEFAULT_DB_ALIAS, connections

SEPARATOR = "__"


def select(model, alias: str) -> str:
    """The model's columns for a SELECT list, from the table named `alias`, each named
    alias__column so that several models' columns can share one row."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    return ", ".join(
        f"{alias}.{quote(field.column)} AS {quote(alias + SEPARATOR + field.column)}"
        for field in model._meta.concrete_fields
    )


def fetch(sql: str, params, **models) -> list[dict]:
    """Each row as a dict: for each alias=Model, that model's instance from the columns
    `select(Model, alias)` named, with the fields' usual conversions (None where an outer join
    found no row), and each other column by its name, as the database returned it."""
    connection = connections[DEFAULT_DB_ALIAS]  # this thread's: the plan is kept per connection
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        columns = tuple(column[0] for column in cursor.description)
    plans, extras = _plan(tuple(models.items()), columns, connection)
    loaded = []
    for row in rows:
        found = {name: row[position] for name, position in extras}
        for alias, model, names, fields, pk_position in plans:
            if row[pk_position] is None:
                found[alias] = None
                continue
            values = []
            for position, col, converters in fields:
                value = row[position]
                for converter in converters:
                    value = converter(value, col, connection)
                values.append(value)
            found[alias] = model.from_db(connection.alias, names, values)
        loaded.append(found)
    return loaded


@functools.lru_cache(maxsize=64)
def _plan(models: tuple, columns: tuple[str, ...], connection):
    position = {column: i for i, column in enumerate(columns)}
    plans = []
    for alias, model in models:
        names, fields = [], []
        # In the model's order of fields, which Model.from_db expects when it is given them all.
        for field in model._meta.concrete_fields:
            column = alias + SEPARATOR + field.column
            if column not in position:
                continue
            col = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            names.append(field.attname)
            fields.append((position.pop(column), col, converters))
        pk_position = fields[names.index(model._meta.pk.attname)][0]
        plans.append((alias, model, names, fields, pk_position))
    return plans, list(position.items())
