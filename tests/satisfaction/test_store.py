"""The plugin's local store: drafts, submissions and their states."""
from __future__ import annotations

from plugins.satisfaction.store import PluginStore


def test_drafts_survive_reopening(tmp_path):
    store = PluginStore(tmp_path / "s.sqlite")
    store.save_draft("101234567890", "assessment", {"detail": "Chậm"})
    store.save_draft("101234567890", "assessment", {"detail": "Chậm lắm"})
    store.save_draft("101234567890", "reflection", {"content": "x"})
    store.close()
    again = PluginStore(tmp_path / "s.sqlite")
    assert again.load_draft("101234567890", "assessment") == {"detail": "Chậm lắm"}
    assert again.load_draft("101234567890", "reflection") == {"content": "x"}
    assert again.draft_numbers("assessment") == ["101234567890"]
    again.delete_draft("101234567890", "reflection")
    assert again.load_draft("101234567890", "reflection") is None


def test_recording_a_submission_drops_the_draft_and_tracks_states(tmp_path):
    store = PluginStore(tmp_path / "s.sqlite")
    n = "101234567890"
    payload = {"declaration_number": n, "ratings": [{"target_kind": "branch", "target_code": "03CC", "stars": 1,
                                                     "reasons": ["D01"]}]}
    store.save_draft(n, "assessment", {"x": 1})
    store.record_submission("id-1", n, "assessment", payload)
    assert store.load_draft(n, "assessment") is None
    assert store.assessment(n)["state"] == "queued"
    assert store.assessment(n)["payload"] == payload
    assert store.open_ids() == ["id-1"]

    changed = store.apply_states({"id-1": {"state": "sent", "server_ref": "A-7"}, "unknown": {"state": "failed"}})
    assert [(c["id"], c["state"], c["new_answer"]) for c in changed] == [("id-1", "sent", False)]
    assert store.apply_states({"id-1": {"state": "sent", "server_ref": "A-7"}}) == []  # no change

    changed = store.apply_states({"id-1": {"state": "sent", "server_ref": "A-7", "server_status": "answered",
                                           "verified": True, "outcome": "Đúng", "answer": "Đã chấn chỉnh"}})
    assert changed[0]["new_answer"] and changed[0]["state"] == "answered"
    assert [r["id"] for r in store.unseen_answers()] == ["id-1"]
    store.mark_answers_seen(["id-1"])
    assert store.unseen_answers() == [] and store.open_ids() == []
    row = store.assessment(n)
    assert row["verified"] is True and row["answer"] == "Đã chấn chỉnh" and row["server_ref"] == "A-7"


def test_rejected_assessment_can_be_replaced(tmp_path):
    store = PluginStore(tmp_path / "s.sqlite")
    n = "301234567890"
    store.record_submission("old", n, "assessment", {"ratings": []})
    changed = store.apply_states({"old": {"state": "failed", "code": "validation_error", "message": "unknown target"}})
    assert changed[0]["state"] == "rejected" and changed[0]["error_message"] == "unknown target"
    store.record_submission("new", n, "assessment", {"ratings": []}, replaces="old")
    assert store.assessment(n)["id"] == "new"
    assert store.submission("old")["superseded_by"] == "new"
    assert store.open_ids() == ["new"]
    store.record_submission("r1", n, "reflection", {"content": "x"})
    assert store.current_marks(n)[n][2] == 1  # one reflection in the declaration's mark


def test_send_in_two_steps_survives_a_crash_in_between(tmp_path):
    n = "101234567890"
    store = PluginStore(tmp_path / "s.sqlite")
    store.save_draft(n, "assessment", {"kept": True})
    store.record_intent("local-1", n, "assessment", {"ratings": []})
    assert store.assessment(n) is None and store.open_ids() == []  # not sent yet
    store.close()  # the program dies here
    store = PluginStore(tmp_path / "s.sqlite")
    assert [i["id"] for i in store.intents()] == ["local-1"]
    assert store.load_draft(n, "assessment") == {"kept": True}
    store.discard_intent("local-1")
    assert store.intents() == []
    store.record_intent("local-2", n, "assessment", {"ratings": []})
    store.confirm("local-2", "outbox-2")
    assert store.assessment(n)["id"] == "outbox-2" and store.load_draft(n, "assessment") is None


def test_a_damaged_store_is_moved_aside_and_a_fresh_one_started(tmp_path):
    path = tmp_path / "satisfaction.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    store, moved = PluginStore.open_or_recover(path)
    assert moved is not None and moved.exists() and moved.read_bytes().startswith(b"this is not")
    store.save_draft("101234567890", "assessment", {"ok": True})
    assert store.load_draft("101234567890", "assessment") == {"ok": True}
    store.close()
    again, moved_again = PluginStore.open_or_recover(path)
    assert moved_again is None and again.load_draft("101234567890", "assessment") == {"ok": True}


def test_current_marks_per_declaration(tmp_path):
    store = PluginStore(tmp_path / "s.sqlite")
    store.record_submission("a1", "101", "assessment", {"ratings": [{"stars": 4}, {"stars": 2}]})
    store.record_submission("r1", "101", "reflection", {"content": "x"})
    store.record_submission("r2", "301", "reflection", {"content": "y"})
    store.record_intent("i1", "302", "reflection", {"content": "z"})  # not queued yet: no mark
    assert store.current_marks() == {"101": ("queued", 2, 1), "301": (None, 0, 1)}
