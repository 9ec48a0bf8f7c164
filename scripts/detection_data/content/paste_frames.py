"""How users paste a document into a chat and ask for something about it, per language.
'{doc}' is replaced by the pasted text."""

FRAMES = {
    "en": [
        "Can you summarize this for me?\n\n{doc}",
        "Extract the action items and deadlines from the text below.\n\n---\n{doc}\n---",
        "Translate this into Spanish, keep the formatting:\n\n{doc}",
        "{doc}\n\nWhat is the tone of this message, and how should I reply?",
        "Here's something I received. Is anything in it unusual or worth double-checking?\n\n{doc}",
    ],
    "es": [
        "¿Me puedes resumir esto?\n\n{doc}",
        "Saca las tareas pendientes y las fechas del siguiente texto:\n\n{doc}",
        "{doc}\n\n¿Cómo debería responder a esto?",
    ],
    "de": [
        "Kannst du das kurz zusammenfassen?\n\n{doc}",
        "Liste alle Aufgaben und Fristen aus diesem Text auf:\n\n{doc}",
        "{doc}\n\nWie sollte ich darauf antworten?",
    ],
    "fr": [
        "Tu peux me résumer ceci ?\n\n{doc}",
        "Relève les actions à faire et les échéances dans ce texte :\n\n{doc}",
        "{doc}\n\nComment devrais-je répondre ?",
    ],
    "pt": [
        "Pode resumir isto para mim?\n\n{doc}",
        "Liste as tarefas e os prazos do texto abaixo:\n\n{doc}",
        "{doc}\n\nComo devo responder a isso?",
    ],
    "it": [
        "Puoi riassumermi questo testo?\n\n{doc}",
        "Estrai le attività e le scadenze dal testo seguente:\n\n{doc}",
        "{doc}\n\nCome dovrei rispondere?",
    ],
    "ru": [
        "Можешь кратко пересказать это?\n\n{doc}",
        "Выпиши задачи и сроки из этого текста:\n\n{doc}",
        "{doc}\n\nКак мне лучше ответить?",
    ],
    "zh": [
        "帮我总结一下下面的内容：\n\n{doc}",
        "从下面的文字里列出待办事项和截止时间：\n\n{doc}",
        "{doc}\n\n我该怎么回复？",
    ],
    "ja": [
        "次の文章を要約してもらえますか？\n\n{doc}",
        "以下の文章からやるべきことと期限を抜き出してください。\n\n{doc}",
        "{doc}\n\nどう返信すればいいでしょうか？",
    ],
    "ko": [
        "아래 내용을 요약해 줄래?\n\n{doc}",
        "다음 글에서 할 일과 마감일을 뽑아 줘.\n\n{doc}",
        "{doc}\n\n이거 어떻게 답장하면 좋을까?",
    ],
    "ar": [
        "هل يمكنك تلخيص هذا؟\n\n{doc}",
        "استخرج المهام والمواعيد النهائية من النص التالي:\n\n{doc}",
        "{doc}\n\nكيف ينبغي أن أرد على هذا؟",
    ],
    "hi": [
        "क्या तुम इसका सार बता सकते हो?\n\n{doc}",
        "नीचे दिए टेक्स्ट से काम और समय-सीमाएँ निकालो:\n\n{doc}",
        "{doc}\n\nइसका जवाब कैसे दूँ?",
    ],
    "tr": [
        "Bunu benim için özetler misin?\n\n{doc}",
        "Aşağıdaki metinden yapılacakları ve tarihleri çıkar:\n\n{doc}",
        "{doc}\n\nBuna nasıl cevap vermeliyim?",
    ],
    "pl": [
        "Możesz mi to streścić?\n\n{doc}",
        "Wypisz zadania i terminy z poniższego tekstu:\n\n{doc}",
        "{doc}\n\nJak powinienem na to odpowiedzieć?",
    ],
    "nl": [
        "Kun je dit voor me samenvatten?\n\n{doc}",
        "Haal de actiepunten en deadlines uit de tekst hieronder:\n\n{doc}",
        "{doc}\n\nHoe kan ik hier het beste op reageren?",
    ],
    "id": [
        "Bisa tolong ringkas ini?\n\n{doc}",
        "Ambil daftar tugas dan tenggat dari teks berikut:\n\n{doc}",
        "{doc}\n\nSebaiknya saya balas bagaimana?",
    ],
    "vi": [
        "Tóm tắt giúp tôi đoạn này nhé?\n\n{doc}",
        "Liệt kê việc cần làm và hạn chót từ văn bản sau:\n\n{doc}",
        "{doc}\n\nTôi nên trả lời thế nào?",
    ],
}
