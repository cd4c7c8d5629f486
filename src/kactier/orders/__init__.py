"""Order lines: read an order export and total it per customer over a window."""
