"""The name lists and the keep list, loaded on first use unless given: one copy of the lazy
access every detector and list-reading recogniser shares."""

from __future__ import annotations

from redaction.keep import KeepList, default_keep_list
from redaction.name_lists import NameLists, default_name_lists


class ListsOnDemand:
    """Mixin: ``lists`` and ``keep`` from ``_lists`` / ``_keep`` (set in ``__init__``, None
    for the packaged defaults, read once per process)."""

    _lists: NameLists | None
    _keep: KeepList | None

    @property
    def lists(self) -> NameLists:
        if self._lists is None:
            self._lists = default_name_lists()
        return self._lists

    @property
    def keep(self) -> KeepList:
        if self._keep is None:
            self._keep = default_keep_list()
        return self._keep
