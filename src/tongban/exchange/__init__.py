"""数据共享交换 — Data exchange: Data resources, subscriptions, connectors (plugins) and the exchange call log."""
