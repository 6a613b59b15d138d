"""Site templates: navigation, footers, consent banners, newsletter boxes, ads and rails.

A site is drawn once per corpus and reused by every page published on it, so pages of one site
share their furniture (the hard negatives a reprint finder must not join). Most sites are
English; mirror sites carry their furniture in German, French, Spanish, Italian, Dutch or
Portuguese.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from .prose import OUTLET_A, Prose, _words

SECTIONS_EN = _words("""News Local Nation World Politics Business Money Sport Weather Opinion Health
Education Environment Science Tech Culture Arts Travel Food Obituaries Puzzles Video Podcasts
Lifestyle Property Motoring Jobs Events Letters""")
NAV_PREFIX = ["MENU", "Skip to content", "Sections", "☰ Menu", "Home", "Today's paper", ""]
NAV_SUFFIX = ["Subscribe", "Sign in", "Log in | Register", "Subscribe now", "Donate", "E-edition"]
TAGLINES = [
    "Serving {TOWN} since {YEAR}",
    "Independent journalism for {TOWN} and beyond",
    "Your local news, every day",
    "News you can trust",
    "The voice of the {REGION}",
    "",
    "",
]
COOKIE_EN = [
    "We use cookies and similar technologies to personalise content and ads, to provide social "
    "media features and to analyse our traffic. We also share information about your use of our "
    "site with our social media, advertising and analytics partners. Accept all | Manage "
    "preferences",
    "This website uses cookies to improve your experience. By continuing to browse the site you "
    "are agreeing to our use of cookies. Find out more in our cookie policy. OK, got it",
    "Your privacy matters. We and our {N} partners store and access information on your device "
    "for personalised ads and content, ad and content measurement, audience insights and product "
    "development. You can change your choices at any time. Agree | Reject all | More options",
    "We value your privacy. Cookies help us deliver our services and show you relevant "
    "advertising. Click Accept to consent or Settings to choose which cookies we may use. "
    "Accept | Settings",
]
NEWSLETTER_EN = [
    "Sign up for the {NAME} morning briefing: the day's top stories delivered to your inbox "
    "before breakfast. Enter your email address | Sign up",
    "Get the latest headlines from {NAME} straight to your inbox. Subscribe to our free daily "
    "newsletter. Email address | Subscribe | You can unsubscribe at any time.",
    "Don't miss a story. Join {N},000 readers who get our evening newsletter every weekday. "
    "Your email | Join now",
]
ADS_EN = [
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Continue reading the main story",
    "Sponsored content",
    "Article continues below",
]
RAIL_HEAD_EN = ["Latest news", "Most read", "Trending now", "Top stories", "More from {NAME}"]
RELATED_HEAD_EN = ["Related stories", "Read more", "You may also like", "More on this story"]
FOOTER_EN = [
    "© {YEAR} {NAME}. All rights reserved. Terms of use | Privacy policy | Contact us",
    "Copyright {YEAR} {NAME}. This material may not be published, broadcast, rewritten or "
    "redistributed. About us | Advertise | Careers | Contact",
    "{NAME} is part of {GROUP}. © {YEAR}. Privacy notice | Cookie settings | Accessibility | "
    "Terms and conditions",
    "Back to top. {NAME}, {ADDR}. Registered in England No. {REG}. Privacy | Terms | Sitemap",
]
GROUPS = ["Newsquest Media", "Northern Press Group", "Coastal Publishing", "Meridian Media Ltd"]

FOREIGN = {
    "de": {
        "nav": "Startseite Politik Wirtschaft Sport Kultur Wetter Lokales Panorama Anmelden",
        "cookie": "Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten. Wenn Sie "
        "fortfahren, stimmen Sie der Verwendung von Cookies zu. Mehr erfahren | Akzeptieren",
        "footer": "© {YEAR} {NAME}. Alle Rechte vorbehalten. Impressum | Datenschutz | Kontakt",
        "source": "Quelle: {OUTLET}",
        "related": "Das könnte Sie auch interessieren",
        "readmore": "Weiterlesen",
        "share": "Teilen: Facebook | Twitter | WhatsApp | E-Mail",
        "byline": "Von unserer Redaktion",
        "title": [
            "{TOWN}: Streit um neuen Plan",
            "Neue Entwicklung in {TOWN}",
            "{TOWN} – was jetzt bekannt ist",
        ],
    },
    "fr": {
        "nav": "Accueil Actualités Politique Économie Sport Culture Météo Régions Se connecter",
        "cookie": "Nous utilisons des cookies pour améliorer votre expérience sur notre site. "
        "En poursuivant votre navigation, vous acceptez leur utilisation. En savoir plus | "
        "Accepter",
        "footer": "© {YEAR} {NAME}. Tous droits réservés. Mentions légales | Confidentialité | "
        "Contact",
        "source": "Source : {OUTLET}",
        "related": "À lire aussi",
        "readmore": "Lire la suite",
        "share": "Partager : Facebook | Twitter | LinkedIn | E-mail",
        "byline": "Par la rédaction",
        "title": [
            "{TOWN} : la décision fait débat",
            "Ce que l'on sait à {TOWN}",
            "{TOWN} : nouvelle polémique",
        ],
    },
    "es": {
        "nav": "Inicio Noticias Política Economía Deportes Cultura Tiempo Sociedad Iniciar sesión",
        "cookie": "Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si "
        "continúa navegando, consideramos que acepta su uso. Más información | Aceptar",
        "footer": "© {YEAR} {NAME}. Todos los derechos reservados. Aviso legal | Privacidad | "
        "Contacto",
        "source": "Fuente: {OUTLET}",
        "related": "Noticias relacionadas",
        "readmore": "Leer más",
        "share": "Compartir: Facebook | Twitter | WhatsApp | Correo",
        "byline": "Por Redacción",
        "title": [
            "Polémica en {TOWN} por el nuevo plan",
            "Lo que se sabe de {TOWN}",
            "{TOWN}, en el centro del debate",
        ],
    },
    "it": {
        "nav": "Home Cronaca Politica Economia Sport Cultura Meteo Esteri Accedi",
        "cookie": "Questo sito utilizza cookie tecnici e di profilazione per migliorare la tua "
        "esperienza. Continuando la navigazione accetti l'uso dei cookie. Maggiori "
        "informazioni | Accetto",
        "footer": "© {YEAR} {NAME}. Tutti i diritti riservati. Note legali | Privacy | Contatti",
        "source": "Fonte: {OUTLET}",
        "related": "Potrebbe interessarti anche",
        "readmore": "Continua a leggere",
        "share": "Condividi: Facebook | Twitter | WhatsApp | Email",
        "byline": "Di Redazione",
        "title": [
            "{TOWN}, cresce la polemica",
            "Cosa sappiamo di {TOWN}",
            "{TOWN}: la novità divide",
        ],
    },
    "nl": {
        "nav": "Home Nieuws Politiek Economie Sport Cultuur Weer Regio Inloggen",
        "cookie": "Wij gebruiken cookies om uw ervaring op onze website te verbeteren. Door "
        "verder te gaan gaat u akkoord met het gebruik van cookies. Meer informatie | Akkoord",
        "footer": "© {YEAR} {NAME}. Alle rechten voorbehouden. Disclaimer | Privacy | Contact",
        "source": "Bron: {OUTLET}",
        "related": "Lees ook",
        "readmore": "Lees verder",
        "share": "Delen: Facebook | Twitter | WhatsApp | E-mail",
        "byline": "Door onze redactie",
        "title": [
            "Ophef in {TOWN} over nieuw plan",
            "Dit weten we over {TOWN}",
            "{TOWN}: nieuwe ontwikkeling",
        ],
    },
    "pt": {
        "nav": "Início Notícias Política Economia Desporto Cultura Tempo Mundo Entrar",
        "cookie": "Utilizamos cookies para melhorar a sua experiência. Ao continuar a navegar, "
        "aceita a utilização de cookies. Saiba mais | Aceitar",
        "footer": "© {YEAR} {NAME}. Todos os direitos reservados. Termos | Privacidade | Contacto",
        "source": "Fonte: {OUTLET}",
        "related": "Leia também",
        "readmore": "Ler mais",
        "share": "Partilhar: Facebook | Twitter | WhatsApp | Email",
        "byline": "Por Redação",
        "title": [
            "Polémica em {TOWN} com novo plano",
            "O que se sabe sobre {TOWN}",
            "{TOWN} no centro do debate",
        ],
    },
}
FOREIGN_NAMES = {
    "de": ["Nachrichten", "Rundschau", "Tageblatt", "Anzeiger", "Kurier"],
    "fr": ["Le Quotidien", "L'Écho", "La Dépêche", "Le Courrier", "Le Journal"],
    "es": ["El Diario", "La Crónica", "El Noticiero", "La Voz", "El Heraldo"],
    "it": ["Il Corriere", "La Gazzetta", "Il Giornale", "La Nuova", "Il Messaggero"],
    "nl": ["Het Dagblad", "De Courant", "Het Nieuwsblad", "De Bode", "Het Journaal"],
    "pt": ["O Diário", "A Gazeta", "O Correio", "Jornal", "A Voz"],
}


def slug(text: str, words: int = 8) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())[:words])


@dataclass
class Site:
    """The furniture every page of one site carries."""

    name: str
    domain: str
    lang: str
    header: list[str]
    footer: list[str]
    cookie: str | None
    newsletter: str | None
    ads: list[str]
    rail_head: str
    related_head: str
    sep: str
    upper_headline: bool
    dated_line: bool
    kind: str = "news"  # news | wire | aggregator | mirror | print | amp | spam | release
    extra: dict[str, str] = field(default_factory=dict)

    def url(self, headline: str, n: int, year: int, month: int) -> str:
        return f"https://{self.domain}/{year}/{month:02d}/{slug(headline)}-{n}"


def make_site(rng: random.Random, prose: Prose, kind: str = "news", lang: str = "en") -> Site:
    town = prose.town()
    year = rng.randint(1851, 2012)
    if lang != "en":
        f = FOREIGN[lang]
        name = f"{prose.pick(FOREIGN_NAMES[lang])} {town}"
        domain = f"{slug(name, 4).replace('-', '')}.{lang}"
        header = [f"{name}", f["nav"]]
        footer = [f["share"], f["footer"].format(YEAR=rng.randint(2019, 2025), NAME=name)]
        return Site(
            name=name,
            domain=domain,
            lang=lang,
            header=header,
            footer=footer,
            cookie=f["cookie"],
            newsletter=None,
            ads=["Anzeige" if lang == "de" else "Publicidad" if lang == "es" else "Pub"],
            rail_head=f["related"],
            related_head=f["related"],
            sep="\n",
            upper_headline=False,
            dated_line=False,
            kind="mirror",
            extra={"source": f["source"], "readmore": f["readmore"], "byline": f["byline"]},
        )
    name = f"The {town} {prose.pick(OUTLET_A)}"
    if kind == "aggregator":
        name = prose.pick(["NewsNow", "Daily Digest", "Headlines Hub", "TopStories", "Briefly"])
        name += f" {town}"
    domain = slug(name, 4).replace("-", "").removeprefix("the") + rng.choice(
        [".com", ".co.uk", ".news", ".net", ".org"]
    )
    sections = rng.sample(SECTIONS_EN, rng.randint(6, 10))
    nav = "  ".join([prose.pick(NAV_PREFIX), *sections, prose.pick(NAV_SUFFIX)]).strip()
    tagline = prose.pick(TAGLINES).format(TOWN=town, YEAR=year, REGION=f"{prose.town()} valley")
    header = (
        [nav] if rng.random() < 0.5 else [f"{name}" + (f" | {tagline}" if tagline else ""), nav]
    )
    fields = {
        "NAME": name,
        "YEAR": str(rng.randint(2019, 2025)),
        "GROUP": prose.pick(GROUPS),
        "ADDR": f"{rng.randint(1, 200)} {prose.pick(['High', 'Market', 'Bridge'])} Street, {town}",
        "REG": str(rng.randint(1000000, 9999999)),
        "N": str(rng.randint(40, 900)),
    }
    footer = [prose.pick(FOOTER_EN).format(**fields)]
    if rng.random() < 0.5:
        footer.insert(0, "Share this article: Facebook | X | WhatsApp | Email | Copy link")
    return Site(
        name=name,
        domain=domain,
        lang="en",
        header=header,
        footer=footer,
        cookie=prose.pick(COOKIE_EN).format(**fields) if rng.random() < 0.6 else None,
        newsletter=prose.pick(NEWSLETTER_EN).format(**fields) if rng.random() < 0.5 else None,
        ads=rng.sample(ADS_EN, 2),
        rail_head=prose.pick(RAIL_HEAD_EN).format(**fields),
        related_head=prose.pick(RELATED_HEAD_EN),
        sep=rng.choice(["\n", "\n\n"]),
        upper_headline=rng.random() < 0.15,
        dated_line=rng.random() < 0.6,
        kind=kind,
    )
