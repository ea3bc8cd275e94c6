"""A bank's page: add signals by uploading a file, and the bank's import history.

Upload-to-add (HMA's "add content"): the curator uploads an image, video or
document; the node hashes it with the one hashing service (``hash_file``, as the
match page, ``accord hash`` and ``/api/v1/hash`` do), keeps the bytes in memory
only and forgets them with the request, and shows every hash it computed, each
with a copy button. The curator ticks the ones to add and submits them with
labels, TLP and rationale; they are added in one transaction by
``signal_add_all`` (the core of ``accord signal add`` and the API). The hashes
travel in the form, so the file is never needed again. Any refusal comes back
on this page with what was typed kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from accord.curation import banks, import_history
from accord.curation import signals as sig
from accord.curation.labels import split_labels
from accord.errors import AccordError, Invalid, NotFound, http_status
from accord.sharing.roles import CAN_CURATE
from accord.sharing.tlp import Tlp
from accord.signals.hashing import hash_file
from accord.store import records as r
from accord.web import forms
from accord.web.i18n import N_
from accord.web.routing import Member, Posted, Visit, field, web_router

router = web_router()
TYPED = ("labels", "tlp", "rationale", "source_ref", "filename")
# The states of an import, as the history shows them (``import_history.ImportState``).
STATE_WORDS = (N_("running"), N_("done"), N_("failed"))
MAX_HASHES = 32  # a file gives a handful (md5, sha256, pdq, video types); more is not ours


@dataclass(frozen=True, slots=True)
class FileHash:
    """One hash computed from the uploaded file, as the form carries it."""

    signal_type: str
    value: str
    quality: int | None

    @property
    def token(self) -> str:
        """The form's value for this hash: type, quality and value."""
        quality = "" if self.quality is None else str(self.quality)
        return f"{self.signal_type}|{quality}|{self.value}"

    @classmethod
    def parse(cls, token: str) -> FileHash:
        """A hash back from the form (the value itself is checked when it is added)."""
        kind, _, rest = token.partition("|")
        quality, sep, value = rest.partition("|")
        if not sep or not kind or not value or (quality and forms.whole(quality) is None):
            raise Invalid(N_("The form's hashes were changed; upload the file again."))
        return cls(kind, value, int(quality) if quality else None)


def _own_bank(visit: Visit, name: str) -> r.Bank:
    """One of the member's partner's banks; another partner's bank answers exactly as one
    that does not exist."""
    partner = visit.me.partner_id
    found = [b for b in banks.bank_list(visit.db, partner, counts=False)
             if partner is not None and b.name == name]
    if not found:
        raise NotFound(N_("There is no such bank."),
                       hint=N_("Your partner's banks are listed on the Banks page."))
    return found[0]


def _render(visit: Visit, bank: r.Bank, *, hashes: list[FileHash] | None = None,
            picked: set[str] | None = None, typed: dict[str, str] | None = None,
            error: AccordError | None = None) -> Response:
    status = 200 if error is None else http_status(error)
    return visit.render(
        "bank.html", http_status=status, bank=bank, hashes=hashes or [],
        picked=picked if picked is not None else {str(n) for n in range(len(hashes or []))},
        typed=typed or {}, form_error=error, tlps=[t.value for t in Tlp],
        history=import_history.import_history(visit.db, visit.me, bank.id),
        can_curate=visit.has(CAN_CURATE))


def _typed(form: FormData) -> dict[str, str]:
    return {key: field(form, key) for key in TYPED}


@router.get("/banks/{bank}")
def bank_page(visit: Member, bank: str) -> Response:
    """The bank: its settings, the upload-to-add form and its import history."""
    return _render(visit, _own_bank(visit, bank))


async def _read(visit: Visit, form: FormData) -> tuple[str, bytes]:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Invalid(N_("Choose a file to hash."))
    limit = visit.web.node.settings.max_file_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise Invalid(N_("The file is over the size limit."), hint=N_(
            "Hash a smaller file, or ask the operator to raise ACCORD_MAX_FILE_BYTES."))
    return upload.filename, data


@router.post("/banks/{bank}/upload")
async def bank_upload(visit: Member, form: Posted, bank: str) -> Response:
    """Hash an uploaded file (kept in memory only) and show its hashes to pick from."""
    typed, own = _typed(form), await run_in_threadpool(_own_bank, visit, bank)
    try:
        visit.me.require(CAN_CURATE, "add signals")
        filename, data = await _read(visit, form)
        results = await run_in_threadpool(hash_file, data, settings=visit.web.node.settings,
                                          name=filename)
    except AccordError as error:
        return await run_in_threadpool(_render, visit, own, typed=typed, error=error)
    del data  # the bytes go with the request; only the hashes are shown
    hashes = [FileHash(h.signal_type, h.value, h.quality) for h in results if h.variant is None]
    return await run_in_threadpool(_render, visit, own, hashes=hashes,
                                   typed={**typed, "filename": filename})


@router.post("/banks/{bank}/signals")
def bank_add_hashes(visit: Member, form: Posted, bank: str) -> Response:
    """Add the ticked hashes of the uploaded file as signals, with labels, TLP, rationale."""
    typed, own = _typed(form), _own_bank(visit, bank)
    hashes: list[FileHash] = []
    picked = {v for v in form.getlist("pick") if isinstance(v, str)}
    try:
        hashes = [FileHash.parse(v) for v in form.getlist("hash")[:MAX_HASHES]
                  if isinstance(v, str)]
        chosen = [h for n, h in enumerate(hashes) if str(n) in picked]
        if not chosen:
            raise Invalid(N_("Tick at least one hash to add."))
        added = sig.signal_add_all(visit.db, visit.me, own.id, [sig.SignalInput(
            signal_type=h.signal_type, value=h.value, quality=h.quality,
            labels=tuple(split_labels(typed["labels"])), tlp=typed["tlp"] or None,
            rationale=typed["rationale"], source_ref=typed["source_ref"]) for h in chosen],
            visit.web.node.settings)
    except AccordError as error:
        return _render(visit, own, hashes=hashes, picked=picked, typed=typed, error=error)
    visit.web.counts.invalidate()
    return visit.redirect(f"/signals?bank={quote(own.name)}",
                          N_("Signals added to bank %(bank)s: %(ids)s."), bank=own.name,
                          ids=", ".join(str(s.id) for s in added))
