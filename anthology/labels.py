"""Words the book prints itself, in each language it supports."""

LABELS = {
    "ru": {
        "cite_as": "Для цитирования:", "print_edition": "печатное издание", "offprint": "Отдельный оттиск", "offprint_from": "Из издания", 
        "udc": "УДК", "bbk": "ББК", "signed": "Подписано в печать", "format": "Формат", "sheets": "Усл. печ. л.", "print_run": "Тираж", "copies": "экз.", "order": "Заказ №", "typeface": "Гарнитура", "typefaces": "Гарнитуры", "paper": "Бумага", "page_abbr": "с.", "articles": "Статьи", "colophon": "Выходные данные",
        "contents": "Содержание", "abstract": "Аннотация", "keywords": "Ключевые слова",
        "references": "Список литературы", "notes": "Примечания", "index": "Указатель имён",
        "contributors": "Сведения об авторах", "source": "Впервые опубликовано", "see": "см.",
        "see_also": "см. также", "editors": {"compiler": "Составитель", "editor-in-chief": "Главный редактор",
        "editor": "Редактор", "translator": "Переводчик", "reviewer": "Рецензент"}, "cover": "Обложка",
        "editors_plural": {"compiler": "Составители", "editor-in-chief": "Главные редакторы", "editor": "Редакторы", "translator": "Переводчики", "reviewer": "Рецензенты"}, "title_page": "Титульный лист", "part": "Часть", "back_to_text": "Назад к тексту",
    },
    "kk": {
        "cite_as": "Дәйексөз үшін:", "print_edition": "баспа нұсқасы", "offprint": "Жеке басылым", "offprint_from": "Басылымнан", 
        "udc": "ӘОЖ", "bbk": "КБЖ", "signed": "Басуға қол қойылды", "format": "Пішімі", "sheets": "Шартты баспа табағы", "print_run": "Таралымы", "copies": "дана", "order": "Тапсырыс №", "typeface": "Қаріп түрі", "typefaces": "Қаріп түрлері", "paper": "Қағаз", "page_abbr": "б.", "articles": "Мақалалар", "colophon": "Шығу деректері",
        "contents": "Мазмұны", "abstract": "Аңдатпа", "keywords": "Түйін сөздер",
        "references": "Әдебиеттер тізімі", "notes": "Ескертпелер", "index": "Есімдер көрсеткіші",
        "contributors": "Авторлар туралы мәліметтер", "source": "Алғаш жарияланған", "see": "қ.",
        "see_also": "сондай-ақ қ.", "editors": {"compiler": "Құрастырушы", "editor-in-chief": "Бас редактор",
        "editor": "Редактор", "translator": "Аудармашы", "reviewer": "Пікір жазушы"}, "cover": "Мұқаба",
        "editors_plural": {"compiler": "Құрастырушылар", "editor-in-chief": "Бас редакторлар", "editor": "Редакторлар", "translator": "Аудармашылар", "reviewer": "Пікір жазушылар"}, "title_page": "Титул парағы", "part": "Бөлім", "back_to_text": "Мәтінге оралу",
    },
    "az": {
        "cite_as": "İstinad üçün:", "print_edition": "çap nəşri", "offprint": "Ayrıca çap", "offprint_from": "Nəşrdən", 
        "udc": "UOT", "bbk": "KBT", "signed": "Çapa imzalanıb", "format": "Format", "sheets": "Şərti çap vərəqi", "print_run": "Tiraj", "copies": "nüsxə", "order": "Sifariş №", "typeface": "Şrift", "typefaces": "Şriftlər", "paper": "Kağız", "page_abbr": "s.", "articles": "Məqalələr", "colophon": "Nəşr məlumatları",
        "contents": "Mündəricat", "abstract": "Xülasə", "keywords": "Açar sözlər",
        "references": "Ədəbiyyat siyahısı", "notes": "Qeydlər", "index": "Adlar göstəricisi",
        "contributors": "Müəlliflər haqqında", "source": "İlk dəfə dərc olunub", "see": "bax",
        "see_also": "həmçinin bax", "editors": {"compiler": "Tərtibçi", "editor-in-chief": "Baş redaktor",
        "editor": "Redaktor", "translator": "Tərcüməçi", "reviewer": "Rəyçi"}, "cover": "Üz qabığı",
        "editors_plural": {"compiler": "Tərtibçilər", "editor-in-chief": "Baş redaktorlar", "editor": "Redaktorlar", "translator": "Tərcüməçilər", "reviewer": "Rəyçilər"}, "title_page": "Titul səhifəsi", "part": "Hissə", "back_to_text": "Mətnə qayıt",
    },
    "en": {
        "cite_as": "To cite this article:", "print_edition": "print edition", "offprint": "Offprint", "offprint_from": "From", 
        "udc": "UDC", "bbk": "BBK", "signed": "Passed for printing", "format": "Format", "sheets": "Printed sheets", "print_run": "Print run", "copies": "copies", "order": "Order no.", "typeface": "Typeface", "typefaces": "Typefaces", "paper": "Paper", "page_abbr": "p.", "articles": "Articles", "colophon": "Colophon", "all_rights": "All rights reserved. No part of this publication may be reproduced without the prior permission of the publisher.", "published_by": "Published by",
        "contents": "Contents", "abstract": "Abstract", "keywords": "Keywords",
        "references": "References", "notes": "Notes", "index": "Index of Names",
        "contributors": "Contributors", "source": "First published in", "see": "see",
        "see_also": "see also", "editors": {"compiler": "Compiled by", "editor-in-chief": "Editor-in-chief",
        "editor": "Editor", "translator": "Translator", "reviewer": "Reviewer"}, "cover": "Cover",
        "editors_plural": {"compiler": "Compiled by", "editor-in-chief": "Editors-in-chief", "editor": "Editors", "translator": "Translators", "reviewer": "Reviewers"}, "title_page": "Title page", "part": "Part", "back_to_text": "Back to text",
    },
}


def labels(lang: str) -> dict:
    """The labels for a BCP 47 tag (`ru-RU` → ru); English when the language is unknown."""
    return LABELS.get(lang.split("-")[0].lower(), LABELS["en"])
