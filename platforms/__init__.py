"""Digital platforms (storefronts): Tokopedia, Bukalapak, Pintaria. Built in a later issue."""
