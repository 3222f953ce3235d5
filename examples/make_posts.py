"""Regenerate examples/posts.jsonl (kept as a script so the examples stay readable and valid JSON)."""

import json
from pathlib import Path

T = "t-100"  # an existing topic for the replies
POSTS = [
    # clean posts, EN and FR
    {"id": "en-clean-1", "title": "SIP 503 on outbound calls since the 4.2 update",
     "body": "Since we upgraded to 4.2, every outbound call through our SIP trunk fails with a 503. Inbound calls work. "
             "We already restarted the gateway and checked the trunk credentials. What else should we check?",
     "language": "en"},
    {"id": "fr-clean-1", "title": "Export CSV des appels vide", "format": "markdown",
     "body": "Bonjour,\n\nQuand j'exporte le journal des appels en CSV depuis le tableau de bord, le fichier est vide "
             "alors que la période contient plus de 200 appels. Comment obtenir un export complet ?\n\nMerci d'avance.",
     "language": "fr"},
    # multiple questions
    {"id": "en-multi-1", "title": "IVR menu and agent licences",
     "body": "How do I add a new option to the IVR menu? Also, where can I see how many agent licences we have left?",
     "language": "en"},
    {"id": "fr-multi-1", "title": "Questions sur la file d'attente",
     "body": "Comment changer la musique d'attente ? Et pourquoi les appels ne sont pas distribués aux agents disponibles ?",
     "language": "fr"},
    # formatting
    {"id": "en-bold-1", "title": "Wallboard does not refresh", "format": "html",
     "body": "<p>The wallboard stops refreshing after an hour. <b>This is urgent</b>, "
             "<font color=\"red\">please look at it</font>.</p>", "language": "en"},
    {"id": "fr-bold-1", "title": "Tableau de bord figé", "format": "bbcode",
     "body": "Le tableau de bord se fige après une heure. [b]C'est urgent[/b], [color=red]merci de regarder[/color].",
     "language": "fr"},
    {"id": "en-code-not-bold", "title": "Markdown in the script editor", "format": "markdown",
     "body": "The script editor shows this literally:\n\n```\n**Welcome** to <b>support</b>\n```\n\nIs that expected?",
     "language": "en"},
    # SMS language
    {"id": "en-sms-1", "title": "Softphone not ringing",
     "body": "hi plz can u help me, my softphone dont ring 2day idk why, thx b4", "language": "en"},
    {"id": "fr-sms-1", "title": "Softphone qui ne sonne pas",
     "body": "slt, mon softphone sonne pa jsp pk, tu peux m'aider stp ? mrc bcp", "language": "fr"},
    # advertising
    {"id": "en-ad-1", "title": "Cheap licences",
     "body": "Need cheap contact centre licences? 50% off this week only, $9 per agent. Contact me on WhatsApp "
             "or visit https://cheap-licences.shop/deal", "language": "en"},
    {"id": "fr-ad-1", "title": "Formation téléconseiller",
     "body": "Profitez de -40% sur notre formation téléconseiller, seulement 99 € ! Contactez-moi en MP, "
             "code promo BIENVENUE40.", "language": "fr"},
    # unclear titles
    {"id": "en-title-1", "title": "Help", "body": "Our agents cannot log in to the agent desktop since this morning.",
     "language": "en"},
    {"id": "fr-title-1", "title": "URGENT !!!", "body": "Les agents ne peuvent plus se connecter au bandeau téléphonique.",
     "language": "fr"},
    # replies: question in an existing topic, off topic, and fine follow-ups
    {"id": "en-reply-ok", "reply_to": "en-clean-1", "topic_id": T, "topic_title": "SIP 503 on outbound calls since the 4.2 update",
     "body": "Thanks, updating the trunk's codec list fixed the 503 errors for us.", "language": "en"},
    {"id": "en-reply-newq", "reply_to": "en-clean-1", "topic_id": T, "topic_title": "SIP 503 on outbound calls since the 4.2 update",
     "body": "Unrelated, but how do I change the colour theme of the supervisor dashboard?", "language": "en"},
    {"id": "fr-reply-offtopic", "reply_to": "fr-clean-1", "topic_id": "t-101", "topic_title": "Export CSV des appels vide",
     "body": "Quelqu'un a vu le match de foot hier soir ? Quel but magnifique à la dernière minute.", "language": "fr"},
    {"id": "fr-reply-thanks", "reply_to": "fr-clean-1", "topic_id": "t-101", "topic_title": "Export CSV des appels vide",
     "body": "Merci, ça marche !", "language": "fr"},
    # links
    {"id": "en-links-1", "title": "Recording player plugin",
     "body": "Download the player fix from http://bit.ly/3xYz and run http://203.0.113.7/tools/fix.exe, it worked for me.",
     "language": "en"},
    {"id": "en-links-ok", "title": "Where is the API reference for call events?",
     "body": "I found the webhook guide on https://docs.contactflow.example/api/events and the HTTP spec on "
             "https://developer.mozilla.org/en-US/docs/Web/HTTP. Which event fires when a call is transferred?",
     "language": "en"},
    # personal data
    {"id": "en-pii-1", "title": "Callback not received",
     "body": "Please call me back, I'm John Carter, my number is +44 20 7946 0958 and my email john.carter@carter-plumbing.co.uk.",
     "language": "en"},
    {"id": "fr-pii-1", "title": "Facturation en double",
     "body": "J'ai été prélevé deux fois sur mon IBAN FR76 3000 6000 0112 3456 7890 189. Vous pouvez m'appeler au "
             "06 12 34 56 78.", "language": "fr"},
    {"id": "fr-pii-ok", "title": "Ticket 458213 toujours ouvert",
     "body": "Merci Marie pour la réponse. Le ticket 458213 est toujours ouvert, j'ai écrit à support@contactflow.example "
             "comme indiqué.", "language": "fr"},
    # offensive and hateful
    {"id": "en-offensive-1", "title": "Still broken",
     "body": "Are you dense? I told you three times the queue is broken, you useless idiot.", "language": "en"},
    {"id": "fr-offensive-1", "title": "Toujours en panne",
     "body": "Bande de connards, ça fait trois semaines que ce putain de serveur plante.", "language": "fr"},
    {"id": "en-hate-1", "title": "Offshore agents",
     "body": "Those immigrants in the offshore call centre are subhuman and should be driven out of the country.",
     "language": "en"},
    {"id": "fr-hate-1", "title": "Agents à l'étranger",
     "body": "Ces immigrés sont des sous-hommes, il faut tous les renvoyer chez eux.", "language": "fr"},
    # threats
    {"id": "en-threat-1", "title": "Platform down AGAIN",
     "body": "Third outage this month. I know where your Lyon office is, and if the platform goes down again I'm "
             "driving there and someone is going to get hurt.", "language": "en"},
    {"id": "fr-threat-1", "title": "Ticket 88412 fermé sans réponse",
     "body": "Vous avez encore fermé mon ticket. Continuez comme ça et je vais venir régler ça moi-même à votre "
             "agence, vous allez le regretter.", "language": "fr"},
    {"id": "en-kill-ok", "title": "Kill the stuck export process",
     "body": "The export job hangs. I had to kill the process and abort the job, then execute the script again. "
             "This bug is killing me.", "language": "en"},
    # unsupported language
    {"id": "de-1", "title": "Anrufe werden nicht weitergeleitet",
     "body": "Seit dem Update werden eingehende Anrufe nicht mehr an die Warteschlange weitergeleitet. Kann jemand helfen?"},
    # malformed records: each still gets exactly one output line
    {"title": "no id", "body": "This record has no id."},
    {"id": "bad-format", "body": "Wrong format value.", "format": "pdf"},
]

if __name__ == "__main__":
    lines = [json.dumps(post, ensure_ascii=False) for post in POSTS]
    lines.insert(len(lines) - 1, '{"id": "broken-json", "body": "unterminated')
    Path(__file__).with_name("posts.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
