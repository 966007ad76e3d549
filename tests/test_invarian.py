"""The invariants (README "Invarian", #20), checked after every step of random sequences of ordinary
commands: imports (early, late, partial, corrections, adoption events, targets) with and without
the demo, reverts, closes, reopens and clock moves.

A model of the state (which batch holds which values, which closing is in force) predicts what each
command must do (written, "nothing to do", or refused) and what `tiru bulan` must say; after every
step the store must agree, no month may be final without a closing in force and data, real values
win over the demo for every kind, and reverting everything returns every export byte for byte.

Seeded (derandomize) and bounded (max_examples × stateful_step_count), so CI runs it in a few
minutes; examples it found are kept as plain tests at the bottom.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import ClassVar

import pandas as pd
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from metrics import ingest
from metrics.core import periode as per
from metrics.data import catatan_bulan as bulan_data
from metrics.data import penutupan
from metrics.data import export
from metrics.data.store import RejectedChange, Store
from metrics.engine import adopsi
from metrics.engine import bulan as bulan_engine
from metrics.ops.siklus import month_frame

OKT, NOV = per.parse("2026-10"), per.parse("2026-11")
MONTHS = (OKT, NOV)
KEC = ("12.09.08", "12.09.19", "12.09.20")
VALUES = {"waktu_tunggu": (38, 40), "waktu_selesai": (2.6, 3), "tepat_waktu": (86, 80), "pengaduan_tuntas": (85, 80),
          "permohonan_daring": (64, 60), "tte": (86.5, 80), "volume_layanan": (1800, 1700)}
MONTHLY = tuple(VALUES)
DAYS = (dt.date(2026, 11, 20), dt.date(2026, 12, 2), dt.date(2026, 12, 14), dt.date(2027, 1, 5))
CELLS = (("12.09.08", "jemput_bola"), ("12.09.17", "jemput_bola"), ("12.09.19", "tte"))
EVENT_DAYS = (dt.date(2025, 10, 1), dt.date(2026, 6, 16), dt.date(2026, 11, 3))
RULES: list[str] = []  # rules run
TRACE: list[str] = []  # kinds of batches written (the test reports how much it exercised)
SETTINGS = settings(max_examples=12, stateful_step_count=15, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


def exports(store: Store) -> dict[str, bytes]:
    return {name: export.neutralise(frame).to_csv(index=False, lineterminator="\n").encode()
            for name, frame in export.tables(store).items()}


class Tiru(RuleBasedStateMachine):
    """One database, the commands an operator and an admin may give it, and a model of what it holds."""

    bases: ClassVar[dict[bool, Path]] = {}
    folder: Path = Path()
    runs = 0

    @initialize(with_demo=st.booleans(), today=st.sampled_from(DAYS))
    def start(self, with_demo, today):
        Tiru.runs += 1
        self.path = Tiru.folder / f"run{Tiru.runs}" / "tiru.duckdb"
        self.path.parent.mkdir(parents=True)
        shutil.copy(Tiru.bases[with_demo], self.path)
        self.today = today
        os.environ["TIRU_HARI_INI"] = today.isoformat()
        self.store = Store(self.path)
        # the model: batches in order, each {id, kind, cells | action | event | target, reverted}
        self.batches: list[dict] = []
        start = self.store.observasi(OKT, NOV, wilayah="Asahan")
        start = start[start["indikator"].isin(MONTHLY)]
        self.demo_cells = {
            (k, int(m), i): float(v)
            for k, m, i, v in zip(
                start["kode_kecamatan"], start["periode"], start["indikator"], start["nilai"], strict=True
            )
        }
        months = self.store.bulan()
        self.demo_final = {
            int(m)
            for m, closed, demo in zip(months["periode"], months["ditutup"], months["aksi_demo"], strict=True)
            if closed and demo
        }
        self.total = len(self.store.kecamatan("Asahan"))
        events = self.store.adopsi()
        self.demo_events = events[events["demo"]]
        self.start_exports = exports(self.store)
        self.start_months = month_frame(self.store)

    def teardown(self):
        if hasattr(self, "store"):
            self.store.close()
        os.environ.pop("TIRU_HARI_INI", None)

    # ------------------------------------------------------------- the model

    def live(self, kind: str | None = None) -> list[dict]:
        return [b for b in self.batches if not b["reverted"] and (kind is None or b["kind"] == kind)]

    def cells(self, batches=None) -> dict[tuple, float]:
        """Effective monthly values of the scope: the latest live real batch, else the demo."""
        out = dict(self.demo_cells)
        real = {}
        for b in (self.live("observasi") if batches is None else batches):
            real.update(b["cells"])
        out.update(real)
        return out

    def published(self) -> dict[tuple, tuple]:
        """Every effective cell as (value, real or demo)."""
        real = self.real_cells()
        return {c: (v, c in real) for c, v in self.cells().items()}

    def real_cells(self) -> dict[tuple, float]:
        real = {}
        for b in self.live("observasi"):
            real.update(b["cells"])
        return real

    def closed(self) -> set[int]:
        """Months an admin's closing holds (latest live real action is a close)."""
        state = {}
        for b in self.live():
            for month, aksi in b.get("actions", []):
                state[month] = aksi
        return {m for m, aksi in state.items() if aksi == "tutup"}

    def months_with_data(self, cells=None) -> set[int]:
        cells = self.cells() if cells is None else cells
        return {m for (_, m, _) in cells} | self.other_months

    other_months: ClassVar[set[int]] = set()  # months of the scope only: none outside

    def final(self) -> set[int]:
        return self.closed() & self.months_with_data()

    def expected_status(self, month: int, cells) -> str:
        if month in self.final():
            return "final"
        real_action = any(m == month for b in self.live() for m, _ in b.get("actions", []))
        if month in self.demo_final and not real_action:
            return "final_contoh"
        sent = {}
        for (k, m, i) in cells:
            if m == month:
                sent.setdefault(k, set()).add(i)
        lengkap = sum(1 for v in sent.values() if len(v) == len(MONTHLY))
        if self.today > per.tenggat(month, 10) or per.lengkap_cukup(lengkap, self.total):
            return "sementara"
        return "berjalan"

    def end_empty_closings(self, batch: dict) -> None:
        """The writer's rule: a closing whose month lost its data ends with the batch."""
        for month in sorted(self.closed() - self.months_with_data()):
            batch.setdefault("actions", []).append((month, "buka"))

    def record(self, batch: dict) -> None:
        TRACE.append(batch["kind"])
        self.batches.append(batch)
        self.end_empty_closings(batch)

    def noted(self, batch_id: str, corrected: bool) -> None:
        """A change to a final month is noted on its batch; no other batch says so."""
        note = self.store.batches().set_index("id").loc[batch_id, "catatan"]
        assert ("koreksi bulan final" in str(note or "")) == corrected, (batch_id, note)

    def last_id(self) -> str:
        return self.store.batches()["id"].iloc[-1]

    # ------------------------------------------------------------- the commands

    @rule(month=st.sampled_from(MONTHS), kec=st.lists(st.sampled_from(KEC), min_size=1, max_size=3, unique=True),
          partial=st.booleans(), variant=st.integers(0, 1), koreksi=st.booleans())
    def import_month(self, month, kec, partial, variant, koreksi):
        RULES.append("import_month")
        self._import(month, kec, partial, variant, koreksi)

    def _import(self, month, kec, partial, variant, koreksi):
        if month > per.from_date(self.today):
            return
        indicators = MONTHLY[:3] if partial else MONTHLY
        rows = {(k, month, i): float(VALUES[i][variant]) for k in kec for i in indicators}
        real = self.real_cells()
        written = {c: v for c, v in rows.items() if c not in real or real[c] != v}
        text = "kode_kecamatan,periode,indikator,nilai,sumber,catatan\n" + "".join(
            f"{k},{per.fmt(m)},{i},{v},Laporan camat,\n" for (k, m, i), v in rows.items())
        plan = ingest.prepare(self.store, text.encode(), "bulan.csv")
        assert plan.ok, plan.masalah
        touches_final = any(m in self.final() for (_, m, _) in written)  # new, changed, or replacing the demo
        try:
            result = ingest.impor(self.store, plan, "operator", demo="pertahankan", terima_peringatan=True,
                                  koreksi_final=koreksi)
        except RejectedChange:
            assert touches_final and not koreksi, "refused although no final month changes"
            return
        assert not (touches_final and not koreksi), "a final month changed without the correction"
        if not written:
            assert result.batch is None
            return
        assert result.batch is not None
        self.noted(result.batch, touches_final)
        self.record({"id": result.batch, "kind": "observasi", "cells": written, "reverted": False})

    @precondition(lambda self: bool(self.final()))
    @rule(data=st.data(), kec=st.sampled_from(KEC), variant=st.integers(0, 1), koreksi=st.booleans())
    def correct_final_month(self, data, kec, variant, koreksi):
        """A late correction of a month that is final (with or without the admin's correction)."""
        RULES.append("correct_final_month")
        month = data.draw(st.sampled_from(sorted(self.final())))
        self._import(month, [kec], False, variant, koreksi)

    @rule(cell=st.sampled_from(CELLS), tahap=st.integers(1, 4), day=st.sampled_from(EVENT_DAYS))
    def import_event(self, cell, tahap, day):
        RULES.append("import_event")
        if day > self.today:
            return
        kec, inov = cell
        text = f"kode_kecamatan,inovasi,tahap,tanggal,bukti,oleh\n{kec},{inov},{tahap},{day},Bukti,\n"
        result = ingest.impor(self.store, ingest.prepare(self.store, text.encode(), "adopsi.csv"), "admin",
                              demo="pertahankan")
        same = any(b["event"] == (kec, inov, tahap, day) for b in self.live("adopsi"))
        assert (result.batch is None) == same
        if result.batch:
            self.record({"id": result.batch, "kind": "adopsi", "event": (kec, inov, tahap, day), "reverted": False})

    @rule(cell=st.sampled_from(CELLS), tahap=st.integers(1, 4), kabupaten=st.booleans())
    def import_target(self, cell, tahap, kabupaten):
        RULES.append("import_target")
        kec, inov = cell
        text = f"inovasi,tahap,tanggal,kode_kecamatan\n{inov},{tahap},2027-06-30,{'' if kabupaten else kec}\n"
        result = ingest.impor(self.store, ingest.prepare(self.store, text.encode(), "target.csv"), "admin",
                              demo="pertahankan")
        if result.batch:
            self.record({"id": result.batch, "kind": "target", "target": (inov, tahap, None if kabupaten else kec),
                         "reverted": False})

    @rule(month=st.sampled_from(MONTHS))
    def close(self, month):
        RULES.append("close")
        allowed = self.today > per.month_end(month) and month in self.months_with_data() and month not in self.closed()
        try:
            batch = penutupan.close_month(self.store, month, "admin")
        except RejectedChange:
            assert not allowed, f"closing {per.fmt(month)} refused"
            return
        assert allowed, f"closing {per.fmt(month)} allowed"
        self.record({"id": batch, "kind": "tutup", "actions": [(month, "tutup")], "reverted": False})

    @rule(month=st.sampled_from(MONTHS))
    def reopen(self, month):
        RULES.append("reopen")
        allowed = month in self.final()
        try:
            batch = penutupan.reopen_month(self.store, month, "admin", "koreksi")
        except RejectedChange:
            assert not allowed
            return
        assert allowed
        self.record({"id": batch, "kind": "buka", "actions": [(month, "buka")], "reverted": False})

    @precondition(lambda self: any(b["kind"] != "batal" for b in self.live()))
    @rule(data=st.data(), koreksi=st.booleans())
    def revert(self, data, koreksi):
        RULES.append("revert")
        candidates = [b for b in self.live() if b["kind"] != "batal"]
        if not candidates:
            return
        chosen = data.draw(st.sampled_from(candidates))
        before = self.published()
        final = self.final()
        chosen["reverted"] = True
        after = self.published()
        changes_final = any(before.get(c) != after.get(c) for c in set(before) | set(after) if c[1] in final)
        try:
            own = self.store.revert(chosen["id"], "admin", "uji", koreksi_final=koreksi)
        except RejectedChange:
            chosen["reverted"] = False
            assert changes_final and not koreksi, "revert refused although no final month changes"
            return
        assert not (changes_final and not koreksi), "a final month changed by a revert without the correction"
        self.noted(own, changes_final)
        self.record({"id": own, "kind": "batal", "reverted": False})

    @precondition(lambda self: self.today < DAYS[-1])
    @rule(day=st.sampled_from(DAYS))
    def clock(self, day):
        RULES.append("clock")
        self.today = max(day, self.today)  # time moves forward (nothing is dated after today)
        os.environ["TIRU_HARI_INI"] = self.today.isoformat()

    @precondition(lambda self: len([b for b in self.live() if b["kind"] != "batal"]) >= 4)
    @rule()
    def revert_everything(self):
        RULES.append("revert_everything")
        for batch in reversed(self.live()):
            if batch["kind"] == "batal":
                continue
            own = self.store.revert(batch["id"], "admin", "semua", koreksi_final=True)
            batch["reverted"] = True
            self.record({"id": own, "kind": "batal", "reverted": False})
        assert exports(self.store) == self.start_exports
        months = month_frame(self.store)
        start = self.start_months
        assert (
            months[months["periode"].isin(start["periode"])]
            .reset_index(drop=True)[["periode", "lengkap", "total"]]
            .equals(
                start[start["periode"].isin(months["periode"])].reset_index(drop=True)[["periode", "lengkap", "total"]]
            )
        )

    # ------------------------------------------------------------- after every step

    @invariant()
    def months_are_what_the_model_says(self):
        if not hasattr(self, "store"):
            return
        frame = month_frame(self.store).set_index("periode")
        cells = self.cells()
        for month in MONTHS:
            has = month in self.months_with_data(cells)
            assert (per.fmt(month) in frame.index) == has, per.fmt(month)
            if has:
                assert frame.loc[per.fmt(month), "status"] == self.expected_status(month, cells), per.fmt(month)

    @invariant()
    def a_final_month_is_closed_and_holds_data(self):
        if not hasattr(self, "store"):
            return
        table = bulan_engine.month_table(self.store)
        closed = set(bulan_data.closed_months(self.store.query))
        for month, status, melapor in zip(table["periode"], table["status"], table["melapor"], strict=True):
            if status == "final":
                assert month in closed and melapor > 0
        assert closed <= set(table["periode"]), "a closing in force on a month without data"
        # the default month follows the rule over what `tiru bulan` lists
        final = table[table["status"].isin(bulan_engine.FINAL)]["periode"]
        complete = [
            m
            for m, n, t in zip(table["periode"], table["lengkap"], table["total"], strict=True)
            if per.lengkap_cukup(n, t)
        ]
        expected = int(final.max()) if len(final) else (max(complete) if complete else
                                                         (int(table["periode"].max()) if len(table) else None))
        assert bulan_engine.default_month(table) == expected

    @invariant()
    def real_data_wins(self):
        if not hasattr(self, "store"):
            return
        real = self.real_cells()
        if real:
            stored = self.store.observasi(OKT, NOV, wilayah="Asahan").set_index(
                ["kode_kecamatan", "periode", "indikator"]
            )
            for cell, value in real.items():
                assert stored.loc[cell, "nilai"] == value and not stored.loc[cell, "demo"]
        events = self.store.adopsi()
        stages = adopsi.stage_on(events, self.today).set_index(["kode_kecamatan", "inovasi"])["tahap"]
        for kec, inov in CELLS:
            mine = [
                b["event"] for b in self.live("adopsi") if b["event"][:2] == (kec, inov) and b["event"][3] <= self.today
            ]
            if mine:
                last = max(mine, key=lambda e: e[3])  # same-day events: the one recorded last (stable max keeps first)
                same_day = [e for e in mine if e[3] == last[3]]
                assert int(stages.get((kec, inov), 0)) == same_day[-1][2]
        targets = adopsi.applicable_targets(self.store.target(), list(KEC) + ["12.09.17"])
        for kec, inov in CELLS:
            real_targets = {b["target"] for b in self.live("target")}
            applies = [t for t in real_targets if t[0] == inov and t[2] in (None, kec)]
            if applies:
                shown = targets[(targets["inovasi"] == inov) & (targets["kode_kecamatan"] == kec)]
                assert len(shown) and set(shown["tahap"]) <= {t[1] for t in applies}


def test_random_sequences_keep_the_invariants(demo_db, empty_db, tmp_path, monkeypatch):
    monkeypatch.delenv("TIRU_TENGGAT_HARI", raising=False)
    monkeypatch.setenv("TIRU_DB", str(tmp_path / "unused.duckdb"))
    Tiru.bases = {True: demo_db, False: empty_db}
    Tiru.folder = tmp_path
    TRACE.clear()
    RULES.clear()
    run_state_machine_as_test(Tiru, settings=SETTINGS)
    print("rules:", pd.Series(RULES, dtype=str).value_counts().to_dict())
    print("batches written:", pd.Series(TRACE, dtype=str).value_counts().to_dict())
    assert {"observasi", "tutup", "batal"} <= set(TRACE)  # the sequences did close, import and revert
