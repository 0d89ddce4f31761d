# The bot's own words in Uzbek (Latin script): buttons, prompts and errors (the articles live in content/).
# Every locale must have the same messages with the same { $variables }; `huquq check` compares them.

language-prompt = Tilni tanlang:
welcome = Assalomu alaykum! Men Huquq — Rossiyadagi migrantlarga huquqlari haqida maʼlumot beradigan botman. Mavzuni tanlang yoki savolingizni oʻz soʻzlaringiz bilan yozing. Agar sizni hozir ushlashayotgan boʻlsa, 🆘 tugmasini bosing.
menu-prompt = Mavzuni tanlang yoki savolingizni yozing:
help =
    Men ushlab turish, hujjatlarni tekshirish, nazorat qilinadigan shaxslar reyestri, maʼmuriy chiqarib yuborish va konsulliklar haqidagi savollarga javob beraman.
    Savolingizni oʻz soʻzlaringiz bilan yozing yoki mavzuni tanlang.

    /sos — agar sizni hozir ushlashayotgan boʻlsa
    /menu — mavzular
    /consulate — mamlakatingiz konsulligini topish
    /lang — tilni oʻzgartirish
    /privacy — bot siz haqingizda nimani saqlaydi
    /forget — bot siz haqingizda saqlaydigan hamma narsani oʻchirish
button-menu = ⬅️ Menyu
button-sos = 🆘 Meni ushlashyapti
button-language = 🌐 Til
button-find-consulate = 🏛 Konsullik
button-nearest-consulate = 📍 Eng yaqin konsullik
no-answer = Bu savolga javobim yoʻq. Men ushlab turish, hujjatlar, reyestr, maʼmuriy chiqarib yuborish va konsulliklar haqidagi savollarga javob beraman. Quyidagi mavzulardan birini tanlang.
not-sure = Savolingizni toʻgʻri tushundimmi, bilmayman. Balki shu haqda soʻramoqchisiz:
stale-button = Bu menyu eskirgan. Mana yangisi:
unknown-command = Bunday buyruq yoʻq. Mavzuni tanlang yoki /help buyrugʻini bosing.
unsupported-photo = Men rasmni koʻra olmayman. Savolingizni soʻzlar bilan yozing yoki mavzuni tanlang.
unsupported-voice = Men ovozli xabarni tinglay olmayman. Savolingizni soʻzlar bilan yozing yoki mavzuni tanlang.
unsupported-video = Men videoni koʻra olmayman. Savolingizni soʻzlar bilan yozing yoki mavzuni tanlang.
unsupported-sticker = Savolingizni soʻzlar bilan yozing yoki mavzuni tanlang.
unsupported-document = Men fayllarni oʻqimayman va saqlamayman. Hujjatlaringizning skan nusxalarini yubormang: savolingizni soʻzlar bilan yozing.
unsupported-contact = Men kontaktlarni saqlamayman. Savolingizni soʻzlar bilan yozing yoki mavzuni tanlang.
unsupported-other = Men faqat matnni tushunaman. Savolingizni soʻzlar bilan yozing yoki mavzuni tanlang.
too-long = Xabar juda uzun: men faqat birinchi { $limit } ta belgini oʻqidim.
error = Xatolik yuz berdi. Yana bir marta urinib koʻring yoki mavzuni tanlang.
article-footer = Maqola tekshirilgan sana: { $reviewed }. Qonunlar { $law } holatiga koʻra yozilgan. Qonunlar oʻzgaradi: muhim ish qilishdan oldin rasmiy saytda yoki konsullikda aniqlang.
article-sources = Manbalar:
consulate-ask-country = Qaysi davlat fuqarosisiz?
country-other = 🌍 Boshqa davlat
consulate-other-country = Hozircha menda faqat Oʻzbekiston, Qirgʻiziston, Tojikiston, Qozogʻiston va Turkmaniston elchixonalari va konsulliklarining kontaktlari bor. Davlatingizning Moskvadagi elchixonasini oʻz davlatingiz Tashqi ishlar vazirligi saytidan toping.
consulate-ask-city = Qaysi shahar yoki viloyatda ekaningizni yozing yoki konsullik bor shaharni tanlang:
consulate-not-found = Bunday shahar yoki viloyatni topa olmadim. Nomini boshqacha yozing (masalan, «Qozon» yoki «Tatariston») yoki shaharni tanlang:
consulate-serves = Hududingizga ({ $region }) quyidagilar xizmat koʻrsatadi:
consulate-embassy-fallback = «{ $region }» hududi uchun alohida konsullikni bilmaymiz: bu ishni Moskvadagi elchixonaning konsullik boʻlimi bajaradi.
consulate-hotlines = Mamlakatingizning migrantlar ishlari boʻyicha idoralari va ishonch telefonlari:
contact-address = Manzil
contact-phone = Telefon
contact-email = Elektron pochta
contact-site = Sayt
contact-hours = Ish vaqti
contact-telegram = Telegram
contact-unverified = «Huquq» boti jamoasi tekshirmagan. Raqam javob bermasa, keyingisiga qoʻngʻiroq qiling.
contact-unverified-low = Norasmiy manbadan, tekshirilmagan. Raqam javob bermasa, keyingisiga qoʻngʻiroq qiling.
contact-verified = Tekshirilgan: { $date }.
location-outside-russia = Bu joy Rossiyadan tashqarida boʻlsa kerak. Men faqat Rossiyadagi konsulliklarni bilaman. Qaysi shaharda ekaningizni yozing.
group-note = Savollaringizni boshqalar koʻrmasligi uchun men faqat shaxsiy xabarlarda javob beraman. Menga shaxsiy xabar yozing.
privacy =
    Bot siz haqingizda nimani saqlaydi:
    • siz tanlagan til va siz obuna boʻlgan mavzular;
    • birinchi va oxirgi xabaringiz kuni (vaqti saqlanmaydi).
    Xabarlaringiz matni saqlanmaydi. Bot javob bera olmagan savollar ismingiz va chat raqamisiz saqlanadi. Ulardan barcha raqamlar, telefon raqamlari va elektron pochta manzillari olib tashlanadi. { $days } kundan keyin bu savollar ham oʻchiriladi.
    Joylashuvingiz konsullikni topish uchun bir marta ishlatiladi va saqlanmaydi.
    /forget — bot siz haqingizda saqlaydigan hamma narsani oʻchirish.
forgotten = Tayyor: bot siz haqingizda saqlagan hamma narsa oʻchirildi. Qaytadan boshlash uchun /start buyrugʻini bosing.
group-link = Bot bilan shaxsiy chatni ochish
bot-description = Huquq — Rossiyadagi oʻzbekistonlik, qirgʻizistonlik va tojikistonlik migrantlar uchun bepul huquqiy yoʻriqnoma: ushlab turish va 48 soat, tekshiruvdagi huquqlar, nazorat qilinadigan shaxslar reyestri, maʼmuriy chiqarib yuborish, konsulliklar. Oʻzbek, rus, qirgʻiz va tojik tillarida. Agar sizni hozir ushlashayotgan boʻlsa, «Start»ni, keyin 🆘 tugmasini bosing. Bot xabarlaringiz matnini saqlamaydi.
bot-short-description = Rossiyada migrant huquqlari: ushlab turish, reyestr, maʼmuriy chiqarib yuborish, konsullik. Ushlashsa — 🆘 ni bosing.
command-start = Qaytadan boshlash
command-sos = Meni hozir ushlashyapti
command-menu = Mavzular
command-consulate = Konsullikni topish
command-lang = Tilni oʻzgartirish
command-help = Bot nima qila oladi
command-privacy = Bot siz haqingizda nimani saqlaydi
command-forget = Maʼlumotlarimni oʻchirish
button-subscribe = 🔔 Oʻzgarsa, xabar bering
button-unsubscribe = 🔕 Boshqa xabar bermang
subscribed = Yaxshi: bu maqola oʻzgarsa (masalan, yangi qonun tufayli), bot yangilangan matnni yuboradi. Buning uchun bot shu chat raqamini va mavzuni saqlaydi; /forget hammasini oʻchiradi.
unsubscribed = Yaxshi, bu mavzudagi oʻzgarishlar haqida boshqa xabar bermayman.
topic-updated = 🔔 Siz obuna boʻlgan maqola yangilandi:

# Article pages and the card for the officer.
button-sources = 📚 Manbalar
button-back = ◀ Boshiga
button-next = Keyingisi ▶
article-law-old = Maqola qonunlarning { $law } holatiga koʻra yozilgan; shundan beri ular oʻzgargan boʻlishi mumkin.
card-note = Bu matnni politsiya xodimiga koʻrsating.

# Answers to conversation intents (content/intents/<id>): short, in the user's language.
intent-greeting = Assalomu alaykum! Men Huquq botiman: Rossiyadagi muhojirlarning huquqlari haqida maslahat beraman. Savolingizni yozing yoki mavzuni tanlang.
intent-thanks = Arzimaydi. Yana savol boʻlsa, yozing.
intent-about = Men Huquq botiman: ushlab turish, reyestr, maʼmuriy chiqarib yuborish va konsulliklar haqida huquqshunoslar tekshirgan maslahatlarni beraman. Savolni oʻz tilingizda yozing yoki mavzuni tanlang.
intent-human = Men — bot, lekin bepul yuridik yordam qayerdan olish mumkinligini aytib bera olaman: «Bepul yuridik yordam» mavzusini oching.
intent-bot = Ha, men botman. Javoblarimni huquqshunoslar tekshiradi.
intent-insult = Tushunaman, vaziyat ogʻir boʻlishi mumkin. Yordam berishga harakat qilaman: savolingizni yozing yoki mavzuni tanlang.

# The consulate finder, per field and when nothing is known.
consulate-none-known = «{ $region }» hududi uchun { $country } konsulligini bilmaymiz, elchixonaning tekshirilgan manzili ham yoʻq. Maʼlum boʻlganlarning hammasi:
contact-none = Telefon va boshqa aloqa maʼlumotlari bizga nomaʼlum.
contact-kind-hotline = ishonch telefoni
contact-kind-call-centre = call-markaz
contact-unverified-mixed = ⚠️ belgisi norasmiy manbadan olingan maʼlumotda; qolgani rasmiy manbalar yoki OAVdan. «Huquq» boti jamoasi bu kontaktlarni tekshirmagan.
consulate-call-ready = Qoʻngʻiroqdan oldin tayyorlang: ushlangan odamning F.I.Sh., tugʻilgan sanasi va pasport raqami, qayerda va qachondan beri ushlab turilgani, nimada ayblanayotgani, oʻz telefoningiz.
consulate-no-answer = Hech kim javob bermasa: keyingi raqamga, soʻng elchixonaga qoʻngʻiroq qiling; elektron pochtaga yozing; vatandagi qarindoshlardan TIVga qoʻngʻiroq qilishni soʻrang.
emergency-consulate = «{ $region }» hududi uchun konsullik
button-consulate-region = Barcha kontaktlar: { $region }
card-hotline = Konsullik bilan bogʻlanish uchun telefon:
button-card-picture = 🪪 Rasm qilib koʻrsatish
# Posters and the web edition of the guide.
poster-scan = Telefon kamerasini kodga qarating — Telegramda bot ochiladi.
site-topics = Mavzular
site-open-bot = Telegramda ochish
site-consulates = Elchixonalar va konsulliklar
site-regions = Hududingizga qaysi konsullik xizmat koʻrsatadi
site-skip = Matnga oʻtish
