"""Stage machines (pure transition rules) and the progression policies that drive them."""
