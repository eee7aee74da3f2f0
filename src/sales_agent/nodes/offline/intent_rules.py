"""High-recall rules for the replies whose misreading costs most, in seven languages.

An unsubscribe, a delivery failure, a complaint or an auto-reply must never be answered with
a pitch, so these rules run before the classifier and win over it. Each rule is a family of
phrasings (not a list of seen messages) in English, German, French, Spanish, Italian, Dutch
and Portuguese; the sender and subject of an automatic message count as much as its body.
Order matters: a complaint that also asks to be removed is a complaint (the stronger
suppression), and an out-of-office is only an auto-reply when nothing else stands out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sales_agent.nodes.offline.intent_cues import ASSET_REQUEST, LATER, NOT_INTERESTED

__all__ = [
    "RULED_INTENTS",
    "SENTENCE_END",
    "RuleMatch",
    "is_reply",
    "match_rules",
    "names_a_colleague",
    "normalise",
    "topic_of",
]

RULED_INTENTS = frozenset({"unsubscribe", "bounce", "complaint", "out_of_office"})
"""Intents these rules decide; the classifier takes one only as a backstop (`intent_model`)."""


def _without_accents(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Lowercase, accents folded ('rückkehr' -> 'ruckkehr'), whitespace collapsed."""
    return " ".join(_without_accents(text.casefold()).replace("’", "'").split())


_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|wg|fw|fwd|tr|rv|r|sv|antw|res|enc)\s*:\s*)+", re.I)


def topic_of(subject: str) -> str:
    """The subject without its reply and forward prefixes (`Re:`, `AW:`, `RV:`...)."""
    return _REPLY_PREFIX.sub("", subject).strip()


def is_reply(subject: str) -> bool:
    """True when the subject carries a reply or forward prefix: the message answers ours."""
    return topic_of(subject) != subject.strip()


def _any(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z])(?:" + "|".join(phrases) + r")(?![a-z])")


# A greeting, an optional title, then the word that follows them with no comma between
# (accents folded, case kept): "Hi Dana" names someone, "Hello, I'm away" does not.
_GREETING = re.compile(
    r"\W*(?:hi|hello|hey|dear|good (?:morning|afternoon)|morning|hallo|liebe|lieber|"
    r"guten (?:tag|morgen)|sehr geehrte|sehr geehrter|moin|servus|gruezi|bonjour|bonsoir|"
    r"salut|chere|cher|coucou|hola|buenos dias|buenas tardes|estimada|estimado|querida|"
    r"querido|ciao|salve|buongiorno|buonasera|gentile|gentilissima|gentilissimo|cara|caro|"
    r"beste|hoi|goedemorgen|goedemiddag|dag|geachte|ola|oi|bom dia|boa tarde|prezada|"
    r"prezado)[ \t]+(?:(?:frau|herr|madame|monsieur|mme|mlle|m|sra|sr|senora|senor|dona|don|"
    r"signora|signor|sig|sig\.ra|dott|dottoressa|mevrouw|meneer|mevr|dhr|senhora|senhor|ms|"
    r"mr|mrs|miss|dr)\.?\s+)?(?P<name>[^\W\d_][\w'-]*)",
    re.I,
)
# Who an auto-reply greets when it greets anyone: nobody by name.
_GENERIC_ADDRESSEES = frozenset(
    {"sender", "all", "there", "team", "everyone", "everybody", "colleague", "colleagues",
     "customer", "customers", "client", "clients", "sir", "madam", "friend", "friends",
     "partner", "partners", "contact", "mittente", "absender", "absenderin", "damen",
     "kunde", "kunden", "kundin", "expediteur", "expeditrice", "correspondant", "remitente",
     "usuario", "senores", "todos", "collega", "colleghi", "tutti", "signori", "utente",
     "afzender", "heer", "heren", "allemaal", "remetente", "senhores", "utilizador",
     "cliente", "clienti", "collegue", "collegues", "tous", "allen"}
)  # fmt: skip

_DAEMON_SENDER = _any(
    r"mailer-daemon", r"postmaster", r"mail delivery (?:subsystem|system)", r"microsoftexchange"
)
_BOUNCE_SUBJECT = _any(
    r"undeliverable",
    r"undelivered mail",
    r"delivery status notification",
    r"delivery failure",
    r"mail delivery failed",
    r"returned mail",
    r"failure notice",
    r"unzustellbar\w*",
    r"mancata consegna",
    r"consegna non riuscita",
    r"delivery (?:has )?failed",
    r"mail delivery (?:failed|failure)",
    r"nicht zugestellt",
    r"nicht zustellbar",
    r"non remis",
    r"non distribuable",
    r"echec de (?:la )?remise",
    r"no se puede entregar",
    r"no entregado",
    r"notificacion de estado de entrega",
    r"non recapitabile",
    r"mancato recapito",
    r"impossibile recapitare",
    r"onbestelbaar",
    r"niet bezorgd",
    r"kan niet worden bezorgd",
    r"nao entregue",
    r"falha na entrega",
    r"nao foi possivel entregar",
    r"(?:message|nachricht|mensaje|messaggio|bericht|mensagem) "
    r"(?:rejected|abgelehnt|rejete|rechazado|rifiutato|geweigerd|rejeitada)",
)
_BOUNCE_BODY = _any(
    r"[45]\.[0-7]\.\d{1,3}",
    r"[45]\d\d[ -](?:rejected|denied|refused|blocked)",
    r"(?:has been|was|wurde|a ete|ha sido|e stato|is|foi) "
    r"(?:rejected|abgelehnt|rejete|rechazado|rifiutato|geweigerd|rejeitada)",
    r"quota exceeded",
    r"mailbox (?:is )?full",
    r"over quota",
    r"postfach (?:des empfangers )?(?:ist )?voll",
    r"boite (?:aux lettres |de reception )?(?:est )?pleine",
    r"buzon (?:de correo )?(?:esta )?lleno",
    r"casella (?:di posta )?(?:e )?piena",
    r"mailbox (?:is )?vol",
    r"caixa (?:de correio |postal )?(?:esta )?cheia",
    r"non e stat[oa] consegnat[oa]",
    r"nicht (?:an (?:den|folgende) \w+ )?zugestellt werden",
    r"niet (?:kon )?worden afgeleverd",
    r"no (?:pudo|ha podido) ser entregado",
    r"nao (?:pode|pôde) ser entregue",
    r"address not found",
    r"user unknown",
    r"mailbox (?:unavailable|not found|does not exist)",
    r"no such user",
    r"recipient address rejected",
    r"could not be delivered",
    r"wasn't delivered",
    r"was not delivered",
    r"delivery has failed",
    r"550[ -]5\.1\.1",
    r"5\.1\.1",
    r"konnte nicht zugestellt werden",
    r"empfanger(?:adresse)? (?:ist )?unbekannt",
    r"n'a pas pu etre (?:remis|delivre)",
    r"adresse introuvable",
    r"destinataire inconnu",
    r"no se ha podido entregar",
    r"no se pudo entregar",
    r"direccion no encontrada",
    r"non e stato possibile recapitare",
    r"indirizzo non trovato",
    r"destinatario sconosciuto",
    r"kon niet worden bezorgd",
    r"adres niet gevonden",
    r"onbekende ontvanger",
    r"nao pode ser entregue",
    r"nao foi entregue",
    r"endereco nao encontrado",
)
# A delivery still being tried is no failure: "Delivery incomplete... will retry for 47 more
# hours", "this is a warning only", "Zustellung verzoegert", "remise differee". Suppressing
# on it would drop a lead whose mail may yet arrive.
_STILL_TRYING = _any(
    r"(?:will|'ll) (?:continue to |keep )?(?:retry|re-try|try again|keep trying|attempt)",
    r"(?:still|keep) (?:trying|retrying)",
    r"(?:this is (?:only )?a|only a) warning|warning only",
    r"no action is required",
    r"not yet (?:been )?delivered",
    r"delivery (?:has been |is )?delayed|delayed delivery|delivery delay|\((?:delay|delayed)\)",
    r"delayed \d+ hours",
    r"temporar(?:y|ily) (?:failure|problem|error|deferred|rejected)",
    r"greylist\w*",
    r"(?:wird|werden) (?:es )?(?:weiterhin |weiter |erneut |noch )?versucht|versucht es noch",
    r"nur eine warnung|apenas um aviso|solo un aviso|seulement un avertissement|"
    r"solo un avviso|alleen een waarschuwing",
    r"noch nicht (?:ubermittelt|zugestellt)",
    r"verzoger\w*",
    r"pas encore ete (?:remis|distribue)|continuerons a tenter|(?:est|a ete) differee?",
    r"remise differee|nouvelles? tentatives?|(?:tentera|essaiera) de (?:le )?remettre|\(retard\)",
    r"todavia no se ha entregado|seguira intentando|volvera a intentar|se ha retrasado|\(retraso\)",
    r"entrega retrasada",
    r"non e stato ancora recapitato|altri tentativi|continuera a tentare|in ritardo|riprovera|"
    r"recapito ritardato",
    r"nog niet (?:bezorgd|afgeleverd)|(?:nog steeds|opnieuw) geprobeerd|vertraagd|"
    r"blijft (?:\w+ ){0,6}proberen",
    r"ainda nao (?:foi|pode ser|pôde ser) entregue|(?:tentara|continuara a tentar|continuara "
    r"tentando)|atrasad[oa]|novas tentativas",
)
# A real failure says it is final, whatever else it says ("erreur permanente ; aucune
# nouvelle tentative", "wordt niet opnieuw verzonden").
_FINAL = _any(
    r"permanent (?:error|failure)|(?:erreur|error|errore|erro) permanente|permanenter fehler|"
    r"definitieve fout|fatal error|failed permanently|(?:given|gave) up|retry timeout exceeded|"
    r"(?:removed|deleted) from the queue|(?:supprime|retire) de la file|removida da fila|"
    r"(?:aucune|nenhuma|ninguna|nessun|geen) (?:nouvelle|nova|nueva|nuovo|nieuwe) tentativ\w*",
    r"nao (?:serao|sera) (?:feitas?|realizadas?) (?:novas )?tentativas|(?:will not|won't) be "
    r"(?:retried|re-?sent|attempted again)|no se (?:realizaran|haran) (?:mas|nuevos) intentos|"
    r"non (?:verranno|sara) (?:effettuati|ritentat\w*)|wird nicht (?:erneut|nochmals)",
)
# The subject a mail system gives a receipt or a recall: "Read: ...", "Gelesen: ...",
# "Delivered: ...", "Recall: ...", "Recolher: ...".
_NOTICE_SUBJECT = re.compile(
    r"^\W*(?:read|gelesen|lu|leido|letto|gelezen|lida|lido|not read|nicht gelesen|non lu|"
    r"no leido|non letto|niet gelezen|nao lida|delivered|zugestellt|remis|entregado|recapitato|"
    r"bezorgd|entregue|recall|ruckruf|recuperar|richiamo|intrekken|recolher) ?:"
)
_MESSAGE = r"(?:message|e-?mail|nachricht|courriel|mensaje|messaggio|bericht|mensagem|mail)"
_MAILING_LIST = r"(?:list|liste|lista|lijst|verteiler|group|groupe|grupo|gruppo|groep)"
# What a mail system says that is no reply at all: a read receipt, a recalled message, a
# quarantine or moderation notice, a "prove you are human" challenge. Nobody asked anything:
# the operator is shown it, and the agent writes nothing (and clicks nothing). Each is said
# of a message or a mailing list: "our pallets are in quarantine" is a lead's own problem.
_SYSTEM_NOTICE = _any(
    rf"your {_MESSAGE}[^.!?]{{0,160}}(?:was|has been) (?:read|displayed)",
    r"read receipt|return receipt|lesebestatigung|accuse de lecture|confirmacion de lectura|"
    r"conferma di lettura|ricevuta di lettura|leesbevestiging|confirmacao de leitura|"
    r"accuse de reception (?:\(affiche\)|pour le (?:courrier|message))",
    r"(?:recall|zuruckrufen|rappeler|recuperar|richiamare|intrekken|terughalen|recolher) "
    rf"(?:the |die |le |el |il |het |a )?{_MESSAGE}",
    rf"{_MESSAGE}[^.!?]{{0,160}}(?:zuruckrufen|intrekken|terughalen)",
    rf"{_MESSAGE}[^!?]{{0,160}}(?:quarantine|quarantane|quarantaine|cuarentena|quarantena|"
    r"quarentena)",
    r"(?:quarantine|quarantane|quarantaine|cuarentena|quarantena|quarentena)[^.!?]{0,80}"
    rf"{_MESSAGE}",
    rf"{_MAILING_LIST}[^!?]{{0,200}}(?:moderat\w*|aprovacao|approvazione|approval|goedkeuring|"
    r"freigabe|aprobacion)",
    rf"moderat\w*[^.!?]{{0,100}}{_MAILING_LIST}",
    r"(?:awaits?|awaiting|held for|pending) (?:\w+ ){0,2}(?:moderat\w*|approval)",
    r"(?:human|real person|not a (?:robot|bot|computer program)|kein (?:computerprogramm|roboter|"
    r"bot)|mensch bist|mensch sind|(?:une|bien une|etes une) personne|pas un robot|"
    r"(?:una )?persona (?:real|humana)|(?:es|eres) humano|essere una persona|"
    r"non (?:e|sei) un robot|"
    r"(?:een )?mens bent|geen robot|(?:e|es) humano|uma pessoa real|nao (?:e|es) um robo)"
    r"[^.!?]{0,80}(?:link|klick|clic|enlace|collegamento|code|codigo|codice)",
    r"(?:link|klick|clic|enlace|collegamento)[^.!?]{0,120}(?:human|mensch|personne|persona|"
    r"mens|pessoa|not a robot|kein computerprogramm)",
    r"(?:confirm|verify|prove|bestatigen|confirmer|confirmez|confirme|confirmi|conferma|"
    r"verifique|bevestig|comprove)\w* (?:\w+ ){0,4}(?:that )?(?:you(?:'re| are)|dass sie|que vous|"
    r"que (?:es|eres|e|voce e)|di essere|dat u)[^.!?]{0,40}(?:human|mensch|personne|persona|"
    r"mens|pessoa|not a robot|kein computerprogramm)",
)
_AUTO_SUBJECT = _any(
    r"away:",
    r"auto:",
    r"ausencia",
    r"assenza",
    r"afwezigheid\w*",
    r"fuori sede",
    r"ooo\b",
    r"absence",
    r"conges",
    r"vacaciones",
    r"ferie",
    r"vakantie",
    r"ferias",
    r"urlaub",
    r"abwesenheit",
    r"automatic reply",
    r"auto(?:matic)?[- ]?reply",
    r"autoreply",
    r"out of (?:the )?office",
    r"abwesenheitsnotiz",
    r"automatische antwort",
    r"abwesend",
    r"reponse automatique",
    r"absence du bureau",
    r"respuesta automatica",
    r"fuera de la oficina",
    r"ausente",
    r"risposta automatica",
    r"fuori ufficio",
    r"assente",
    r"automatisch antwoord",
    r"afwezig",
    r"niet op kantoor",
    r"resposta automatica",
    r"fora do escritorio",
)
_AWAY = _any(
    r"(?:i'?m|i am) (?:currently )?(?:away|travell?ing|on leave|off|out)",
    r"(?:on|upon|after) my return",
    r"(?:bei|nach) meiner ruckkehr",
    r"a mon retour",
    r"a mi (?:regreso|vuelta)",
    r"al mio rientro",
    r"na mijn terugkeer",
    r"(?:no|ao|apos o) meu (?:regresso|retorno)",
    r"annual leave",
    r"in congedo(?: (?:parentale|di maternita|di paternita|per malattia))?",
    r"in (?:maternita|paternita)",
    r"(?:zwangerschaps|ouderschaps|bevallings|vaderschaps)verlof",
    r"(?:im )?mutterschutz",
    r"(?:baja|licencia) (?:por )?(?:maternidad|paternidad)",
    r"(?:encontro-me|estou|estarei|me encontro|estoy|estare) ausente",
    r"ausente (?:ate|hasta)",
    r"in meetings all day",
    r"out of (?:the )?office",
    r"on (?:annual |parental |maternity |paternity |sick )?leave",
    r"on holiday",
    r"on vacation",
    r"away from (?:the office|my desk|work)",
    r"(?:currently|presently) (?:away|travell?ing|unavailable|out)",
    r"limited access to (?:my )?e-?mail",
    r"(?:i will|i'll|i am|i'm) (?:be )?back in the office",
    r"(?:i will|i'll) be back (?:on|from)",
    r"returning (?:on|to the office)",
    r"nicht im (?:buro|haus)",
    r"ausser haus",
    r"im urlaub",
    r"abwesend",
    r"in elternzeit",
    r"wieder (?:im buro|erreichbar|da)",
    r"absente?",
    r"en conge",
    r"en vacances",
    r"de retour (?:le|au bureau|a partir)",
    r"hors du bureau",
    r"fuera de la oficina",
    r"de vacaciones",
    r"estare de vuelta",
    r"regreso (?:el|a la oficina)",
    r"fuori (?:ufficio|sede)",
    r"in ferie",
    r"in vacanza",
    r"rientro (?:il|in ufficio)",
    r"sar[oa] di (?:ritorno|nuovo in ufficio)",
    r"niet op kantoor",
    r"met vakantie",
    r"afwezig",
    r"(?:ben|is) (?:weer )?terug op",
    r"weer aanwezig",
    r"fora do escritorio",
    r"de ferias",
    r"(?:de|em) licenca",
    r"(?:de|em) baixa(?: medica)?",
    r"(?:on |em |en )?sabbatical",
    r"estarei de volta",
    r"retorno (?:no dia|em|a partir)",
)
# Not "take me off the 10am and put me in at 2": a slot changed, not the list.
_NOT_A_SLOT = r"(?! (?:the |that |this )?(?:\d|call|meeting|invite|calendar|slot|thread|cc\b))"
_UNSUBSCRIBE = _any(
    r"unsubs?\w*",
    r"(?:take|took|taken|remove|removed|delete|strike) "
    r"(?:me|my (?:name|address|email|e-mail|details))(?: [\w-]+){0,6} (?:off|from)" + _NOT_A_SLOT,
    r"(?:off|from) (?:your|the|this) (?:mailing |marketing |distribution |contact )?"
    r"(?:list|emails|e-mails|database|campaigns?)",
    r"object to (?:the )?processing",
    r"erase (?:the |my )?personal data",
    # "This address must not receive sales mail", "no further correspondence".
    r"no further (?:correspondence|contact|e-?mails|communications?|messages)",
    r"no mas (?:correos|e-?mails|mails|mensajes)",
    r"plus (?:de |d')(?:e-?mails?|mails?|messages?|courriels?)",
    r"(?:niente|nessuna|basta) (?:piu )?(?:e-?mail|mail|messaggi)",
    r"chega de (?:e-?mails?|mails?|mensagens)",
    r"(?:should|must|may|do) not (?:be )?receiv\w* (?:any )?(?:further |more )?(?:commercial|"
    r"marketing|sales|promotional|unsolicited)",
    r"keine (?:weiteren )?(?:werbe-?\w*|e-?mails|nachrichten|zusendungen) mehr",
    r"no (?:debe|deben|deseo|quiero) (?:seguir )?recibir",
    r"non (?:deve|devono) (?:piu )?ricevere",
    r"(?:mag|mogen|wil) geen (?:commerciele |verdere )?(?:mails|e-mails|berichten|post) "
    r"(?:meer )?ontvangen",
    r"nao (?:deve|devem) (?:mais )?receber",
    r"(?:no longer|don't|do not) (?:wish|want) to "
    r"(?:receive|get|be contacted)",
    r"melden sie mich(?: [\w-]+){0,6} ab",
    r"mich(?: \w+){0,4} "
    r"(?:abmelden|austragen|entfernen|streichen)",
    r"(?:ne )?souhaite plus (?:recevoir|etre "
    r"contacte)",
    r"retirer (?:mon adresse|mon nom|mes coordonnees)",
    r"(?:quit|sac|borr)"
    r"(?:enme|adme|ame|eme)(?: \w+){0,3} de (?:la|su|vuestra|sus) (?:lista|base)",
    r"cancellar(?:mi|e il mio)",
    r"non mandate(?:mi)? piu",
    r"rimuover(?:e|mi)(?: \w+){0,3} "
    r"(?:indirizzo|contatto|dalla)",
    r"(?:haal|verwijder) (?:mij|me|mijn (?:adres|gegevens))"
    r"(?: \w+){0,6} (?:van|uit)",
    r"liever niet meer",
    r"(?:remov|retir|tir)(?:am|em|ar|e)[- ]?"
    r"(?:me|o meu (?:endereco|contacto|contato|email))",
    r"descadastr\w*",
    r"unsubscribe",
    r"(?:be|get|been) (?:removed|taken off|deleted|unsubscribed)",
    r"(?:off|from) (?:any|all) (?:\w+ ){0,3}(?:lists|databases)",
    # The address itself to be struck off: "remove it from any mailing list", "streichen Sie
    # sie aus Ihren Verteilern", "la supprimer de vos fichiers", "la elimine de sus listas".
    r"(?:remove|delete|take|strike) (?:it|us|them)(?: \w+){0,2} (?:from|off) (?:any|all|your|"
    r"the)(?: \w+){0,3} (?:lists?|databases?|records|files)",
    r"(?:streichen|entfernen|loschen|nehmen) sie (?:sie|es|uns|diese adresse)[^.!?]{0,30}"
    r"(?:verteiler\w*|liste\w*|datenbank\w*|adressbestand|datei\w*)",
    r"(?:la|le|nous) (?:supprimer|retirer|enlever|effacer|rayer) de (?:vos|votre|la|les) "
    r"(?:fichiers?|listes?|bases?)",
    r"(?:la|lo|nos) (?:elimine|eliminen|borre|borren|quite|quiten|saque|saquen)[^.!?]{0,20}"
    r"(?:listas?|base|ficheros?)",
    r"(?:het|ons) uit (?:uw|je|jullie|de) \w*(?:lijst|lijsten|bestand|bestanden) "
    r"(?:te )?(?:verwijderen|halen|schrappen)",
    r"(?:don'?t|do not|stop) send(?:ing)? (?:me|us|any)",
    r"widersprech\w*",
    r"werbewiderspruch",
    r"entfernt werden",
    r"je m'oppose",
    r"me opongo",
    r"mi oppongo",
    r"oponho-me",
    r"bezwaar (?:tegen|maken)",
    r"maak bezwaar",
    r"no (?:enviarme|escribirme|contactarme)",
    r"non (?:contattarmi|scrivermi|inviarmi|mandarmi)",
    r"niet meer (?:gemaild|benaderd|"
    r"gecontacteerd)",
    r"cancel\w* (?:a )?(?:subscricao|inscricao|assinatura)",
    # The same requests as structures, any wording: "(don't) want ... receive", "remove ...
    # from ... list", "stop ... emails", in each of the seven languages.
    r"(?:don'?t|do not|no longer) (?:want|wish|need)[^.!?]{0,25}(?:receive|"
    r"get|hear|emails?|e-mails?|messages)",
    r"(?:remove|delete|scrub|strike) (?:me|my (?:email|e-mail|"
    r"address|details|name|contact|data))",
    r"(?:off|from) (?:your|the|this|all) (?:mailing |marketing |"
    r"distribution |contact |email )?(?:lists?|database|distribution)",
    r"stop[^.!?]{0,20}(?:emails?|e-mails?|messages|mailing|contacting me|writing to me|sending)",
    r"(?:never|don'?t|do not) (?:email|e-mail|contact|write to|message) me",
    r"(?:mochte|will|wunsche)[^.!?]{0,30}keine[^.!?]{0,40}(?:mehr|weiteren|erhalten|bekommen)",
    r"(?:entfernen|streichen|loschen) sie (?:mich|meine)",
    r"nehmen sie (?:mich|meine)(?: \w+){0,4} (?:aus|von)",
    r"(?:aus|von) (?:ihrem|ihrer|dem|der|ihren) (?:verteiler\w*|liste\w*|"
    r"newsletter|mailingliste|e-?mail-liste)",
    r"abbestell\w*",
    r"abmeld\w*",
    r"nicht (?:mehr|weiter) (?:kontaktieren|anschreiben|anmailen)",
    r"ne (?:veux|souhaite|desire) (?:plus|pas)[^.!?]{0,30}(?:recevoir|etre (?:contacte|sollicite))",
    r"(?:retirer|supprimer|enlever|effacer|"
    r"desinscrire)[^.!?]{0,25}(?:adresse|liste|fichier|coordonnees|-moi|donnees)",
    r"ne (?:plus|pas) m'(?:ecrire|envoyer|contacter|solliciter|adresser)",
    r"effacement de (?:mes|l'ensemble (?:de mes|des)|toutes (?:mes|les)) donnees",
    r"ne m'(?:ecrivez|envoyez|contactez|sollicitez) plus",
    r"ne (?:doit|doivent) (?:plus|pas) recevoir",
    r"plus aucune? (?:correspondance|sollicitation|communication)s?",
    r"desabonn\w*",
    r"desinscri\w*",
    r"no (?:quiero|deseo)[^.!?]{0,25}(?:recibir|que me (?:escriban|contacten|envien))",
    r"(?:dar(?:me)?|den(?:me)?|darse|dame|deme|danos|denos) de baja",
    r"(?:eliminen?|eliminar|quiten?|quitar|quites|quitame|saquen?|sacar|saques|sacame|borren?|"
    r"borrar)[^.!?]{0,25}(?:listas?|correo|direccion|datos|base|envios|mailing)",
    r"no me (?:envien|escriban|contacten|manden|vuelvan)",
    r"dejen? de (?:enviar|escribir|mandar|contactar)",
    r"no (?:me |nos )?(?:siga|sigan|siguiera|siguieran) (?:escribiendo|enviando|mandando|"
    r"contactando)",
    r"non (?:voglio|desidero)[^.!?]{0,25}(?:ricevere|essere (?:contattat|disturbat))",
    r"(?:rimuov|togli|tolg|cancell|elimin)\w*[^.!?]{0,25}(?:lista|liste|indirizz[oi]|mail|dati|contatt[oi]|elenco|"
    r"mailing)",
    r"non (?:inviatemi|scrivetemi|mandatemi|contattatemi)",
    r"disiscriv\w*",
    r"wil[^.!?]{0,25}geen[^.!?]{0,30}(?:meer|ontvangen)",
    r"(?:verwijder|haal)[^.!?]{0,25}(?:lijst|bestand|adres|gegevens|mailing|database)",
    r"afmeld\w*",
    r"uitschrijv\w*",
    r"(?:stuur|mail) (?:me|mij) (?:geen|niet meer)",
    r"nao (?:quero|desejo)[^.!?]{0,25}receber",
    r"(?:remov|retir|tir|apag|exclu)\w*[^.!?]{0,25}(?:listas?|email|e-mail|"
    r"endereco|dados|contacto|contato)",
    r"nao me (?:enviem|mandem|contactem|contatem|escrevam)",
    r"cancelar (?:a )?inscricao",
    r"(?:retirer|supprimer|desinscrire|enlever|rayer) de (?:votre|vos|la|cette|ces) "
    r"(?:liste|fichier|base|envois|mailings|diffusions?|communications|sollicitations|campagnes)",
    r"(?:de|di|van|da|aus|from) (?:votre|vos|su|sus|vostra|vostre|uw|jullie|vossa|sua|ihre[mr]?) "
    r"(?:liste|lista|mailing ?list|mailinglijst|bestand|fichier|verteiler|mailingliste)",
    r"(?:horen|hort) (?:sie )?(?:bitte |doch )?(?:damit )?auf[^.!?]{0,40}?"
    r"(?:schicken|senden|schreiben|mailen)",
    # A verb of ceasing with one of writing or sending: "cesser vos envois", "no vuelva a
    # escribir", "smetta di scrivermi", "deixe de me escrever", "cesse o envio".
    r"(?:cess|arret)\w* (?:de (?:m'|nous )?(?:envoyer|ecrire|adresser|contacter|solliciter)|"
    r"(?:vos|les|ces|tous vos|toutes vos) (?:envois|sollicitations|mails|messages|courriels|"
    r"e-mails))",
    r"no (?:me |nos )?vuelvan? a (?:escribir|enviar|contactar|mandar)",
    r"smett\w*(?: pure| la)? di (?:scriver|mandar|inviar|contattar)(?:mi|ci)",
    r"(?:pare|deixe|cesse|parem|deixem|cessem) (?:de (?:me )?(?:enviar|mandar|escrever|"
    r"contactar|contatar)|o envio)",
    r"nao (?:me|nos) (?:escreva|envie|mande|contacte|contate)m? mais",
    r"nao (?:me |nos )?volte(?:m)? a (?:contactar|contatar|escrever|enviar)",
    r"(?:seja|sejam|ser) (?:removid|excluid|apagad)[oa]s?",
    r"(?:mij|me|mijn (?:e-?mail)?adres|dit adres|ons adres) uit (?:je|jullie|uw|het|de) "
    r"\w*(?:bestand|lijst|database|systeem)\w* (?:te )?(?:halen|verwijderen|schrappen)",
    r"(?:mijn|dit|ons) (?:e-?mail)?adres (?:\w+ ){0,4}(?:te )?(?:verwijderen|schrappen)",
    r"stoppen met (?:\w+ ){0,2}(?:te )?(?:mailen|e-?mailen|sturen)",
    r"(?:mailen|e-?mailen|benaderen) hoeft (?:\w+ )?niet (?:meer|langer)",
    r"haal (?:me|mij|ons) (?:er|eraf|eruit)(?: \w+){0,2}(?: af| uit)?",
    r"von weiteren (?:zusendungen|e-?mails|mails|nachrichten|kontaktaufnahmen|anschreiben)",
    r"non (?:scrivere|scriverci|scrivermi|inviare|mandare|inviate|mandate) (?:piu|altro|altre)",
    r"(?:didn'?t|did not|don'?t|do not|would not|wouldn'?t) send (?:me |us )?any more",
    r"(?:remove|delete|erase|strike) (?:that|this|the|our) (?:email |e-mail )?(?:address|email|"
    r"e-mail|inbox|mailbox)",
    r"take (?:that|this|the|our|my) (?:email |e-mail )?(?:address|email|inbox|mailbox) (?:off|out)",
    r"aufhoren[^.!?]{0,30}?(?:schicken|senden|schreiben|mailen)",
    r"keine (?:e-?mails|mails|nachrichten) mehr",
    r"dejen? de (?:enviarme|escribirme|mandarme|contactarme)",
    r"stop met (?:mailen|sturen|mailtjes)",
    r"remove (?:me|us)" + _NOT_A_SLOT,
    r"take me off" + _NOT_A_SLOT,
    r"stop (?:emailing|e-mailing|mailing|"
    r"contacting|sending|writing to) me",
    r"don'?t (?:email|e-mail|contact|write to) me",
    r"do not (?:email|e-mail|contact|write to) me",
    r"no (?:more|further) (?:emails|e-mails|"
    r"messages|contact)",
    r"(?:rather|prefer) not (?:to )?(?:receive|hear from|be contacted|be emailed|get|"
    r"keep (?:getting|receiving))",
    r"not (?:be )?used for (?:any )?(?:further|future|more) "
    r"(?:mailings|emails|e-mails|marketing|communications)",
    r"opt(?:[- ])?out",
    r"opt (?:me|us) out",
    r"right to (?:erasure|be forgotten|object)",
    r"recht auf (?:loschung|vergessenwerden|widerspruch)",
    r"droit (?:a l'effacement|a l'oubli|d'opposition)",
    r"(?:derecho de|solicito la) (?:supresion|oposicion|cancelacion)",
    r"supresion de (?:todos )?(?:mis|los) datos",
    r"(?:se )?abstengan? de (?:enviarme|contactarme|remitirme|escribirme)",
    r"diritto (?:alla cancellazione|all'oblio|di opposizione)",
    r"recht op (?:vergetelheid|verwijdering|bezwaar)",
    r"(?:uit|van) (?:uw|jullie) (?:bestand|bestanden|database|lijst|mailinglijst|systemen?)",
    r"niet langer (?:te )?(?:benaderen|mailen|contacteren|e-?mailen)",
    r"direito (?:ao apagamento|a eliminacao|ao esquecimento|de oposicao)",
    r"off (?:your|the) (?:mailing )?list",
    r"delete my (?:data|details|address)",
    r"erase my (?:data|details)",
    r"not (?:want|wish) to (?:receive|hear)",
    r"stop these (?:emails|e-mails|messages)",
    r"abmelden",
    r"austragen",
    r"(?:schreiben|mailen|kontaktieren) sie (?:mir|mich|uns)(?: \w+){0,4} nicht mehr",
    r"nicht mehr (?:an)?"
    r"(?:schreiben|kontaktieren|anschreiben|zusenden|mailen)",
    r"keine (?:weiteren )?(?:e-?mails|"
    r"nachrichten|werbung|zusendungen|werbe-?e?-?mails|newsletter)",
    r"keine weiteren mails",
    r"meine (?:e-?mail-?)?(?:adresse|daten|kontaktdaten)[^.!?]{0,40}"
    r"(?:streichen|loschen|entfernen)",
    r"aus (?:ihrem|dem|ihrer) (?:verteiler|liste|mailingliste)",
    r"loschen sie meine",
    r"desinscri(?:re|ption|vez)",
    r"desabonne",
    r"ne (?:plus|pas) m'(?:envoyer|ecrire|contacter)",
    r"ne m'(?:ecrivez|envoyez|contactez) plus",
    r"retirez[- ]moi",
    r"supprimez[- ]moi",
    r"darme de baja",
    r"dar(?:me)? de baja",
    r"no me (?:escriba|envie|contacte)n?",
    r"no (?:quiero|deseo) recibir",
    r"eliminen?me",
    r"borren? mis datos",
    r"cancelar (?:la )?suscripcion",
    r"elimin(?:e|en|ar) (?:esta|mi|nuestra) direccion",
    r"baja de (?:su|la) lista",
    r"cancellatemi",
    r"cancellami",
    r"disiscriv",
    r"non (?:scrivetemi|contattatemi|inviatemi)",
    r"non mi (?:scriva|scrivete|mandi|mandate|invii|inviate|contatti|contattate) piu",
    r"non voglio (?:piu )?ricevere",
    r"rimuove(?:temi|rmi|te il mio)",
    r"send (?:me |us )?no (?:more|further)",
    r"afmelden",
    r"uitschrijven",
    r"(?:uit te schrijven|af te melden)",
    r"van (?:je|jouw|uw|jullie|de) (?:mailing)?lijst (?:te )?"
    r"(?:af)?(?:halen|verwijderen|schrappen)",
    r"geen (?:e-?mails|berichten|mails) meer",
    r"verwijder (?:mij|me|mijn)",
    r"niet meer (?:mailen|mailt|e-?mailt|benaderen|contacteren)",
    r"descadastr",
    r"cancelar (?:a )?inscricao",
    r"nao (?:quero|desejo) (?:mais )?receber",
    r"remov(?:a|am)[- ]me",
    r"retire[- ]me",
    r"exclua meus dados",
)
# "Unsolicited" is a grievance, unless it sits in a formal data-protection request, which
# asks (and is answered) as an unsubscribe does.
_UNSOLICITED = _any(
    r"unsolicited",
    r"unwanted (?:email|e-mail|mail|marketing|advertising)",
    r"unerwunschte? (?:werbung|e-?mails?)",
    r"unverlangte? (?:werbung|e-?mails?)",
    r"non sollicite",
    r"no solicitad[oa]s?",
    r"non richiest[ei]",
    r"ongevraagde?",
    r"nao solicitad[oa]s?",
    r"nao autorizad[ao]s?",
)
# A company's standing rule against such offers, stated while asking to be removed, is an
# opt-out in office language, not a grievance: "Halberd does not accept unsolicited offers by
# email. Please delete this address." Anger or a repeat still makes it a complaint.
_POLICY_NOTICE = _any(
    r"(?:do|does|will) not (?:accept|consider|respond to|reply to|engage with|read|take)",
    r"(?:don'?t|doesn'?t|never) (?:accept|consider|respond to|reply to|engage with|read|take)",
    r"(?:company|corporate|our) policy",
    r"politique (?:de l'entreprise|interne|de (?:notre|la) societe)",
    r"n'acceptons (?:pas|aucune?)",
    r"(?:nehmen|akzeptieren|beantworten) (?:grundsatzlich )?keine",
    r"unternehmensrichtlinie",
    r"no (?:aceptamos|atendemos|admitimos|respondemos)",
    r"politica (?:de (?:la |nuestra )?|da )empresa",
    r"por politica",
    r"politica aziendale",
    r"non (?:accettiamo|prendiamo in considerazione|rispondiamo)",
    r"(?:reageren|antwoorden)(?: \w+){0,3} niet op",
    r"(?:accepteren|nemen) geen",
    r"(?:ons|het) (?:bedrijfs)?beleid",
    r"(?:stellen|stel) geen prijs op",
    r"legen keinen wert auf",
    r"(?:do|does) not welcome",
    r"nao (?:aceitamos|respondemos|consideramos)",
)
# Where a sentence of a normalised message ends (the readers split on it).
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
# What an auto-reply says becomes of mail meanwhile: a sentence naming mail and what is
# (not) done with it, in each language.
_MAIL = _any(
    r"e-?mails?",
    r"mails?",
    r"messages?",
    r"nachrichten?",
    r"courriels?",
    r"correos?",
    r"mensajes?",
    r"messaggi[oa]?",
    r"berichten?",
    r"mensage(?:m|ns)",
    r"posta",
)
_HANDLED = _any(
    r"deleted|forwarded|monitored|read",
    r"geloscht|weitergeleitet|gelesen|lese|abgerufen",
    r"supprimes?|transferes?|lus?|consultes?",
    r"borrad[oa]s?|eliminad[oa]s?|reenviad[oa]s?|leid[oa]s?|leo",
    r"cancellat[ei]|eliminat[ei]|inoltrat[ei]|lett[ei]|leggo",
    r"verwijderd|doorgestuurd|gelezen|lees",
    r"apagad[oa]s?|reencaminhad[oa]s?|encaminhad[oa]s?|lid[oa]s?|leio",
)
_LEGAL_REQUEST = _any(
    r"art(?:icle|ikel|icolo|igo|\.)? ?\d{1,2}(?:\(\d\))?",
    r"u?k? ?gdpr",
    r"dsgvo",
    r"rgpd",
    r"avg",
    r"lgpd",
    r"lopdgdd",
    r"data protection act",
)
# Shouting (most letters capitals) while asking to stop is anger, not a polite request.
_LETTERS = re.compile(r"[^\W\d_]")
# A message that is nothing but a stop word is a request to stop, in any language.
# A courtesy word around it ("Stop please", "pls remove", "stop merci") changes nothing.
_COURTESY = (
    r"(?:please|pls|plz|thanks|thank you|thx|ty|merci|s'il vous plait|svp|danke|bitte|gracias|"
    r"por favor|grazie|per favore|bedankt|dank ?(?:je|u)|aub|alsjeblieft|obrigad[oa]|ok)"
)
_ONE_WORD_STOP = re.compile(
    rf"^\W*(?:{_COURTESY}\W+)*"
    r"(?:stop|unsubscribe|remove|remove me|opt out|abmelden|stopp|desabonner|desinscrire|"
    r"baja|basta|stoppen|afmelden|parar|pare|cancelar|remover|descadastrar|toglietemi|toglimi|"
    r"cancellatemi|cancellami|rimuovetemi|uitschrijven|abbestellen|austragen)"
    rf"(?:\W+{_COURTESY})*\W*$"
)
# Cues that are a complaint on their own: accusations of spam or harassment, a threat to
# report (to a regulator, a lawyer), no consent ever given, "the fourth email".
_COMPLAINT = _any(
    r"asked you (?:to stop|not to|several times)",
    r"how many (?:more )?times",
    r"enough (?:already|is enough)",
    r"wasting my time",
    r"wie oft (?:noch|denn)",
    r"(?<!en )combien de fois",
    r"cuantas veces",
    r"quante volte",
    r"hoe vaak (?:nog|moet)",
    r"quantas vezes",
    # Asking where we found the address is a question (unclear, or an opt-out's aside), not
    # a complaint, unless it is asked in anger.
    r"how (?:the hell|on earth) did you (?:get|obtain|find) (?:my|this|our)",
    r"creepy",
    # ...but "I'd rather not keep getting these" is a polite opt-out.
    r"(?<!not )(?<!to )(?:still|keep) (?:getting|receiving) (?:these|this|them|your)",
    r"(?:clicked|used|hit|pressed) (?:your|the) unsubscribe",
    r"(?:i|we) (?:already |have already |had already )?unsubscribed",
    r"already (?:opted out|asked to be removed|unsubscribed)",
    # An opt-out that was ignored, in the other languages.
    r"(?:bereits|schon) (?:\w+ ){0,3}(?:abgemeldet|ausgetragen|abbestellt)",
    r"deja (?:\w+ ){0,2}desinscri\w*",
    r"ya (?:me )?(?:di|he dado|habia dado) de baja",
    r"gia (?:\w+ ){0,2}(?:cancellat[oa]|disiscritt[oa])",
    r"(?:al|reeds) (?:\w+ ){0,2}(?:afgemeld|uitgeschreven)",
    r"ja (?:me )?(?:descadastrei|desinscrevi|cancelei a (?:minha )?subscricao)",
    r"(?:is|are|it's|its|that's) illegal",
    r"\bpecr\b",
    r"(?:ignoring|ignored) (?:my|our|it|the) (?:request|opt-out|unsubscribe)",
    r"(?:here you are|you're back|you are back) again",
    # Not "everything I didn't sign up for": a clear-out of the inbox, not a charge at us.
    r"(?<!thing )i (?:never|didn'?t|did not) (?:ask|asked|sign|signed|subscribe|"
    r"subscribed|agree|agreed|opt|opted)",
    r"(?:keep|continue|still) (?:emailing|sending|writing|"
    r"spamming|contacting)",
    r"reported (?:you|this|it) (?:as|for) spam",
    r"block(?:ed|ing)? "
    r"(?:you|your|this|the sender)",
    r"unprofessional",
    r"stop (?:spamming|harassing|pestering)",
    r"nie (?:zugestimmt|eingewilligt|angemeldet|angefragt)",
    # Blocking them, not "bis Juni ist alles blockiert" (everything on hold).
    r"(?:sie|euch|ihre (?:adresse|domain|e-?mails?|mails?)|den absender) (?:\w+ ){0,2}blockier\w*",
    r"belastig\w*",
    r"jamais (?:demande|inscrit|accepte|consenti)",
    r"(?:je vais |vais )?(?:vous )?bloquer",
    r"harcel\w*",
    r"nunca (?:pedi|me suscribi|he pedido|di mi|autorice|acepte)",
    r"bloquear(?:le|les|los)?",
    r"acos\w*",
    r"mai (?:chiesto|iscritt|autorizzat|dato)",
    r"bloccar\w*",
    r"nooit (?:gevraagd|ingeschreven|aangemeld|toestemming)",
    r"blokker\w*",
    r"nunca (?:pedi|me inscrevi|autorizei|subscrevi|dei)",
    r"(?:vou )?bloquear",
    r"spam(?! ?(?:folder|filter|box|ordner|filter|dossier|carpeta|cartella|map|pasta|check))",
    r"gespam",
    r"(?:never|not) (?:given|gave|give) (?:you )?(?:my )?(?:consent|permission)",
    r"keine einwilligung",
    r"zu keinem zeitpunkt",
    r"jamais donne mon (?:accord|consentement)",
    r"nunca (?:he )?dado (?:mi|o meu)? ?(?:consentimiento|autorizacao|consentimento)",
    r"non ho mai dato il (?:mio )?consenso",
    r"nooit toestemming",
    r"nunca dei (?:autorizacao|"
    r"consentimento)",
    r"(?:the )?ico\b",
    r"cnil",
    r"aepd",
    r"garante (?:per la )?(?:privacy|"
    r"della privacy|per la protezione)",
    r"autoriteit persoonsgegevens",
    r"cnpd",
    r"anpd",
    r"datenschutzbehorde",
    r"(?:rivolgero|rivolgermi|rivolgerci|segnalero|ricorrero|informero) (?:\w+ ){0,2}"
    r"(?:al |il )?garante",
    # Their junk folder or blocklist, in each language.
    r"(?:nos|mes|les) (?:courriers )?indesirables",
    r"(?:junk|blocked senders?|blocklist|blacklist)",
    r"(?:schwarze liste|sperrliste|lista negra|lista nera|zwarte lijst|lista de bloqueio)",
    # A lawyer, but not "I am one" (a namesake's profession, not a threat).
    r"(?<!soy )(?<!sono )(?<!sono un )(?<!je suis )(?<!i am a )(?<!i'm a )(?<!sou )"
    r"(?<!ik ben )(?<!ich bin )(?:my |mein(?:en)? |mon |mi |il mio |mijn |o meu )?(?:lawyer|"
    r"solicitor|anwalt|avocat|abogado|avvocato|advocaat|advogado)\b",
    r"uwg",
    # A formal legal warning to stop.
    r"cease and desist",
    r"abmahnung",
    r"mise en demeure",
    r"diffid\w*",
    r"sommatie",
    r"ingebrekestelling",
    r"burofax",
    r"notificacao extrajudicial",
    r"leave me (?:alone|in peace)",
    # Rude dismissals, in each language.
    r"(?:get lost|piss off|sod off|bugger off|f\*+ off|fuck off)",
    r"(?:foutez|fichez|fous|fiche)[- ]moi la paix",
    r"(?:verpiss|verzieh) dich",
    r"lass(?:t)? mich in ruhe",
    r"(?:vete|vayase|largate|larguese) (?:a la mierda|al carajo)",
    r"vaffanculo",
    r"(?:rot|donder|sodemieter) op",
    r"vai (?:a|para a) merda",
    r"vai-te lixar",
    # Their data protection officer brought in: an escalation, not a question the DPO asks.
    r"(?:to|with|informed|inform|an|a|al|alla|naar|aan|ao|para o|informe|informado) "
    r"(?:our|the|unseren|unsere|den|notre|le|nuestro|nuestra|el|il nostro|nostro|onze|de|"
    r"o nosso|nosso|o) "
    r"(?:data protection officer|dpo|datenschutzbeauftragten|delegue a la protection des donnees|"
    r"delegad[oa] de proteccion de datos|responsabile (?:della )?protezione (?:dei )?dati|"
    r"functionaris (?:voor de )?gegevensbescherming|"
    r"encarregad[oa] (?:de|da|pela) protecao de dados)",
    r"al dpo",
    r"aaip",
    r"procon",
    r"nooit om (?:\w+ )?gevraagd",
    r"nie (?:darum|danach) gebeten",
    r"nunca (?:lo |les |se lo )?(?:pedi|solicite)",
    r"dejen?me en paz",
    r"lasciate?mi in pace",
    r"laat (?:me|mij) (?:met rust|in vrede)",
    r"deixem?-me em paz",
    r"lassen sie mich in ruhe",
    r"pester\w*",
    # A rhetorical "what part of ... don't you understand", in each language; not "what part
    # of the process would you look at first?".
    r"(?:what|which) part of[^?]{0,80}(?:understand|unclear|get)",
    r"(?:que|qual) parte de[^?]{0,80}(?:entiende|entendi\w*|entender\w*|entendeu|claro)",
    r"welk (?:deel|stuk) van[^?]{0,80}(?:begrijp\w*|snap\w*|duidelijk)",
    r"was (?:ist|verstehen sie) an[^?]{0,80}(?:versteh\w*|unklar|schwer)",
    r"quale parte di[^?]{0,80}(?:capit\w*|chiar\w*)",
    r"qu'est-ce que vous ne comprenez pas",
    # "How many more emails before...", in the other languages.
    r"hoeveel (?:mails|berichten|e-mails)(?: \w+){0,2} nog",
    r"wie viele (?:e-?mails|mails|nachrichten) (?:\w+ )?noch",
    r"combien de (?:mails|messages|courriels) encore",
    r"cuantos (?:correos|mensajes|emails) mas",
    r"quante altre (?:e-?mail|mail|email)",
    r"quantos (?:e-?mails|emails|mensagens) mais",
    # A threat to shame the firm in public (not "your LinkedIn post").
    r"(?:will|'ll|going to|pienso|voy a|vou|vais|werde|ga|zal)(?: \w+){0,2} "
    r"(?:post|share|publish|publicar|publier|pubblicare|posten|delen|plaatsen)\w*"
    r"[^.!?]{0,60}linkedin",
    # An opt-out they tell us they made, which we ignored.
    r"i (?:replied|wrote|answered|said|clicked) [\"']?(?:unsubscribe|stop|remove me)",
    r"heb ik me (?:\w+ ){0,3}afgemeld",
    r"pedi para ser (?:retirad|removid|excluid|descadastrad)[oa]",
    r"(?:emailed|e-mailed|written|contacted|messaged|sent|mailed)(?: [\w-]+){0,4} "
    r"(?:three|four|five|six|seven|several|umpteen|so many) times",
    r"(?:emailed|e-mailed|written to|contacted|messaged) (?:me|us) (?:\w+ )?(?:again|twice)",
    r"beschwerde (?:an|bei|einlegen|einreichen)",
    r"\w*aufsichtsbehorde",
    r"apresent\w* (?:uma )?queixa",
    r"(?:vou|vamos) (?:fazer|apresentar) (?:uma )?queixa",
    r"nao (?:vos|lhes|te) (?:dei|demos) (?:autorizacao|consentimento|permissao)",
    r"ja chega[!.]",  # "Ja chega." (enough), not "o camiao ja chega as 8" (arrives)
    r"\w*beauftragten? fur (?:den )?datenschutz",
    r"(?:nirgends|nirgendwo) (?:eingetragen|angemeldet)",
    r"(?:habe|hatte) (?:sie|euch|ihnen)[^.!?]{0,30}gebeten[^.!?]{0,40}nicht mehr",
    r"(?:porter|deposer) plainte",
    r"presentar\w* (?:una )?(?:denuncia|reclamacion)",
    r"klacht (?:in ?dienen|indienen)",
    r"(?:presentare|sporgere|presentero) (?:un )?(?:reclamo|esposto)",
    r"comissao nacional de protecao de dados",
    r"(?:last|final) warning",
    r"(?:before|or) (?:i|we) (?:report|complain|sue)",
    r"(?:\d+|two|three|four|five|zwei|drei|vier|"
    r"deux|trois|quatre|dos|tres|cuatro|due|tre|quattro|twee|drie|vier|duas|tres|quatro) "
    r"(?:emails?|e-mails?|mails?|messages?|nachrichten|courriels|correos|mensajes|messaggi|"
    r"berichten|mensagens)(?: \w+){0,2} (?:in|per|a|pro|en|alla|por|per) (?:one |a |einer |"
    r"une |una |uma |een )?(?:week|woche|semaine|semana|settimana|day|tag|jour|dia|giorno|dag)",
    r"(?:this is|pure|more|your|total|obvious) spam",
    r"spammer",
    r"spamming",
    r"as spam",
    r"spam (?:me|us)",
    r"harass(?:ment|ing)?",
    r"stalk(?:ing|en|er|ed)?",
    r"(?:will|'ll|going to|am|i'm|shall) report(?:ing)? (?:you|this|your)",
    r"reported (?:you|this|your)",
    r"how dare",
    r"leave me (?:alone|be)",
    r"knock it off",
    r"(?:do|will) you (?:people |guys |lot )?ever stop",
    r"(?:that'?s|thats|this is|now) (?:two|three|four|five|six|[2-9]) (?:now|in a row)",
    # An unsubscribe link of ours that does not work.
    r"(?:unsubscribe|abmelde|desinscription|desabonnement|baja|disiscrizione|afmeld|uitschrijf|"
    r"descadastr)\w*[- ]?link\w*[^.!?]{0,40}(?:doesn'?t|does not|didn'?t|did not|nicht|pas|"
    r"no funciona|non funziona|werkt niet|nao funciona|broken|fuhrt ins leere|kaputt|dead|"
    r"nowhere|ins leere)",
    r"cut it out",
    r"(?:file|filing|lodge|make|formal) (?:a )?complaint",
    r"complain(?:ing)? to (?:the|your|my|ico|cnil|aepd)",
    r"never (?:asked|signed up|opted in|"
    r"gave you)",
    r"belastigung",
    r"belastigen",
    r"nie (?:eingewilligt|angemeldet)",
    r"harcelement",
    r"harceler",
    r"je vais (?:vous )?"
    r"signaler",
    r"acoso",
    r"voy a (?:denunciar|reportar)",
    r"ya basta",
    r"falta de respeto",
    r"profeco",
    r"molestie",
    r"vi (?:segnalo|denuncio)",
    r"intimidatie",
    r"waar (?:heeft u|hebben jullie|heb je) "
    r"mijn",
    r"ik (?:ga|zal) (?:u|jullie|dit) (?:aangeven|melden)",
    r"assedio",
    r"assediar",
    r"onde (?:conseguiu|obtiveram|arranjaram|encontrou)",
    r"vou (?:denunciar|reportar)",
    # "Enough now", in each language; not "an hour is enough" ("une heure, ca suffit").
    r"ca suffit(?: maintenant| comme ca|[!.]|$)",
    r"(?:es reicht (?:jetzt|mir|endgultig)|jetzt reicht'?s)",
    r"(?:genoeg nu|nu is het genoeg|het is (?:nu )?genoeg geweest)",
    r"(?:adesso|ora) basta",
    r"basta ya",
    # Our mail passed to their lawyers or their data protection officer: an escalation.
    r"(?:copy|copie|copia|kopie|cc|weitergeleitet|transmets|transmis|forwarded|inoltrat\w*|"
    r"doorgestuurd|encaminh\w*|reenvi\w*)[^.!?]{0,60}(?:legal (?:department|team)|"
    r"rechtsabteilung|service juridique|departamento juridico|ufficio legale|"
    r"juridische (?:afdeling|dienst)|dpo\b|data protection officer|datenschutzbeauftragte\w*|"
    r"delegue a la protection des donnees)",
    r"(?:legal (?:department|team)|rechtsabteilung|service juridique|departamento juridico|"
    r"ufficio legale|juridische (?:afdeling|dienst)|dpo\b|data protection officer|"
    r"datenschutzbeauftragte\w*|delegue a la protection des donnees)[^.!?]{0,60}"
    r"(?:in copy|in kopie|en copie|en copia|in copia|in cc|em copia|copied|cc'd)",
)
_NTH_MESSAGE = _any(
    r"(?:third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) (?:email|e-mail|message)",
    r"(?:dritte|vierte|funfte) (?:e-?mail|mail|nachricht)",
    r"(?:troisieme|quatrieme|cinquieme) (?:mail|message|courriel)",
    r"(?:tercer|cuarto|quinto) (?:correo|mensaje|email)",
    r"(?:terzo|quarto|quinto) (?:messaggio|email)",
    r"(?:derde|vierde|vijfde) (?:mail|bericht)",
    r"(?:terceiro|quarto|quinto) (?:email|e-mail|mensagem)",
    # The n-th reminder or follow-up, and a count of our mails from four up.
    r"(?:third|fourth|fifth|sixth) (?:reminder|follow-up|follow up|chaser|instalment)",
    r"(?:dritte|vierte|funfte) (?:erinnerung|nachfassmail|nachfrage)",
    r"(?:troisieme|quatrieme|cinquieme) (?:relance|rappel)",
    r"(?:tercer|cuarto|quinto) (?:recordatorio|seguimiento)",
    r"(?:terzo|quarto|quinto) (?:sollecito|promemoria)",
    r"(?:derde|vierde|vijfde) (?:herinnering|reminder)",
    r"(?:terceiro|quarto|quinto) (?:lembrete|follow-up)",
    r"(?:(?:four|five|six|seven|eight|nine|ten) (?:emails|e-mails|messages|mails|reminders|"
    r"of these|of them)|"
    r"(?:vier|funf|sechs|sieben|acht) (?:e-?mails|mails|nachrichten|erinnerungen)|"
    r"(?:quatre|cinq|six|sept|huit) (?:e-?mails|mails|messages|courriels|relances)|"
    r"(?:cuatro|cinco|seis|siete|ocho) (?:correos|mensajes|e-?mails)|"
    r"(?:quattro|cinque|sei|sette|otto) (?:e-?mail|mail|messaggi|solleciti)|"
    r"(?:vier|vijf|zes|zeven|acht) (?:e-?mails|mails|berichten|mailtjes)|"
    r"(?:quatro|cinco|seis|sete|oito) (?:e-?mails|mensagens))"
    # ...but not a rate, nor someone else's mail: "four emails a day from carriers".
    r"(?! (?:a|an|per|each|every|al|por|par|pro|am|im|op|a la|alla|ao|in de) (?:day|week|"
    r"month|hour|dia|jour|tag|dag|giorno|semana|semaine|woche|settimana|mes|mois|monat|maand|"
    r"mese))(?!(?: [\w']+){0,2} (?:from|von|de|da|van|di) (?!(?:you|your|ihnen|vous|usted|lei|u|"
    r"voce)(?![a-z])))",
)
"""Counting our messages ("the fourth email"): a complaint, unless the writer goes on to book
a time ("Fourth email, you've worn me down. Tuesday at 3?"), which the reader weighs."""
# A merge field of ours quoted back ("'Dear {{first_name}}'. Personal indeed."): mockery of
# our mail, in any language. Only the lead's own words count: the subject is our own line.
_UNFILLED_FIELD = re.compile(
    r"\{\{[^{}]{1,40}\}\}|\*\|[a-z_]{2,30}\|\*|%(?:first_?name|company|firma|vorname)%|"
    r"\[(?:first ?name|company(?: name)?|vorname|prenom|nombre|nome|naam|voornaam)\]|"
    r"\{[a-z_ ]{0,15}(?:name|naam|nombre|nome|nom|company|firma|empresa|azienda|bedrijf|email|"
    r"address|adresse)[a-z_ ]{0,15}\}"
)
# Their name put right ("My name is Lorna, not Laura", "ich heiße Brigitte, nicht Birgit"): our
# research mocked, in any language; "...but Tuesday at 3 works" books a time all the same.
_MISNAMED = _any(
    r"(?:my name is|ich heisse|mein name ist|je m'appelle|me llamo|mi nombre es|mi chiamo|"
    r"il mio nome e|ik heet|mijn naam is|chamo-me|me chamo|(?:o )?meu nome e) [\w'-]+,? "
    r"(?:not|nicht|pas|et non|no|non|niet|en niet|nao|e nao)(?![a-z])"
)
# "The third time", "5 times": a complaint only when the repeating is ours (their carrier
# missing a delivery "zum dritten Mal" is the lead's own problem).
_REPEATED = _any(
    r"(?:third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) (?:time|one)",
    r"(?:[2-9]|\d{2,}|two|three|four|five|several) times",
    r"zum (?:zweiten|dritten|vierten|funften|x-ten) mal",
    r"(?:[2-9]|\d{2,}|zwei|drei|vier|mehrfach|mehrmals) mal",
    r"(?:troisieme|quatrieme|cinquieme) fois",
    r"(?:ca fait )?(?:[2-9]|\d{2,}|deux|trois|quatre|plusieurs) fois",
    r"(?:tercera|cuarta|quinta) vez",
    r"(?:[2-9]|\d{2,}|dos|tres|cuatro|varias) veces",
    r"(?:terza|quarta|quinta) volta",
    r"(?:[2-9]|\d{2,}|due|tre|quattro|piu) volte",
    r"(?:derde|vierde|vijfde) keer",
    r"(?:[2-9]|\d{2,}|twee|drie|vier|meerdere) keer",
    r"(?:terceira|quarta|quinta) vez",
    r"(?:[2-9]|\d{2,}|duas|tres|quatro|varias) vezes",
)
# Someone asking us, again: what makes a repetition ours.
_ASKED_US = _any(
    r"(?:asked|told|requested|emailed|written to) you",
    r"you(?:'ve| have)? (?:emailed|written|contacted|sent|mailed)",
    r"(?:sie|ihr) (?:schreiben|schreibt|mailen|kontaktieren) (?:mir|mich|uns)",
    r"vous m'(?:ecrivez|envoyez|contactez)",
    r"(?:se lo|te lo|os lo) (?:digo|he dicho|pido|he pedido)",
    r"(?:me|nos) (?:escriben|escribis|mandan|envian)",
    r"(?:mi|ci) (?:scrivete|scrive|mandate|contattate)",
    r"(?:ve|glielo|te) lo (?:dico|chiedo)",
    r"(?:u|jullie) (?:mailt|mailen|schrijft|schrijven|stuurt|sturen) (?:me|mij|ons)",
    r"(?:me|nos) (?:escrevem|escreve|mandam|enviam|contactam)",
    r"(?:sie|ihnen|euch) (?:\w+ )?(?:gebeten|gesagt|geschrieben|aufgefordert)",
    r"vous (?:ai )?(?:demande|dit|ecrit|prie)",
    r"(?:le|les|os|te) (?:he|hemos) (?:pedido|dicho|escrito)",
    r"(?:vi|le|ti) (?:ho|abbiamo) (?:chiesto|detto|scritto)",
    r"(?:u|jullie|je) (?:\w+ )?(?:gevraagd|gezegd|geschreven)",
    r"(?:lhe|vos|te) (?:pedi|disse|escrevi|pedimos)",
    r"(?:pedi|solicitei)(?: \w+){0,3} (?:que|para)",
)
# "I already asked you": with a request to be removed, an opt-out we ignored (a complaint).
_ALREADY_ASKED = _any(
    r"(?:i|we) (?:have |had |'ve |'d )?already (?:asked|requested|told you)",
    r"(?:i|we) (?:asked|requested|told) (?:you )?(?:already|before|last (?:week|month))",
    r"(?:habe|hatte|haben|hatten) (?:ich |wir )?(?:sie |ihnen |euch )?(?:bereits|schon)"
    r"(?: \w+){0,4} (?:gebeten|aufgefordert|verlangt|widersprochen|mitgeteilt)",
    r"(?:j'ai|j'avais|nous avons|nous avions) deja (?:\w+ ){0,2}demande",
    r"ya (?:les |le |te |os )?(?:pedi|habia pedido|he pedido|solicite|habia solicitado)",
    r"(?:ho|avevo|abbiamo|avevamo) gia (?:\w+ ){0,2}chiesto",
    r"(?:heb|had|hebben|hadden) (?:ik |wij |we )?(?:u |jullie |je )?(?:al|reeds)"
    r"(?: \w+){0,3} (?:gevraagd|verzocht)",
    r"ja (?:lhe |vos |te )?(?:pedi|solicitei|tinha pedido|tinha solicitado)",
    r"(?:i|we) (?:asked|requested) (?:you )?to be (?:removed|taken off|unsubscribed)",
    r"(?:i|we) (?:asked|requested|told) you (?:\w+ ){0,2}to (?:take (?:me|us) off|remove|"
    r"unsubscribe|delete|stop)",
    r"ich (?:hatte|habe) (?:sie|ihnen|euch) (?:\w+ ){0,3}(?:gebeten|aufgefordert)",
    r"je vous (?:avais|ai) (?:deja )?demande",
    # Not "le solicite que...": accents folded, the present reads as the past "solicité".
    r"(?:les|le|te|os) (?:pedi|habia pedido|habia solicitado)",
    r"(?:le|vi|ti) (?:avevo|avevamo) (?:gia )?(?:chiesto|scritto|detto)",
    r"ik (?:had|heb) (?:u|jullie|je) (?:\w+ ){0,3}(?:gevraagd|verzocht)",
    r"(?:depois de|apesar de|mesmo depois de) (?:eu )?(?:ter|haver) (?:pedido|solicitado)",
)
# Anger that is about our mail (not about the lead's own operations) is a complaint too.
_ANGER = _any(
    r"(?:very |deeply |really |extremely )?disappointed",
    r"let down",
    r"porcaria",
    r"que saco",
    r"encher (?:o saco|a minha caixa|minha caixa)",
    r"crap",
    r"bullshit",
    r"rubbish",
    r"scheiss\w*",
    r"merde",
    r"mierda",
    r"basura",
    r"schifo",
    r"rotzooi",
    r"onzin",
    r"annoy(?:ed|ing)",
    r"angry",
    r"furious",
    r"disgust(?:ed|ing)",
    r"pathetic",
    r"wtf",
    r"f\*?u?cking",
    r"unacceptable",
    r"ridiculous",
    r"relentless",
    r"outrageous",
    r"fed up",
    r"sick of",
    r"nervig",
    r"nervt",
    r"argerlich",
    r"wutend",
    r"unverschamt",
    r"frechheit",
    r"agace",
    r"enerve",
    r"furieux",
    r"inadmissible",
    r"inacceptable",
    r"molesto",
    r"harto",
    r"furioso",
    r"inaceptable",
    r"infastidito",
    r"stufo",
    r"inaccettabile",
    r"vergognoso",
    r"irritant",
    r"boos",
    r"onacceptabel",
    r"belachelijk",
    r"irritado",
    r"chateado",
    r"inaceitavel",
    r"insulting",
    r"(?:deeply |profoundly )?inappropriate",
    r"nuisance",
    r"intrusi(?:ve|f)",
    r"cheap trick",
    r"(?:profondement )?deplace(?:e|s|es)?",
    r"meprisant",
    r"ongepast",
    r"invadent[ei]",
    r"inopportun[eoai]",
    r"(?:di )?cattivo gusto",
    r"unserios",
    r"gelogen",
    # Dishonesty or disrespect laid at our door, and a conversation we invented.
    r"dishonest",
    r"malhonnete",
    r"unehrlich",
    r"deshonest\w*",
    r"disonest\w*",
    r"oneerlijk",
    r"desonest\w*",
    r"scorrett\w*",
    r"irrispettos\w*",
    r"irrespectueu\w*",
    r"respektlos",
    r"respectloos",
    r"irrespetuos\w*",
    r"desrespeit\w*",
    r"falta de seriedad\w*",
    r"new low",
    r"desperate",
    r"fatsoen",
    r"(?:we|i) (?:have )?never (?:spoke|spoken|met|talked)",
    r"nunca (?:hablamos|nos conocimos|falamos|conversamos)",
    r"nooit (?:gesproken|ontmoet)",
    r"jamais (?:echange|parle|rencontre)",
    r"mai (?:sentiti|parlato|incontrati)",
    r"nie (?:telefoniert|gesprochen|getroffen)",
    r"nonsense",
    r"lazy",
    r"rude",
    r"pesad[oa]s",
    r"fastidio",
    r"irritante?",
    r"nerv(?:ig|end)",
)
_ABOUT_OUR_MAIL = _any(
    r"stop (?:it|this|that)",
    r"(?:nobody|no one|noone) (?:from|on) your",
    r"your (?:side|end|proposal|numbers|figures)",
    r"parem de",
    r"deixem de",
    r"dejen? de",
    r"smettete(?:la)? di",
    r"arretez de",
    r"horen sie auf",
    r"hou(?:d|dt)? op met",
    r"minha caixa",
    r"my inbox",
    r"your (?:team|company|firm|people|service|consultants?|colleagues?|work)",
    r"you (?:were|promised|said|failed|keep|still|never)",
    r"ihr (?:team|unternehmen|service)",
    r"votre (?:equipe|societe|service)",
    r"(?:il )?vostro (?:team|servizio)",
    r"(?:jullie|uw) (?:team|bedrijf|service)",
    r"(?:a )?vossa (?:equipa|empresa)",
    r"your (?:emails?|e-mails?|messages?|mails?|spam)",
    r"you keep (?:emailing|writing|sending|"
    r"contacting)",
    r"(?:these|this) (?:emails?|e-mails?|messages?)",
    r"emailing me",
    r"ihre (?:e-?mails?|mails?|nachrichten)",
    r"diese (?:e-?mails?|mails?|nachrichten)",
    r"vos (?:e-?mails?|mails?|messages?|courriels?)",
    r"ces (?:e-?mails?|mails?|messages?)",
    r"sus (?:correos|mensajes|emails?)",
    r"estos (?:correos|mensajes|emails?)",
    r"(?:i )?vostri (?:messaggi|email|e-mail)",
    r"queste (?:email|e-mail|mail)",
    r"(?:uw|jullie) (?:e-?mails?|mails?|berichten)",
    r"deze (?:e-?mails?|mails?|berichten)",
    r"(?:seus|vossos) (?:e-?mails?|emails|mensagens)",
    r"estes (?:e-?mails?|emails|mensagens)",
    r"blocked",
)


# The person written to has left: an auto-reply or a colleague saying so.
_LEFT = _any(
    r"(?:has|have|had) left (?:the company|the business|the firm|the organi[sz]ation|us|our)",
    r"(?:is|are) no longer (?:with|at|employed|working|part of)",
    r"(?:isn'?t|is not|aren'?t|are not) (?:with|at) [\w' &-]{1,40} any ?more",
    r"finished up (?:with us|here)",
    r"no longer works? (?:at|for|with|here)",
    r"hat (?:das unternehmen|unser unternehmen|die firma|uns) verlassen",
    r"(?:ist )?nicht mehr (?:bei|fur) (?:uns|der|die|das|\w+ (?:gmbh|ag|kg))",
    r"nicht mehr (?:im unternehmen|in unserem unternehmen|tatig)",
    r"ne fait plus partie",
    r"n'est plus (?:chez|au sein|dans|en poste|salarie)",
    r"a quitte (?:la societe|l'entreprise|le groupe|nos)",
    r"ya no (?:trabaja|forma parte|esta en|pertenece)",
    r"(?:ha dejado|dejo) la (?:empresa|compania)",
    r"non (?:lavora|fa) piu (?:per|presso|parte|con|in)",
    r"ha lasciato (?:l'azienda|la societa|la nostra)",
    r"(?:werkt|is) niet meer (?:bij|voor|werkzaam|in dienst)",
    r"heeft (?:ons|het bedrijf|de organisatie) verlaten",
    r"(?:ja )?nao (?:trabalha|faz parte|esta) mais|nao faz mais parte",
    r"ja nao (?:trabalha|faz parte|esta)",
    r"deixou a (?:empresa|companhia|organizacao)",
)
# In an auto-reply, a person gone for good, firm named or not ("I have now left Coldharbour
# Distribution", "ist ausgeschieden", "e andato in pensione"). In a person's own reply these
# words as often introduce a successor, or tell a story ("he retired last year").
_GONE = _any(
    # Left or retired, with the firm named ("I have now left Coldharbour Distribution"), not
    # the office for the day ("has left for the day", "hat das Buro verlassen").
    r"(?:(?:i|he|she|they) |has |have |had )(?:now |recently |since )?left "
    r"(?!(?:you|a|an|the office|for|early|it|my|your|his|her|this|that|on|at|in)(?![a-z]))\w+",
    r"retired (?:from|at the end|in \d{4}|last|earlier)",
    r"(?:has|have|is|am) (?:now )?retired",
    r"(?:ist|bin) (?:[\w.]+ ){0,4}ausgeschieden",
    r"(?:habe|hat) (?!das (?:buro|haus)|heute)(?:[\w.]+ ){1,5}verlassen",
    r"(?:in den )?ruhestand",
    r"a quitte (?!(?:le|son|mon) bureau)(?:la|le|les|l'|nos)",
    r"(?:est|suis) (?:parti|partie) (?:a la|en) retraite",
    r"(?:a|ai) pris sa retraite",
    r"(?:ja nao|nao) colabora(?: mais)?",
    r"no longer (?:collaborates|works) with",
    r"ne (?:collabore|travaille) plus (?:avec|pour|chez)",
    r"non collabora piu",
    r"(?:he|ha) dejado de trabajar",
    r"(?:se ha|me he|se) jubilad[oa]|(?:se|me) jubilo",
    r"(?:e|sono) andat[oa] in pensione",
    r"met pensioen",
    r"uit dienst",
    r"(?:me |se )?aposent(?:ei|ou)",
)


_ADDRESS = re.compile(r"([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)")
_ROLE_MAILBOXES = frozenset(
    [
        "info",
        "reception",
        "contact",
        "enquiries",
        "enquiry",
        "hello",
        "office",
        "sales",
        "admin",
        "support",
        "service",
        "mail",
        "kontakt",
        "accueil",
        "recepcion",
        "informacion",
        "contatti",
        "contato",
        "contacto",
        "receptie",
        "administratie",
        "secretariaat",
        "secretaria",
        "segreteria",
        "secretariat",
        "empfang",
        "zentrale",
        # Departments and general inboxes: a team, not a person to hand over to.
        "geral",
        "algemeen",
        "allgemein",
        "general",
        "generale",
        "logistics",
        "logistica",
        "logistik",
        "logistique",
        "logistiek",
        "purchasing",
        "procurement",
        "einkauf",
        "achats",
        "compras",
        "acquisti",
        "inkoop",
        "accounts",
        "finance",
        "hr",
    ]
)


def _names_a_person(body: str) -> bool:
    """True when the text hands over to someone's own address (not info@ or reception@)."""
    return any(local not in _ROLE_MAILBOXES for local, _ in _ADDRESS.findall(body))


def names_a_colleague(text: str, sender: str) -> bool:
    """True when the text names someone else's own address at the sender's organisation.

    A colleague's address is how a handover is written; an address elsewhere is as likely an
    injected instruction ("forward this to ...") as an introduction, so it does not count.
    """
    own = _ADDRESS.search(sender.casefold())
    if own is None:
        return False
    return any(
        domain == own.group(2) and local != own.group(1) and local not in _ROLE_MAILBOXES
        for local, domain in _ADDRESS.findall(text.casefold())
    )


def _shouting(text: str) -> str | None:
    letters = _LETTERS.findall(text)
    capitals = sum(letter.isupper() for letter in letters)
    # A sentence in capitals is shouting; a two-word command ("UNSUBSCRIBE ME") is a request.
    return "capitals" if len(letters) >= 20 and capitals >= 0.7 * len(letters) else None


def _first_line(text: str) -> str:
    """The first non-empty line of a message, normalised."""
    return next((normalise(line) for line in text.splitlines() if line.strip()), "")


def _greets_by_name(text: str) -> bool:
    """True when the message opens with a greeting to a named person ("Hallo Frau Reyes")."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    greeted = _GREETING.match(_without_accents(line))
    if greeted is None:
        return False
    name = greeted.group("name")
    return name[0].isupper() and normalise(name) not in _GENERIC_ADDRESSEES


# "This is not an automatic reply": a person says so when their words look like one.
_NOT_AUTOMATIC = _any(
    r"not an? (?:automatic|automated|auto-?reply|out of office)",
    r"kein(?:e)? (?:automatische|autom\.)",
    r"(?:ce )?n'est pas (?:un|une) (?:message|reponse) automatique",
    r"no es (?:un|una) (?:mensaje|respuesta) automatic[oa]",
    r"non e (?:un|una) (?:messaggio|risposta) automatic[oa]",
    r"geen automatisch\w*",
    r"nao e (?:a |uma |um )?(?:resposta|mensagem) automatica",
)


def _answers(text: str, body: str) -> bool:
    """True when a message asks something, says no or asks for later, as no auto-reply does.

    Of the 538 auto-replies on `dev`, none has a question mark or a "no thanks"; the people
    who write "on holiday, so briefly: how much would it cost?" have both, and those who write
    "on leave till May: try me then" or "away, but send me the case study" ask for something.
    """
    return "?" in text or any(
        pattern.search(body) for pattern in (NOT_INTERESTED, LATER, ASSET_REQUEST, _NOT_AUTOMATIC)
    )


@dataclass(frozen=True)
class RuleMatch:
    """A safety-critical intent a rule found, with the phrase that decided it."""

    intent: str
    cue: str
    about_our_mailing: bool = False
    """A complaint about how we wrote (our fourth mail, a merge field left in), which the
    writer may set aside by booking a time all the same: the reader weighs that."""


# "Not at all intrusive", "per niente invadente", "nicht nervig": a word of anger denied.
_DENIED = re.compile(
    r"(?<![a-z])(?:not|not at all|never|nicht|gar nicht|pas|pas du tout|aucune?|no|nada|non|"
    r"per niente|"
    r"niet|helemaal niet|nao|nem um pouco) (?:\w+ )?$"
)


def _unnegated(pattern: re.Pattern[str], text: str) -> str | None:
    """The first match of `pattern` in `text` that no negation just before denies."""
    for match in pattern.finditer(text):
        if not _DENIED.search(text, max(0, match.start() - 30), match.start()):
            return match.group(0)
    return None


def _found(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(0) if match else None


def match_rules(text: str, *, subject: str = "", sender: str = "") -> RuleMatch | None:
    """The safety-critical intent of a message, when a rule recognises one; else None.

    `text` is the message's own new text (quoted history removed), `subject` and `sender`
    its headers: delivery failures and auto-replies announce themselves there first.
    """
    body, head, who = normalise(text), normalise(subject), normalise(sender)
    daemon = _found(_DAEMON_SENDER, who)
    if daemon and (pending := _still_trying(head, body)):
        return RuleMatch("unclear", pending)
    if daemon and (_BOUNCE_SUBJECT.search(head) or _BOUNCE_BODY.search(body)):
        return RuleMatch("bounce", daemon)
    if (cue := _found(_BOUNCE_SUBJECT, head)) and _BOUNCE_BODY.search(body):
        pending = _still_trying(head, body)
        return RuleMatch("unclear", pending) if pending else RuleMatch("bounce", cue)
    if cue := _found(_NOTICE_SUBJECT, head) or _found(_SYSTEM_NOTICE, f"{head} {body}"):
        return RuleMatch("unclear", cue)
    if cue := _found(_COMPLAINT, f"{head} {body}"):
        return RuleMatch("complaint", cue)
    mocked = _found(_UNFILLED_FIELD, body) or _found(_MISNAMED, body)
    if cue := _found(_NTH_MESSAGE, f"{head} {body}") or mocked:
        return RuleMatch("complaint", cue, about_our_mailing=True)
    formal = _LEGAL_REQUEST.search(body) or _UNSUBSCRIBE.search(body)
    if (cue := _found(_UNSOLICITED, f"{head} {body}")) and not (formal or _calm_policy(body)):
        return RuleMatch("complaint", cue)
    repeated = _found(_REPEATED, body)
    if repeated and (
        _ASKED_US.search(body) or _UNSUBSCRIBE.search(body) or _ABOUT_OUR_MAIL.search(body)
    ):
        return RuleMatch("complaint", repeated)
    if (cue := _found(_ALREADY_ASKED, body)) and _UNSUBSCRIBE.search(f"{head} {body}"):
        return RuleMatch("complaint", cue)
    anger = _unnegated(_ANGER, body) or _shouting(text)
    if anger and (_UNSUBSCRIBE.search(body) or _ABOUT_OUR_MAIL.search(body)):
        return RuleMatch("complaint", anger)
    # An auto-reply's word on its own mailbox ("mail received meanwhile will be deleted") is
    # no request to us; a line asking to be taken off our lists still is.
    automatic = _automatic(text, body, subject, head)
    asked = _without_mailbox_notices(body) if automatic else body
    # A stop word alone: the message's first line, or the subject of fresh mail ("Remover"
    # over a bare signature).
    stop_word = _found(_ONE_WORD_STOP, _first_line(text)) or (
        None if is_reply(subject) else _found(_ONE_WORD_STOP, head)
    )
    if cue := _found(_UNSUBSCRIBE, f"{head} {asked}") or stop_word:
        return RuleMatch("unsubscribe", cue)
    # "X has left the company" often comes as an auto-reply: nobody will return to read it.
    gone = _found(_LEFT, body) or (_found(_GONE, body) if automatic else None)
    if (cue := gone) and not _names_a_person(body):
        return RuleMatch("wrong_person", cue)
    if automatic:
        return RuleMatch("out_of_office", automatic)
    return None


def _still_trying(head: str, body: str) -> str | None:
    """A mail system's word on a delivery it still tries, unless it says the failure is final."""
    return None if _FINAL.search(body) else _unnegated(_STILL_TRYING, f"{head} {body}")


def _calm_policy(body: str) -> bool:
    """The company's standing rule against such mail, stated with no anger and no repeat."""
    if not _POLICY_NOTICE.search(body):
        return False
    return not (_unnegated(_ANGER, body) or _REPEATED.search(body))


def _automatic(text: str, body: str, subject: str, head: str) -> str | None:
    """The cue that marks an auto-reply (out of office), if the message is one."""
    # "FW: Automatic reply: ..." is a person passing on (or answering) an auto-reply.
    if (cue := _found(_AUTO_SUBJECT, head)) and not is_reply(subject):
        return cue
    # A ticket system's or a mailbox's own automated answer says so.
    if cue := _found(_AUTOMATED, body) or _found(_DEAD_MAILBOX, body):
        return cue
    # Away in the body alone: an auto-reply greets nobody by name. "Hi Dana, I'm on holiday
    # but..." is a person answering from the beach, whose reply the classifier reads.
    if (cue := _found(_AWAY, body)) and not _greets_by_name(text) and not _answers(text, body):
        return cue
    return None


_AUTOMATED = _any(
    r"this is an? (?:automated|automatic|auto-generated|automatically generated) "
    r"(?:response|reply|message|e-?mail|notification|acknowledge?ment)",
    r"(?:automatically|automatisch|automatiquement|automaticamente) "
    r"(?:generated|generiert|erzeugt|genere|generado|generato|gegenereerd|gerad[ao])",
    r"(?:dies ist eine|es handelt sich um eine) automatisch\w*",
    r"(?:ceci est un|il s'agit d'un) (?:message|e-?mail|courriel) automatique",
    r"(?:este es un|esta es una) (?:mensaje|respuesta|correo) automatic[oa]",
    r"mensaje automatico,? (?:por favor,? )?no (?:responda|responder)",
    r"(?:questo e un|questa e una) (?:messaggio|risposta|e-?mail) automatic[oa]",
    r"dit is een automatisch(?:e)? (?:bericht|antwoord|gegenereerd)",
    r"(?:esta e uma|este e um) (?:mensagem|resposta|e-?mail) automatic[oa]",
    r"(?:a|your) ticket (?:#|number|no\.?|reference|\(?ref)",
)
# A mailbox that nobody reads any more says so itself ("This mailbox is no longer monitored,
# please resend to ..."): an automatic answer, like an auto-reply.
_DEAD_MAILBOX = _any(
    r"(?:this|the) (?:e-?mail |email )?(?:mailbox|inbox|address|account) (?:is|has been|will be|"
    r"is being) (?:no longer|not) (?:monitored|in use|active|read|checked|attended|used)",
    r"(?:this|the) (?:e-?mail |email )?(?:mailbox|inbox|address|account) (?:is being|has been|"
    r"will be) (?:retired|deactivated|closed|deleted|discontinued)",
    r"(?:dieses|das|diese|die) (?:e-?mail-?)?(?:postfach|adresse|konto) (?:wird|ist) "
    r"(?:\w+ ){0,3}(?:nicht mehr (?:betreut|gelesen|abgerufen|genutzt|bearbeitet|aktiv)|"
    r"geloscht|deaktiviert|geschlossen|stillgelegt)",
    r"(?:cette|la) (?:boite|adresse)(?: [\w-]+){0,3} n'est plus "
    r"(?:relevee|consultee|active|utilisee|suivie|lue)",
    r"(?:este|el) buzon ya no se (?:atiende|revisa|consulta|utiliza|lee)",
    r"(?:esta|la) (?:direccion|cuenta)(?: [\w-]+){0,3} ya no "
    r"(?:se utiliza|esta activa|se revisa|se lee)",
    r"(?:questa|la) casella(?: [\w-]+){0,3} non e piu "
    r"(?:presidiata|attiva|monitorata|utilizzata|letta)",
    r"(?:questo|l') ?indirizzo non e piu (?:attivo|presidiato|monitorato|in uso|utilizzato|letto)",
    r"(?:deze|de|dit) (?:e-?mail)?(?:mailbox|inbox|adres|postvak) (?:wordt|is) niet "
    r"(?:meer|langer) (?:gelezen|gebruikt|bijgehouden|gemonitord|actief|in gebruik)",
    r"(?:deze|de|dit) (?:e-?mail)?(?:mailbox|inbox|adres|postvak) (?:is|wordt) opgeheven",
    r"(?:esta|a|este) (?:caixa|endereco)(?: [\w-]+){0,3} (?:deixou de ser "
    r"(?:utilizad|usad|lid)[oa]|(?:ja nao|nao) e (?:mais )?(?:monitorizad|monitorad|lid|utilizad|"
    r"usad)[oa]|foi desativad[oa])",
)


# An auto-reply's footer on the company's own newsletter ("you can unsubscribe from our
# newsletter at any time") is about theirs, not ours.
_OWN_NEWSLETTER = _any(
    r"(?:our|unser\w*|notre|nos|nuestr[oa]s?|nostr[aoei]|onze|ons|noss[oa]s?) "
    r"(?:\w+ )?(?:newsletters?|nieuwsbrie[fv]e?n?|boletin(?:es)?|bulletins?|"
    r"lettres? d'information|mailings?)",
    # "...unsubscribe at any time": the footer's offer, not a request to us.
    r"at any time|anytime|jederzeit|a tout moment|en cualquier momento|in qualsiasi momento|"
    r"op (?:elk|ieder) moment|(?:a|em) qualquer (?:momento|altura)",
)


def _without_mailbox_notices(body: str) -> str:
    """`body` without what an auto-reply says of its own mailbox and its own newsletter."""
    sentences = SENTENCE_END.split(body)
    return " ".join(
        s
        for s in sentences
        if not (_MAIL.search(s) and _HANDLED.search(s)) and not _OWN_NEWSLETTER.search(s)
    )
