"""Everything held about a person: export it (right of access), erase it (right to erasure).

`sales-agent privacy export EMAIL` / `privacy erase EMAIL --reason R`; what is stored where
and for how long is in docs/PRIVACY.md.
"""
