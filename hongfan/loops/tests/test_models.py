def test_workflow_labels_use_their_workflow_meaning_in_chinese() -> None:
    """ "Close" on a matter is 办结, not the 关闭 of a dialog's close button."""
    from django.utils import translation

    from hongfan.loops.models import workflow_text

    with translation.override("zh-hans"):
        assert workflow_text("Close") == "办结"
        assert workflow_text("Verify") == "核实"
        assert workflow_text("Cancel") == "撤销"
        assert translation.gettext("Close") == "关闭"  # elsewhere it stays a close button
        assert workflow_text("Handle") == translation.gettext("Handle")  # no context: plain
