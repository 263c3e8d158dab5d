# One template per line reads better than wrapped string fragments.
# ruff: noqa: E501
"""Post templates for pl, ru, tr, ar, hi (Devanagari and Hinglish), id, zh, ja and ko (data only).

Slots are chosen so no grammar has to agree with them: Polish and Russian case endings,
Turkish vowel harmony and Korean particles are baked into the slot values (see `phrases`),
or the sentence is built so the slot stands alone.
"""

from __future__ import annotations

from rapport.demo.phrases_west import Book

PL: Book = {
    "complaint": (
        "{care} znowu odrzucona karta w {merchant}. zakupy za {amount} i kolejka za mną {mad}",
        "czemu {brand} pobrał mi {amount} opłaty?? nigdy się na to nie zgadzałem",
        "{mins} minut na infolinii {brand}. serio? {mad}",
        "apka {brand} ciągle mnie wylogowuje, nie mogę nawet sprawdzić salda",
        "podwójnie pobrane {amount} w {merchant}. {care} proszę o zwrot",
    ),
    "praise": (
        "muszę pochwalić {care}, zwrot {amount} w 2 dni {yay}",
        "bardzo miła pani z infolinii {brand}, wszystko załatwione w 5 minut {yay}",
    ),
    "question": (
        "{care} ile się czeka na nową kartę? zamówiona {n} dni temu",
        "lecę do {abroad} w przyszłym miesiącu, trzeba coś zgłaszać w {brand}?",
        "jak zmienić PIN? nie mogę znaleźć w aplikacji {meh}",
    ),
    "lost": (
        "{care} ukradli mi portfel w tramwaju, jak zastrzec kartę??",
        "zgubiłam kartę {when}, zablokowana w apce, co dalej? {meh}",
    ),
    "fraud": (
        "{care} mam transakcję na {amount} w {merchant}, której nie robiłem. oszustwo??",
        "dostałem SMS, że karta {brand} jest zablokowana i mam wejść na {phish}. to scam, prawda? 🚩",
    ),
    "promo": ("{pct}% cashbacku w {merchant} w tym miesiącu z {brand} {rewards}",),
    "outage": (
        "{brand} leży?? karta odrzucona, apka nie działa {down}",
        "{down} nie mogę za NIC zapłacić, stoję przy kasie {mad}",
        "{care} wszystkie płatności odrzucane, jest jakaś awaria? {down}",
        "w {city} też {down}",
    ),
    "followup": (
        "{care} jakieś wieści? dalej czekam",
        "wysłałem DM, numer zgłoszenia {ref}",
        "załatwione, dzięki! {yay}",
    ),
    "same": (
        "u mnie to samo {when} {mad}",
        "to samo!! {care}",
    ),
    "banter": (
        "haha gratki",
        "dobrze wiedzieć, dzięki!",
    ),
    "care": (
        "{user} Cześć, przykro nam. Napisz do nas w DM ze szczegółami, sprawdzimy to. {agent}",
    ),
    "care_outage": (
        "{user} Wiemy o awarii, która dotyczy płatności kartą i logowania do aplikacji. Pracujemy nad rozwiązaniem: {url_status} {agent}",
    ),
    "news": ("{headline} {url}",),
    "headlines": (
        "{brand} znosi opłaty za płatności za granicą",
        "Fałszywe SMS-y od banków. Oszuści atakują posiadaczy kart",
    ),
}

RU: Book = {
    "complaint": (
        "{care} опять отклонили карту на кассе, покупки на {amount} и очередь за спиной {mad}",
        "кто-нибудь объяснит, откуда комиссия {amount} от {brand}? я ничего не подключал",
        "вишу на линии поддержки {brand} уже {mins} минут. серьёзно? {mad}",
        "приложение {brand} постоянно выкидывает, даже баланс не посмотреть",
        "списали дважды {amount} в {merchant}. {care} верните деньги",
        "поддержка {brand} это просто цирк. 4 оператора, никто ничего не знает",
        "возврат обещали «в течение 3 дней», прошло уже {n} {meh}",
    ),
    "praise": (
        "надо отдать должное {care}: вернули {amount} за два дня {yay}",
        "оператор {brand} {when} очень помог, всё решили за 5 минут {yay}",
        "{brand} сам заблокировал подозрительное списание на {amount}. приятно удивлён {yay}",
    ),
    "question": (
        "{care} сколько идёт перевыпущенная карта? заказал {n} дней назад",
        "лечу в {abroad} в следующем месяце, надо ли предупреждать {brand}?",
        "как поменять ПИН-код? не могу найти в приложении {meh}",
        "можно ли поднять лимит в приложении {brand} или только через звонок?",
    ),
    "lost": (
        "{care} украли кошелёк в метро, как срочно заблокировать карту??",
        "потерял карту {when}, заблокировал в приложении, что дальше? {meh}",
        "банкомат в {city} съел мою карту 🙃",
    ),
    "fraud": (
        "{care} списание {amount} в {merchant}, которое я не делал. мошенники??",
        "пришла смс «ваша карта {brand} заблокирована, подтвердите данные на {phish}». развод же? 🚩",
        "осторожно: звонят якобы из службы безопасности {brand} и просят код из смс. НЕ называйте",
    ),
    "promo": (
        "кэшбэк {pct}% в {merchant} в этом месяце с {brand} {rewards}",
        "обменял {points} баллов {brand} на сертификат {yay}",
    ),
    "outage": (
        "{brand} лежит?? карта не проходит, приложение не грузится {down}",
        "{down} не могу ничего оплатить, стою на кассе {mad}",
        "{care} все платежи отклоняются, у вас сбой? {down}",
        "значит не только у меня {down}",
        "в {city} тоже {down}",
    ),
    "followup": (
        "{care} есть новости? всё ещё жду",
        "написал в личку, номер обращения {ref}",
        "уже {n} дней ничего… {mad}",
        "всё решилось, спасибо! {yay}",
    ),
    "same": (
        "у меня то же самое {when} {mad}",
        "аналогично!! {care} разберитесь",
    ),
    "banter": (
        "ахах повезло",
        "полезно, спасибо!",
    ),
    "care": (
        "{user} Здравствуйте! Нам жаль, что так вышло. Напишите нам в личные сообщения, мы разберёмся. {agent}",
    ),
    "care_outage": (
        "{user} Мы знаем о сбое, который затрагивает оплату картой и вход в приложение. Уже работаем над исправлением: {url_status} {agent}",
    ),
    "news": (
        "{headline} {url}",
        "{headline}\n{url}",
    ),
    "headlines": (
        "{brand} отменит комиссию за платежи за рубежом",
        "Число мошеннических звонков держателям карт выросло на треть",
    ),
    "spam": (
        "💸 заработок от 5000₽ в день на крипте, без вложений! пиши в лс или жми {spamurl}",
        "раздача USDT 🎁 первые 300 человек получают по 100$ 👉 {spamurl}",
    ),
}

TR: Book = {
    "complaint": (
        "{care} kartım yine reddedildi, {merchant} alışverişimde {amount} ödeyemedim, arkamda kuyruk {mad}",
        "{brand} neden benden {amount} masraf kesti? hiçbir şey onaylamadım",
        "{mins} dakikadır {brand} müşteri hizmetlerinde bekliyorum. ciddi misiniz {mad}",
        "{brand} uygulaması sürekli oturumu kapatıyor, bakiyeme bile bakamıyorum",
        "{merchant} alışverişim iki kere çekilmiş, {amount}. {care} iade istiyorum",
    ),
    "praise": (
        "hakkını vermek lazım, {care} {amount} iademi 2 günde yaptı {yay}",
        "{brand} müşteri temsilcisi çok ilgiliydi, 5 dakikada çözdü {yay}",
    ),
    "question": (
        "{care} yeni kartın gelmesi ne kadar sürüyor? {n} gün önce istedim",
        "{abroad} gidiyorum, kartı yurt dışında kullanmak için bir şey yapmam lazım mı?",
        "yurt dışında {brand} kartı ek ücret alıyor mu bilen var mı?",
        "kart şifresini nasıl değiştiriyorum? uygulamada bulamadım {meh}",
        "limit artırımı uygulamadan yapılabiliyor mu?",
    ),
    "lost": (
        "{care} cüzdanımı çaldılar, kartı nasıl hemen kapatırım??",
        "kartımı {when} kaybettim, uygulamadan dondurdum, şimdi ne yapmam lazım? {meh}",
        "{city} ATM kartımı yuttu 🙃",
    ),
    "fraud": (
        "{care} hesabımda {merchant} diye {amount} harcama var, ben yapmadım. dolandırıcılık mı??",
        "'{brand} kartınız bloke edildi, {phish} adresinden doğrulayın' diye SMS geldi. dolandırıcılık değil mi 🚩",
        "dikkat: {brand} güvenlik birimi diye arayıp SMS kodunu isteyenler var. SAKIN vermeyin",
    ),
    "promo": ("bu ay {merchant} harcamalarında %{pct} nakit iade, {brand} {rewards}",),
    "outage": (
        "{brand} çöktü mü?? kart geçmiyor, uygulama açılmıyor {down}",
        "{down} hiçbir şey ödeyemiyorum, kasada kaldım {mad}",
        "{care} tüm ödemelerim reddediliyor, bir sorun mu var? {down}",
        "demek sadece bende değil {down}",
        "{city} durum aynı {down}",
    ),
    "followup": (
        "{care} bir gelişme var mı? hala bekliyorum",
        "DM attım, talep numarası {ref}",
        "çözüldü, teşekkürler! {yay}",
    ),
    "same": (
        "bende de aynısı oldu {mad}",
        "aynen!! {care} bakın şuna",
    ),
    "banter": (
        "şanslısın valla",
        "iyi bilgi, teşekkürler!",
    ),
    "care": (
        "{user} Merhaba, yaşadığınız sorun için üzgünüz. Detayları DM üzerinden iletirseniz hemen inceleyelim. {agent}",
    ),
    "care_outage": (
        "{user} Kartlı ödemeleri ve uygulamaya girişi etkileyen bir sorunun farkındayız, ekiplerimiz çalışıyor: {url_status} {agent}",
    ),
    "news": ("{headline} {url}",),
    "headlines": (
        "{brand} yurt dışı işlem ücretini kaldırıyor",
        "Kredi kartı dolandırıcılığında SMS tuzağı arttı",
    ),
    "spam": ("🔥 günde 5.000 TL kazanmak ister misin? kripto sinyalleri için tıkla 👉 {spamurl}",),
}

AR: Book = {
    "complaint": (
        "{care} البطاقة انرفضت مرة ثانية في {merchant} والطابور ورايا {mad}",
        "ليش {brand} خصمت مني رسوم {amount} بدون ما أوافق؟",
        "صار لي {mins} دقيقة أنتظر خدمة العملاء في {brand} {mad}",
        "تطبيق {brand} يطلعني كل شوي، ما أقدر حتى أشوف الرصيد",
        "انخصم مني {amount} مرتين في {merchant}. {care} أبغى استرجاع المبلغ",
    ),
    "praise": (
        "شكراً {care} رجعوا لي {amount} خلال يومين {yay}",
        "الموظف في {brand} كان متعاون جداً وحل مشكلتي بخمس دقايق {yay}",
    ),
    "question": (
        "{care} كم يوم تاخذ البطاقة الجديدة عشان توصل؟ طلبتها من {n} أيام",
        "مسافر إلى {abroad} الشهر الجاي، لازم أبلغ {brand}؟",
        "كيف أغير الرقم السري للبطاقة؟ ما لقيت الخيار في التطبيق {meh}",
    ),
    "lost": (
        "{care} انسرقت محفظتي في {city}، كيف أوقف البطاقة بسرعة؟؟",
        "ضيعت بطاقتي {when}، جمدتها من التطبيق بس وش الخطوة الجاية؟ {meh}",
    ),
    "fraud": (
        "{care} فيه عملية بـ {amount} من {merchant} ما سويتها. احتيال؟؟",
        "وصلتني رسالة إن بطاقة {brand} موقوفة وأدخل على {phish}. هذا نصب صح؟ 🚩",
        "انتبهوا: فيه ناس يتصلون باسم {brand} ويطلبون رمز التحقق. لا تعطونهم إياه",
    ),
    "promo": ("استرداد نقدي {pct}% في {merchant} هالشهر مع {brand} {rewards}",),
    "outage": (
        "{brand} واقف؟؟ البطاقة ترفض والتطبيق ما يفتح {down}",
        "{down} ما أقدر أدفع أي شي، واقف عند الكاشير في {merchant} {mad}",
        "{care} كل عملياتي مرفوضة، فيه عطل؟ {down}",
        "يعني مو بس عندي {down}",
        "حتى في {city} {down}",
    ),
    "followup": (
        "{care} فيه أي تحديث؟ للحين أنتظر",
        "أرسلت لكم رسالة خاصة، رقم الطلب {ref}",
        "انحلت المشكلة، شكراً! {yay}",
    ),
    "same": (
        "نفس الشي صار معي {when} {mad}",
        "نفس المشكلة!! {care}",
    ),
    "banter": (
        "هههههه محظوظ",
        "شكراً على المعلومة",
    ),
    "care": (
        "{user} أهلاً، نعتذر عن الإزعاج. نرجو مراسلتنا على الخاص بالتفاصيل وبنتابع معك. {agent}",
    ),
    "care_outage": (
        "{user} نحن على علم بعطل يؤثر على عمليات الدفع بالبطاقة والدخول للتطبيق، وفريقنا يعمل على حله: {url_status} {agent}",
    ),
    "news": ("{headline} {url}",),
    "headlines": (
        "{brand} تلغي رسوم المعاملات الدولية لعملاء البطاقات المميزة",
        "تحذير من رسائل احتيالية تستهدف حاملي البطاقات",
    ),
    "spam": ("🎁 سحب على 1000 USDT لأول 500 مشترك، سجل الآن 👈 {spamurl}",),
}

HI: Book = {
    "complaint": (
        "{care} फिर से कार्ड डिक्लाइन हो गया {merchant} पर, {amount} का बिल और पीछे लंबी लाइन {mad}",
        "{brand} ने {amount} का चार्ज क्यों काटा? मैंने कुछ भी एक्टिवेट नहीं किया",
        "{mins} मिनट से {brand} कस्टमर केयर पर होल्ड पर हूँ {mad}",
        "{brand} ऐप बार बार लॉगआउट कर देता है, बैलेंस तक नहीं दिखता",
        "{merchant} पर {amount} दो बार कट गए। {care} रिफंड कब मिलेगा?",
    ),
    "praise": (
        "धन्यवाद {care}, {amount} का रिफंड दो दिन में आ गया {yay}",
        "{brand} के एजेंट ने 5 मिनट में सब ठीक कर दिया, बढ़िया सर्विस {yay}",
    ),
    "question": (
        "{care} नया कार्ड आने में कितने दिन लगते हैं? {n} दिन हो गए",
        "अगले महीने {abroad} जा रहा हूँ, क्या {brand} को बताना पड़ेगा?",
        "कार्ड का पिन कैसे बदलें? ऐप में मिल नहीं रहा {meh}",
    ),
    "lost": (
        "{care} {city} में मेरा पर्स चोरी हो गया, कार्ड तुरंत ब्लॉक कैसे करें??",
        "कार्ड {when} खो गया, ऐप से फ्रीज़ कर दिया, अब आगे क्या? {meh}",
    ),
    "fraud": (
        "{care} मेरे अकाउंट से {merchant} पर {amount} कटे हैं जो मैंने नहीं किए। फ्रॉड??",
        "SMS आया कि {brand} कार्ड ब्लॉक हो गया है, {phish} पर KYC करो। ये फ्रॉड है ना? 🚩",
        "सावधान: {brand} के नाम से कॉल करके OTP मांग रहे हैं, किसी को मत बताना",
    ),
    "promo": ("{brand} से इस महीने {merchant} पर {pct}% कैशबैक {rewards}",),
    "outage": (
        "{brand} डाउन है क्या?? कार्ड नहीं चल रहा, ऐप भी नहीं खुल रहा {down}",
        "{down} कोई भी पेमेंट नहीं हो रहा, {merchant} के काउंटर पर खड़ा हूँ {mad}",
        "{care} सारे पेमेंट फेल हो रहे हैं, कोई दिक्कत है? {down}",
        "{city} में भी यही हाल {down}",
    ),
    "followup": (
        "{care} कोई अपडेट? अभी तक इंतज़ार कर रहा हूँ",
        "DM कर दिया है, रेफरेंस {ref}",
        "हो गया ठीक, शुक्रिया! {yay}",
    ),
    "same": (
        "मेरे साथ भी यही हुआ {when} {mad}",
        "सेम प्रॉब्लम!! {care}",
    ),
    "banter": (
        "वाह बढ़िया",
        "जानकारी के लिए शुक्रिया",
    ),
    "care": ("{user} नमस्ते, असुविधा के लिए खेद है। कृपया डिटेल्स DM में भेजें, हम तुरंत देखते हैं। {agent}",),
    "care_outage": (
        "{user} हमें जानकारी है कि कुछ कार्ड पेमेंट और ऐप लॉगिन में दिक्कत आ रही है। हमारी टीम इस पर काम कर रही है: {url_status} {agent}",
    ),
    "news": ("{headline} {url}",),
    "headlines": (
        "{brand} ने विदेशी लेनदेन शुल्क खत्म किया",
        "कार्ड धोखाधड़ी के मामलों में तेज़ी, फर्जी SMS से रहें सावधान",
    ),
}

# Romanised Hindi mixes English freely; the care team answers in the same register.
HINGLISH: Book = {
    "complaint": (
        "{care} yaar phir se card decline ho gaya {merchant} pe, {amount} ka bill aur peeche line lagi hai {mad}",
        "{brand} ne {amount} ka charge kyun kaata?? maine kuch activate hi nahi kiya",
        "{mins} min se customer care pe hold pe hoon bhai {mad}",
        "{brand} app baar baar logout kar raha hai, balance tak nahi dikh raha",
        "{merchant} pe {amount} do baar kat gaye. {care} refund kab aayega?",
        "mera card block ho gaya yaar, koi reason bhi nahi bataya {mad} {care}",
    ),
    "praise": (
        "thank you {care}, refund {amount} 2 din mein aa gaya {yay}",
        "{brand} wale agent ne 5 min mein sab sort kar diya, mast service {yay}",
    ),
    "question": (
        "{care} naya card aane mein kitne din lagte hain? {n} din ho gaye",
        "next month {abroad} ja raha hoon, {brand} ko batana padega kya?",
        "card ka PIN kaise change karein? app mein mil hi nahi raha {meh}",
    ),
    "lost": (
        "{care} {city} mein wallet chori ho gaya, card turant block kaise karu??",
        "card kho gaya {when}, app se freeze kar diya, ab kya karna hai? {meh}",
    ),
    "fraud": (
        "{care} mere account se {merchant} pe {amount} kat gaye jo maine kiye hi nahi. fraud hai kya??",
        "SMS aaya ki {brand} card block hai, {phish} pe KYC karo. scam hai na? 🚩",
        "dhyan rakho: {brand} ke naam pe call karke OTP maang rahe hain, kisi ko mat batana",
    ),
    "promo": ("{brand} pe is month {merchant} par {pct}% cashback chal raha hai {rewards}",),
    "outage": (
        "{brand} down hai kya?? card nahi chal raha, app bhi nahi khul raha {down}",
        "{down} kuch bhi pay nahi ho raha, {merchant} ke counter pe khada hoon {mad}",
        "{care} saare payments fail ho rahe hain, koi issue hai? {down}",
        "matlab sirf mera nahi hai {down}",
        "{city} mein bhi same {down}",
    ),
    "followup": (
        "{care} koi update? abhi tak wait kar raha hoon",
        "DM kar diya hai, ref {ref}",
        "ho gaya sort, thanks! {yay}",
    ),
    "same": (
        "mere saath bhi same hua {when} {mad}",
        "same yaar!! {care} dekho please",
    ),
    "banter": (
        "wah bhai maze hai",
        "thanks for the info bro",
    ),
    "care": (
        "{user} Hi, sorry for the inconvenience. Please apni details DM karein, hum turant check karenge. {agent}",
    ),
    "care_outage": (
        "{user} Hum aware hain ki kuch card payments aur app login mein issue aa raha hai. Team kaam kar rahi hai: {url_status} {agent}",
    ),
    "news": (
        "ye dekho 👇 {headline} {url}",
        "{headline} {url}",
    ),
    "headlines": (
        "{brand} cuts forex markup on international card spends",
        "UPI vs cards: why credit card spends are still growing",
    ),
}

ID: Book = {
    "complaint": (
        "{care} kartu aku ditolak lagi di {merchant}. belanjaan {amount} udah di kasir {mad}",
        "kok tiba2 ada biaya admin {amount} dari {brand}?? ga pernah setuju",
        "udah {mins} menit nunggu CS {brand} ga diangkat2 {mad}",
        "aplikasi {brand} logout terus, mau cek saldo aja susah bgt",
        "transaksi {amount} di {merchant} kepotong dua kali. {care} tolong refund",
    ),
    "praise": (
        "makasih {care}, refund {amount} cair dalam 2 hari {yay}",
        "CS {brand} ramah bgt, masalah beres 5 menit {yay}",
    ),
    "question": (
        "{care} kartu baru biasanya nyampe berapa lama ya? udah {n} hari",
        "mau ke {abroad} bulan depan, perlu lapor {brand} dulu ga sih?",
        "cara ganti PIN gimana ya? ga nemu di aplikasi {meh}",
        "limit bisa dinaikin lewat app ga?",
    ),
    "lost": (
        "{care} dompet aku dicopet di {city}, gimana cara blokir kartu??",
        "kartu ilang {when}, udah aku blokir di app, terus gimana? {meh}",
    ),
    "fraud": (
        "{care} ada transaksi {amount} di {merchant} yang bukan aku. penipuan??",
        "dapet SMS katanya kartu {brand} diblokir, suruh buka {phish}. ini penipuan kan? 🚩",
        "hati2 ada yang nelpon ngaku dari {brand} minta kode OTP. JANGAN dikasih",
    ),
    "promo": ("cashback {pct}% di {merchant} bulan ini pake {brand} {rewards}",),
    "outage": (
        "{brand} down ya?? kartu ditolak, app ga bisa dibuka {down}",
        "{down} ga bisa bayar apa2, lagi di kasir {merchant} {mad}",
        "{care} semua transaksi ditolak, lagi gangguan ya? {down}",
        "oh ternyata bukan cuma aku {down}",
        "di {city} juga {down}",
    ),
    "followup": (
        "{care} gimana updatenya? masih nunggu",
        "udah DM ya, no tiket {ref}",
        "udah beres, makasih! {yay}",
    ),
    "same": (
        "sama aku juga {when} {mad}",
        "samaaa {care} tolong dicek",
    ),
    "banter": (
        "wkwk enak bgt",
        "makasih infonya!",
    ),
    "care": (
        "{user} Hai Kak, mohon maaf atas ketidaknyamanannya. Boleh kirim detailnya via DM ya, kami bantu cek. {agent}",
    ),
    "care_outage": (
        "{user} Hai Kak, saat ini ada gangguan yang memengaruhi transaksi kartu dan akses aplikasi. Tim kami sedang menanganinya: {url_status} {agent}",
    ),
    "news": ("{headline} {url}",),
    "headlines": (
        "{brand} hapus biaya transaksi luar negeri",
        "Penipuan lewat SMS palsu bank makin marak",
    ),
    "spam": (
        "💰 cuan jutaan per hari dari crypto, modal kecil! daftar di {spamurl}",
        "giveaway 1000 USDT 🎁 cukup follow & klik {spamurl} #crypto",
    ),
}

ZH: Book = {
    "complaint": (
        "{care} 在{merchant}又被拒付了，{amount}的东西，后面排了一长队 {mad}",
        "{brand}为什么扣了我{amount}的手续费？我根本没开通过",
        "打{brand}客服电话等了{mins}分钟还没人接 {mad}",
        "{brand}的App一直闪退，连余额都看不了",
        "{merchant}的{amount}被扣了两次，{care}请尽快退款",
    ),
    "praise": (
        "感谢{care}，{amount}的退款两天就到账了 {yay}",
        "{brand}的客服小姐姐超耐心，五分钟就解决了 {yay}",
    ),
    "question": (
        "{care} 补办的卡一般多久能寄到？已经{n}天了",
        "下个月去{abroad}，需要提前跟{brand}报备吗？",
        "信用卡密码怎么改？App里找不到 {meh}",
        "{brand}在{abroad}刷卡有没有货币转换费？",
    ),
    "lost": (
        "{care} 钱包在{city}地铁上被偷了，怎么马上冻结卡？？",
        "卡{when}丢了，已经在App里冻结了，接下来怎么办 {meh}",
    ),
    "fraud": (
        "{care} 账单上有一笔{merchant}的{amount}，不是我刷的，是被盗刷了吗？？",
        "收到短信说我的{brand}卡被冻结了，让我去{phish}验证，这是诈骗吧 🚩",
        "提醒大家：有人冒充{brand}客服打电话要验证码，千万别给",
    ),
    "promo": ("这个月用{brand}在{merchant}消费返现{pct}% {rewards}",),
    "outage": (
        "{brand}是崩了吗？？刷卡失败，App也打不开 {down}",
        "{down} 完全付不了款，卡在{merchant}收银台 {mad}",
        "{care} 所有支付都被拒了，是系统故障吗？{down}",
        "原来不是我一个人 {down}",
        "{city}也一样 {down}",
    ),
    "followup": (
        "{care} 有进展吗？还在等",
        "已私信，工单号{ref}",
        "解决了，谢谢！{yay}",
    ),
    "same": (
        "我{when}也遇到了 {mad}",
        "一样！！{care}快看看",
    ),
    "banter": (
        "哈哈羡慕",
        "涨知识了，谢谢",
    ),
    "care": ("{user} 您好，给您带来不便非常抱歉。请私信我们具体情况，我们会尽快为您核实。",),
    "care_outage": (
        "{user} 您好，我们已注意到部分刷卡支付和App登录出现异常，技术团队正在全力处理：{url_status}",
    ),
    "news": ("{headline} {url}",),
    "headlines": (
        "{brand}取消境外交易手续费",
        "信用卡盗刷案件增多 警方提醒谨防短信诈骗",
    ),
}

JA: Book = {
    "complaint": (
        "{care} また{merchant}でカード決済エラー。{amount}分レジに並んでたのに {mad}",
        "{brand}から{amount}の手数料引かれてるんだけど何これ？申し込んだ覚えない",
        "{brand}のサポート、電話{mins}分待ってもつながらない {mad}",
        "{brand}のアプリ、何度ログインしてもすぐログアウトされる…残高すら見れない",
        "{merchant}で{amount}が二重に引き落とされてる。{care} 返金お願いします",
    ),
    "praise": (
        "{care} 返金{amount}、2日で対応してもらえた。ありがたい {yay}",
        "{brand}のオペレーターさん、めちゃくちゃ丁寧で5分で解決した {yay}",
    ),
    "question": (
        "{care} 再発行したカードってどれくらいで届きますか？もう{n}日経ってます",
        "来月{abroad}行くんだけど、{brand}に事前連絡って必要？",
        "暗証番号の変更ってどこからできますか？アプリで見つからない {meh}",
        "{brand}って海外事務手数料いくらだっけ",
    ),
    "lost": (
        "{care} {city}で財布すられた…カードすぐ止めたいんですがどうすれば？？",
        "{when}カード落とした。アプリで一時停止したけど、この後どうすれば {meh}",
    ),
    "fraud": (
        "{care} {merchant}で{amount}の身に覚えのない利用がある。不正利用？？",
        "「{brand}カードの利用を制限しました {phish} で確認してください」ってSMS来た。詐欺だよね 🚩",
        "注意：{brand}を名乗って認証コードを聞いてくる電話があるらしい。絶対教えないで",
    ),
    "promo": ("今月{brand}で{merchant}使うと{pct}%還元 {rewards}",),
    "outage": (
        "{brand}落ちてる？？カード通らないしアプリも開かない {down}",
        "{down} 何も払えない。{merchant}のレジで詰んだ {mad}",
        "{care} 決済が全部エラーになります。障害ですか？{down}",
        "自分だけじゃなかった {down}",
        "{city}でもダメ {down}",
    ),
    "followup": (
        "{care} その後どうなりましたか？まだ待ってます",
        "DM送りました。受付番号{ref}です",
        "解決しました、ありがとうございます！{yay}",
    ),
    "same": (
        "自分も{when}同じことなった {mad}",
        "同じく！！{care} 確認お願いします",
    ),
    "banter": (
        "いいなあｗ",
        "勉強になる、ありがとう",
    ),
    "care": (
        "{user} ご不便をおかけして申し訳ございません。お手数ですが詳細をDMでお送りください。確認いたします。",
    ),
    "care_outage": (
        "{user} 現在、一部のカード決済およびアプリへのログインで障害が発生しております。復旧に向けて対応中です：{url_status}",
    ),
    "news": ("{headline} {url}",),
    "headlines": (
        "{brand}、海外事務手数料を撤廃へ",
        "クレジットカード不正利用、過去最悪のペース",
    ),
    "headlines_outage": ("{brand}で大規模障害 カード決済できず",),
}

KO: Book = {
    "complaint": (
        "{care} {merchant}에서 또 카드 결제 거절됨. {amount} 계산하려는데 뒤에 줄 서 있고 {mad}",
        "{brand} 수수료 {amount} 왜 빠져나간 거죠? 신청한 적 없는데",
        "{brand} 고객센터 {mins}분째 대기 중… {mad}",
        "{brand} 앱 계속 로그아웃돼서 잔액도 못 봄",
        "{merchant}에서 {amount} 이중결제 됐어요. {care} 환불 부탁드립니다",
    ),
    "praise": (
        "{care} 환불 {amount} 이틀 만에 처리해줌 감동 {yay}",
        "{brand} 상담원분 진짜 친절하셨음. 5분 만에 해결 {yay}",
    ),
    "question": (
        "{care} 재발급 카드 보통 며칠 걸리나요? 신청한 지 {n}일 됐어요",
        "다음 달에 {abroad} 가는데 {brand}에 미리 말해야 하나요?",
        "카드 비밀번호 변경 어디서 해요? 앱에서 못 찾겠음 {meh}",
    ),
    "lost": (
        "{care} {city}에서 지갑 잃어버렸어요 카드 바로 정지하려면 어떻게 해요??",
        "카드 {when} 잃어버림. 앱에서 정지는 했는데 그다음은? {meh}",
    ),
    "fraud": (
        "{care} {merchant}에서 {amount} 결제된 게 있는데 제가 한 거 아니에요. 부정사용인가요??",
        "{brand} 카드 정지됐다고 {phish} 들어가라는 문자 옴. 스미싱 맞죠? 🚩",
        "주의: {brand} 사칭해서 인증번호 물어보는 전화 온대요. 절대 알려주지 마세요",
    ),
    "promo": ("이번 달 {brand}로 {merchant} 결제하면 {pct}% 캐시백 {rewards}",),
    "outage": (
        "{brand} 터졌나요?? 카드 결제 안 되고 앱도 안 열림 {down}",
        "{down} 결제가 하나도 안 돼요 {merchant} 계산대에서 멘붕 {mad}",
        "{care} 결제가 전부 거절되는데 장애인가요? {down}",
        "나만 그런 거 아니었구나 {down}",
        "{city}도 안 됨 {down}",
    ),
    "followup": (
        "{care} 혹시 진행 상황 있나요? 아직 기다리는 중",
        "DM 보냈어요. 접수번호 {ref}",
        "해결됐어요 감사합니다! {yay}",
    ),
    "same": (
        "저도 {when} 똑같았어요 {mad}",
        "저도요!! {care} 확인 좀 해주세요",
    ),
    "banter": (
        "ㅋㅋㅋ 부럽다",
        "좋은 정보 감사해요",
    ),
    "care": (
        "{user} 안녕하세요, 불편을 드려 죄송합니다. 자세한 내용을 DM으로 보내주시면 바로 확인해드리겠습니다.",
    ),
    "care_outage": (
        "{user} 현재 일부 카드 결제 및 앱 로그인 장애가 발생하고 있습니다. 빠르게 복구 중입니다: {url_status}",
    ),
    "news": ("{headline} {url}",),
    "headlines": (
        "{brand}, 해외 결제 수수료 없앤다",
        "카드 부정사용 피해 급증…스미싱 주의보",
    ),
}

BOOKS: dict[str, Book] = {
    "pl": PL,
    "ru": RU,
    "tr": TR,
    "ar": AR,
    "hi": HI,
    "hi-Latn": HINGLISH,
    "id": ID,
    "zh": ZH,
    "ja": JA,
    "ko": KO,
}
