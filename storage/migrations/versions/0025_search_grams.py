"""Search words of one and two characters: ``search_grams``, every product's one- and two-character substrings.

The trigram indexes of migration 0002 (FTS5 on SQLite, ``pg_trgm`` on PostgreSQL) only find words of three
characters or more; a shorter word (``xl``, ``耳机``, ``茶``) scanned every product. ``search_grams`` holds one
row per distinct substring of one or two characters of a product's lower-cased title, brand and description
(substrings with a blank left out: a search word never has one), keyed ``(gram, product_id)``, so a short word
reads its products straight off the key, newest first, and stops after the candidates a search shows.

Triggers on ``products`` keep it exact in the changing transaction, whoever writes the rows (use cases, imports,
the bench seeder): inserted and deleted with the product, rewritten when its title, brand or description change.
The grams are ``lower()``-cased by the database itself, as the search's ``LIKE``/``ILIKE`` recheck is, so every
product the recheck accepts has its grams here. A hand-made search object like the FTS table (``WITHOUT ROWID``
on SQLite); the schema comparison leaves it out (``storage.models.catalog.is_search_object``).

Revision ID: 0025_search_grams
Revises: 0024_sku_groups
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0025_search_grams"
down_revision: str | Sequence[str] | None = "0024_sku_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "search_grams"
_FIELDS = ("title", "brand", "description")

# ---- SQLite ------------------------------------------------------------------------------------------------------


def _sqlite_texts(row: str, source: str = "") -> str:
    """The product's three texts, lower-cased, one row each: ``(id, t)``; ``row`` is NEW, OLD or a table alias."""
    return " UNION ALL ".join(f"SELECT {row}.id AS id, lower({row}.{field}) AS t{source}" for field in _FIELDS)


def sqlite_grams(texts: str) -> str:
    """``(gram, product_id)`` of every one- and two-character substring of ``texts`` without a blank.

    SQLite allows no common table expressions inside triggers, so the positions come from ``json_each`` over a
    JSON array of ``length(t)`` zeros (``hex(zeroblob(n))`` is ``n`` pairs of "00").
    """
    return f"""
        SELECT DISTINCT substr(f.t, n.key + 1, w.w) AS gram, f.id AS product_id
        FROM ({texts}) AS f, (SELECT 1 AS w UNION ALL SELECT 2) AS w,
             json_each('[' || substr(replace(hex(zeroblob(length(f.t))), '00', '0,'), 1, 2 * length(f.t) - 1) || ']') AS n
        WHERE n.key + w.w <= length(f.t) AND instr(substr(f.t, n.key + 1, w.w), ' ') = 0"""


def _sqlite_insert(row: str) -> str:
    return f"INSERT OR IGNORE INTO {TABLE} (gram, product_id) {sqlite_grams(_sqlite_texts(row))};"


def _sqlite_delete(row: str) -> str:
    grams = sqlite_grams(_sqlite_texts(row))
    return f"DELETE FROM {TABLE} WHERE product_id = {row}.id AND gram IN (SELECT gram FROM ({grams}));"


SQLITE_TABLE = f"""CREATE TABLE {TABLE} (
    gram TEXT NOT NULL, product_id INTEGER NOT NULL, PRIMARY KEY (gram, product_id)
) WITHOUT ROWID"""
SQLITE_TRIGGERS = {
    "search_grams_insert": f"""
        CREATE TRIGGER search_grams_insert AFTER INSERT ON products BEGIN
            {_sqlite_insert("NEW")}
        END""",
    "search_grams_delete": f"""
        CREATE TRIGGER search_grams_delete AFTER DELETE ON products BEGIN
            {_sqlite_delete("OLD")}
        END""",
    "search_grams_update": f"""
        CREATE TRIGGER search_grams_update AFTER UPDATE OF title, brand, description ON products
        WHEN OLD.title IS NOT NEW.title OR OLD.brand IS NOT NEW.brand OR OLD.description IS NOT NEW.description
        BEGIN
            {_sqlite_delete("OLD")}
            {_sqlite_insert("NEW")}
        END""",
}
SQLITE_BACKFILL = (
    f"INSERT OR IGNORE INTO {TABLE} (gram, product_id) "
    + sqlite_grams(_sqlite_texts("products", " FROM products"))
)

# ---- PostgreSQL --------------------------------------------------------------------------------------------------

PG_TABLE = f"""CREATE TABLE {TABLE} (
    gram text COLLATE "C" NOT NULL, product_id bigint NOT NULL, PRIMARY KEY (gram, product_id)
)"""
PG_FUNCTIONS = (
    """CREATE FUNCTION search_grams_of(title text, brand text, description text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE AS $$
        SELECT DISTINCT substr(f.t, n, w)
        FROM unnest(ARRAY[lower(title), lower(brand), lower(description)]) AS f(t),
             generate_series(1, 2) AS w, generate_series(1, length(f.t) - w + 1) AS n
        WHERE position(' ' in substr(f.t, n, w)) = 0
    $$""",
    f"""CREATE FUNCTION search_grams_product() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM {TABLE} WHERE product_id = OLD.id
            AND gram IN (SELECT search_grams_of(OLD.title, OLD.brand, OLD.description));
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO {TABLE} (gram, product_id)
            SELECT search_grams_of(NEW.title, NEW.brand, NEW.description), NEW.id
            ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$""",
)
PG_TRIGGERS = {
    "search_grams_insert_delete": """
        CREATE TRIGGER search_grams_insert_delete AFTER INSERT OR DELETE ON products
        FOR EACH ROW EXECUTE FUNCTION search_grams_product()""",
    "search_grams_update": """
        CREATE TRIGGER search_grams_update AFTER UPDATE OF title, brand, description ON products
        FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.brand IS DISTINCT FROM NEW.brand
                           OR OLD.description IS DISTINCT FROM NEW.description)
        EXECUTE FUNCTION search_grams_product()""",
}
PG_BACKFILL = f"""
    INSERT INTO {TABLE} (gram, product_id)
    SELECT search_grams_of(title, brand, description), id FROM products"""


def drop_triggers(dialect: str) -> list[str]:
    """Stop keeping the grams (the bench seeder, before it inserts its products in bulk)."""
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
    return [f"DROP TRIGGER IF EXISTS {name} ON products" for name in PG_TRIGGERS]


def fill_and_keep(dialect: str) -> list[str]:
    """Fill the table from every product in one statement, then keep it with the triggers, and give the planner
    its statistics (a backfill of millions of rows is otherwise unknown to it until autovacuum comes by)."""
    if dialect == "sqlite":
        return [SQLITE_BACKFILL, *SQLITE_TRIGGERS.values(), f"ANALYZE {TABLE}"]
    return [PG_BACKFILL, *PG_TRIGGERS.values(), f"ANALYZE {TABLE}"]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(SQLITE_TABLE)
    else:
        op.execute(PG_TABLE)
        for ddl in PG_FUNCTIONS:
            op.execute(ddl)
    for statement in fill_and_keep(dialect):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in drop_triggers(dialect):
        op.execute(statement)
    if dialect != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS search_grams_product()")
        op.execute("DROP FUNCTION IF EXISTS search_grams_of(text, text, text)")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
