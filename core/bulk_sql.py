"""Bulk writes for tables that take tens of thousands of rows at once (feed snapshots, agenda imports).

`bulk_create` and per-row `update()` spend most of such a write preparing every value of every model
instance, and `bulk_update`'s CASE WHEN grows badly on SQLite. These run one parametrised statement with
`executemany`, per batch of rows whose values are already prepared: plain strings, numbers and None, dates
and JSON through their own field's `get_db_prep_save`. Only quoted model metadata goes into the statement;
every value is a query parameter."""

import itertools
from collections.abc import Iterable

from django.db import connections, router


def insert_rows(model, field_names: list[str], rows: Iterable[tuple], *, batch_size: int) -> None:
    """INSERT each row (values in the order of `field_names`, names or attnames of concrete fields)."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name).column for name in field_names]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(map(quote, columns)), ", ".join(["%s"] * len(columns))
    )
    _execute_in_batches(connection, sql, rows, batch_size=batch_size)


def update_rows(model, field_names: list[str], rows: Iterable[tuple], *, batch_size: int) -> None:
    """Each row gives the new values of `field_names`, then the primary key of the row to update."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in field_names)
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    _execute_in_batches(connection, sql, rows, batch_size=batch_size)


def _execute_in_batches(connection, sql: str, rows: Iterable[tuple], *, batch_size: int) -> None:
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, batch_size)):
            cursor.executemany(sql, batch)
