"""Digital platforms (storefronts). ``platforms.core`` knows no platform names; each platform
package declares a ``PlatformSpec``; ``platforms.registry`` lists them."""
