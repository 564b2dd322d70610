#!/usr/bin/env python3
"""Generate a large synthetic volume in anthology's own format, for the benchmarks.

    python benchmarks/generate.py OUT_DIR --chapters 40 --articles-per-chapter 8 [--seed 1]

Writes OUT_DIR/anthology.yaml (lang ru, A5, parts with chapters, a preface), OUT_DIR/chapters/*.md
(mostly Russian, some Kazakh, Azerbaijani and English articles), OUT_DIR/people.yaml (~60 people)
and OUT_DIR/references.json (~150 CSL-JSON items). Every article has 3–6 footnotes, citations
such as `[@key, с. 12]`, mentions of registered people in several grammatical cases (Иванов,
Иванова, Иванову, Ивановым, об Иванове, П. С. Иванов) and, in about a third of the articles, a
pipe table. The prose is pseudo-prose from phrase lists: readable, not meaningful.

The output depends only on the arguments: the same seed gives byte-identical files. Every
reference is cited and every person is mentioned at least once (when there are enough
articles), so `anthology check OUT_DIR` reports no errors and few warnings.

Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

# Words of running text per article (the abstract, the footnotes and the table come on top). With
# the bundled styles an A5 page holds about 220 words, and each article also starts on a new page
# and ends with its own bibliography: 250 words make about 3.2 pages an article, so that 40 × 8
# articles make about 1,000 pages (and 8 × 8 about 200).
DEFAULT_WORDS = 250

NOTE = "\x02"  # where a footnote call goes, numbered once the article is complete

LANG_WEIGHTS = (("ru", 76), ("kk", 8), ("az", 8), ("en", 8))

# --------------------------------------------------------------------------------------------
# Phrase lists. A leading "!" marks a proper name that keeps its capital after an opener.
# --------------------------------------------------------------------------------------------

RU = {
    "subjects": """
        Транспортная политика|Экспертное сообщество|Совместный инвестиционный фонд|!Транскаспийский маршрут
        !Каспийский регион|Энергетический диалог|Региональная интеграция|Цифровая инфраструктура
        Научное сотрудничество|Гуманитарная повестка|!Организация тюркских государств|Морская логистика
        Торговый оборот|Молодёжный обмен|Университетское партнёрство|Портовая инфраструктура
        Железнодорожный транзит|Экспорт электроэнергии|Система таможенного контроля|Договорная база
        Инвестиционный климат|Межпарламентское взаимодействие|Культурная дипломатия|Агропромышленный комплекс
        Нефтяной экспорт|Урановая отрасль|Паромное сообщение|Контейнерный рынок|Двусторонняя торговля
        Деловое сообщество|Межрегиональное сотрудничество|Дорожная карта|Туристическая отрасль
        Подготовка кадров|Водная дипломатия|Кабельная линия по дну Каспия|Экспертный совет
    """,
    "predicates": """
        определяет повестку двустороннего сотрудничества|укрепляет позиции региона на мировых рынках
        требует согласованных решений обеих сторон|опирается на долгосрочные договорённости
        создаёт условия для новых совместных проектов|остаётся важным фактором региональной стабильности
        зависит от пропускной способности портов|формирует спрос на квалифицированные кадры
        снижает издержки грузоотправителей|открывает доступ к рынкам Европы и Азии
        нуждается в единых технических стандартах|меняет структуру товарооборота
        дополняет существующие транспортные коридоры|расширяет круг участников диалога
        повышает предсказуемость поставок|стимулирует приток частных инвестиций
        связывает экономики Центральной Азии и Южного Кавказа|задаёт рамки для отраслевых соглашений
        укрепляет доверие между партнёрами|позволяет распределить риски между участниками
        получает поддержку на высшем уровне|сталкивается с инфраструктурными ограничениями
        выходит на качественно новый уровень|становится предметом отдельного анализа
        сокращает сроки доставки грузов|требует внимательного мониторинга|опирается на опыт соседних стран
        даёт импульс развитию малого и среднего бизнеса|остаётся предметом оживлённой дискуссии
    """,
    "adverbials": """
        в последние годы|на новом этапе|с учётом региональных рисков|в среднесрочной перспективе
        начиная с 2022 года|по итогам переговоров|в условиях высокой неопределённости
        в рамках действующих соглашений|на фоне роста грузопотока|при поддержке международных институтов
        в большинстве сценариев|уже сегодня|в отличие от прежних лет|по оценкам экспертов
        в ближайшее десятилетие|без лишней огласки|во многом благодаря личным контактам
    """,
    "openers": """
        При этом|Вместе с тем|Как показывает практика,|Следует подчеркнуть, что|Иными словами,
        Кроме того,|Очевидно, что|Примечательно, что|В то же время|Тем не менее|Поэтому
        На наш взгляд,|Как правило,|Во-первых,|Во-вторых,|Наконец,
    """,
    "joins": ", поскольку |, а |, и |, тогда как |, хотя |, так что ",
    "headings": """
        Постановка проблемы|Исторический контекст|Институциональные рамки|Экономическое измерение
        Транспорт и логистика|Энергетика и ресурсы|Гуманитарное сотрудничество|Риски и ограничения
        Сравнительный анализ|Позиции сторон|Перспективы развития|Предварительные выводы
        Источники и методы|Региональный контекст|Роль экспертного сообщества|Что показывает статистика
    """,
    "title_a": """
        Транскаспийский маршрут|Каспийский транзит|Энергетический диалог|Цифровая связь
        Инвестиционное сотрудничество|Гуманитарные связи|Тюркская интеграция|Морская логистика
        Экспертная дипломатия|Университетское партнёрство|Экспорт электроэнергии|Срединный коридор
    """,
    "title_b": """
        итоги и перспективы|опыт последних лет|вызовы и возможности|взгляд из Астаны|взгляд из Баку
        институты и практики|между политикой и экономикой|новая повестка|уроки для региона
    """,
    "table_rows": """
        Грузооборот, млн т|Товарооборот, млн долл.|Число рейсов паромов|Транзит контейнеров, тыс. TEU
        Инвестиции, млн долл.|Число студентов по обмену|Экспорт нефти, млн т|Переток электроэнергии, млн кВт·ч
    """,
    "table_head": "Показатель",
    "table_intro": "Основные показатели приведены в таблице ниже.",
    "locator": "с.",
    "see": "см.",
    "abstract": "В статье тема «{a}» рассматривается в контексте казахстанско-азербайджанских отношений; "
                "особое внимание уделено тому, как {b}.",
    "keywords": "транзит|логистика|энергетика|инвестиции|Каспий|интеграция|экспертный совет|сотрудничество",
    "affiliations": """
        Центр евразийских исследований (Астана)|Институт экономических исследований (Алматы)
        Университет Хазар (Баку)|Центр анализа международных отношений (Баку)
        Евразийский национальный университет (Астана)|Независимый аналитик (Алматы)
    """,
}

KK = {
    "subjects": """
        Көлік саясаты|Сарапшылар қауымдастығы|Бірлескен инвестициялық қор|!Транскаспий бағыты
        !Каспий өңірі|Энергетикалық диалог|Өңірлік интеграция|Цифрлық инфрақұрылым|Ғылыми ынтымақтастық
        Гуманитарлық байланыстар|!Түркі мемлекеттері ұйымы|Теңіз логистикасы|Сауда айналымы
        Жастар алмасуы|Университеттер әріптестігі|Порт инфрақұрылымы|Теміржол транзиті|Мәдени дипломатия
    """,
    "predicates": """
        екіжақты ынтымақтастықтың күн тәртібін айқындайды|өңірдің әлемдік нарықтағы орнын нығайтады
        екі тараптың келісілген шешімдерін талап етеді|ұзақ мерзімді келісімдерге сүйенеді
        жаңа бірлескен жобаларға жағдай жасайды|өңірлік тұрақтылықтың маңызды факторы болып қала береді
        порттардың өткізу қабілетіне байланысты|білікті мамандарға сұраныс қалыптастырады
        Еуропа мен Азия нарықтарына жол ашады|серіктестер арасындағы сенімді нығайтады
        жеке инвестициялардың ағынын ынталандырады|жүк жеткізу мерзімін қысқартады
    """,
    "adverbials": """
        соңғы жылдары|жаңа кезеңде|орта мерзімді перспективада|келіссөздер қорытындысы бойынша
        сарапшылардың бағалауынша|қазіргі таңда|2022 жылдан бастап|халықаралық институттардың қолдауымен
    """,
    "openers": "Сонымен қатар|Алайда|Осылайша|Біздің ойымызша,|Айта кету керек,|Бұл ретте|Әрине,",
    "joins": ", өйткені |, ал |, сондай-ақ ",
    "headings": """
        Мәселенің қойылуы|Тарихи контекст|Институционалдық негіздер|Экономикалық өлшем
        Көлік және логистика|Мәдени байланыстар|Тәуекелдер мен шектеулер|Даму перспективалары
    """,
    "title_a": "Каспий транзиті|Мәдени ынтымақтастық|Түркі интеграциясы|Энергетикалық диалог|Жастар саясаты",
    "title_b": "нәтижелері мен перспективалары|соңғы жылдардағы тәжірибе|сын-қатерлер мен мүмкіндіктер",
    "table_rows": "Жүк айналымы, млн т|Сауда айналымы, млн доллар|Алмасу студенттерінің саны|Инвестициялар, млн доллар",
    "table_head": "Көрсеткіш",
    "table_intro": "Негізгі көрсеткіштер төмендегі кестеде келтірілген.",
    "locator": "б.",
    "see": "қараңыз:",
    "abstract": "Мақалада «{a}» тақырыбы қазақстан-әзербайжан қатынастары аясында қарастырылады. {b}.",
    "keywords": "транзит|логистика|мәдениет|инвестиция|Каспий|интеграция",
    "affiliations": "Әл-Фараби атындағы Қазақ ұлттық университеті (Алматы)|Түркі академиясы (Астана)",
}

AZ = {
    "subjects": """
        Nəqliyyat siyasəti|Ekspert ictimaiyyəti|Birgə investisiya fondu|!Transxəzər marşrutu|!Xəzər regionu
        Enerji dialoqu|Regional inteqrasiya|Rəqəmsal infrastruktur|Elmi əməkdaşlıq|Humanitar əlaqələr
        !Türk Dövlətləri Təşkilatı|Dəniz logistikası|Ticarət dövriyyəsi|Gənclər mübadiləsi
        Liman infrastrukturu|Dəmir yolu tranziti|Mədəni diplomatiya
    """,
    "predicates": """
        ikitərəfli əməkdaşlığın gündəliyini müəyyən edir|regionun dünya bazarlarındakı mövqeyini gücləndirir
        hər iki tərəfin razılaşdırılmış qərarlarını tələb edir|uzunmüddətli razılaşmalara əsaslanır
        yeni birgə layihələr üçün şərait yaradır|regional sabitliyin mühüm amili olaraq qalır
        limanların ötürmə qabiliyyətindən asılıdır|ixtisaslı kadrlara tələbat formalaşdırır
        Avropa və Asiya bazarlarına yol açır|tərəfdaşlar arasında etimadı möhkəmləndirir
        özəl investisiyaların axınını stimullaşdırır|yükdaşıma müddətini qısaldır
    """,
    "adverbials": """
        son illərdə|yeni mərhələdə|orta müddətli perspektivdə|danışıqların nəticələrinə görə
        ekspertlərin fikrincə|bu gün|2022-ci ildən etibarən|beynəlxalq institutların dəstəyi ilə
    """,
    "openers": "Bununla yanaşı,|Lakin|Beləliklə,|Fikrimizcə,|Qeyd etmək lazımdır ki,|Eyni zamanda|Əlbəttə,",
    "joins": ", çünki |, amma |, həmçinin ",
    "headings": """
        Problemin qoyuluşu|Tarixi kontekst|İnstitusional çərçivə|İqtisadi ölçü|Nəqliyyat və logistika
        Enerji və resurslar|Risklər və məhdudiyyətlər|İnkişaf perspektivləri
    """,
    "title_a": "Xəzər tranziti|Enerji əməkdaşlığı|Türk inteqrasiyası|Orta Dəhliz|Rəqəmsal əlaqə",
    "title_b": "nəticələr və perspektivlər|son illərin təcrübəsi|çağırışlar və imkanlar|Bakıdan baxış",
    "table_rows": "Yükdaşıma, mln ton|Ticarət dövriyyəsi, mln dollar|Bərə reyslərinin sayı|İnvestisiyalar, mln dollar",
    "table_head": "Göstərici",
    "table_intro": "Əsas göstəricilər aşağıdakı cədvəldə verilmişdir.",
    "locator": "s.",
    "see": "bax:",
    "abstract": "Məqalədə «{a}» mövzusu Qazaxıstan–Azərbaycan münasibətləri kontekstində nəzərdən keçirilir. {b}.",
    "keywords": "tranzit|logistika|enerji|investisiya|Xəzər|inteqrasiya",
    "affiliations": "Xəzər Universiteti (Bakı)|Beynəlxalq Münasibətlərin Təhlili Mərkəzi (Bakı)",
}

EN = {
    "subjects": """
        Transport policy|The expert community|The joint investment fund|!The Trans-Caspian route
        !The Caspian region|The energy dialogue|Regional integration|Digital infrastructure
        Scientific cooperation|The humanitarian agenda|!The Organization of Turkic States|Maritime logistics
        Bilateral trade|Youth exchange|Port infrastructure|Rail transit|Cultural diplomacy
    """,
    "predicates": """
        shapes the agenda of bilateral cooperation|strengthens the region's position in world markets
        requires coordinated decisions by both sides|rests on long-term agreements
        creates conditions for new joint projects|remains an important factor of regional stability
        depends on the capacity of the ports|creates demand for skilled staff
        opens access to the markets of Europe and Asia|builds trust between the partners
        encourages the inflow of private investment|shortens delivery times
    """,
    "adverbials": """
        in recent years|at the new stage|in the medium term|after the negotiations
        according to expert estimates|today|since 2022|with the support of international institutions
    """,
    "openers": "At the same time,|However,|Thus,|In our view,|It should be noted that|Moreover,|Admittedly,",
    "joins": ", because |, while |, and ",
    "headings": """
        The problem|Historical context|Institutional framework|The economic dimension|Transport and logistics
        Energy and resources|Risks and constraints|Prospects
    """,
    "title_a": "Caspian Transit|Energy Cooperation|Turkic Integration|The Middle Corridor|Digital Links",
    "title_b": "Results and Prospects|Lessons of Recent Years|Challenges and Opportunities|A View from London",
    "table_rows": "Cargo, million t|Trade, USD million|Ferry crossings|Investment, USD million",
    "table_head": "Indicator",
    "table_intro": "The main indicators are given in the table below.",
    "locator": "p.",
    "see": "see",
    "abstract": "The article examines {a} in the context of Kazakhstan–Azerbaijan relations, "
                "with particular attention to how {b}.",
    "keywords": "transit|logistics|energy|investment|Caspian|integration",
    "affiliations": "Centre for Eurasian Connectivity (London)|Institute of Caspian Studies (Oxford)",
}

LANGS = {"ru": RU, "kk": KK, "az": AZ, "en": EN}


def _split(text: str) -> list[str]:
    return [item.strip() for line in text.strip().splitlines() for item in line.split("|") if item.strip()]


POOLS = {lang: {k: (_split(v) if k not in ("joins", "abstract", "table_head", "table_intro", "locator", "see")
                    else (v.split("|") if k == "joins" else v))
                for k, v in pool.items()}
         for lang, pool in LANGS.items()}

# People: Russian surnames in -ов/-ев/-ин, given names with patronymics.
SURNAMES = _split("""
    Абрамов|Белов|Васильев|Гордеев|Дмитриев|Ершов|Жуков|Зайцев|Игнатьев|Карпов|Лебедев|Морозов|Никитин
    Орлов|Павлов|Родионов|Соболев|Тихонов|Ульянов|Фомин|Харитонов|Цветков|Чернов|Шестаков|Щукин|Яковлев
    Воронин|Галкин|Зотов|Ильин|Калинин|Лукин|Мухин|Носов|Осипов|Панин|Рыбаков|Сорокин|Титов|Устинов
    Филатов|Хохлов|Чистяков|Шилов|Юдин|Ястребов|Блинов|Голубев|Данилов|Ефимов|Журавлев|Злобин|Исаев
    Киселев|Лапин|Некрасов|Одинцов|Поляков|Рогов|Субботин|Трофимов|Ушаков|Федотов|Худяков|Широков
""")
MALE_GIVEN = _split("Алексей|Андрей|Борис|Виктор|Георгий|Дмитрий|Евгений|Игорь|Константин|Леонид|Максим|"
                    "Николай|Олег|Павел|Роман|Сергей|Тимур|Фёдор|Юрий|Ярослав")
FEMALE_GIVEN = _split("Анна|Вера|Галина|Дарья|Елена|Ирина|Ксения|Людмила|Марина|Наталья|Ольга|Светлана|"
                      "Татьяна|Юлия")
FATHERS = _split("Алексеев|Андреев|Борисов|Викторов|Николаев|Сергеев|Павлов|Петров|Иванов|Михайлов")
# Authors of the articles and of the references (not in the registry).
AUTHOR_NAMES = {
    "ru": _split("Айгерим Нурланова|Данияр Есенов|Мадина Жакупова|Ербол Сапаров|Асель Тулегенова|Руслан Ахметов|"
                 "Жанар Искакова|Бахыт Омаров|Гульнара Сейткали|Арман Кенжебаев|Самал Ибраева|Тимур Абилов"),
    "kk": _split("Әлия Бекмұратова|Нұрлан Әбдіқадыров|Ғалым Сүлейменов|Айжан Құлмағамбетова"),
    "az": _split("Günel Əsgərova|Elçin Məmmədov|Leyla Həsənova|Rəşad Quliyev|Nigar Hüseynova"),
    "en": _split("Daniel Harper|Sarah Whitfield|Jonathan Reid|Emma Lindqvist|Michael Grant"),
}

TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
TRANSLIT.update(zip("әғқңөұүһіəğıöüşç", "agqnouuhiegiousc"))


def translit(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in TRANSLIT:
            latin = TRANSLIT[low]
            out.append(latin.capitalize() if ch != low else latin)
        else:
            out.append(ch)
    return "".join(out)


@dataclass
class Person:
    id: str
    surname: str     # nominative, as registered (Петрова for a woman)
    given: str
    patronymic: str
    female: bool

    @property
    def initials(self) -> str:
        return f"{self.given[0]}. {self.patronymic[0]}."

    def forms(self) -> dict[str, str]:
        s = self.surname
        if self.female:  # Петрова: Петровой, Петрову
            oblique = s[:-1] + "ой"
            return {"nom": s, "gen": oblique, "dat": oblique, "acc": s[:-1] + "у", "ins": oblique, "prep": oblique}
        return {"nom": s, "gen": s + "а", "dat": s + "у", "acc": s + "а", "ins": s + "ым", "prep": s + "е"}

    @property
    def latin(self) -> str:
        return translit(self.surname)


def make_people(rng: random.Random, count: int) -> list[Person]:
    surnames = list(SURNAMES)
    rng.shuffle(surnames)
    people = []
    for n, surname in enumerate(surnames[:count]):
        female = n % 3 == 2
        father = rng.choice(FATHERS)
        if female:
            given, patronymic, surname = rng.choice(FEMALE_GIVEN), father + "на", surname + "а"
        else:
            given, patronymic = rng.choice(MALE_GIVEN), father + "ич"
        people.append(Person(translit(surname).lower().replace("'", ""), surname, given, patronymic, female))
    return people


def people_yaml(people: list[Person]) -> str:
    notes = ["экономист", "политолог", "историк", "специалист по логистике", "исследователь энергетики",
             "юрист-международник", "востоковед", "социолог"]
    lines = ["# The registry of people of the generated benchmark volume (benchmarks/generate.py).", ""]
    for n, p in enumerate(people):
        lines += [f"- id: {p.id}",
                  f"  heading: {p.surname}, {p.given} {p.patronymic}",
                  "  forms:",
                  f"    - {p.latin}, {translit(p.given)}",
                  f"  note: {notes[n % len(notes)]}",
                  f"  gender: {'female' if p.female else 'male'}",
                  ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------------------------

PUBLISHERS = {
    "ru": [("Евразийский горизонт", "Астана"), ("Восточный путь", "Москва"), ("Наука", "Алматы")],
    "kk": [("Қазақ университеті", "Алматы"), ("Фолиант", "Астана")],
    "az": [("Elm", "Bakı"), ("Qanun", "Bakı")],
    "en": [("Routledge", "London"), ("Palgrave Macmillan", "Cham"), ("Oxford University Press", "Oxford")],
}
JOURNALS = {
    "ru": ["Евразийский экономический обзор", "Вестник каспийских исследований", "Центральная Азия и Кавказ"],
    "kk": ["Қазақстан-Спектр", "Әл-Фараби атындағы ҚазҰУ хабаршысы"],
    "az": ["Beynəlxalq münasibətlər jurnalı", "Xəzər araşdırmaları"],
    "en": ["Central Asian Survey", "Caspian Affairs", "Journal of Eurasian Studies"],
}
LOCALES = {"ru": "ru-RU", "kk": "kk-KZ", "az": "az-Latn-AZ", "en": "en-US"}


def make_references(rng: random.Random, count: int, people: list[Person]) -> list[dict]:
    refs = []
    used = set()
    for n in range(count):
        lang = rng.choices(["ru", "kk", "az", "en"], [60, 12, 12, 16])[0]
        if lang == "ru" and rng.random() < 0.4:
            p = rng.choice(people)
            author = {"family": p.surname, "given": f"{p.given} {p.patronymic}"}
        else:
            given, family = rng.choice(AUTHOR_NAMES[lang]).rsplit(" ", 1)
            author = {"family": family, "given": given}
        year = rng.randint(2005, 2024)
        base = translit(author["family"]).lower()
        base = "".join(c for c in base if c.isascii() and c.isalnum()) or "ref"
        key = f"{base}{year}"
        suffix = 0
        while key in used:
            suffix += 1
            key = f"{base}{year}{chr(96 + suffix)}"
        used.add(key)
        pool = POOLS[lang]
        title = f"{rng.choice(pool['title_a'])}: {rng.choice(pool['title_b'])}"
        kind = rng.choices(["book", "article-journal", "chapter", "webpage"], [35, 35, 15, 15])[0]
        item = {"id": key, "type": kind, "language": LOCALES[lang], "author": [author], "title": title,
                "issued": {"date-parts": [[year]]}}
        if kind == "book":
            publisher, place = rng.choice(PUBLISHERS[lang])
            item.update({"publisher": publisher, "publisher-place": place,
                         "number-of-pages": str(rng.randint(120, 480))})
        elif kind == "article-journal":
            first = rng.randint(5, 180)
            item.update({"container-title": rng.choice(JOURNALS[lang]), "volume": str(rng.randint(1, 30)),
                         "issue": str(rng.randint(1, 4)), "page": f"{first}-{first + rng.randint(8, 24)}"})
        elif kind == "chapter":
            publisher, place = rng.choice(PUBLISHERS[lang])
            first = rng.randint(5, 300)
            given, family = rng.choice(AUTHOR_NAMES[lang]).rsplit(" ", 1)
            item.update({"container-title": f"{rng.choice(pool['title_a'])}: {rng.choice(pool['title_b'])}",
                         "editor": [{"family": family, "given": given}], "publisher": publisher,
                         "publisher-place": place, "page": f"{first}-{first + rng.randint(10, 30)}"})
        else:
            item.update({"container-title": rng.choice(JOURNALS[lang]),
                         "URL": f"https://example.org/{key}",
                         "accessed": {"date-parts": [[2024, rng.randint(1, 12), rng.randint(1, 28)]]}})
        refs.append(item)
    return refs


# --------------------------------------------------------------------------------------------
# Prose
# --------------------------------------------------------------------------------------------


def _bare(phrase: str) -> str:
    return phrase.lstrip("!")


def _after_opener(phrase: str) -> str:
    """The phrase inside a sentence: lower-cased unless it is a name (Organization … keeps its capital)."""
    if phrase.startswith("!The "):
        return "the " + phrase[5:]
    return phrase[1:] if phrase.startswith("!") else phrase[0].lower() + phrase[1:]


class Writer:
    """Sentences and paragraphs in one language, drawing on the shared citation and people queues."""

    def __init__(self, rng: random.Random, lang: str, cite_queue: "Queue", people_queue: "Queue"):
        self.rng = rng
        self.lang = lang
        self.pool = POOLS[lang]
        self.cites = cite_queue
        self.people = people_queue
        self.words = 0

    def clause(self) -> str:
        p, rng = self.pool, self.rng
        subject = _after_opener(rng.choice(p["subjects"]))
        text = f"{subject} {rng.choice(p['predicates'])}"
        if rng.random() < 0.5:
            text += f" {rng.choice(p['adverbials'])}"
        return text

    def sentence(self) -> str:
        p, rng = self.pool, self.rng
        subject = rng.choice(p["subjects"])
        if rng.random() < 0.35:
            head = f"{rng.choice(p['openers'])} {_after_opener(subject)}"
        else:
            head = _bare(subject)
        if self.lang in ("kk", "az") and rng.random() < 0.5:  # verb-final languages: adverbial first
            head = f"{rng.choice(p['adverbials']).capitalize()} {_after_opener(subject)}"
            text = f"{head} {rng.choice(p['predicates'])}"
        else:
            text = f"{head} {rng.choice(p['predicates'])}"
            if rng.random() < 0.6:
                text += f" {rng.choice(p['adverbials'])}"
        if rng.random() < 0.3:
            text += f"{rng.choice(p['joins'])}{self.clause()}"
        return text + "."

    def person_sentence(self) -> str:
        person: Person = self.people.next()
        rng, f = self.rng, person.forms()
        if self.lang == "ru":
            o = "об" if f["prep"][0] in "АОУЭИЫ" else "о"
            gen_mark = f"[{f['gen']}]{{.person ref={person.id}}}" if not person.female else f["gen"]
            acc_mark = f"[{f['acc']}]{{.person ref={person.id}}}" if not person.female else f["acc"]
            templates = [
                f"{f['nom']} отмечает, что {self.clause()}.",
                f"По мнению {person.initials} {f['gen']}, {self.clause()}.",
                f"Как подчёркивает {person.initials} {f['nom']}, {self.clause()}.",
                f"{f['dat']} принадлежит мысль о том, что {self.clause()}.",
                f"С {f['ins']} трудно не согласиться: {self.clause()}.",
                f"В спорах {o} {f['prep']} часто забывают, что {self.clause()}.",
                f"Подход {gen_mark} {rng.choice(self.pool['predicates'])}.",
                f"Исследователи, цитирующие {acc_mark}, признают, что {self.clause()}.",
                f"{person.given} {f['nom']} считает, что {self.clause()}.",
            ]
        elif self.lang == "kk":
            templates = [
                f"Зерттеуші {f['nom']} атап өткендей, {self.clause()}.",
                f"{person.initials} {f['nom']} бұл мәселеге ерекше назар аударады.",
                f"Сарапшы {f['nom']} {self.clause()} деп есептейді.",
            ]
        elif self.lang == "az":
            latin = person.latin
            templates = [
                f"{latin} qeyd edir ki, {self.clause()}.",
                f"{translit(person.given)[0]}. {latin} hesab edir ki, {self.clause()}.",
            ]
        else:
            latin = person.latin
            templates = [
                f"As {latin} notes, {self.clause()}.",
                f"{translit(person.given)[0]}. {latin} argues that {self.clause()}.",
                f"{latin}'s analysis suggests that {self.clause()}.",
            ]
        return rng.choice(templates)

    def citation(self) -> str:
        rng = self.rng
        key = self.cites.next()
        roll = rng.random()
        if roll < 0.7:
            return f" [@{key}, {self.pool['locator']} {rng.randint(3, 240)}]"
        if roll < 0.85:
            return f" [@{key}; @{self.cites.next()}]"
        if roll < 0.93:
            return f" [{self.pool['see']} @{key}]"
        return f" [-@{key}]"

    def paragraph(self, calls: list[int], footnote_budget: int) -> str:
        """A paragraph of 4–7 sentences; a footnote call is written as NOTE and numbered later."""
        rng = self.rng
        sentences = []
        for _ in range(rng.randint(4, 7)):
            s = self.person_sentence() if rng.random() < 0.22 else self.sentence()
            if rng.random() < 0.09:
                s = s[:-1] + self.citation() + "."
            if len(calls) < footnote_budget and rng.random() < 0.12:
                calls.append(1)
                s = s[:-1] + NOTE + "."
            sentences.append(s)
        text = " ".join(sentences)
        self.words += len(text.split())
        return text

    def footnote(self) -> str:
        if self.rng.random() < 0.4:
            return f"{self.sentence()[:-1]}{self.citation()}."
        return self.sentence()

    def table(self) -> str:
        rng, p = self.rng, self.pool
        years = sorted(rng.sample(range(2016, 2025), 3))
        rows = rng.sample(p["table_rows"], min(len(p["table_rows"]), rng.randint(3, 5)))
        decimal = "." if self.lang == "en" else ","
        lines = [p["table_intro"], "", f"| {p['table_head']} | " + " | ".join(map(str, years)) + " |",
                 "|---|" + "--:|" * len(years)]
        for row in rows:
            values = [f"{rng.uniform(1, 900):.1f}".replace(".", decimal) for _ in years]
            lines.append(f"| {row} | " + " | ".join(values) + " |")
        self.words += 6 * len(rows)
        return "\n".join(lines)


class Queue:
    """Items in a shuffled order, each used once before any repeats; then random picks."""

    def __init__(self, rng: random.Random, items: list):
        self.rng = rng
        self.items = list(items)
        self.order = list(items)
        rng.shuffle(self.order)

    def next(self):
        if self.order:
            return self.order.pop()
        return self.rng.choice(self.items)


def wrap(text: str, width: int = 100) -> str:
    """Hard-wrap a paragraph, as people write Markdown (and so that `path:line` means something)."""
    lines, line = [], ""
    text = text.replace(" ref=", "\0ref=")  # never break inside an attribute span's braces
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines).replace("\0", " ")


def yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def article_text(rng: random.Random, article_id: str, lang: str, words: int, cites: Queue, people: Queue,
                 with_table: bool, date: str, title: str | None = None) -> str:
    w = Writer(rng, lang, cites, people)
    pool = POOLS[lang]
    authors = rng.sample(AUTHOR_NAMES[lang], rng.choice([1, 1, 1, 2]))
    title_a = rng.choice(pool["title_a"])
    title = title or f"{title_a}: {rng.choice(pool['title_b'])}"
    clause = w.clause()
    if lang in ("kk", "az"):  # a sentence of its own
        clause = clause[0].upper() + clause[1:]
    topic = title_a.lower() if lang == "en" else title_a
    abstract = pool["abstract"].format(a=topic, b=clause)
    keywords = rng.sample(pool["keywords"], 4)
    front = ["---", f"title: {yaml_str(title)}", "authors:"]
    for name in authors:
        front += [f"  - name: {name}", f"    affiliation: {yaml_str(rng.choice(pool['affiliations']))}"]
    if lang != "ru":
        front.append(f"lang: {lang}")
    front += [f"abstract: {yaml_str(abstract)}",
              "keywords: [" + ", ".join(yaml_str(k) for k in keywords) + "]",
              f"date: {date}", f"id: {article_id}", "---", ""]
    budget = rng.randint(3, 6)
    calls: list[int] = []
    paragraphs: list[str] = []
    while w.words < words:
        paragraphs.append(w.paragraph(calls, budget))
    while len(calls) < budget:  # the footnotes the prose did not place: at the end of paragraphs
        n = rng.randrange(len(paragraphs))
        paragraphs[n] = paragraphs[n][:-1] + NOTE + "."
        calls.append(1)
    headings = rng.sample(pool["headings"], min(len(pool["headings"]), 4))
    blocks: list[str] = []
    for n, paragraph in enumerate(paragraphs):
        if n and n % 2 == 0 and n // 2 <= len(headings):
            blocks.append(f"## {headings[n // 2 - 1]}")
            if n == 2 and with_table:
                blocks.append(w.table())
        blocks.append(wrap(paragraph))
    body = "\n\n".join(blocks)
    numbered = 0

    def number(_match) -> str:
        nonlocal numbered
        numbered += 1
        return f"[^{numbered}]"

    body = re.sub(re.escape(NOTE), number, body)
    defs = "\n\n".join(wrap(f"[^{n}]: {w.footnote()}") for n in range(1, numbered + 1))
    return "\n".join(front) + "\n" + body + "\n\n" + defs + "\n"


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def isbn13(stem12: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(stem12))
    check = (10 - total % 10) % 10
    return f"{stem12[:3]}-{stem12[3:6]}-{stem12[6:10]}-{stem12[10:12]}-{check}"


def generate(out: Path, chapters: int, per_chapter: int, seed: int = 1, words: int = DEFAULT_WORDS,
             people_count: int = 60, references_count: int = 150) -> dict:
    """Write the volume into `out` (which is emptied first); returns a summary."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "chapters").mkdir(parents=True)
    people = make_people(rng, people_count)
    refs = make_references(rng, references_count, people)
    (out / "people.yaml").write_text(people_yaml(people), encoding="utf-8")
    (out / "references.json").write_text(json.dumps(refs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    cites = Queue(rng, [r["id"] for r in refs])
    mentions = Queue(rng, people)

    langs = [lang for lang, _ in LANG_WEIGHTS]
    weights = [weight for _, weight in LANG_WEIGHTS]
    part_count = min(chapters, max(2, round(chapters / 8)))
    per_part = [chapters // part_count + (1 if i < chapters % part_count else 0) for i in range(part_count)]
    manifest_parts = []
    counts = {lang: 0 for lang in langs}
    number = 0
    chapter_no = 0
    total_words = 0
    for part_no, in_part in enumerate(per_part, 1):
        part_chapters = []
        for _ in range(in_part):
            chapter_no += 1
            files = []
            for article_no in range(1, per_chapter + 1):
                number += 1
                lang = rng.choices(langs, weights)[0]
                counts[lang] += 1
                article_id = f"a{chapter_no:02d}-{article_no:02d}"
                name = f"chapters/{chapter_no:02d}-{article_no:02d}.md"
                date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                text = article_text(rng, article_id, lang, words, cites, mentions, rng.random() < 0.35, date)
                total_words += len(text.split())
                (out / name).write_text(text, encoding="utf-8")
                files.append(name)
            topic = rng.choice(POOLS["ru"]["title_a"])
            part_chapters.append({"title": f"Глава {chapter_no}. {topic}", "articles": files})
        manifest_parts.append({"title": f"Часть {ROMAN[(part_no - 1) % len(ROMAN)]}. "
                                        f"{rng.choice(POOLS['ru']['title_a'])} и {_after_opener(rng.choice(POOLS['ru']['title_a']))}",
                               "chapters": part_chapters})

    preface = article_text(rng, "preface", "ru", words // 2, cites, mentions, False, "2024-06-01",
                           title="От составителей")
    (out / "chapters" / "preface.md").write_text(preface, encoding="utf-8")

    manifest = [
        "# A generated benchmark volume (benchmarks/generate.py); do not edit by hand.",
        'title: "Каспийский мост: большой сборник"',
        "subtitle: Сборник аналитических материалов (корпус для замеров)",
        "lang: ru",
        f"slug: bench-{chapters}x{per_chapter}",
        "date: 2024-06-01",
        "editors:",
        "  - name: Айгерим Нурланова",
        "    role: compiler",
        "  - name: Ербол Сапаров",
        "    role: editor-in-chief",
        "publisher: Издательство «Евразийский горизонт»",
        "place: Астана",
        "year: 2024",
        "identifiers:",
        f"  isbn_print: {isbn13('978601789%03d' % (seed % 1000))}",
        f"  uuid: urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'anthology-bench/{seed}/{chapters}/{per_chapter}')}",
        "rights: © Авторы, 2024",
        "description: Синтетический сборник для проверки скорости и памяти сборки.",
        "keywords: [Каспий, транзит, энергетика]",
        "people: people.yaml",
        "references: [references.json]",
        "page_size: A5",
        "",
        "front:",
        "  - chapters/preface.md",
        "",
        "parts:",
    ]
    for part in manifest_parts:
        manifest += [f"  - title: {yaml_str(part['title'])}", "    chapters:"]
        for chapter in part["chapters"]:
            manifest += [f"      - title: {yaml_str(chapter['title'])}", "        articles:"]
            manifest += [f"          - {name}" for name in chapter["articles"]]
    (out / "anthology.yaml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return {"articles": number, "chapters": chapters, "parts": part_count, "languages": counts,
            "words": total_words, "people": len(people), "references": len(refs)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--chapters", type=int, default=40)
    parser.add_argument("--articles-per-chapter", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS,
                        help=f"words of running text per article (default {DEFAULT_WORDS}: about 3 A5 pages)")
    args = parser.parse_args(argv)
    summary = generate(args.out_dir, args.chapters, args.articles_per_chapter, args.seed, args.words)
    print(f"{args.out_dir}: {summary['articles']} articles in {summary['chapters']} chapters, "
          f"{summary['parts']} parts; {summary['words']} words; languages {summary['languages']}; "
          f"{summary['people']} people, {summary['references']} references")


if __name__ == "__main__":
    main()
