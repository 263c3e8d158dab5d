# One template per line reads better than wrapped string fragments.
# ruff: noqa: E501
"""Post templates for en, es, pt, fr, de, it and nl (data only).

Slots in braces are filled per post by `rapport.demo.stream`; `phrases.SLOTS` lists them.
Templates are written the way people actually post (lower case, dropped words, slang), not
as translations of one another, so each language reads like its own timeline.
"""

from __future__ import annotations

Book = dict[str, tuple[str, ...]]

EN: Book = {
    "complaint": (
        "{care} my card got declined at {merchant} AGAIN. {amount} in the basket and a queue behind me {mad}",
        "3rd time this week {brand} declines a totally normal payment at {merchant}. what is the point of a card that doesn't work {mad}",
        "why am I being charged a {amount} 'service fee' I never agreed to?? {care} explain please",
        "been on hold with {brand} support for {mins} minutes. {mins} MINUTES. {mad}",
        "the {brand} app logs me out every single time I open it, can't even check my balance {mad} {care}",
        "charged twice for the same {amount} order at {merchant}. refund it please {care}",
        "{brand} froze my card while I was in {city} with zero warning. great, love that for me {mad}",
        "chat support closed my ticket without fixing anything. {n} days and counting {care}",
        "can someone at {brand} explain why my statement shows {amount} in interest when I paid in full?",
        "face ID login on the {brand} app broken since the update. {when} it just spun forever {mad}",
        "honestly {brand} customer service is a joke. transferred 4 times and nobody knows anything {mad}",
        "{at} your late fee of {amount} for a payment that went out ON TIME is wild",
        "why does my {brand} card work everywhere except the one place I actually need it {mad}",
        "the 'instant' refund from {brand} has now been pending for {n} days {meh}",
        "can't add my {brand} card to apple pay, it just says 'card not supported'. it's literally your card {care}",
    ),
    "praise": (
        "shoutout to {care}, got my {amount} refund in like 2 days. didn't even have to chase {yay}",
        "the agent I spoke to at {brand} {when} was genuinely lovely. sorted my issue in 5 min {yay}",
        "{n}k points from {brand} just paid for my flight to {abroad} {yay} #travelhack",
        "ok the {brand} metal card is actually gorgeous {yay}",
        "used my {brand} card all over {abroad}, zero fees, zero drama. 10/10",
        "rare W for a bank: {brand} spotted a dodgy {amount} charge and blocked it before I even noticed {yay}",
        "not me getting emotional over good customer service. thank you {care} {yay}",
        "{brand} support actually called me back when they said they would?? who are you people {yay}",
        "switched to {brand} last year and the app is miles better than my old bank tbh",
        "replacement card arrived in 2 days after I lost mine in {city}. impressed {yay}",
    ),
    "question": (
        "{care} how long does a replacement card usually take to arrive? ordered it {n} days ago",
        "going to {abroad} next month, do I need to tell {brand} or does the card just work?",
        "does anyone know if {brand} charges FX fees in {abroad}? {meh}",
        "{care} how do I change my PIN? can't find it anywhere in the app",
        "is there a way to raise my credit limit on {brand} without calling? asking for a friend (me)",
        "what exchange rate does {brand} use, the mastercard one or their own? {meh}",
        "can I top up my {brand} card with apple pay or only by bank transfer?",
        "{care} my new card arrived but activation keeps failing, any tips?",
        "quick q for {brand} people: do points expire if you don't use them?",
        "anyone know the daily ATM withdrawal limit on {brand}? need {amount} in cash {meh}",
        "{care} is there a way to get a virtual card number while I wait for the physical one?",
    ),
    "lost": (
        "{care} lost my wallet somewhere in {city} {when}, how do I block my card asap??",
        "pretty sure my card got stolen at {merchant}. froze it in the app but what now {mad}",
        "left my {brand} card in an uber in {city}. can I get a new one before the weekend?",
        "phone AND card stolen in {abroad}. {care} please help, can't log in to freeze anything",
        "ATM in {city} just ate my card. is it gone for good? {meh}",
        "{care} card's gone, bag snatched on the way home. I've frozen it, how fast can you send a new one?",
    ),
    "fraud": (
        "{care} there's a {amount} charge from {merchant} on my account and I've never shopped there. fraud??",
        "just got a text saying my {brand} card is suspended and to verify at {phish}. that's a scam right? {mad}",
        "someone changed the email on my {brand} account and now I can't log in. account takeover?? {care} URGENT",
        "PSA: fake {brand} 'security team' calling people asking for the one-time code. never give it out",
        "5 tiny charges of {amount} from a merchant I don't recognise. card testing? {care}",
        "got an email 'your {brand} card has been locked' with a link. looks legit-ish but it's from {phish} 🚩",
        "{care} I didn't make this {amount} purchase in {abroad}, I've never even been there {mad}",
        "my {brand} card ending {last4} just got used at {merchant} while it's sitting in my wallet. how??",
    ),
    "promo": (
        "{pct}% cashback at {merchant} this month with {brand}, not bad {rewards}",
        "who else got the {brand} double points offer? {rewards}",
        "{rewards} just redeemed {points} points for a {merchant} voucher {yay}",
        "{brand} giving {pct}% back on groceries till the end of the month, stacking it with {merchant} deals lol",
        "new {brand} offer: spend {amount} at {merchant}, get {pct}% back. check the app {rewards}",
        "the {brand} welcome bonus is {points} points rn if anyone's been thinking about it {rewards}",
    ),
    "outage": (
        "is {brand} down?? card declined at {merchant} and the app won't load {down}",
        "{down} can't pay for ANYTHING right now. stuck at {merchant} with a full trolley {mad}",
        "{care} all my payments are being declined, is there an outage? {down}",
        "app down, card declined, phone line busy. brilliant. {down}",
        "tried to pay for petrol, declined. tried the app, 'something went wrong'. {down} {mad}",
        "so it's not just me then {down}",
        "{brand} down in {city} too? {down}",
        "imagine your card not working on a monday morning {down} {mad}",
        "literally had to leave my shopping at the till. thanks {brand} {down}",
        "{down} can't log in, can't pay, can't get through to anyone. what is going on {care}",
        "day 1 of {brand} being down and I've already had to borrow {amount} from my mum {down}",
    ),
    "followup": (
        "{care} any update? still waiting",
        "DM sent, reference {ref}",
        "still nothing after {n} days… {mad}",
        "thanks, all sorted now! {yay}",
        "that didn't work either. card still declined {mad}",
        "it's been {mins} minutes since your last reply {care}",
        "done, card's frozen. what's next?",
        "ok the refund just landed, thank you {yay}",
    ),
    "same": (
        "same here, happened to me {when} {mad}",
        "exact same issue!! {care} please look into this",
        "this happened to my sister last week, took ages to sort {meh}",
        "you're not alone, mine's doing the same",
        "+1, also in {city}",
        "literally same. {brand} sort it out {mad}",
    ),
    "banter": (
        "congrats lol",
        "wait how did you get that offer?? {meh}",
        "good to know, thanks!",
        "lol my experience has been the exact opposite",
        "interesting, hadn't seen this",
        "saving this for later {yay}",
    ),
    "care": (
        "{user} Hi there, sorry to hear that. Please send us a DM with the details and we'll take a look. {agent}",
        "{user} We're sorry for the trouble. Could you DM us the last 4 digits of your card (never the full number) so we can check? {agent}",
        "{user} Thanks for flagging. For your security, please freeze the card in the app under Card > Freeze, then DM us. {agent}",
        "{user} Hi! A replacement usually arrives within 5–7 working days. You can track it here: {url_help} {agent}",
        "{user} That's not the experience we want for you. We've followed you, please DM us so we can sort this out. {agent}",
    ),
    "care_outage": (
        "{user} We're aware that some card payments and app logins are failing right now. Our teams are on it, updates at {url_status} {agent}",
        "{user} Sorry, you're not alone: we're working on an issue affecting payments. Updates here and at {url_status} {agent}",
    ),
    "news": (
        "{headline} {url}",
        "worth a read 👇 {headline} {url}",
        "{headline}\n\n{url}",
        "hmm. {headline} {url}",
        "{headline} (via {url})",
    ),
    "headlines": (
        "{brand} to scrap foreign transaction fees on premium cards",
        "Card issuers face scrutiny over surprise fees, regulators say",
        "Contactless payment limits rise as shoppers ditch cash",
        "Phishing scams targeting card customers jump 40% in a year",
        "Why credit card rewards are getting less generous",
        "{brand} shares rise after strong quarter for card spending",
        "Buy now, pay later pushes card issuers to rethink rewards",
    ),
    "headlines_outage": (
        "{brand} outage leaves customers unable to pay",
        "{brand} customers hit by card payment failures, app outage",
        "{brand} says payment problems resolved after hours-long outage",
    ),
    "spam": (
        "🚀 {brand} x CRYPTO GIVEAWAY 🚀 first 500 people get 1,000 USDT!! claim now 👉 {spamurl} #crypto #airdrop",
        "Earn $5,000/week from home with crypto signals 💸💸 DM me or click {spamurl} #bitcoin #forex #passiveincome",
        "Free ETH airdrop 🎁 connect your wallet at {spamurl} ✅ limited time only #ETH #giveaway",
        "I turned $200 into $14,800 in 3 weeks 🤯 my mentor's link: {spamurl}",
        "🔥 get a {brand} card with $10,000 limit, no credit check, 100% approved 👉 {spamurl}",
        "selling verified {brand} accounts cheap, fast delivery 💳 {spamurl} #cc #cashapp",
    ),
    "spam_outage": (
        "{care} customers affected by today's outage can claim compensation here: {spamurl}",
        "{down} {brand} is refunding everyone £50 for the outage, claim before midnight 👉 {spamurl}",
    ),
    "official": (
        "Earn {pct}% cashback at {merchant} all month long with your {brand} card. Terms apply. {url_offer} {rewards}",
        "Heading abroad? Your {brand} card now has zero foreign transaction fees in 40+ countries ✈️ {url_offer}",
        "Reminder: {brand} will never ask for your PIN or one-time passcode. Stay safe 🔒 {url_help}",
        "Double points on dining this weekend 🍽️ Activate in the app. {rewards} {url_offer}",
    ),
    "official_outage": (
        "We're aware some customers can't make card payments or log in to the app. We're working on a fix and will update here. {url_status} {down}",
        "Update: our teams are still working to restore card payments and app access. We're sorry for the disruption. {url_status} {down}",
    ),
    "official_restored": (
        "Card payments and app access are fully restored. We're sorry for the disruption today. {url_status}",
    ),
}

ES: Book = {
    "complaint": (
        "{care} otra vez me rechazan la tarjeta en {merchant}. con {amount} en el carrito y la cola detrás {mad}",
        "¿alguien me explica por qué {brand} me cobra una comisión de {amount} que nunca acepté?",
        "llevo {mins} minutos esperando al teléfono con atención al cliente de {brand}. {mins}. MINUTOS {mad}",
        "la app de {brand} no me deja entrar desde {when}, me cierra sesión cada dos por tres {mad}",
        "me cobraron dos veces la misma compra de {amount} en {merchant}. {care} quiero mi dinero ya",
        "qué servicio más malo el de {brand}, me pasaron con 4 personas y nadie sabe nada",
        "{brand} me bloqueó la tarjeta estando en {city} sin avisar. genial {mad}",
        "el reembolso 'inmediato' de {brand} lleva {n} días pendiente {meh}",
        "no hay manera de añadir la tarjeta {brand} a Google Pay, error tras error {care}",
    ),
    "praise": (
        "hay que reconocerlo: {care} me devolvió los {amount} en dos días {yay}",
        "la chica que me atendió en {brand} {when} fue un amor, me lo resolvió todo en 5 min {yay}",
        "usé la {brand} por todo {abroad} sin comisiones. de lujo",
        "{brand} detectó un cargo raro de {amount} y lo bloqueó antes de que yo me diera cuenta. punto para ellos {yay}",
        "me llegó la tarjeta nueva en 48h, así sí {yay}",
    ),
    "question": (
        "{care} ¿cuánto tarda en llegar la tarjeta nueva? la pedí hace {n} días",
        "me voy a {abroad} el mes que viene, ¿tengo que avisar a {brand} o funciona sin más?",
        "¿alguien sabe si {brand} cobra comisión por pagar en {abroad}?",
        "¿cómo cambio el PIN de la tarjeta? no lo encuentro en la app {meh}",
        "¿se puede subir el límite de la {brand} desde la app o hay que llamar sí o sí?",
        "¿qué tipo de cambio aplica {brand}? ¿el de Mastercard o uno suyo?",
        "{care} ¿puedo recargar la tarjeta con Bizum?",
    ),
    "lost": (
        "{care} me robaron la cartera en el metro de {city}, ¿cómo bloqueo la tarjeta YA?",
        "perdí la tarjeta {when} en {city}, ya la congelé en la app pero ¿y ahora qué? {meh}",
        "el cajero de {city} se tragó mi tarjeta {brand} 🙃 ¿la recupero o pido otra?",
        "me robaron el móvil y la tarjeta en {abroad}. {care} ayuda porfa, no puedo entrar a la app",
    ),
    "fraud": (
        "{care} tengo un cargo de {amount} de {merchant} que yo no hice. ¿fraude?",
        "me llegó un SMS diciendo que mi tarjeta {brand} está bloqueada y que entre en {phish}. es estafa ¿no? 🚩",
        "ojo: están llamando haciéndose pasar por {brand} para pedir el código de verificación. NO lo deis",
        "alguien cambió el correo de mi cuenta {brand} y ya no puedo entrar {mad} {care} urgente",
        "3 cargos de {amount} en {merchant} en 5 minutos. yo estaba durmiendo {mad} {care}",
    ),
    "promo": (
        "{pct}% de reembolso en {merchant} este mes con {brand} {rewards}",
        "¿a alguien más le salió la promo de puntos dobles de {brand}? {rewards}",
        "canjeé {points} puntos por un vale de {merchant} {yay} {rewards}",
        "ojo que {brand} devuelve el {pct}% en {merchant} hasta fin de mes",
    ),
    "outage": (
        "¿se cayó {brand}? me rechaza la tarjeta y la app no carga {down}",
        "{down} no puedo pagar NADA. en la caja de {merchant} con el carro lleno {mad}",
        "{care} todos mis pagos salen rechazados, ¿hay alguna caída? {down}",
        "o sea que no soy solo yo {down}",
        "en {city} tampoco funciona {down} {mad}",
        "app caída, tarjeta rechazada y el teléfono comunica. maravilloso {down}",
        "tuve que dejar la compra en la caja. gracias {brand} {down}",
    ),
    "followup": (
        "{care} ¿alguna novedad? sigo esperando",
        "ya os mandé DM, referencia {ref}",
        "{n} días y nada… {mad}",
        "¡ya está solucionado, gracias! {yay}",
        "no ha funcionado, la tarjeta sigue sin pasar {mad}",
    ),
    "same": (
        "a mí me pasó lo mismo {when} {mad}",
        "¡igual! {care} revisen esto porfa",
        "no eres la única, a mí igual",
        "+1 desde {city}",
    ),
    "banter": (
        "jajaja qué suerte",
        "¿y cómo te salió esa oferta? 👀",
        "bueno saberlo, gracias!",
        "pues a mí todo lo contrario jaja",
    ),
    "care": (
        "{user} Hola, sentimos las molestias. Escríbenos por DM con los detalles y lo revisamos. {agent}",
        "{user} Lamentamos lo ocurrido. Por seguridad, congela la tarjeta desde la app (Tarjeta > Congelar) y escríbenos por privado. {agent}",
        "{user} ¡Hola! La tarjeta nueva suele llegar en 5-7 días hábiles. Puedes seguir el envío aquí: {url_help} {agent}",
    ),
    "care_outage": (
        "{user} Estamos al tanto de una incidencia que afecta a los pagos con tarjeta y al acceso a la app. Ya estamos trabajando en ello: {url_status} {agent}",
    ),
    "news": (
        "{headline} {url}",
        "interesante 👇 {headline} {url}",
        "{headline} vía {url}",
    ),
    "headlines": (
        "{brand} eliminará las comisiones por pagos en el extranjero",
        "La banca endurece la lucha contra el fraude con tarjetas",
        "Los pagos con tarjeta superan por primera vez al efectivo",
        "Crecen las estafas por SMS que suplantan a los bancos",
    ),
    "headlines_outage": (
        "Una caída de {brand} deja a miles de clientes sin poder pagar con tarjeta",
    ),
    "spam": (
        "💰 gana 500€ al día desde casa con criptomonedas, info aquí 👉 {spamurl} #bitcoin",
        "sorteo de 1.000 USDT 🎁 solo tienes que registrarte en {spamurl} #cripto #sorteo",
    ),
    "spam_outage": (
        "{brand} compensa a los afectados por la caída con 50€, solicítalo aquí 👉 {spamurl}",
    ),
}

PT: Book = {
    "complaint": (
        "{care} cartão recusado DE NOVO no {merchant}. {amount} de compra e a fila atrás de mim {mad}",
        "alguém me explica essa tarifa de {amount} que a {brand} cobrou do nada?",
        "{mins} minutos esperando no atendimento da {brand}. sério isso? {mad}",
        "o app da {brand} fica me deslogando toda hora, não consigo nem ver a fatura",
        "cobrança em dobro de {amount} no {merchant}. {care} quero meu estorno",
        "atendimento da {brand} é uma piada, já passei por 4 atendentes e ninguém resolve",
        "a {brand} bloqueou meu cartão sem avisar e eu aqui em {city} sem conseguir pagar nada {mad}",
        "estorno 'em até 2 dias' e já vai fazer {n} dias {meh}",
    ),
    "praise": (
        "tenho que elogiar: {care} estornou meus {amount} em 2 dias {yay}",
        "a atendente da {brand} {when} foi um amor, resolveu tudo rapidinho {yay}",
        "usei o cartão da {brand} na viagem pra {abroad} e não paguei taxa nenhuma. amei",
        "cashback da {brand} pagou meu {merchant} do mês kkkkk {yay}",
        "a {brand} bloqueou uma compra estranha de {amount} antes de eu perceber. isso sim é segurança {yay}",
    ),
    "question": (
        "{care} quanto tempo demora pra chegar o cartão novo? pedi faz {n} dias",
        "vou pra {abroad} mês que vem, preciso avisar a {brand} ou o cartão funciona direto?",
        "alguém sabe se a {brand} cobra IOF nas compras internacionais?",
        "como eu troco a senha do cartão? não acho no app {meh}",
        "tem como aumentar o limite pelo app ou só ligando?",
        "{care} dá pra usar o cartão virtual enquanto o físico não chega?",
    ),
    "lost": (
        "{care} roubaram minha carteira em {city} {when}, como bloqueio o cartão??",
        "perdi o cartão {when}, já bloqueei no app mas e agora? {meh}",
        "o caixa eletrônico engoliu meu cartão em {city} 🙃",
        "levaram meu celular e o cartão junto. {care} socorro, não consigo entrar no app",
    ),
    "fraud": (
        "{care} apareceu uma compra de {amount} no {merchant} que eu não fiz. golpe??",
        "recebi SMS dizendo que meu cartão {brand} foi bloqueado e pra acessar {phish}. é golpe né? 🚩",
        "cuidado: tem gente ligando se passando pela {brand} pedindo código de segurança. NÃO passem",
        "trocaram o e-mail da minha conta {brand} e não consigo entrar {mad} {care} urgente",
    ),
    "promo": (
        "{pct}% de cashback no {merchant} esse mês com a {brand} {rewards}",
        "quem mais recebeu a promo de pontos em dobro da {brand}? {rewards}",
        "troquei {points} pontos por um vale do {merchant} {yay}",
    ),
    "outage": (
        "a {brand} caiu?? cartão recusado e app não abre {down}",
        "{down} não consigo pagar NADA, tô no caixa do {merchant} com o carrinho cheio {mad}",
        "{care} todos os pagamentos recusados, tá fora do ar? {down}",
        "então não é só comigo {down}",
        "aqui em {city} também {down} {mad}",
        "tive que largar as compras no caixa. valeu {brand} {down}",
    ),
    "followup": (
        "{care} alguma novidade? continuo esperando",
        "mandei DM, protocolo {ref}",
        "{n} dias e nada… {mad}",
        "resolvido, obrigada! {yay}",
        "não funcionou, cartão continua sendo recusado {mad}",
    ),
    "same": (
        "aconteceu o mesmo comigo {when} {mad}",
        "igualzinho aqui! {care} resolvam isso",
        "não é só você não",
        "+1 aqui em {city}",
    ),
    "banter": (
        "kkkkk que sorte",
        "como vc conseguiu essa promo? 👀",
        "bom saber, valeu!",
    ),
    "care": (
        "{user} Olá! Sentimos muito pelo transtorno. Envie os detalhes por DM que a gente verifica. {agent}",
        "{user} Oi! Por segurança, bloqueie o cartão no app (Cartão > Bloquear) e fale com a gente por DM. {agent}",
        "{user} Olá! O cartão novo costuma chegar em até 7 dias úteis. Acompanhe aqui: {url_help} {agent}",
    ),
    "care_outage": (
        "{user} Estamos cientes de uma instabilidade que afeta pagamentos e o acesso ao app. Nosso time já está trabalhando nisso: {url_status} {agent}",
    ),
    "news": (
        "{headline} {url}",
        "olha isso 👇 {headline} {url}",
        "{headline} - {url}",
    ),
    "headlines": (
        "{brand} zera tarifa em compras internacionais para clientes premium",
        "Golpes com cartão de crédito crescem 30% no ano",
        "Pix e cartão: como os brasileiros estão pagando em 2026",
        "Bancos ampliam cashback para disputar clientes de alta renda",
    ),
    "headlines_outage": ("Clientes da {brand} relatam falhas em pagamentos com cartão",),
    "spam": (
        "🤑 ganhe R$ 1.000 por dia com cripto, sem sair de casa! link na bio 👉 {spamurl}",
        "sorteio de 1.000 USDT 🎁 cadastre-se em {spamurl} #cripto #sorteio",
    ),
    "spam_outage": (
        "{brand} vai pagar indenização de R$ 200 pela queda, resgate aqui 👉 {spamurl}",
    ),
}

FR: Book = {
    "complaint": (
        "{care} carte refusée ENCORE chez {merchant}. {amount} de courses et toute la file derrière moi {mad}",
        "quelqu'un peut m'expliquer ces frais de {amount} que {brand} m'a prélevés ?",
        "{mins} minutes d'attente au service client {brand}. {mins}. {mad}",
        "l'appli {brand} me déconnecte toutes les 2 minutes, impossible de voir mon solde",
        "débité deux fois pour la même commande de {amount} chez {merchant}. {care} remboursez-moi svp",
        "franchement le service client de {brand}, c'est une blague. 4 conseillers, aucune réponse",
        "ma carte bloquée à {city} sans prévenir, merci {brand} {mad}",
    ),
    "praise": (
        "faut le dire quand ça marche : {care} m'a remboursé {amount} en 48h {yay}",
        "le conseiller {brand} que j'ai eu {when} était super, problème réglé en 5 min {yay}",
        "payé partout à {abroad} avec ma {brand}, zéro frais. top",
        "{brand} a bloqué un paiement louche de {amount} avant même que je le voie. chapeau {yay}",
    ),
    "question": (
        "{care} combien de temps pour recevoir la nouvelle carte ? commandée il y a {n} jours",
        "je pars à {abroad} le mois prochain, faut prévenir {brand} ou ça marche direct ?",
        "est-ce que {brand} prend des frais de change à {abroad} ?",
        "comment on change le code PIN ? je trouve pas dans l'appli {meh}",
        "possible d'augmenter son plafond depuis l'appli ou faut appeler ?",
    ),
    "lost": (
        "{care} on m'a volé mon portefeuille dans le métro à {city}, comment je fais opposition ??",
        "j'ai perdu ma carte {when}, je l'ai bloquée dans l'appli mais après ? {meh}",
        "le distributeur à {city} a avalé ma carte {brand} 🙃",
    ),
    "fraud": (
        "{care} prélèvement de {amount} de {merchant} que je n'ai jamais fait. fraude ??",
        "reçu un SMS 'votre carte {brand} est suspendue, rendez-vous sur {phish}'. arnaque évidemment 🚩",
        "attention : de faux conseillers {brand} appellent pour demander le code de validation. ne le donnez JAMAIS",
        "quelqu'un a changé l'adresse mail de mon compte {brand}, je ne peux plus me connecter {mad} {care}",
    ),
    "promo": (
        "{pct}% de cashback chez {merchant} ce mois-ci avec {brand} {rewards}",
        "quelqu'un d'autre a eu l'offre points doublés de {brand} ? {rewards}",
    ),
    "outage": (
        "{brand} en panne ?? carte refusée et l'appli ne charge pas {down}",
        "{down} impossible de payer quoi que ce soit, bloqué à la caisse de {merchant} {mad}",
        "{care} tous mes paiements sont refusés, il y a une panne ? {down}",
        "ah donc c'est pas que moi {down}",
        "pareil à {city} {down}",
        "j'ai dû laisser mes courses à la caisse. merci {brand} {down}",
    ),
    "followup": (
        "{care} des nouvelles ? toujours rien",
        "DM envoyé, référence {ref}",
        "toujours rien après {n} jours… {mad}",
        "c'est réglé, merci ! {yay}",
    ),
    "same": (
        "pareil pour moi {when} {mad}",
        "même problème !! {care} vous regardez ?",
        "t'es pas seul, pareil ici",
    ),
    "banter": (
        "mdr la chance",
        "comment t'as eu cette offre ? 👀",
        "bon à savoir, merci !",
    ),
    "care": (
        "{user} Bonjour, nous sommes désolés pour ce désagrément. Envoyez-nous les détails en DM et nous regardons ça. {agent}",
        "{user} Bonjour, par sécurité, bloquez la carte dans l'appli (Carte > Bloquer) puis écrivez-nous en privé. {agent}",
    ),
    "care_outage": (
        "{user} Nous avons identifié un incident qui touche les paiements par carte et l'accès à l'appli. Nos équipes sont mobilisées : {url_status} {agent}",
    ),
    "news": (
        "{headline} {url}",
        "à lire 👉 {headline} {url}",
    ),
    "headlines": (
        "{brand} supprime les frais de paiement à l'étranger",
        "Fraude à la carte bancaire : les arnaques par SMS explosent",
        "Paiement sans contact : vers un plafond relevé ?",
    ),
    "headlines_outage": ("Panne géante chez {brand} : des milliers de clients privés de paiement",),
}

DE: Book = {
    "complaint": (
        "{care} Karte schon WIEDER abgelehnt bei {merchant}. {amount} auf dem Band und hinter mir die Schlange {mad}",
        "Kann mir jemand erklären, warum {brand} mir {amount} Gebühren abbucht?",
        "Seit {mins} Minuten in der Warteschleife bei {brand}. Echt jetzt? {mad}",
        "Die {brand} App loggt mich ständig aus, komme nicht mal an meinen Kontostand",
        "Doppelt abgebucht, {amount} bei {merchant}. {care} bitte erstatten",
        "Der Kundenservice von {brand} ist ein Witz. 4 Mal weitergeleitet, keiner weiß was",
        "Karte in {city} einfach gesperrt, ohne Vorwarnung. Danke für nichts {mad}",
    ),
    "praise": (
        "Muss auch mal gesagt werden: {care} hat mir die {amount} in 2 Tagen erstattet {yay}",
        "Super netter Mitarbeiter bei {brand} {when}, Problem in 5 Minuten gelöst {yay}",
        "Im Urlaub in {abroad} überall mit {brand} bezahlt, null Gebühren. Top",
    ),
    "question": (
        "{care} wie lange dauert es, bis die Ersatzkarte kommt? Vor {n} Tagen bestellt",
        "Fliege nächsten Monat nach {abroad}, muss ich {brand} Bescheid geben?",
        "Weiß jemand, ob {brand} in {abroad} Auslandseinsatzgebühren nimmt?",
        "Wie ändere ich meine PIN? Finde es nicht in der App {meh}",
        "Kann man das Kartenlimit in der App erhöhen oder nur per Telefon?",
    ),
    "lost": (
        "{care} Geldbeutel in der U-Bahn in {city} geklaut, wie sperre ich die Karte??",
        "Karte {when} verloren, in der App gesperrt, und jetzt? {meh}",
        "Automat in {city} hat meine Karte gefressen 🙃",
    ),
    "fraud": (
        "{care} da ist eine Abbuchung über {amount} von {merchant}, die ich nicht gemacht habe. Betrug??",
        "SMS bekommen: 'Ihre {brand} Karte wurde gesperrt, bestätigen Sie unter {phish}'. Phishing, oder? 🚩",
        "Achtung: falsche {brand} Mitarbeiter rufen an und wollen den Bestätigungscode. NIE rausgeben",
    ),
    "promo": (
        "{pct}% Cashback bei {merchant} diesen Monat mit {brand} {rewards}",
        "Hat noch jemand das doppelte Punkte Angebot von {brand} bekommen? {rewards}",
    ),
    "outage": (
        "Ist {brand} down?? Karte abgelehnt und App lädt nicht {down}",
        "{down} kann gerade NICHTS bezahlen, stehe an der Kasse bei {merchant} {mad}",
        "{care} alle Zahlungen werden abgelehnt, gibt es eine Störung? {down}",
        "Ah, also nicht nur bei mir {down}",
        "In {city} auch {down}",
        "Einkauf an der Kasse stehen lassen müssen. Danke {brand} {down}",
    ),
    "followup": (
        "{care} gibt's was Neues? Warte immer noch",
        "DM ist raus, Referenz {ref}",
        "Nach {n} Tagen immer noch nichts… {mad}",
        "Hat sich erledigt, danke! {yay}",
    ),
    "same": (
        "Bei mir genauso, {when} {mad}",
        "Gleiches Problem!! {care} bitte kümmert euch",
        "Du bist nicht allein, bei mir auch",
    ),
    "banter": (
        "Glückwunsch haha",
        "Wie bist du an das Angebot gekommen? 👀",
        "Gut zu wissen, danke!",
    ),
    "care": (
        "{user} Hallo, das tut uns leid. Schick uns bitte die Details per DM, wir schauen uns das an. {agent}",
        "{user} Hallo, bitte sperre die Karte aus Sicherheitsgründen in der App (Karte > Sperren) und schreib uns per DM. {agent}",
    ),
    "care_outage": (
        "{user} Uns ist eine Störung bekannt, die Kartenzahlungen und den App-Login betrifft. Wir arbeiten mit Hochdruck daran: {url_status} {agent}",
    ),
    "news": (
        "{headline} {url}",
        "Lesenswert 👉 {headline} {url}",
    ),
    "headlines": (
        "{brand} streicht Auslandsgebühren für Premiumkunden",
        "Phishing per SMS: Betrugsfälle mit Kreditkarten nehmen deutlich zu",
        "Bargeld auf dem Rückzug: Deutsche zahlen immer häufiger mit Karte",
    ),
    "headlines_outage": ("Störung bei {brand}: Kunden können nicht mit Karte bezahlen",),
}

IT: Book = {
    "complaint": (
        "{care} carta rifiutata DI NUOVO da {merchant}. {amount} di spesa e la fila dietro {mad}",
        "qualcuno mi spiega perché {brand} mi ha addebitato {amount} di commissioni??",
        "{mins} minuti in attesa con il servizio clienti {brand}. ma scherziamo? {mad}",
        "l'app di {brand} mi butta fuori ogni due minuti, non riesco nemmeno a vedere il saldo",
        "addebito doppio di {amount} su {merchant}. {care} rimborsatemi per favore",
    ),
    "praise": (
        "va detto: {care} mi ha rimborsato {amount} in due giorni {yay}",
        "l'operatrice {brand} di {when} gentilissima, risolto tutto in 5 minuti {yay}",
        "pagato ovunque a {abroad} con {brand}, zero commissioni. promossi",
    ),
    "question": (
        "{care} quanto ci mette ad arrivare la carta nuova? l'ho richiesta {n} giorni fa",
        "vado a {abroad} il mese prossimo, devo avvisare {brand} o la carta funziona e basta?",
        "come si cambia il PIN? non lo trovo nell'app {meh}",
        "si può aumentare il plafond dall'app?",
    ),
    "lost": (
        "{care} mi hanno rubato il portafoglio in metro a {city}, come blocco la carta??",
        "persa la carta {when}, bloccata dall'app ma ora? {meh}",
        "il bancomat a {city} si è mangiato la mia carta 🙃",
    ),
    "fraud": (
        "{care} c'è un addebito di {amount} da {merchant} che non ho fatto io. frode??",
        "mi è arrivato un SMS 'la sua carta {brand} è sospesa, verifichi su {phish}'. truffa vero? 🚩",
        "attenzione: finti operatori {brand} chiamano chiedendo il codice OTP. NON datelo",
    ),
    "promo": (
        "{pct}% di cashback da {merchant} questo mese con {brand} {rewards}",
        "a qualcun altro è arrivata l'offerta punti doppi di {brand}? {rewards}",
    ),
    "outage": (
        "{brand} è down?? carta rifiutata e l'app non si apre {down}",
        "{down} non riesco a pagare NIENTE, bloccata alla cassa da {merchant} {mad}",
        "{care} tutti i pagamenti rifiutati, c'è un disservizio? {down}",
        "ah quindi non sono l'unico {down}",
        "anche a {city} {down}",
    ),
    "followup": (
        "{care} novità? sto ancora aspettando",
        "scritto in DM, riferimento {ref}",
        "dopo {n} giorni ancora niente… {mad}",
        "risolto, grazie! {yay}",
    ),
    "same": (
        "stessa cosa a me {when} {mad}",
        "uguale!! {care} controllate per favore",
    ),
    "banter": (
        "ahahah che fortuna",
        "come hai avuto quell'offerta? 👀",
        "buono a sapersi, grazie!",
    ),
    "care": (
        "{user} Ciao, ci dispiace per il disagio. Scrivici in DM con i dettagli e verifichiamo. {agent}",
        "{user} Ciao, per sicurezza blocca la carta dall'app (Carta > Blocca) e scrivici in privato. {agent}",
    ),
    "care_outage": (
        "{user} Siamo al corrente di un disservizio che interessa i pagamenti con carta e l'accesso all'app. Stiamo lavorando per risolverlo: {url_status} {agent}",
    ),
    "news": (
        "{headline} {url}",
        "da leggere 👇 {headline} {url}",
    ),
    "headlines": (
        "{brand} elimina le commissioni sui pagamenti all'estero",
        "Truffe con SMS falsi, boom di segnalazioni per i titolari di carte",
        "Pagamenti digitali, gli italiani usano sempre meno il contante",
    ),
}

NL: Book = {
    "complaint": (
        "{care} kaart weer geweigerd bij {merchant}. {amount} aan boodschappen en een rij achter me {mad}",
        "waarom rekent {brand} ineens {amount} aan kosten?? nooit mee ingestemd",
        "al {mins} minuten in de wacht bij {brand}. serieus? {mad}",
        "de {brand} app logt me steeds uit, kan niet eens mijn saldo zien",
        "dubbel afgeschreven, {amount} bij {merchant}. {care} graag terugboeken",
    ),
    "praise": (
        "complimenten aan {care}, {amount} binnen 2 dagen teruggestort {yay}",
        "super vriendelijke medewerker bij {brand} {when}, in 5 minuten opgelost {yay}",
    ),
    "question": (
        "{care} hoe lang duurt het voordat de nieuwe pas binnen is? {n} dagen geleden aangevraagd",
        "ga volgende maand naar {abroad}, moet ik {brand} iets laten weten?",
        "hoe wijzig ik mijn pincode? kan het niet vinden in de app {meh}",
    ),
    "lost": (
        "{care} portemonnee gestolen in {city}, hoe blokkeer ik mijn kaart??",
        "pas {when} kwijtgeraakt, geblokkeerd in de app, en nu? {meh}",
    ),
    "fraud": (
        "{care} afschrijving van {amount} bij {merchant} die ik niet herken. fraude??",
        "sms gekregen dat mijn {brand} pas geblokkeerd is en ik moet inloggen via {phish}. nep toch? 🚩",
    ),
    "promo": ("{pct}% cashback bij {merchant} deze maand via {brand} {rewards}",),
    "outage": (
        "ligt {brand} eruit?? kaart geweigerd en app laadt niet {down}",
        "{down} kan NIKS betalen, sta bij de kassa van {merchant} {mad}",
        "{care} al mijn betalingen worden geweigerd, storing? {down}",
        "in {city} ook {down}",
    ),
    "followup": (
        "{care} al nieuws? wacht nog steeds",
        "DM gestuurd, referentie {ref}",
        "opgelost, dank! {yay}",
    ),
    "same": (
        "bij mij precies hetzelfde {when} {mad}",
        "zelfde hier! {care}",
    ),
    "banter": (
        "haha gefeliciteerd",
        "goed om te weten, thanks!",
    ),
    "care": (
        "{user} Hoi, vervelend om te horen. Stuur ons een DM met de details, dan kijken we met je mee. {agent}",
    ),
    "care_outage": (
        "{user} We zijn op de hoogte van een storing bij kaartbetalingen en inloggen in de app. We werken aan een oplossing: {url_status} {agent}",
    ),
    "news": ("{headline} {url}",),
    "headlines": (
        "{brand} schrapt kosten voor betalen buiten de eurozone",
        "Phishing via sms: steeds meer pashouders slachtoffer",
    ),
}

BOOKS: dict[str, Book] = {
    "en": EN,
    "es": ES,
    "pt": PT,
    "fr": FR,
    "de": DE,
    "it": IT,
    "nl": NL,
}
