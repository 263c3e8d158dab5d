"""Acknowledgement templates: the instant "we've got you" reply a rule can send, in the
customer's language and the brand's warm, informal voice.

An acknowledgement never repeats what the customer wrote and never asks for card numbers
or other personal data in public; account matters move to private messages. `{name}` is
the customer's display name (or handle), the only variable, cut to 40 characters.
"""

from __future__ import annotations

from functools import cache

# template -> language -> text. English is the fallback for a language a template lacks.
BUILT_IN: dict[str, dict[str, str]] = {
    "received": {
        "en": "Hey {name}, thanks for reaching out! We're on it and will get back to you very soon.",
        "es": "¡Hola {name}! Gracias por escribirnos. Ya estamos en ello y te respondemos muy pronto.",
        "pt": "Oi {name}! Obrigado por falar com a gente. Já estamos vendo e respondemos rapidinho.",
        "fr": "Salut {name}, merci de nous avoir écrit ! On s'en occupe et on revient vers toi très vite.",
        "de": "Hey {name}, danke für deine Nachricht! Wir kümmern uns darum und melden uns gleich.",
        "it": "Ciao {name}, grazie per averci scritto! Ci stiamo lavorando e ti rispondiamo a breve.",
        "ar": "أهلاً {name}، شكراً لتواصلك معنا! نحن نعمل على طلبك وسنرد عليك قريباً جداً.",
        "hi": "नमस्ते {name}, हमसे संपर्क करने के लिए धन्यवाद! हम इस पर काम कर रहे हैं और जल्द ही जवाब देंगे।",
        "ru": "Привет, {name}! Спасибо, что написали. Мы уже разбираемся и скоро ответим.",
        "tr": "Merhaba {name}, bize yazdığın için teşekkürler! Hemen ilgileniyoruz, çok yakında dönüş yapacağız.",
        "zh": "{name}你好，感谢联系我们！我们正在处理，很快回复你。",
        "id": "Hai {name}, makasih sudah menghubungi kami! Kami sedang menanganinya dan akan segera membalas.",
    },
    "move_to_dm": {
        "en": "Hey {name}, so sorry about this! Please send us a DM so we can look at your account safely. Never share card details here.",
        "es": "¡Hola {name}, lo sentimos mucho! Escríbenos por mensaje privado para revisar tu cuenta de forma segura. Nunca compartas datos de tu tarjeta aquí.",
        "pt": "Oi {name}, sentimos muito! Manda uma DM pra gente verificar sua conta com segurança. Nunca compartilhe dados do cartão aqui.",
        "fr": "Salut {name}, désolés pour ça ! Envoie-nous un message privé pour qu'on regarde ton compte en toute sécurité. Ne partage jamais tes données de carte ici.",
        "de": "Hey {name}, das tut uns leid! Schick uns eine DM, damit wir dein Konto sicher prüfen können. Teile hier nie Kartendaten.",
        "it": "Ciao {name}, ci dispiace tanto! Scrivici in privato così controlliamo il tuo conto in sicurezza. Non condividere mai qui i dati della carta.",
        "ar": "أهلاً {name}، نأسف لذلك! أرسل لنا رسالة خاصة لنراجع حسابك بأمان. لا تشارك بيانات بطاقتك هنا أبداً.",
        "hi": "नमस्ते {name}, हमें खेद है! कृपया हमें DM करें ताकि हम आपका खाता सुरक्षित रूप से देख सकें। यहाँ कभी कार्ड की जानकारी साझा न करें।",
        "ru": "Привет, {name}, нам очень жаль! Напишите нам в личные сообщения, чтобы мы безопасно проверили ваш счёт. Никогда не публикуйте здесь данные карты.",
        "tr": "Merhaba {name}, çok üzgünüz! Hesabını güvenle inceleyebilmemiz için bize DM at. Kart bilgilerini burada asla paylaşma.",
        "zh": "{name}你好，非常抱歉！请私信我们，以便安全地查看你的账户。请勿在此公开银行卡信息。",
        "id": "Hai {name}, maaf banget! Kirim DM ke kami ya supaya akun kamu bisa kami cek dengan aman. Jangan pernah bagikan data kartu di sini.",
    },
}


class AckTemplates:
    def __init__(self, templates: dict[str, dict[str, str]]) -> None:
        self._templates = templates

    @classmethod
    @cache
    def default(cls) -> AckTemplates:
        return cls(BUILT_IN)

    def __contains__(self, name: object) -> bool:
        return name in self._templates

    def names(self) -> list[str]:
        return sorted(self._templates)

    def render(self, name: str, lang: str, customer: str) -> tuple[str, str]:
        """(the language used, the text): the post's language, else English."""
        texts = self._templates[name]
        used = lang if lang in texts else "en"
        safe = " ".join(customer.split())[:40] or "there"
        return used, texts[used].replace("{name}", safe)
