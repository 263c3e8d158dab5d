"""The shipped models load from the installed package and get clear cases right."""

from __future__ import annotations

import pytest

from rapport.nlp.complaint import ComplaintModel
from rapport.nlp.features import featurise
from rapport.nlp.language import LanguageDetector
from rapport.nlp.models import MODEL_DIR, MODEL_FILES, SHIPPED, load_english_sentiment, load_head
from rapport.nlp.sentiment import SentimentModel

AWKWARD = ["", "🔥🔥🔥😡", "x" * 10_000, "caf\udcff broken \x00 surrogate", "@a #b https://c.d/e"]


def test_at_least_fifty_languages_can_be_named() -> None:
    assert len(LanguageDetector().languages()) >= 50


def test_every_model_ships_inside_the_package_and_all_are_small() -> None:
    total = 0
    for name in SHIPPED:
        head = load_head(name)
        assert head.classes
    assert load_english_sentiment().classes == ("negative", "neutral", "positive")
    for name in MODEL_FILES:
        total += (MODEL_DIR / f"{name}.npz").stat().st_size
    assert total < 50_000_000
    assert (MODEL_DIR / "sentiment_en.npz").stat().st_size < 10_000_000


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("My card was stolen yesterday and the app will not let me freeze it", "en"),
        ("Me robaron la tarjeta ayer y la aplicación no me deja bloquearla", "es"),
        ("Meine Karte wurde gestern gestohlen und die App lässt mich sie nicht sperren", "de"),
        ("On m'a volé ma carte hier et l'application ne me laisse pas la bloquer", "fr"),
        ("Mi hanno rubato la carta ieri e l'app non mi fa bloccarla", "it"),
        ("Roubaram meu cartão ontem e o aplicativo não deixa bloquear", "pt"),
        ("Мою карту вчера украли, и приложение не даёт её заблокировать", "ru"),
        ("Kartım dün çalındı ve uygulama onu dondurmama izin vermiyor", "tr"),
        ("سرقت بطاقتي أمس والتطبيق لا يسمح لي بإيقافها", "ar"),
        ("yaar mera card kal chori ho gaya aur app block nahi karne de raha", "hi"),
        ("मेरा कार्ड कल चोरी हो गया और ऐप ब्लॉक नहीं करने दे रहा", "hi"),
        ("Kartu saya dicuri kemarin dan aplikasinya tidak bisa memblokir", "id"),
        ("我的卡昨天被偷了，应用程序不让我冻结它", "zh"),
        ("昨日カードを盗まれて、アプリで止められません", "ja"),
        ("어제 카드를 도난당했는데 앱에서 정지가 안 돼요", "ko"),
        ("Mijn kaart is gisteren gestolen en de app laat me hem niet blokkeren", "nl"),
        ("Wczoraj ukradziono mi kartę i aplikacja nie pozwala jej zablokować", "pl"),
        ("บัตรของฉันถูกขโมยเมื่อวานและแอปไม่ให้ฉันอายัด", "th"),
        ("Моя картка вчора була вкрадена, і додаток не дає її заблокувати", "uk"),
        ("@NovaCardHelp #ajuda https://t.co/abc meu cartão foi roubado ontem", "pt"),
        # Languages Rapport has no tweets for: letters, then py3langid among neighbours.
        ("Včera mi ukradli kartu a aplikace mi ji nedovolí zablokovat, co mám dělat?", "cs"),
        ("Mi-a fost furat cardul ieri și aplicația nu mă lasă să îl blochez", "ro"),
        ("Thẻ của tôi bị đánh cắp hôm qua và ứng dụng không cho tôi khóa nó", "vi"),
        ("کارت من دیروز دزدیده شد و برنامه اجازه نمی دهد آن را مسدود کنم", "fa"),
        ("میرا کارڈ کل چوری ہو گیا اور ایپ مجھے اسے بلاک کرنے نہیں دے رہی", "ur"),
        ("Mit kort blev stjålet i går, og appen lader mig ikke spærre det", "da"),
        ("Korttini varastettiin eilen eikä sovellus anna minun estää sitä", "fi"),
        ("Ninakaw ang card ko kahapon at hindi ako pinapayagan ng app na i-block ito", "tl"),
        ("Μου έκλεψαν την κάρτα χθες και η εφαρμογή δεν με αφήνει να την μπλοκάρω", "el"),
        ("הכרטיס שלי נגנב אתמול והאפליקציה לא נותנת לי לחסום אותו", "he"),
        # Latin brand names and hashtags inside another script do not decide the language.
        ("今月NovaCardでローソン使うと10%還元 #NovaCardRewards ✨", "ja"),
        ("NovaCard Platinum #NovaCardRewards عرض رائع هذا الشهر", "ar"),
    ],
)
def test_language_of_clear_posts(text: str, lang: str) -> None:
    found = LanguageDetector().detect(text)
    assert found.label == lang
    assert 0.0 < found.score <= 1.0


@pytest.mark.parametrize("text", ["", "👍", "@bob #ok", "https://t.co/x 12345"])
def test_too_little_text_is_und(text: str) -> None:
    assert LanguageDetector().detect(text).label == "und"


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("I love this card, the support team was amazing and so quick!", "en", "positive"),
        ("Worst bank ever. Charged twice and nobody answers. Furious.", "en", "negative"),
        ("¡Me encanta esta tarjeta, el servicio es excelente!", "es", "positive"),
        ("Servicio pésimo, llevo una semana esperando y nadie responde", "es", "negative"),
        ("Adoro esse cartão, atendimento excelente!", "pt", "positive"),
        ("Service nul, toujours aucune réponse après deux semaines, honteux", "fr", "negative"),
        ("Super Service, vielen Dank für die schnelle Hilfe!", "de", "positive"),
        ("Servizio pessimo, una vergogna, nessuno risponde", "it", "negative"),
        ("Отличный сервис, спасибо большое!", "ru", "positive"),
        ("Berbat bir hizmet, rezalet, kimse cevap vermiyor", "tr", "negative"),
        ("خدمة ممتازة شكرا جزيلا", "ar", "positive"),
        ("Pelayanannya sangat buruk, saya kecewa sekali", "id", "negative"),
        ("服务太差了，非常失望", "zh", "negative"),
    ],
)
def test_sentiment_of_clear_posts(text: str, lang: str, label: str) -> None:
    [found] = SentimentModel().predict([text], [lang])
    assert found.label == label
    assert 1 / 3 < found.score <= 1.0


def test_models_survive_awkward_input() -> None:
    features = featurise(AWKWARD)
    langs = [label.label for label in LanguageDetector().detect_batch(AWKWARD, features)]
    sentiments = SentimentModel().predict(AWKWARD, langs, features)
    complaints = ComplaintModel().predict(features, langs, sentiments, [{}] * len(AWKWARD))
    assert len(langs) == len(sentiments) == len(complaints) == len(AWKWARD)
    for label in [*sentiments, *complaints]:
        assert 0.0 <= label.score <= 1.0


def test_probabilities_are_calibrated_on_a_scale_not_always_certain() -> None:
    texts = ["ok", "thanks", "I guess it is fine", "meh", "hmm, the card arrived"]
    scores = [s.score for s in SentimentModel().predict(texts, ["en"] * len(texts))]
    assert min(scores) < 0.9


def test_the_fallback_identifier_is_loaded_once_and_restricted_per_language_set() -> None:
    detector = LanguageDetector()
    nordic = detector._fallback("da", ("da", "no", "sv"))
    slavic = detector._fallback("cyrillic", ("bg", "ru", "uk"))

    # Half a second and tens of megabytes per load: every set shares the one loaded model.
    assert nordic.identifier._full_model[0] is slavic.identifier._full_model[0]
    assert sorted(nordic.identifier.nb_classes) == ["da", "no", "sv"]
    assert sorted(slavic.identifier.nb_classes) == ["bg", "ru", "uk"]
    assert nordic.classify(["jeg er så glad for min nye bil i dag"])[0][0] == "da"
    assert slavic.classify(["сегодня я очень рад своей новой машине"])[0][0] == "ru"
    assert detector._fallback("da", ("da", "no", "sv")) is nordic
