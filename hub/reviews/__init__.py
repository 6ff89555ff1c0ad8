"""Structured plugin reviews: the review files in registry/reviews/, their validation, the
aggregate the catalog shows, and the script that turns a review issue into a pull request."""
