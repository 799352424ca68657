"""Catalogue at scale: listing indexes, category counts kept by triggers, substring search indexes.

- Buyers' lists read a page off ``(category|shop_id, active, created_at, id)`` in order; the single-column
  ``category`` and ``shop_id`` indexes they replace are prefixes of these.
- ``category_counts`` holds how many products each category has on sale (active product, active shop). Triggers
  on ``products`` and ``shops`` keep it exact in the changing transaction, whatever writes the rows.
- Substring search: an FTS5 table with the trigram tokenizer on SQLite (external content: it indexes
  ``products`` without a second copy of the text, kept in step by triggers); trigram GIN indexes on PostgreSQL,
  which serve the ``ILIKE '%word%'`` the search already runs. Neither is visible to autogenerate;
  ``storage.migrate.include_object`` leaves them out of the model comparison.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = "'active'"  # ShopStatus.ACTIVE as stored; stored state values never change

# ---- SQLite ------------------------------------------------------------------------------------------------------

_SQLITE_LISTED_SHOP = "(SELECT status FROM shops WHERE id = {row}.shop_id) = " + ACTIVE

SQLITE_COUNT_TRIGGERS = {
    "category_counts_product_insert": f"""
        CREATE TRIGGER category_counts_product_insert AFTER INSERT ON products
        WHEN NEW.active AND {_SQLITE_LISTED_SHOP.format(row="NEW")}
        BEGIN
            INSERT INTO category_counts (category, listed) VALUES (NEW.category, 1)
            ON CONFLICT (category) DO UPDATE SET listed = listed + 1;
        END""",
    "category_counts_product_delete": f"""
        CREATE TRIGGER category_counts_product_delete AFTER DELETE ON products
        WHEN OLD.active AND {_SQLITE_LISTED_SHOP.format(row="OLD")}
        BEGIN
            UPDATE category_counts SET listed = listed - 1 WHERE category = OLD.category;
        END""",
    "category_counts_product_update": f"""
        CREATE TRIGGER category_counts_product_update AFTER UPDATE OF active, category, shop_id ON products
        WHEN OLD.active IS NOT NEW.active OR OLD.category IS NOT NEW.category OR OLD.shop_id IS NOT NEW.shop_id
        BEGIN
            UPDATE category_counts SET listed = listed - 1
            WHERE category = OLD.category AND OLD.active AND {_SQLITE_LISTED_SHOP.format(row="OLD")};
            INSERT INTO category_counts (category, listed)
            SELECT NEW.category, 1 WHERE NEW.active AND {_SQLITE_LISTED_SHOP.format(row="NEW")}
            ON CONFLICT (category) DO UPDATE SET listed = listed + 1;
        END""",
    # A shop opening or closing lists or unlists all its active products at once.
    "category_counts_shop_status": f"""
        CREATE TRIGGER category_counts_shop_status AFTER UPDATE OF status ON shops
        WHEN (OLD.status = {ACTIVE}) IS NOT (NEW.status = {ACTIVE})
        BEGIN
            INSERT INTO category_counts (category, listed)
            SELECT category, CASE WHEN NEW.status = {ACTIVE} THEN count(*) ELSE -count(*) END
            FROM products WHERE shop_id = NEW.id AND active GROUP BY category
            ON CONFLICT (category) DO UPDATE SET listed = listed + excluded.listed;
        END""",
}

_FTS_COLUMNS = "title, brand, description"
SQLITE_SEARCH = (
    f"""CREATE VIRTUAL TABLE products_search USING fts5(
        {_FTS_COLUMNS}, content='products', content_rowid='id', tokenize='trigram'
    )""",
    f"""CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN
        INSERT INTO products_search (rowid, {_FTS_COLUMNS}) VALUES (NEW.id, NEW.title, NEW.brand, NEW.description);
    END""",
    f"""CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
        INSERT INTO products_search (products_search, rowid, {_FTS_COLUMNS})
        VALUES ('delete', OLD.id, OLD.title, OLD.brand, OLD.description);
    END""",
    f"""CREATE TRIGGER products_search_update AFTER UPDATE OF {_FTS_COLUMNS} ON products
    WHEN OLD.title IS NOT NEW.title OR OLD.brand IS NOT NEW.brand OR OLD.description IS NOT NEW.description
    BEGIN
        INSERT INTO products_search (products_search, rowid, {_FTS_COLUMNS})
        VALUES ('delete', OLD.id, OLD.title, OLD.brand, OLD.description);
        INSERT INTO products_search (rowid, {_FTS_COLUMNS}) VALUES (NEW.id, NEW.title, NEW.brand, NEW.description);
    END""",
    "INSERT INTO products_search (products_search) VALUES ('rebuild')",
)
SQLITE_SEARCH_TRIGGERS = ("products_search_insert", "products_search_delete", "products_search_update")

# ---- PostgreSQL --------------------------------------------------------------------------------------------------

# The shop row is read FOR SHARE: a concurrent status change then waits for this transaction (or this waits for
# it), so the shop trigger's count and this row's +1/-1 can never both miss each other.
PG_FUNCTIONS = (
    """CREATE FUNCTION category_counts_add(cat varchar, delta integer) RETURNS void LANGUAGE sql AS $$
        INSERT INTO category_counts (category, listed) VALUES (cat, delta)
        ON CONFLICT (category) DO UPDATE SET listed = category_counts.listed + EXCLUDED.listed
    $$""",
    f"""CREATE FUNCTION category_counts_product() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' AND OLD.active THEN
            PERFORM 1 FROM shops WHERE id = OLD.shop_id AND status = {ACTIVE} FOR SHARE;
            IF FOUND THEN
                PERFORM category_counts_add(OLD.category, -1);
            END IF;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.active THEN
            PERFORM 1 FROM shops WHERE id = NEW.shop_id AND status = {ACTIVE} FOR SHARE;
            IF FOUND THEN
                PERFORM category_counts_add(NEW.category, 1);
            END IF;
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION category_counts_shop() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO category_counts (category, listed)
        SELECT category, CASE WHEN NEW.status = {ACTIVE} THEN count(*) ELSE -count(*) END
        FROM products WHERE shop_id = NEW.id AND active GROUP BY category
        ON CONFLICT (category) DO UPDATE SET listed = category_counts.listed + EXCLUDED.listed;
        RETURN NULL;
    END $$""",
)
PG_COUNT_TRIGGERS = {
    "category_counts_product_insert_delete": """
        CREATE TRIGGER category_counts_product_insert_delete AFTER INSERT OR DELETE ON products
        FOR EACH ROW EXECUTE FUNCTION category_counts_product()""",
    "category_counts_product_update": """
        CREATE TRIGGER category_counts_product_update AFTER UPDATE OF active, category, shop_id ON products
        FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.category IS DISTINCT FROM NEW.category
                           OR OLD.shop_id IS DISTINCT FROM NEW.shop_id)
        EXECUTE FUNCTION category_counts_product()""",
    "category_counts_shop_status": f"""
        CREATE TRIGGER category_counts_shop_status AFTER UPDATE OF status ON shops
        FOR EACH ROW WHEN ((OLD.status = {ACTIVE}) IS DISTINCT FROM (NEW.status = {ACTIVE}))
        EXECUTE FUNCTION category_counts_shop()""",
}
PG_TRIGGER_TABLES = {
    "category_counts_product_insert_delete": "products",
    "category_counts_product_update": "products",
    "category_counts_shop_status": "shops",
}
PG_TRIGRAM_INDEXES = {
    "ix_products_title_trgm": "title",
    "ix_products_brand_trgm": "brand",
    "ix_products_description_trgm": "description",
}

BACKFILL_COUNTS = f"""
    INSERT INTO category_counts (category, listed)
    SELECT p.category, count(*) FROM products p JOIN shops s ON s.id = p.shop_id
    WHERE p.active AND s.status = {ACTIVE} GROUP BY p.category"""


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.drop_index("ix_products_category", table_name="products")
    op.drop_index("ix_products_shop_id", table_name="products")
    op.create_index(
        "ix_products_category_listing", "products", ["category", "active", "created_at", "id"], unique=False
    )
    op.create_index("ix_products_shop_listing", "products", ["shop_id", "active", "created_at", "id"], unique=False)
    op.create_table(
        "category_counts",
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("listed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("category", name=op.f("pk_category_counts")),
    )
    op.execute(BACKFILL_COUNTS)
    if _sqlite():
        for ddl in (*SQLITE_COUNT_TRIGGERS.values(), *SQLITE_SEARCH):
            op.execute(ddl)
        return
    for ddl in (*PG_FUNCTIONS, *PG_COUNT_TRIGGERS.values()):
        op.execute(ddl)
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in PG_TRIGRAM_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON products USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    if _sqlite():
        for name in (*SQLITE_SEARCH_TRIGGERS, *SQLITE_COUNT_TRIGGERS):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS products_search")
    else:
        for name in PG_TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        # pg_trgm stays: other objects in the database may use it, and it holds no data.
        for name, table in PG_TRIGGER_TABLES.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in ("category_counts_shop()", "category_counts_product()", "category_counts_add(varchar, integer)"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_table("category_counts")
    op.drop_index("ix_products_shop_listing", table_name="products")
    op.drop_index("ix_products_category_listing", table_name="products")
    op.create_index("ix_products_shop_id", "products", ["shop_id"], unique=False)
    op.create_index("ix_products_category", "products", ["category"], unique=False)
