"""Normalise: clean text, extract entities, resolve link domains, settle thread ids and zones."""

from __future__ import annotations

from datetime import UTC

import msgspec

from rapport.domains import domains_of
from rapport.pipeline.stage import Stage
from rapport.records import Author, Batch, Envelope, Post
from rapport.text import clean_text, extract_entities, merge


class NormaliseStage(Stage):
    name = "normalise"

    def process(self, batch: Batch) -> Batch:
        return msgspec.structs.replace(
            batch, items=tuple(Envelope(post=normalise_post(e.post)) for e in batch.items)
        )


def normalise_post(post: Post) -> Post:
    text = clean_text(post.text)
    found = extract_entities(text)
    # Links the source gives are already expanded (X's entities.urls); the text then holds
    # only their t.co stand-ins, which would count the shortener as a source domain.
    links = post.links or found.urls
    created_at = post.created_at
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    elif created_at.utcoffset():
        created_at = created_at.astimezone(UTC)
    return msgspec.structs.replace(
        post,
        text=text,
        author=_normalise_author(post.author),
        created_at=created_at,
        # Until the store knows better, a reply's thread is rooted at its parent.
        conversation_id=post.conversation_id or post.reply_to_id or post.source_id,
        links=links,
        domains=domains_of(links) if links else (),
        hashtags=merge(post.hashtags, found.hashtags),
        mentions=merge(post.mentions, found.mentions),
        cashtags=merge(post.cashtags, found.cashtags),
    )


def _normalise_author(author: Author) -> Author:
    handle = author.handle.lstrip("@")
    display = clean_text(author.display_name) if author.display_name else ""
    if handle == author.handle and display == author.display_name:
        return author
    return msgspec.structs.replace(author, handle=handle, display_name=display)
