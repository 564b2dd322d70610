"""What a web site puts around an article, recognised by its words (ru, kk, az, en).

Used on the lines of a plain-text copy of a page and on the blocks of a saved page. Everything
these rules remove is listed in the import report, so a false alarm costs the editor a look,
never the text.
"""

from __future__ import annotations

import re

# Words of site menus: a line made only of these (and separators) is a menu.
MENU_WORDS = {
    w.casefold() for w in """
    главная новости политика экономика общество спорт культура мир регионы происшествия видео фото
    фоторепортажи мнения аналитика интервью статьи блоги контакты реклама поиск войти вход
    регистрация меню подписаться подписка архив лента все новости о нас о проекте редакция
    казахстан азербайджан технологии наука здоровье авто недвижимость туризм образование медиа
    english русский қазақша рус каз eng ru kz en az en az ru qaz азе
    басты бет басты жаңалықтар саясат қоғам мәдениет іздеу кіру тіркелу байланыс
    ana səhifə xəbərlər siyasət iqtisadiyyat cəmiyyət idman mədəniyyət dünya axtar axtarış daxil ol
    qeydiyyat əlaqə haqqımızda
    home news politics business economy world sport sports culture opinion video videos photos
    contact contacts about search login log in sign in sign up subscribe menu more latest
    """.split()
}
MENU_PHRASES = {"все новости", "о нас", "о проекте", "log in", "sign in", "sign up", "ana səhifə",
                "басты бет", "daxil ol", "все права защищены", "about us"}

# Lines or blocks that are site furniture wherever they stand (short ones only).
FURNITURE = re.compile(r"""(?ix)
    ^\s*(?:
        перейти\s+к\s+(?:содержимому|содержанию|основному)|skip\s+to\s+(?:main\s+)?content|
        читайте\s+(?:также|нас|еще|ещё)|смотрите\s+также|по\s+теме|похожие\s+(?:новости|материалы|статьи)|
        другие\s+новости|популярное|самое\s+читаемое|рекомендуем|
        read\s+(?:also|more|next)|see\s+also|related(?:\s+(?:articles|news|stories|posts))?|more\s+(?:from|on|stories)|
        you\s+may\s+also\s+like|recommended|most\s+read|popular|
        тағы\s+оқыңыз|оқи\s+отырыңыз|ұқсас\s+жаңалықтар|ұқсас\s+материалдар|
        oxşar\s+xəbərlər|digər\s+xəbərlər|həmçinin\s+oxuyun|bunu\s+da\s+oxuyun|
        поделиться|поделитесь|share(?:\s+this)?|бөлісу|paylaş|
        подписывайтесь|подпишитесь|subscribe|жазылыңыз|abunə\s+olun|
        реклама|advertisement|sponsored|жарнама|reklam|
        нашли\s+ошибку|found\s+a\s+(?:typo|mistake)|қате\s+таптыңыз\s+ба|səhv\s+tapdınız|
        просмотров|просмотры|views?|көрілім|қаралым|baxış(?:\s+sayı)?|
        теги|метки|tags?|тегтер|teqlər|posted\s+in|filed\s+under|рубрик[аи]|
        комментари[йия]|комментировать|оставить\s+комментарий|добавить\s+комментарий|
        comments?|leave\s+a\s+(?:reply|comment)|post\s+(?:a\s+)?comment|
        пікірлер|пікір\s+қалдыру|пікір\s+жазу|şərhlər|şərh\s+yaz|şərh\s+bildir|
        наверх|back\s+to\s+top|вернуться\s+к\s+списку|назад|
        cookie|файлы\s+cookie|мы\s+используем|we\s+use\s+cookies|
        ©|copyright|все\s+права\s+защищены|all\s+rights\s+reserved|барлық\s+құқықтар|bütün\s+hüquqlar|
        при\s+(?:использовании|цитировании|перепечатке)|использование\s+материалов|
        подписаться\s+на\s+рассылку|рассылка|newsletter|
        facebook|telegram|whatsapp|instagram|twitter|vkontakte|вконтакте|одноклассники|youtube|tiktok|linkedin|
        версия\s+для\s+печати|print(?:\s+version)?|распечатать|
        \d+\s+(?:мин(?:ут[аы]?)?|min(?:ute)?s?)\s+(?:чтения|read|оқу)
    )\b""")

# The comment form that closes many pages: its field labels and buttons.
FORM_FIELD = re.compile(r"""(?ix)
    ^\s*(?:
        ваше\s+имя|имя|ваш\s+e-?mail|e-?mail|эл(?:ектронная)?\.?\s+почта|сайт|website|name|your\s+name|
        ваш\s+комментарий|комментарий|текст\s+комментария|comment|message|сообщение|
        отправить|опубликовать|отмена|submit|send|post|cancel(?:\s+reply)?|ответить|reply|
        аты-жөні|аты|пікіріңіз|жіберу|adınız|ad|e-poçt|şərhiniz|göndər|
        введите\s+код|captcha|я\s+не\s+робот|i'?m\s+not\s+a\s+robot|
        ваш\s+адрес\s+email\s+не\s+будет\s+опубликован|your\s+email\s+address\s+will\s+not\s+be\s+published|
        обязательные\s+поля|required\s+fields|save\s+my\s+name|сохранить\s+моё\s+имя|
        войдите|авторизуйтесь|log\s+in\s+to|чтобы\s+оставить\s+комментарий|
        нет\s+комментариев|комментариев\s+пока\s+нет|будьте\s+первым|no\s+comments(?:\s+yet)?|be\s+the\s+first
    )\b.{0,120}$""")

# Where the end of a page begins: everything after one of these is no longer the article.
TAIL_MARKER = re.compile(r"""(?ix)
    ^\s*(?:
        комментари[ийя](?:\s*\(\d+\)|\s*\d+)?|оставить\s+комментарий|добавить\s+комментарий|написать\s+комментарий|
        comments?(?:\s*\(\d+\))?|leave\s+a\s+(?:reply|comment)|
        пікірлер|пікір\s+қалдыру|şərhlər|şərh\s+yaz|
        читайте\s+также|похожие\s+(?:новости|материалы|статьи)|другие\s+новости|по\s+теме|
        related(?:\s+\w+)?|read\s+(?:also|more)|more\s+stories|you\s+may\s+also\s+like|
        тағы\s+оқыңыз|ұқсас\s+жаңалықтар|oxşar\s+xəbərlər|digər\s+xəbərlər
    )\s*[:.]?\s*$""")

BREADCRUMB_SEPARATORS = re.compile(r"\s+(?:/|>|»|›|\||•|·|→)\s+")
MARKET = re.compile(r"(?i)^(?:\s*(?:usd|eur|rub|cny|gbp|kzt|azn|\$|€|₽|₸|brent|нефть)\s*[:=]?\s*[\d.,]+\s*[↑↓▲▼+-]?[\d.,%]*)+\s*$")
WEATHER = re.compile(r"^[^\d]{0,30}[+-−]?\d{1,2}\s*°\s*[CС]?\s*$")


def is_menu(line: str) -> bool:
    """A line of menu words or a breadcrumb trail: ``Главная / Новости / Политика``."""
    text = line.strip().casefold()
    if not text:
        return False
    pieces = [p.strip() for p in BREADCRUMB_SEPARATORS.split(text) if p.strip()]
    if len(pieces) >= 3 and all(len(p) <= 40 for p in pieces):
        return True
    if len(pieces) >= 2 and all(p in MENU_WORDS or p in MENU_PHRASES for p in pieces):
        return True
    for phrase in MENU_PHRASES:
        text = text.replace(phrase, " ")
    words = re.findall(r"[^\W\d_]+", text)
    return bool(words) and len(words) <= 12 and all(w in MENU_WORDS for w in words)


def is_furniture(line: str, limit: int = 160) -> bool:
    """A short line that a site, not the author, wrote (share, tags, views, cookies, ©, …)."""
    text = line.strip()
    if not text:
        return False
    if not re.search(r"[^\W\d_]", text):
        return len(text) < 40  # counters, separators, icons
    if len(text) > limit:
        return False
    if FURNITURE.match(text) and (len(text.split()) <= 8 or not text.endswith((".", "!", "?", "…"))):
        return True
    return bool(FORM_FIELD.match(text) or MARKET.match(text) or WEATHER.match(text) or is_menu(text))


def is_tail_marker(line: str) -> bool:
    return bool(TAIL_MARKER.match(line.strip()))


# --------------------------------------------------------------------------------------------
# HTML: elements that are furniture by their tag, role or class
# --------------------------------------------------------------------------------------------

FURNITURE_TAGS = {"nav", "aside", "form", "button", "input", "select", "textarea", "label", "dialog",
                  "iframe", "object", "embed", "canvas", "audio", "video", "map", "menu"}
INVISIBLE_TAGS = {"script", "style", "noscript", "template", "svg", "link", "meta", "head"}
FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                   "alertdialog", "menu", "menubar", "toolbar"}
FURNITURE_CLASS_TOKENS = {
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumbs", "sidebar", "widget",
    "share", "sharing", "social", "socials", "likes", "like", "reactions", "comment", "comments",
    "disqus", "respond", "reply", "related", "recommended", "recommend", "recommendations", "readmore",
    "also", "more", "subscribe", "subscription", "newsletter", "cookie", "cookies", "consent", "gdpr",
    "banner", "ad", "ads", "adv", "advert", "advertisement", "adsbygoogle", "promo", "sponsored",
    "counter", "counters", "views", "metrika", "rating", "tags", "tag", "taglist", "popup", "modal",
    "overlay", "toolbar", "print", "footer", "masthead", "topbar", "header", "login", "search",
    "lang", "languages", "weather", "currency", "rates", "pagination", "pager", "rubric", "rubrics",
    "category", "categories", "cat", "kicker", "skip",
}
# Tokens that mark article content even when a furniture token is also there (``article-header``).
CONTENT_CLASS_TOKENS = {"article", "post", "entry", "story", "content", "text", "body", "lead"}
_TOKENS = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")


_STATE_PREFIX = re.compile(r"(?i)^(has|with|no|is|show|hide|js|open|toggle)[-_]")


def class_tokens(element) -> set[str]:
    """The words of an element's class and id (``article__share-link`` → article, share, link).

    State classes (``has-sidebar``, ``no-comments``, ``is-menu-open``) say nothing about the
    element itself and are left out.
    """
    names = (element.get("class") or "").split() + (element.get("id") or "").split()
    raw = " ".join(n for n in names if not _STATE_PREFIX.match(n))
    return {t.lower() for t in _TOKENS.split(raw) if t}


def furniture_reason(element) -> str | None:
    """Why an element is site furniture (its tag, role, class), or None."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("html", "body", "main"):
        return None
    if tag in FURNITURE_TAGS:
        return f"<{tag}>"
    role = (element.get("role") or "").lower()
    if role in FURNITURE_ROLES:
        return f'role="{role}"'
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return "hidden"
    style = (element.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return "hidden"
    tokens = class_tokens(element)
    hits = tokens & FURNITURE_CLASS_TOKENS
    if hits:
        if tokens & CONTENT_CLASS_TOKENS and hits <= {"header", "footer", "more", "also", "lang", "print"}:
            return None
        return f'class "{" ".join(sorted(hits))}"'
    return None
