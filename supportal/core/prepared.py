"""A queryset compiled once, then run again with another value: for the reads that every
request makes.

Django compiles a queryset to SQL each time it runs; for the user loaded on every page (four
tables joined, an annotation) that compiling costs more than the query itself. A
``PreparedQuery`` compiles its queryset on first use in each thread and for each database,
with a marker where the value goes, and afterwards only executes that SQL and builds the
objects the way Django's own iteration does (converters, ``select_related`` objects,
annotations). Rows are always read from the database: nothing is cached but the SQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]  # private

M = TypeVar("M", bound=Model)

# Stands for the value while the queryset compiles; found again among the SQL's parameters.
MARKER = -7_319_468_255_001


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    position: int  # of the value among the parameters
    init_list: list[str]
    fields: slice
    populators: list[Any]
    annotations: dict[str, int]
    converters: dict[int, tuple[list[Callable[..., Any]], Any]]


class PreparedQuery(Generic[M]):
    """``build(value)`` gives the queryset for one value (an integer: a primary key)."""

    def __init__(self, model: type[M], build: Callable[[int], QuerySet[M]]) -> None:
        self.model = model
        self._build = build
        self._local = threading.local()  # compiled per thread: a compiler is bound to one

    def fetch(self, value: int) -> list[M]:
        db = router.db_for_read(self.model)
        compiled = self._compiled(db)
        params = list(compiled.params)
        params[compiled.position] = value
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        found = []
        for row in rows:
            if compiled.converters:
                row = list(row)
                for position, (converters, expression) in compiled.converters.items():
                    column = row[position]
                    for converter in converters:
                        column = converter(column, expression, connection)
                    row[position] = column
            obj = self.model.from_db(db, compiled.init_list, row[compiled.fields])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def _compiled(self, db: str) -> _Compiled:
        cache = self._local.__dict__.setdefault("by_db", {})
        if db not in cache:
            cache[db] = self._compile(db)
        compiled: _Compiled = cache[db]
        return compiled

    def _compile(self, db: str) -> _Compiled:
        queryset = self._build(MARKER)
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()  # also works out the columns of every model
        positions = [i for i, param in enumerate(params) if param == MARKER]
        if len(positions) != 1:
            raise ValueError(f"the value must appear once in the query, found {len(positions)}")
        info = compiler.klass_info
        if info is None or info["model"] is not self.model:
            raise ValueError("a prepared query yields instances of its model")
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        select = compiler.select
        return _Compiled(
            sql=sql,
            params=tuple(params),
            position=positions[0],
            init_list=[column[0].target.attname for column in select[start:end]],
            fields=slice(start, end),
            populators=get_related_populators(info, select, db),
            annotations=dict(compiler.annotation_col_map or {}),
            converters=compiler.get_converters([s[0] for s in select[: compiler.col_count]]),
        )
