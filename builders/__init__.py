"""Set-up shared by the sandbox demo, the benches and every test suite: shops, products and orders in a given state.

Two ways to build, for two needs:

- ``builders.journeys`` goes through the use cases the bot runs (the owner registers, applies, an admin approves,
  the deposit is paid; the merchant lists a product; a buyer orders, pays, the merchant accepts and ships, the buyer
  confirms), on any unit of work: the test fakes, SQLite or PostgreSQL. What it makes is a state the bot can reach.
- ``builders.records`` makes domain objects with every required field filled in (a user, an active shop, a
  product), for set-ups that write straight through a repository or into the fake's tables.

A tool beside the product, like sandbox/ and bench/: nothing in domain/, storage/, handlers/, jobs/ or bot/ imports it.
"""

from builders.journeys import ADDRESS, list_product, open_shop, order_in
from builders.records import product, shop, user

__all__ = ["ADDRESS", "list_product", "open_shop", "order_in", "product", "shop", "user"]
