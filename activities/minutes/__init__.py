"""Minutes that cannot be rewritten quietly, and minutes as a document.

`sealing.py` turns a meeting's record into the canonical snapshot a revision keeps and chains the
revisions' hashes; `verification.py` recomputes the chain; `services.py` holds the writes of this
sub-domain (removing an attachment); `document.py` prints minutes as DOCX; `views.py` and
`urls.py` the verify page and the downloads. The writes that seal (sign-off, a change after it,
an attachment) are `activities.services`', which call `sealing.seal`.
"""
