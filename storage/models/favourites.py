"""What buyers keep and look at: favourites, their price-drop opt-in, recently viewed products."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Currency


class FavouriteRow(Base):
    __tablename__ = "favourites"
    # A buyer's list, newest first, is read straight off this index.
    __table_args__ = (Index("ix_favourites_user_listing", "user_id", "created_at", "product_id"),)

    user_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    noted_price_amount: Mapped[BigInt]
    noted_price_currency: Mapped[Currency]
    created_at: Mapped[datetime]


class PriceAlertRow(Base):
    """A buyer who asked for the daily note of their favourites that got cheaper."""

    __tablename__ = "price_alerts"

    user_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime]


class RecentViewRow(Base):
    """One product a buyer viewed; ``position`` grows with every view of theirs (the highest is the latest), so the
    order holds even when two views share a timestamp."""

    __tablename__ = "recent_views"
    __table_args__ = (Index("ix_recent_views_user_position", "user_id", "position"),)

    user_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)
    viewed_at: Mapped[datetime]
