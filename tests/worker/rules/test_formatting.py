import pytest

from tests.conftest import evidence_texts, make_doc


def flagged(run_check, body: str, **options) -> dict[str, list[str]]:
    """Evidence texts by code."""
    hits = run_check("formatting", body, **options)
    doc = make_doc(body, **options)
    return {hit.code: evidence_texts(doc, [hit]) for hit in hits}


@pytest.mark.parametrize(
    ("body", "post_format", "language", "expected"),
    [
        # fmt: off
        ("<p>Please read <b>before posting</b> anything.</p>", "html", "en", {"formatting.bold": ["before posting"]}),
        ("<p>Le SIP renvoie <strong>503</strong> depuis ce matin.</p>", "html", "fr", {"formatting.bold": ["503"]}),
        ("<p>My IVR menu is <span style=\"font-weight: bold\">broken</span>.</p>", "html", "en",
         {"formatting.bold": ["broken"]}),
        ("<p><span style=\"FONT-WEIGHT:700 !important\">URGENT</span> la file d'attente est pleine</p>", "html", "fr",
         {"formatting.bold": ["URGENT"]}),
        ("<p><span style=\"font: bold 14px Arial\">Note</span>: the export is empty.</p>", "html", "en",
         {"formatting.bold": ["Note"]}),
        ("<p>The queue shows <font color=\"red\">0 agents</font> online.</p>", "html", "en",
         {"formatting.colour": ["0 agents"]}),
        ("<p>L'export est <span style=\"color:#ff0000\">vide</span>.</p>", "html", "fr", {"formatting.colour": ["vide"]}),
        ("<p>See <span style=\"background-color: yellow\">this line</span>.</p>", "html", "en",
         {"formatting.colour": ["this line"]}),
        ("<p>Hidden <span style=\"color: white\">cheap licences</span></p>", "html", "en",
         {"formatting.colour": ["cheap licences"]}),
        ("<p><b style=\"color:red\">Attention &amp; merci</b></p>", "html", "fr",
         {"formatting.bold": ["Attention &amp; merci"], "formatting.colour": ["Attention &amp; merci"]}),
        ("The **export** button does nothing.", "markdown", "en", {"formatting.bold": ["export"]}),
        ("Le bouton __Exporter__ ne fait rien.", "markdown", "fr", {"formatting.bold": ["Exporter"]}),
        ("# Export\n\nClick **Save** then **Export**.", "markdown", "en", {"formatting.bold": ["Save", "Export"]}),
        ("[b]Important[/b]: the softphone drops calls.", "bbcode", "en", {"formatting.bold": ["Important"]}),
        ("Le [color=red]softphone[/color] coupe les appels.", "bbcode", "fr", {"formatting.colour": ["softphone"]}),
        ("[colour=#00f]Blue[/colour] text and [B]caps tag[/B]", "bbcode", "en",
         {"formatting.bold": ["caps tag"], "formatting.colour": ["Blue"]}),
        # fmt: on
    ],
)
def test_when_post_uses_bold_or_colour_then_the_formatted_text_is_evidence(
    run_check, body, post_format, language, expected
):
    assert flagged(run_check, body, post_format=post_format, language=language) == expected


@pytest.mark.parametrize(
    ("body", "post_format", "language"),
    [
        # fmt: off
        ("<p>The <em>export</em> button and the <i>import</i> one.</p>", "html", "en"),
        ("<h2>Exporter les appels</h2><p>Le bouton ne fait rien.</p>", "html", "fr"),
        ("<p>Code:</p><pre><b>bold in code</b></pre><code><strong>x</strong></code>", "html", "en"),
        ("<blockquote><b>Moderator:</b> read the rules</blockquote><p>Done, thanks.</p>", "html", "en"),
        ("<p><span style=\"font-weight: normal; color: windowtext\">Pasted from Word</span></p>", "html", "en"),
        ("<p><span style=\"font-weight:400;background-color:#FFFFFF\">Collé depuis Word</span></p>", "html", "fr"),
        ("<p><font face=\"Arial\">Just a font face</font></p>", "html", "en"),
        ("The *export* button and the _import_ one.", "markdown", "en"),
        ("# Exporter les appels\n\n## Étapes\n\nLe bouton ne fait rien.", "markdown", "fr"),
        ("Run this:\n\n```\nprint('**not bold**')\n```\n\nand `**x**` inline.", "markdown", "en"),
        ("Voici le code :\n\n    <b>pas gras</b> **pas gras**\n", "markdown", "fr"),
        ("> **Moderator**: read the rules\n\nDone.", "markdown", "en"),
        ("2 ** 8 = 256 and a lone __ too", "markdown", "en"),
        ("[i]italique[/i] et [u]souligné[/u]", "bbcode", "fr"),
        ("[code][b]x[/b][color=red]y[/color][/code] is what the API returns", "bbcode", "en"),
        ("[quote][b]Modérateur[/b][/quote] Merci !", "bbcode", "fr"),
        ("[color=black]Pasted text[/color]", "bbcode", "en"),
        ("I typed **bold** and <b>html bold</b> and [b]bbcode[/b]", "text", "en"),
        ("Le texte <strong>s'affiche</strong> tel quel", "text", "fr"),
        # fmt: on
    ],
)
def test_when_post_has_no_bold_or_colour_markup_then_nothing_is_flagged(run_check, body, post_format, language):
    assert run_check("formatting", body, post_format=post_format, language=language) == []


def test_when_title_is_bold_then_title_text_is_evidence(run_check):
    hits = run_check("formatting", "<p>Body</p>", title="<b>Export</b> vide", post_format="html", language="fr")
    [hit] = hits
    assert hit.spans[0].field == "title"
    assert evidence_texts(make_doc("<p>Body</p>", title="<b>Export</b> vide", post_format="html"), hits) == ["Export"]


def test_when_bold_element_is_empty_then_an_empty_span_marks_its_place(run_check):
    body = "Text [b][/b] more"
    [hit] = run_check("formatting", body, post_format="bbcode")
    [span] = hit.spans
    assert span.start == span.end == len("Text ")


def test_when_element_is_bold_then_score_is_certain_and_codes_are_declared(run_check, checks):
    hits = run_check("formatting", "<b>a</b><font color=red>b</font>", post_format="html")
    assert {hit.code for hit in hits} <= checks["formatting"].codes
    assert all(hit.score == 1.0 for hit in hits)


def test_when_many_elements_then_evidence_is_capped_and_count_is_given(run_check):
    [hit] = run_check("formatting", "**a** " * 500, post_format="markdown")
    assert len(hit.spans) == 100
    assert dict(hit.details)["elements"] == "500"


@pytest.mark.parametrize(
    ("body", "post_format"),
    [
        ("[b]" * 30000, "bbcode"),
        ("[color=red]" * 20000, "bbcode"),
        ("<b " * 30000, "html"),
        ("<b>" * 30000, "html"),
        ("<span style='color:red;font-weight:bold'>" * 2000, "html"),
        ("**a" * 30000, "markdown"),
        ("__a " * 25000, "markdown"),
    ],
)
def test_when_input_is_adversarial_then_the_check_returns(run_check, body, post_format):
    assert isinstance(run_check("formatting", body, post_format=post_format), list)
