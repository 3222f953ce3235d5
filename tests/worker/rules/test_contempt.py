import pytest

from tests.conftest import evidence_texts, make_doc

NAME = "contempt"


def found(run_check, body: str, language: str) -> tuple[float | None, list[str]]:
    hits = run_check(NAME, body, language=language)
    assert all(hit.code == "offensive.contempt" for hit in hits)
    return (hits[0].score if hits else None), evidence_texts(make_doc(body, language=language), hits)


@pytest.mark.parametrize(
    ("body", "language", "evidence"),
    [
        # fmt: off
        ("Are you dense? He already said the trunk registers fine.", "en", ["Are you dense"]),
        ("Can the mods ban this clown? He answers 'clear the cache' to everything.", "en", ["this clown"]),
        ("Ask the useless idiot who configured our IVR to call me back.", "en", ["useless idiot"]),
        ("Lazy mods. Nobody has answered in two weeks.", "en", ["Lazy mods"]),
        ("Honestly the guys who built this exporter are complete amateurs.", "en",
         ["guys who built this exporter are complete amateurs"]),
        ("@queue_master you're clueless, stop posting advice you never tested.", "en",
         ["@queue_master you're clueless"]),
        ("What a bunch of incompetent morons run your release process.", "en", ["bunch of incompetent", "morons"]),
        ("Shut up and let the people who actually run a contact centre answer.", "en", ["Shut up"]),
        ("Pathetic. Four days for a reply.", "en", ["Pathetic"]),
        ("u r dense mate, read the docs", "en", ["u r dense"]),
        ("Bande d'incompétents, la file SAV est bloquée depuis lundi.", "fr", ["Bande d'incompétents"]),
        ("Votre éditeur se fout de notre gueule, encore une panne ce matin.", "fr", ["se fout de notre gueule"]),
        ("Vous êtes vraiment des guignols chez ContactFlow.", "fr", ["Vous êtes vraiment des guignols"]),
        ("Franchement les devs de ce module sont des tocards.", "fr", ["devs de ce module sont des tocards"]),
        ("@pro_du_svi t'y connais rien, laisse répondre les autres.", "fr", ["t'y connais rien"]),
        ("Les modos pourraient virer ce bouffon ? Il spamme tous les sujets.", "fr", ["ce bouffon"]),
        ("Le support nous prend pour des pigeons avec ses réponses copiées-collées.", "fr",
         ["prend pour des pigeons"]),
        ("Des clowns. Trois jours sans réponse.", "fr", ["clowns"]),
        ("Pitoyable. Quatre jours pour une réponse.", "fr", ["Pitoyable"]),
        # fmt: on
    ],
)
def test_when_a_person_is_insulted_or_despised_then_contempt_is_reported(run_check, body, language, evidence):
    score, texts = found(run_check, body, language)
    assert score is not None and score >= 0.75
    assert texts == evidence


@pytest.mark.parametrize(
    ("body", "language"),
    [
        # fmt: off
        ("This setting is useless for outbound campaigns, use the dialer profile instead.", "en"),
        ("Really annoying, we lost half a morning to this bug.", "en"),
        ("You're not an idiot for asking, the docs hide that option well.", "en"),
        ("A customer called the agent an idiot, how do we flag such calls for QA?", "en"),
        ('Our carrier told our engineer "you people are clueless" and hung up.', "en"),
        ("A caller left a voicemail saying 'you are all useless morons'. Can we route abusive voicemails?", "en"),
        ("The chat bot support is still in beta, is there a roadmap?", "en"),
        ("You can also build your own bot with the REST API.", "en"),
        ("C'est vraiment pénible, quarante appels perdus hier.", "fr"),
        ("La bande passante de la liaison SIP est insuffisante aux heures de pointe.", "fr"),
        ("Un client a traité la conseillère de « connasse », comment signaler l'appel ?", "fr"),
        ("Nos conseillers se sont fait traiter de « bons à rien » par des appelants énervés.", "fr"),
        ("C'est nul ce bouton grisé, mais la doc explique le contournement.", "fr"),
        ("Ce n'est pas la pire version, la 8.3 était plus lente.", "fr"),
        ("Notre équipe est incapable de se connecter depuis ce matin, erreur 503.", "fr"),
        ("Enable lazy loading on the widget, the team said it halves load time.", "en"),
        ("Sorry if this is a dumb question, where is the export button?", "en"),
        # fmt: on
    ],
)
def test_when_frustration_quotes_or_everyday_words_then_contempt_stays_quiet(run_check, body, language):
    assert found(run_check, body, language) == (None, [])


def test_when_language_is_unknown_then_every_language_lists_are_read(run_check):
    score, texts = found(run_check, "Bande de nazes, toujours pas de correctif.", None)
    assert score is not None and texts == ["Bande de nazes"]


@pytest.mark.parametrize(
    ("body", "language", "evidence"),
    [
        # fmt: off
        ("Are you people even reading the tickets? Useless, the lot of you.", "en", ["Useless, the lot of you"]),
        ("Nobody needs your garbage advice, loser.", "en", ["loser"]),
        ("Vous êtes une belle bande de branleurs au support.", "fr", ["Vous êtes une belle bande de branleurs"]),
        ("Tu comprends rien à rien, arrête de poster.", "fr", ["Tu comprends rien"]),
        # fmt: on
    ],
)
def test_when_the_insult_is_addressed_in_other_shapes_then_contempt_is_reported(run_check, body, language, evidence):
    assert found(run_check, body, language)[1] == evidence


def test_when_a_film_title_or_a_thank_you_holds_a_listed_word_then_nothing_is_reported(run_check):
    assert found(run_check, "Mon film de Noël préféré : Le Père Noël est une ordure.", "fr") == (None, [])
    assert found(run_check, "Thanks, genius tip! That fixed it.", "en") == (None, [])
