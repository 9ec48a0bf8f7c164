"""Hunting: a caller's read-only SQL over their own tenant's rows, the same for both engines.

A hunt is made safe in layers; each one must hold on its own, and each is tested adversarially
in ``tests/store/test_detection.py``:

1. **Parse, with DuckDB's own parser** (``json_serialize_sql``; DuckDB's parser is PostgreSQL's,
   so it reads PostgreSQL-style SELECTs too): exactly one statement, and a SELECT (WITH, UNION,
   VALUES included). Anything else (INSERT, COPY, ATTACH, PRAGMA, SET, CALL, ...) is refused.
2. **Walk the whole tree** (``_Check``), refusing by default what it does not know:
   - a table reference must be unqualified, written in lowercase, and either one of ``TABLES``
     or a CTE of the query that is in scope there. Scope is the stricter of the two engines': a
     CTE sees the CTEs before it in its WITH, itself only when it is recursive (a
     ``RECURSIVE_CTE_NODE``), never a later sibling; so no name the check lets through can
     reach a real table in either engine. ``main.events``, ``information_schema.tables``,
     ``pg_class`` or ``'file.csv'`` (a DuckDB replacement scan) are refused;
   - no table functions at all (``read_csv``, ``glob``, ``postgres_scan``, ``unnest`` in FROM),
     no DESCRIBE / SHOW / SUMMARIZE, PIVOT, time travel (``AT (...)``) or parameters;
   - every function is on ``FUNCTIONS``, an allowlist of pure functions, because PostgreSQL has
     functions that read files (``pg_read_file``), run SQL of their own that no CTE governs
     (``query_to_xml``) or reach other databases (``dblink``); every cast is to a type on
     ``TYPES`` (``::regclass`` and friends look into the catalog); and the session keywords
     that PostgreSQL answers from its own state (``current_user``, ``current_schema``, ...)
     are refused. (PostgreSQL also reads ``r.f`` as ``f(r)`` when ``r`` is a whole row; the
     functions that take a whole row are all harmless, checked against ``pg_proc``, so column
     references are not restricted further.)
3. **Read the tokens too** (``_check_tokens``), because PostgreSQL runs the text while the
   check above saw DuckDB's tree, and DuckDB's parser drops what it does not use: a named
   ``WINDOW w AS (ORDER BY f(x))`` that no ``OVER w`` uses is absent from its tree, yet
   PostgreSQL evaluates ``f(x)`` for every row. So the ``WINDOW`` clause is refused, and every
   name written as a call (``name(``) must be an allowed function, an allowed type, or a name the
   query itself declares (a CTE or an alias with a column list), wherever it stands; ``U&``
   escapes, which only PostgreSQL reads, are refused.
4. **Wrap** it (``prepare``): ``WITH events AS (SELECT * FROM <real events> WHERE tenant = $1),
   findings AS (...), alerts AS (...), alert_events AS (...) SELECT * FROM (<sql>) q LIMIT n+1``
   so every unqualified reference sees only the tenant's rows, then parse the wrapped text again
   and require the caller's query inside it to be the very same tree as alone: nothing in the
   text (a comment, a quote, a parenthesis) can have escaped the parentheses. A CTE of the
   caller's named like one of ours shadows ours, which is harmless: its body can only read what
   the check allowed, that is our tenant-filtered CTEs.
5. **Run it read-only, on a timer** (the engines): PostgreSQL in a ``READ ONLY`` transaction with
   ``statement_timeout``, ``search_path = pg_catalog, pg_temp`` and standard strings; DuckDB in
   a transaction that is rolled back, with ``search_path = temp.main`` (unqualified names cannot
   reach the real tables even if step 2 missed one) and ``interrupt()`` from a timer.

What is not bounded: memory (a hunt may aggregate as much as the engine allows) and, in DuckDB,
the store's one thread, which a hunt holds until it ends or its timeout stops it, so writes wait
meanwhile. Column names of unnamed expressions differ between engines (``count_star()`` versus
``count``): name them (``AS n``).

Values come back JSON-able (``jsonable``): times as ISO 8601 text (aware ones in UTC with a
``Z``), intervals as seconds, decimals as numbers, JSON columns as JSON text, bytes as base64.

This module must never execute a caller's SQL itself (the engines do) and never put a stored
value in an error message: messages name what is wrong in the query (a table, a function, a
column), never a value; the engines' own messages, which can quote values, are not passed on.
"""

from __future__ import annotations

import base64
import math
import re
import threading
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson

from garrison.model.event import format_time
from garrison.store.base import MAX_HUNT_ROWS, MAX_HUNT_TIMEOUT_S, HuntError

TABLES = (
    "events",
    "findings",
    "alerts",
    "alert_events",
    "incidents",
    "incident_alerts",
    "indicators",
)
MAX_SQL_CHARS = 100_000
_TABLE_LIST = "events, findings, alerts, alert_events, incidents, incident_alerts and indicators"

# Pure functions a hunt may call, by the name DuckDB's parser gives them (it rewrites some
# syntax: ``extract`` is ``date_part``, ``~`` is ``regexp_full_match``, ``percentile_cont`` is
# ``quantile_cont``, ``count(*)`` is ``count_star``). Each name that PostgreSQL also has was
# checked to be harmless there too. ``repeat`` / ``lpad`` / ``rpad`` are left out on purpose:
# one call can ask for a gigabyte.
FUNCTIONS = frozenset(
    {
        # operators
        "+", "-", "*", "/", "//", "%", "^", "**", "||", "~~", "!~~", "~~*", "!~~*", "->", "->>",
        "@>", "<@", "&", "|", "<<", ">>",
        # text
        "lower", "upper", "lcase", "ucase", "length", "len", "char_length", "character_length",
        "octet_length", "bit_length", "strlen", "substr", "substring", "position", "strpos",
        "instr", "replace", "translate", "trim", "ltrim", "rtrim", "btrim", "left", "right",
        "concat", "concat_ws", "split_part", "string_split", "str_split", "string_to_array",
        "starts_with", "ends_with", "contains", "prefix", "suffix", "reverse", "ascii", "chr",
        "initcap", "md5", "sha256", "hash", "overlay", "format", "printf", "to_hex", "hex",
        "unhex", "encode", "decode", "to_base64", "from_base64", "base64", "url_encode",
        "url_decode", "unicode", "normalize", "nfc_normalize", "strip_accents",
        "regexp_matches", "regexp_full_match", "regexp_replace", "regexp_extract",
        "regexp_extract_all", "regexp_split_to_array", "regexp_like", "like_escape",
        "ilike_escape", "levenshtein", "damerau_levenshtein", "hamming", "jaccard",
        "jaro_similarity", "jaro_winkler_similarity", "editdist3",
        # lists and arrays
        "array_to_string", "array_length", "cardinality", "array_position", "array_contains",
        "list_contains", "list_has", "list_has_any", "list_has_all", "array_has",
        "list_extract", "array_extract", "list_element", "list_slice", "array_slice",
        "list_sort", "array_sort", "list_distinct", "array_distinct", "list_unique",
        "list_transform", "list_filter", "flatten", "unnest", "list_value", "struct_pack",
        "struct_extract", "row",
        # numbers, conditions
        "abs", "round", "floor", "ceil", "ceiling", "trunc", "sign", "sqrt", "cbrt", "exp",
        "ln", "log", "log10", "log2", "power", "pow", "mod", "pi", "div", "width_bucket",
        "greatest", "least", "random", "isnan", "isinf", "isfinite", "degrees", "radians",
        "bit_count", "coalesce", "nullif", "ifnull", "if",
        # time
        "now", "date_part", "datepart", "date_trunc", "datetrunc", "date_diff", "datediff",
        "date_sub", "date_add", "date_bin", "time_bucket", "epoch", "epoch_ms", "epoch_us",
        "to_timestamp", "make_timestamp", "make_date", "age", "strftime", "strptime",
        "try_strptime", "to_char", "to_date", "timezone", "today", "dayname", "monthname",
        "year", "month", "day", "hour", "minute", "second", "dayofweek", "isodow", "week",
        "last_day", "make_interval", "to_days", "to_hours", "to_minutes", "to_seconds",
        # JSON
        "json", "json_extract", "json_extract_string", "json_extract_path",
        "json_extract_path_text", "jsonb_extract_path", "jsonb_extract_path_text",
        "json_value", "json_exists", "json_contains", "json_array_length",
        "jsonb_array_length", "json_type", "json_typeof", "jsonb_typeof", "json_keys",
        "json_object_keys", "jsonb_object_keys", "json_valid", "to_json", "to_jsonb",
        "json_array_elements", "json_array_elements_text", "jsonb_array_elements",
        "jsonb_array_elements_text", "json_object", "json_array", "json_build_object",
        "jsonb_build_object", "json_build_array", "jsonb_build_array", "json_agg", "jsonb_agg",
        "json_group_array", "json_group_object", "json_object_agg", "jsonb_object_agg",
        "json_quote", "json_pretty", "jsonb_pretty", "json_structure", "json_strip_nulls",
        "jsonb_strip_nulls",
        # aggregates
        "count", "count_star", "sum", "avg", "mean", "min", "max", "median", "mode", "stddev",
        "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp", "bool_and", "bool_or",
        "every", "bit_and", "bit_or", "string_agg", "group_concat", "listagg", "array_agg",
        "list", "quantile", "quantile_cont", "quantile_disc", "approx_count_distinct",
        "approx_quantile", "count_if", "countif", "first", "last", "any_value", "arg_max",
        "arg_min", "argmax", "argmin", "max_by", "min_by", "histogram", "corr", "covar_pop",
        "covar_samp", "regr_slope", "regr_intercept", "regr_r2", "regr_count", "entropy",
        "product", "fsum",
        # windows
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag",
        "lead", "first_value", "last_value", "nth_value",
        # misc
        "typeof", "pg_typeof", "gen_random_uuid", "uuid", "uuid_extract_timestamp",
    }
)  # fmt: skip

# Cast targets, by the name DuckDB's parser gives them (lowercased).
TYPES = frozenset(
    {
        "boolean", "bool", "tinyint", "smallint", "integer", "int", "int2", "int4", "int8",
        "bigint", "hugeint", "float", "float4", "float8", "real", "double", "decimal",
        "numeric", "varchar", "text", "string", "char", "date", "time", "timetz", "timestamp",
        "timestamptz", "timestamp with time zone", "timestamp_s", "timestamp_ms",
        "timestamp_ns", "interval", "uuid", "json", "jsonb", "list", "bytea", "blob",
    }
)  # fmt: skip

# Column-looking words PostgreSQL answers from the session (who and where it is), not a row.
_SESSION_WORDS = frozenset(
    {"current_user", "session_user", "user", "current_role", "current_catalog",
     "current_schema", "system_user"}
)  # fmt: skip
_EXPRESSIONS = frozenset(
    {"COLUMN_REF", "CONSTANT", "FUNCTION", "WINDOW", "CAST", "CASE", "COMPARISON",
     "CONJUNCTION", "OPERATOR", "SUBQUERY", "BETWEEN", "COLLATE", "STAR", "LAMBDA",
     "POSITIONAL_REFERENCE", "TYPE", "LAMBDA_REF"}
)  # fmt: skip
_QUERY_NODES = frozenset({"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE"})
_TABLE_REFS = frozenset({"BASE_TABLE", "SUBQUERY", "JOIN", "EXPRESSION_LIST", "EMPTY"})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_$.]{0,63}")
_LOCATIONS = frozenset({"query_location", "query_location_length"})

_parser_lock = threading.Lock()
_parser: Any = None


def _show(name: Any) -> str:
    """A name from the caller's query, fit for an error message (an identifier, or a stand-in)."""
    text = str(name)
    return text if _IDENTIFIER.fullmatch(text) or text in FUNCTIONS else "(a name)"


def _parse(sql: str) -> dict[str, Any]:
    """DuckDB's parse tree of ``sql`` as JSON, on a private in-memory connection."""
    global _parser
    import duckdb

    with _parser_lock:
        if _parser is None:
            con = duckdb.connect(":memory:")
            con.execute("SET enable_external_access = false")  # it only ever parses
            _parser = con
        row = _parser.execute("SELECT json_serialize_sql(?::VARCHAR)", [sql]).fetchone()
    try:
        tree = orjson.loads(row[0]) if row else None
    except orjson.JSONDecodeError:
        tree = None
    except RecursionError:
        raise HuntError("the query is nested too deeply") from None
    if not isinstance(tree, dict):
        raise HuntError("the query could not be parsed")
    return tree


def _refusal(tree: Mapping[str, Any]) -> HuntError:
    """Why the parser refused: a syntax error (with its position), or not a SELECT."""
    if "Only SELECT" in str(tree.get("error_message", "")):
        return HuntError("only SELECT is allowed")
    position = str(tree.get("position", ""))
    if not position.isdigit():
        return HuntError("syntax error")
    character = int(position) + 1
    return HuntError(f"syntax error at character {character}", details={"character": character})


class _Check:
    """The tree walk of step 2; raises HuntError at the first thing not allowed. ``declared``
    collects the names the query declares (CTEs, aliases), for the token check."""

    def __init__(self) -> None:
        self.declared: set[str] = set()

    def visit(self, value: Any, scope: frozenset[str]) -> None:
        if isinstance(value, list):
            for item in value:
                self.visit(item, scope)
            return
        if not isinstance(value, dict):
            return
        if "cte_map" in value and "modifiers" in value:
            self.query_node(value, scope)
            return
        kind = value.get("class")
        if kind is not None:
            self.expression(str(kind), value)
        elif ("alias" in value and "type" in value) or "table_name" in value:
            self.table_ref(value, scope)
        elif "function_name" in value:
            raise HuntError(f"{_show(value['function_name'])}: not allowed")
        for item in value.values():
            self.visit(item, scope)

    def query_node(self, node: Mapping[str, Any], scope: frozenset[str]) -> None:
        kind = node.get("type")
        if kind not in _QUERY_NODES:
            raise HuntError("only SELECT is allowed")
        local = scope
        for entry in node["cte_map"].get("map") or []:
            name = str(entry.get("key", ""))
            self.declared.add(name)
            if name != name.lower():
                raise HuntError(f"CTE {_show(name)}: write CTE names in lowercase")
            body = entry.get("value") or {}
            query = body.get("query_node") or {}
            recursive = query.get("type") == "RECURSIVE_CTE_NODE"
            self.visit(body, local | {name} if recursive else local)
            local = local | {name}
        for key, item in node.items():
            if key != "cte_map":
                self.visit(item, local)

    def table_ref(self, ref: Mapping[str, Any], scope: frozenset[str]) -> None:
        kind = ref.get("type")
        if ref.get("alias"):
            self.declared.add(str(ref["alias"]).lower())
        if kind == "TABLE_FUNCTION":
            function = ref.get("function") or {}
            name = function.get("function_name", "a function")
            raise HuntError(f"{_show(name)}: table functions are not allowed")
        if kind == "SHOW_REF":
            raise HuntError("DESCRIBE, SHOW and SUMMARIZE are not allowed")
        if kind not in _TABLE_REFS:
            raise HuntError(f"{_show(kind)}: not allowed in FROM")
        if kind != "BASE_TABLE":
            return
        name = str(ref.get("table_name", ""))
        path = (ref.get("qualified_name") or {}).get("path") or [name]
        qualified = ref.get("schema_name") or ref.get("catalog_name") or len(path) != 1
        if qualified:
            shown = ".".join(_show(p) for p in path)
            if name.lower() in TABLES:
                raise HuntError(f"table {shown} is not allowed: use {name.lower()}")
            raise HuntError(f"table {shown}: only {_TABLE_LIST} can be queried")
        if name != name.lower():
            raise HuntError(f"table {_show(name)}: write table names in lowercase")
        if name not in scope:
            raise HuntError(f"table {_show(name)}: only {_TABLE_LIST} can be queried")
        if ref.get("at_clause"):
            raise HuntError("AT (time travel) is not allowed")

    def expression(self, kind: str, expr: Mapping[str, Any]) -> None:
        if kind not in _EXPRESSIONS:
            if kind == "PARAMETER":
                raise HuntError("parameters ($1, ?) are not allowed: write the values")
            raise HuntError(f"{_show(kind)}: not allowed")
        if kind in ("FUNCTION", "WINDOW"):
            name = str(expr.get("function_name", "")).lower()
            if expr.get("schema") or expr.get("catalog"):
                raise HuntError(f"{_show(name)}: write functions without a schema")
            if name not in FUNCTIONS:
                raise HuntError(f"{_show(name)}: function is not allowed")
        elif kind == "TYPE":
            name = str(expr.get("type_name", "")).lower()
            if expr.get("schema") or expr.get("catalog") or name not in TYPES:
                raise HuntError(f"{_show(name)}: casting to this type is not allowed")
        elif kind == "COLUMN_REF":
            names = expr.get("column_names") or []
            if len(names) == 1 and str(names[0]).lower() in _SESSION_WORDS:
                raise HuntError(f"{_show(names[0])}: not allowed")


# Names written as calls that DuckDB's parser renames (``percentile_cont`` becomes
# ``quantile_cont``) or reads as syntax (``TABLESAMPLE system (10)``, ``COLUMNS(...)``).
_CALL_NAMES = frozenset({"percentile_cont", "percentile_disc", "columns", "system", "bernoulli"})


def _tokens(sql: str) -> list[tuple[str, Any, int, int]]:
    """(text, type, start, end) of each token DuckDB's tokenizer finds in ``sql``."""
    import duckdb

    found = duckdb.tokenize(sql)
    out = []
    for index, (start, token_type) in enumerate(found):
        end = found[index + 1][0] if index + 1 < len(found) else len(sql)
        text = sql[start:end].rstrip()
        out.append((text.strip(), token_type, start, start + len(text)))
    return out


def _check_tokens(sql: str, declared: set[str]) -> None:
    """Step 3: the ``WINDOW`` clause, calls of names not allowed, ``U&`` escapes."""
    import duckdb

    kinds = duckdb.token_type
    tokens = [t for t in _tokens(sql) if t[1] != kinds.comment]
    allowed = FUNCTIONS | TYPES | _CALL_NAMES | declared
    for index, (text, token_type, _, end) in enumerate(tokens):
        following = tokens[index + 1][0] if index + 1 < len(tokens) else ""
        if token_type == kinds.keyword and text.lower() == "window":
            raise HuntError("named windows (WINDOW w AS ...) are not allowed: write OVER (...)")
        if token_type != kinds.identifier:
            continue
        if text.lower() == "u" and sql[end : end + 1] == "&":
            raise HuntError("U& escapes are not allowed")
        if following.startswith("("):
            name = text[1:-1].replace('""', '"') if text.startswith('"') else text
            if name.lower() not in allowed:
                raise HuntError(f"{_show(name)}: function is not allowed")


def _without_locations(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_locations(v) for k, v in value.items() if k not in _LOCATIONS}
    if isinstance(value, list):
        return [_without_locations(v) for v in value]
    return value


def _statement_text(sql: str) -> str:
    """``sql`` without its trailing semicolons (and the comments after them)."""
    import duckdb

    cut = len(sql)
    for text, token_type, start, _ in reversed(_tokens(sql)):
        if token_type == duckdb.token_type.comment:
            continue
        if not text or set(text) - {";"}:
            break
        cut = start
    return sql[:cut]


def check(sql: str) -> dict[str, Any]:
    """The parse tree of the caller's single SELECT, checked (steps 1 to 3); HuntError if not
    (RecursionError for a query nested deeper than Python recurses: ``prepare`` says so)."""
    if not isinstance(sql, str) or not sql.strip():
        raise HuntError("the query is empty")
    if len(sql) > MAX_SQL_CHARS:
        raise HuntError(f"the query is longer than {MAX_SQL_CHARS} characters")
    tree = _parse(sql)
    if tree.get("error"):
        raise _refusal(tree)
    statements = tree.get("statements") or []
    if len(statements) != 1:
        raise HuntError("exactly one statement is allowed" if statements else "the query is empty")
    statement = statements[0]
    if statement.get("named_param_map"):
        raise HuntError("parameters ($1, ?) are not allowed: write the values")
    walk = _Check()
    walk.visit(statement.get("node"), frozenset(TABLES))
    _check_tokens(sql, walk.declared)
    node: dict[str, Any] = statement["node"]
    return node


def prepare(sql: str, tables: Mapping[str, str], *, tenant_mark: str, limit: int) -> str:
    """The caller's query checked and wrapped (steps 1 to 4), ready for the engine to run with
    the tenant as its one parameter. ``tables`` maps each of ``TABLES`` to the engine's fully
    qualified name for the real table (our own text, never the caller's)."""
    try:
        return _prepare(sql, tables, tenant_mark=tenant_mark, limit=limit)
    except RecursionError:
        raise HuntError("the query is nested too deeply") from None


def _prepare(sql: str, tables: Mapping[str, str], *, tenant_mark: str, limit: int) -> str:
    node = check(sql)
    body = _statement_text(sql)
    ctes = ", ".join(
        f"{name} AS (SELECT * FROM {tables[name]} WHERE tenant = {tenant_mark})" for name in TABLES
    )
    wrapped = f"WITH {ctes} SELECT * FROM (\n{body}\n) AS garrison_hunt LIMIT {limit + 1}"
    tree = _parse(wrapped)
    statements = tree.get("statements") or []
    inner = None
    if not tree.get("error") and len(statements) == 1:
        outer = statements[0].get("node") or {}
        inner = ((outer.get("from_table") or {}).get("subquery") or {}).get("node")
    if inner is None or _without_locations(inner) != _without_locations(node):
        raise HuntError("the query could not be isolated; remove comments and try again")
    return wrapped


def limits(limit: int, timeout_s: float) -> tuple[int, float]:
    """``limit`` and ``timeout_s`` brought within 1..MAX_HUNT_ROWS and 0.01..MAX_HUNT_TIMEOUT_S."""
    rows = max(1, min(int(limit), MAX_HUNT_ROWS))
    seconds = float(timeout_s)
    if not math.isfinite(seconds):
        seconds = MAX_HUNT_TIMEOUT_S
    return rows, max(0.01, min(seconds, MAX_HUNT_TIMEOUT_S))


def timed_out(timeout_s: float) -> HuntError:
    return HuntError(
        f"the query ran past its time limit of {timeout_s:g} s and was stopped",
        details={"timeout_s": timeout_s},
    )


_COLUMN = (
    re.compile(r'Referenced column "([^"]{1,64})" not found'),
    re.compile(r'column "([^"]{1,64})" does not exist'),
    re.compile(r'does not have a column named "([^"]{1,64})"'),
)


def failure(kind: str, message: str, *, sqlstate: str | None = None) -> HuntError:
    """A HuntError for an engine's error of class ``kind`` (and SQLSTATE), naming at most an
    identifier taken from ``message``; the message itself is never passed on."""
    for pattern in _COLUMN:
        found = pattern.search(message)
        if found and _IDENTIFIER.fullmatch(found.group(1)):
            return HuntError(f"unknown column {found.group(1)}")
    state = sqlstate or ""
    if state == "25006":
        return HuntError("only SELECT is allowed")
    if kind in ("ParserException", "SyntaxError") or state == "42601":
        return HuntError("syntax error")
    if kind in ("ConversionException", "InvalidInputException", "OutOfRangeException") or (
        state.startswith("22")
    ):
        return HuntError(f"a value could not be converted or computed ({kind or state})")
    if kind == "OutOfMemoryException" or state[:2] in ("53", "54"):
        return HuntError("the query needs more resources than the store allows")
    if kind in ("BinderException", "CatalogException") or state[:2] == "42":
        what = f"SQLSTATE {state}" if state else kind
        return HuntError(
            "the query names something that does not exist here, or uses it with the wrong "
            f"types ({what})"
        )
    return HuntError(
        f"the query failed ({kind or 'error'}{', SQLSTATE ' + state if state else ''})"
    )


def jsonable(value: Any) -> Any:
    """A value as JSON-able Python (see the module docstring)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        exponent = value.as_tuple().exponent
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    if isinstance(value, datetime):
        return format_time(value) if value.tzinfo is not None else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)


def quote(name: str) -> str:
    """An identifier quoted for SQL (our own catalog and schema names, never a caller's)."""
    return '"' + name.replace('"', '""') + '"'
