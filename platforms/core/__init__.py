"""The storefront core: catalogue, buyers, orders, vouchers, checkout, the gateway client."""
