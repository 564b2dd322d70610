"""Words the book prints itself, in each language it supports."""

LABELS = {
    "ru": {
        "contents": "Содержание", "abstract": "Аннотация", "keywords": "Ключевые слова",
        "references": "Список литературы", "notes": "Примечания", "index": "Указатель имён",
        "contributors": "Сведения об авторах", "source": "Впервые опубликовано", "see": "см.",
        "see_also": "см. также", "editors": {"compiler": "Составитель", "editor-in-chief": "Главный редактор",
        "editor": "Редактор", "translator": "Переводчик", "reviewer": "Рецензент"}, "cover": "Обложка",
        "title_page": "Титульный лист", "part": "Часть", "back_to_text": "Назад к тексту",
    },
    "kk": {
        "contents": "Мазмұны", "abstract": "Аңдатпа", "keywords": "Түйін сөздер",
        "references": "Әдебиеттер тізімі", "notes": "Ескертпелер", "index": "Есімдер көрсеткіші",
        "contributors": "Авторлар туралы мәліметтер", "source": "Алғаш жарияланған", "see": "қ.",
        "see_also": "сондай-ақ қ.", "editors": {"compiler": "Құрастырушы", "editor-in-chief": "Бас редактор",
        "editor": "Редактор", "translator": "Аудармашы", "reviewer": "Пікір жазушы"}, "cover": "Мұқаба",
        "title_page": "Титул парағы", "part": "Бөлім", "back_to_text": "Мәтінге оралу",
    },
    "az": {
        "contents": "Mündəricat", "abstract": "Xülasə", "keywords": "Açar sözlər",
        "references": "Ədəbiyyat siyahısı", "notes": "Qeydlər", "index": "Adlar göstəricisi",
        "contributors": "Müəlliflər haqqında", "source": "İlk dəfə dərc olunub", "see": "bax",
        "see_also": "həmçinin bax", "editors": {"compiler": "Tərtibçi", "editor-in-chief": "Baş redaktor",
        "editor": "Redaktor", "translator": "Tərcüməçi", "reviewer": "Rəyçi"}, "cover": "Üz qabığı",
        "title_page": "Titul səhifəsi", "part": "Hissə", "back_to_text": "Mətnə qayıt",
    },
    "en": {
        "contents": "Contents", "abstract": "Abstract", "keywords": "Keywords",
        "references": "References", "notes": "Notes", "index": "Index of Names",
        "contributors": "Contributors", "source": "First published in", "see": "see",
        "see_also": "see also", "editors": {"compiler": "Compiled by", "editor-in-chief": "Editor-in-chief",
        "editor": "Editor", "translator": "Translator", "reviewer": "Reviewer"}, "cover": "Cover",
        "title_page": "Title page", "part": "Part", "back_to_text": "Back to text",
    },
}


def labels(lang: str) -> dict:
    """The labels for a BCP 47 tag (`ru-RU` → ru); English when the language is unknown."""
    return LABELS.get(lang.split("-")[0].lower(), LABELS["en"])
