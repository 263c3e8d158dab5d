"""Writing and deleting a tenant's own reply templates."""

from __future__ import annotations

from rapport.actions.base import Actor, Change, Context, apply
from rapport.care import reply_templates as rt
from rapport.records.templates import SavedTemplate, Template
from rapport.store import templates as store


def save_template(
    context: Context, name: str, lang: str, text: str, *, actor: Actor
) -> tuple[Template, bool]:
    """Write the tenant's template for this name and language, in place of a built-in of the
    same name and language; (the template, True when it is new)."""
    rt.check_key(name, lang)
    rt.check_text(text)

    def job(change: Change) -> tuple[Template, bool]:
        before, after = store.save_template(
            change.conn, actor.tenant, name, lang, text, now=change.now
        )
        change.audit("template.save", f"template:{name}/{lang}", before, after)
        return rt.own_template(after), before is None

    return apply(context, actor, job)


def delete_template(context: Context, name: str, lang: str, *, actor: Actor) -> SavedTemplate:
    """Delete the tenant's own template (NotFound when it has none); the built-in of that
    name and language, if any, applies again."""
    rt.check_key(name, lang)

    def job(change: Change) -> SavedTemplate:
        before = store.delete_template(change.conn, actor.tenant, name, lang)
        change.audit("template.delete", f"template:{name}/{lang}", before, None)
        return before

    return apply(context, actor, job)
